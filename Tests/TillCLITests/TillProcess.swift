import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `till` binary (or another program) and captures what a person would see.
struct RunResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum TillProcess {
    /// The `till` executable built beside this test bundle.
    static var binary: URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("till")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("till")
        if FileManager.default.isExecutableFile(atPath: bundle.path) { return bundle }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/till")
    }

    static func till(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> RunResult {
        try run(binary, arguments, environment: environment, stdin: stdin)
    }

    /// A program found on PATH, or nil when it is not installed.
    static func which(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs `executable` to completion with posix_spawn and waitpid: standard input from
    /// `stdin`, output to files (so a chatty child never blocks on a full pipe).
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                    stdin: String? = nil) throws -> RunResult {
        let child = try spawn(executable, arguments, environment: environment, stdin: stdin)
        defer { try? FileManager.default.removeItem(at: child.directory) }
        let exitCode = wait(child.pid)
        return RunResult(status: exitCode,
                         stdout: (try? String(contentsOfFile: child.directory.appendingPathComponent("out").path, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOfFile: child.directory.appendingPathComponent("err").path, encoding: .utf8)) ?? "")
    }

    /// Starts `executable` without waiting: its output goes to `out` and `err` in `directory`.
    static func spawn(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                      stdin: String? = nil) throws -> (pid: pid_t, directory: URL) {
        var env = ProcessInfo.processInfo.environment
        env["TILL_PIN"] = nil
        env["TILL_DB"] = nil
        for (key, value) in environment { env[key] = value }
        let directory = try temporaryDirectory()
        let inPath = directory.appendingPathComponent("in").path
        let outPath = directory.appendingPathComponent("out").path, errPath = directory.appendingPathComponent("err").path
        FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // A clean signal mask and default handlers, whatever the test runner has set.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw SpawnError(path: executable.path, code: spawned) }
        return (pid, directory)
    }

    /// Waits for a spawned child; its exit status, or 128 + the signal that ended it.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    struct SpawnError: Error { let path: String; let code: Int32 }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("till-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}

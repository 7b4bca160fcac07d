import Foundation
import Glibc

/// A child process on a pseudo-terminal of its own, as a terminal emulator runs it: the
/// benchmark's cold start and lookup session of the real `till`. What the child draws is read
/// (and kept) as it comes, so it never blocks on a full terminal.
final class PseudoTerminalChild: @unchecked Sendable {
    let pid: pid_t
    private let master: Int32
    private let lock = NSLock()
    private var drawn = Data()
    private let drained = DispatchSemaphore(value: 0)

    init(executable: String, arguments: [String], environment: [String: String]) throws {
        master = ptyOpen(O_RDWR | O_NOCTTY)
        guard master >= 0, ptyGrant(master) == 0, ptyUnlock(master) == 0, let name = ptyName(master) else {
            throw Failure(message: "Cannot open a pseudo-terminal")
        }
        let slave = String(cString: name)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, slave, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, master)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var child: pid_t = 0
        guard posix_spawn(&child, executable, &actions, &attributes, argv, envp) == 0 else {
            close(master)
            throw Failure(message: "Cannot start \(executable)")
        }
        pid = child
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(master, &buffer, buffer.count)
                if count <= 0 { break }
                lock.withLock { drawn.append(contentsOf: buffer[0..<count]) }
            }
            drained.signal()
        }
    }

    deinit { close(master) }

    /// Types `text` at the terminal.
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Everything drawn so far, as text (escape sequences and all).
    var screenBytes: String { lock.withLock { String(decoding: drawn, as: UTF8.self) } }

    /// The child's resident memory now, in kilobytes (`VmRSS`).
    var residentKilobytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    /// Waits for the child to exit; returns its status (128 + signal when killed).
    @discardableResult
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        _ = drained.wait(timeout: .now() + 2)
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// The path of the running `till` (to start another for the benchmark).
    static func ownExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: 4_096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return count > 0 ? String(cString: buffer) : CommandLine.arguments[0]
    }
}

// glibc declares these only for _XOPEN_SOURCE, which Swift's Glibc module is not built with;
// they are plain C functions of ints and pointers.
@_silgen_name("posix_openpt") private func ptyOpen(_ flags: Int32) -> Int32
@_silgen_name("grantpt") private func ptyGrant(_ descriptor: Int32) -> Int32
@_silgen_name("unlockpt") private func ptyUnlock(_ descriptor: Int32) -> Int32
@_silgen_name("ptsname") private func ptyName(_ descriptor: Int32) -> UnsafeMutablePointer<CChar>?

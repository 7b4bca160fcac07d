import Foundation
import GRDB
import Testing

/// The real binary in a real terminal (tmux), driven as a person would: type,
/// read the screen, resize, quit, and check the terminal is sane afterwards.
@Suite("End to end in tmux", .serialized)
struct TmuxTests {
    /// A tmux server of its own, running a plain shell with a recognisable prompt.
    final class Session {
        let socket = "till-e2e-\(UUID().uuidString.prefix(8))"
        let tmux: URL

        init(width: Int, height: Int) throws {
            tmux = try #require(TillProcess.which("tmux"), "tmux is not installed: scripts/test installs it")
            let started = try run(["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)",
                                   "env PS1='READY$ ' bash --norc --noprofile"])
            #expect(started.status == 0, "\(started.stderr)")
            _ = try run(["set-option", "-g", "status", "off"])
            try waitFor("READY$")
        }

        deinit { _ = try? run(["kill-server"]) }

        @discardableResult
        func run(_ arguments: [String]) throws -> RunResult {
            try TillProcess.run(tmux, ["-L", socket] + arguments)
        }

        func keys(_ keys: String...) throws { try run(["send-keys", "-t", "0"] + keys) }
        func typeLine(_ text: String) throws { try run(["send-keys", "-t", "0", "-l", text]); try keys("Enter") }

        func screen() throws -> String { try run(["capture-pane", "-p", "-t", "0"]).stdout }

        func resize(_ width: Int, _ height: Int) throws {
            try run(["resize-window", "-t", "0", "-x", "\(width)", "-y", "\(height)"])
        }

        /// Waits until the screen shows `text`, or fails showing what it does show.
        @discardableResult
        func waitFor(_ text: String, seconds: Double = 10) throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            var last = ""
            while Date() < deadline {
                last = try screen()
                if last.contains(text) { return last }
                Thread.sleep(forTimeInterval: 0.1)
            }
            Issue.record("waited \(seconds) s for \"\(text)\"; the screen shows:\n\(last)")
            throw CancellationError()
        }

        /// After Till exits: echo and canonical input are back, and the cursor shows.
        /// The command is typed as `MO""DES` so that only its output, never the echoed
        /// command line, matches the wait.
        func expectSaneTerminal() throws {
            try typeLine("clear; stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(echo|icanon)' | tr '\\n' ' '; echo MO\"\"DES")
            let text = try waitFor("MODES")
            #expect(text.contains("icanon echo MODES") || text.contains("echo icanon MODES"), "\(text)")
            #expect(try run(["display-message", "-p", "-t", "0", "#{cursor_flag}"]).stdout == "1\n")
        }
    }

    static let binary: String = {
        if let explicit = ProcessInfo.processInfo.environment["TILL_E2E_BINARY"], !explicit.isEmpty { return explicit }
        return TillProcess.binary.path
    }()

    static func demoLedger() throws -> String {
        let db = try TillProcess.temporaryDirectory().appendingPathComponent("e2e.sqlite").path
        let demo = try TillProcess.run(URL(fileURLWithPath: binary), ["demo", "--db", db, "--accounts", "200"])
        #expect(demo.status == 0, "\(demo.stderr)")
        return db
    }

    @Test("sign in, help, resize, quit", arguments: [(80, 24, "screen-256color"), (132, 43, "xterm-256color")])
    func aCashiersFirstSession(width: Int, height: Int, term: String) throws {
        let db = try Self.demoLedger()
        let tmux = try Session(width: width, height: height)
        try tmux.typeLine("TERM=\(term) \(Self.binary) --db \(db)")
        let signIn = try tmux.waitFor("Operator id")
        #expect(signIn.contains("Sign in"))
        #expect(signIn.contains("not signed in"))
        #expect(signIn.contains("10Quit"))

        try tmux.run(["send-keys", "-t", "0", "-l", "cashier"])
        try tmux.keys("Enter")
        try tmux.run(["send-keys", "-t", "0", "-l", "1111"])
        try tmux.waitFor("••••")
        try tmux.keys("Enter")
        let main = try tmux.waitFor("cashier (cashier)")
        #expect(main.contains("[Lookup]"))
        #expect(main.contains("Signed in as Casey Cashier (cashier)"))
        #expect(main.contains("2Lookup") && main.contains("9Lock"))

        try tmux.keys("F1")
        let help = try tmux.waitFor("Help — Lookup")
        #expect(help.contains("Find a customer"))
        try tmux.keys("Escape")
        try tmux.waitFor("Tab next pane")

        try tmux.resize(70, 20)
        try tmux.waitFor("Terminal too small: need 80x24, have 70x20")
        try tmux.resize(width, height)
        let back = try tmux.waitFor("[Lookup]")
        #expect(back.split(separator: "\n", omittingEmptySubsequences: false).count >= height)

        try tmux.keys("F9")
        try tmux.waitFor("Screen locked")
        try tmux.run(["send-keys", "-t", "0", "-l", "1111"])
        try tmux.keys("Enter")
        try tmux.waitFor("Unlocked by Casey Cashier")

        try tmux.keys("F10")
        try tmux.waitFor("READY$")
        try tmux.expectSaneTerminal()
    }

    @Test("plain terminals: vt100 and the Linux console", arguments: ["vt100", "linux"])
    func oldTerminals(term: String) throws {
        let db = try Self.demoLedger()
        let tmux = try Session(width: 80, height: 24)
        try tmux.typeLine("TERM=\(term) \(Self.binary) --db \(db)")
        try tmux.waitFor("Operator id")
        try tmux.keys("Escape", "0") // Alt-0: quit, for terminals whose F-keys are odd
        try tmux.waitFor("READY$")
        try tmux.expectSaneTerminal()
    }

    @Test("SIGTERM and SIGHUP restore the terminal and sign out", arguments: ["TERM", "HUP"])
    func signals(signal: String) throws {
        let db = try Self.demoLedger()
        let tmux = try Session(width: 80, height: 24)
        try tmux.typeLine("\(Self.binary) --db \(db)")
        try tmux.waitFor("Operator id")
        try tmux.run(["send-keys", "-t", "0", "-l", "cashier"])
        try tmux.keys("Enter")
        try tmux.run(["send-keys", "-t", "0", "-l", "1111"])
        try tmux.keys("Enter")
        try tmux.waitFor("cashier (cashier)")
        let pkill = try TillProcess.run(URL(fileURLWithPath: "/usr/bin/pkill"), ["-\(signal)", "-f", "--", "--db \(db)"])
        #expect(pkill.status == 0)
        try tmux.waitFor("READY$")
        try tmux.expectSaneTerminal()
        let queue = try DatabaseQueue(path: db)
        let last = try queue.read { db in try String.fetchOne(db, sql: "SELECT event || ' ' || detail FROM audit_events ORDER BY id DESC LIMIT 1") }
        #expect(last == "signout signal \(signal == "TERM" ? 15 : 1)")
    }
}

import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

/// The real binary in a real terminal (tmux), driven as a person would: type,
/// read the screen, resize, quit, and check the terminal is sane afterwards.
/// The suites that run many processes or read the screen run one after another: eight posting
/// processes on two cores would otherwise leave a tmux test reading a half-drawn frame.
@Suite(.serialized) enum Processes {}

extension Processes {
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
        /// Text sent as it is, as a paste or a typist would send it (no key names).
        func literal(_ text: String) throws { try run(["send-keys", "-t", "0", "-l", text]) }
        func typeLine(_ text: String) throws { try run(["send-keys", "-t", "0", "-l", text]); try keys("Enter") }

        /// Runs a command line in the session's shell and waits for Till's sign-in form.
        func startTill(_ commandLine: String) throws {
            try typeLine(commandLine)
            try waitFor("Operator id")
        }

        /// F2, the account number, Enter: the account open in its pane.
        func openAccount(_ number: String) throws {
            try keys("F2")
            try literal(number)
            try waitFor(number + "  ")
            try keys("Enter")
            try waitFor("Account \(number)")
        }

        /// F4, o, End, Enter: the README's first step, the drawer opened with the standard float.
        func openDrawerWithStandardFloat() throws {
            try keys("F4")
            try literal("o")
            try waitFor("Count the opening float")
            try keys("End")
            try keys("Enter")
            try waitFor("drawer open #")
        }

        /// Signs in as a demo operator whose login is its role's name (cashier, csr, lead).
        func signIn(_ login: String = "cashier", pin: String = "1111") throws {
            try literal(login)
            try keys("Enter")
            try literal(pin)
            try keys("Enter")
            try waitFor("\(login) (\(login))")
        }

        /// F3 on the open account, Enter for what is due, cash, `tendered`, Enter: the
        /// confirmation screen, before the Enter that posts.
        @discardableResult
        func cashUpToConfirm(_ due: Money, tendered: String) throws -> String {
            try keys("F3")
            try waitFor("Enter = \(due.formatted) due")
            try keys("Enter")
            try literal("c")
            try waitFor("Cash tendered")
            try literal(tendered)
            try keys("Enter")
            return try waitFor("Enter posts")
        }

        /// On the settle pane: c, the bag number, Enter, y — the screen once the day is closed.
        func closeDay(bag: String) throws -> String {
            try literal("c")
            try waitFor("Deposit bag number")
            try literal(bag)
            try keys("Enter")
            try waitFor("with deposit bag \(bag)?")
            try literal("y")
            return try waitFor("closed. Deposit")
        }

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
                if last.contains(text) {
                    // A frame may be caught half drawn on a busy machine: return once the screen
                    // holds still (two captures alike, 50 ms apart), or at the deadline.
                    while Date() < deadline {
                        Thread.sleep(forTimeInterval: 0.05)
                        let next = try screen()
                        if next == last { return last }
                        last = next
                    }
                    return last
                }
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

        try tmux.literal("cashier")
        try tmux.keys("Enter")
        try tmux.literal("1111")
        try tmux.waitFor("••••")
        try tmux.keys("Enter")
        // The frame may be caught half drawn: wait for its last row (the key bar) too.
        try tmux.waitFor("cashier (cashier)")
        let main = try tmux.waitFor("9Lock")
        #expect(main.contains("[Lookup]"))
        #expect(main.contains("Signed in as Casey Cashier (cashier)"))
        #expect(main.contains("2Lookup") && main.contains("9Lock"))

        try tmux.keys("F1")
        try tmux.waitFor("Help — Lookup")
        // The overlay may be caught half drawn (a busy machine): wait for its global keys too.
        let help = try tmux.waitFor("Find a customer")
        #expect(help.contains("Help — Lookup"))
        try tmux.keys("Escape")
        try tmux.waitFor("Tab next pane")

        try tmux.resize(70, 20)
        try tmux.waitFor("Terminal too small: need 80x24, have 70x20")
        try tmux.resize(width, height)
        let back = try tmux.waitFor("[Lookup]")
        #expect(back.split(separator: "\n", omittingEmptySubsequences: false).count >= height)

        try tmux.keys("F9")
        try tmux.waitFor("Screen locked")
        try tmux.literal("1111")
        try tmux.keys("Enter")
        try tmux.waitFor("Unlocked by Casey Cashier")

        try tmux.keys("F10")
        try tmux.waitFor("READY$")
        try tmux.expectSaneTerminal()
    }

    /// A training ledger in a real terminal: TRAINING on the sign-in screen and after, and a
    /// walk-in's payment into suspense worked from the service pane, at 80x24 under two TERMs.
    @Test("training and suspense in a real terminal", arguments: ["xterm-256color", "vt220"])
    func trainingAndSuspense(term: String) throws {
        let db = try TillProcess.temporaryDirectory().appendingPathComponent("training.sqlite").path
        let demo = try TillProcess.run(URL(fileURLWithPath: Self.binary), ["demo", "--training", "--db", db, "--accounts", "200"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let tmux = try Session(width: 80, height: 24)
        try tmux.startTill("TERM=\(term) \(Self.binary) --training --db \(db)")
        #expect(try tmux.screen().split(separator: "\n").first?.hasPrefix(" TRAINING ") == true)
        try tmux.signIn()
        try tmux.openDrawerWithStandardFloat()
        try tmux.typeLine(":suspense Kim Ng")
        try tmux.waitFor("Suspense: Kim Ng")
        try tmux.typeLine("12.50")
        try tmux.literal("c")
        try tmux.waitFor("Cash tendered")
        try tmux.keys("Enter")
        try tmux.waitFor("Enter posts")
        try tmux.keys("Enter")
        let posted = try tmux.waitFor("posted")
        #expect(posted.split(separator: "\n").first?.hasPrefix(" TRAINING ") == true)
        try tmux.keys("Enter", "F6")
        let pane = try tmux.waitFor("In suspense: 1")
        #expect(pane.contains("#1 0d $12.50 Kim Ng"), "\(pane)")
        try tmux.keys("F10")
        try tmux.waitFor("READY$")
        try tmux.expectSaneTerminal()
    }

    /// An agency's check for a pledged account, as a cashier with a queue sees it: the pledge on
    /// the cart line, the count of lines beyond it before Enter, the receipt.
    @Test("an agency's check in a real terminal", arguments: ["xterm-256color", "linux"])
    func agencyCheck(term: String) throws {
        let db = try Self.demoLedger()
        let account = try #require(try DatabaseQueue(path: db).read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE status = 'active' AND balance_cents > 5000 ORDER BY id LIMIT 1")
        })
        let csr = ["TILL_PIN": "2222", "TILL_TERMINAL": "T2"]
        for arguments in [["agency", "add", "County Energy Aid", "--program", "LIHEAP"],
                          ["agency", "pledge", account, "--agency", "County Energy Aid", "--amount", "40.00", "--case", "EA-7", "--expires", "2026-12-20"]] {
            let result = try TillProcess.till(arguments + ["--operator", "csr", "--db", db], environment: csr)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let tmux = try Session(width: 80, height: 24)
        try tmux.startTill("TERM=\(term) \(Self.binary) --db \(db)")
        try tmux.signIn()
        try tmux.openDrawerWithStandardFloat()
        try tmux.keys("F2")
        try tmux.typeLine(account)
        try tmux.waitFor("40.00 pledged by County Energy Aid")
        try tmux.keys("F3")
        for _ in 0..<12 { try tmux.keys("BSpace") }
        try tmux.typeLine(":agency County Energy Aid")
        let cart = try tmux.waitFor("Paid by County Energy Aid")
        #expect(cart.contains("pledge $40.00 case EA-7"), "\(cart)")
        try tmux.typeLine("45.00")
        try tmux.waitFor("more than the $40.00 pledged")
        try tmux.literal("k")
        try tmux.keys("Enter")
        try tmux.typeLine("8123")
        let confirm = try tmux.waitFor("Enter posts")
        #expect(confirm.contains("1 line without a pledge or beyond it."), "\(confirm)")
        try tmux.keys("Enter")
        try tmux.waitFor("posted")
        try tmux.keys("Enter", "F10")
        try tmux.waitFor("READY$")
        try tmux.expectSaneTerminal()
        let pledges = try TillProcess.till(["pledges", "--status", "fulfilled", "--db", db])
        #expect(pledges.stdout.contains("1 pledge, $0.00 open"), "\(pledges.stdout)")
    }

    @Test("plain terminals: vt100 and the Linux console", arguments: ["vt100", "linux"])
    func oldTerminals(term: String) throws {
        let db = try Self.demoLedger()
        let tmux = try Session(width: 80, height: 24)
        try tmux.startTill("TERM=\(term) \(Self.binary) --db \(db)")
        try tmux.keys("Escape", "0") // Alt-0: quit, for terminals whose F-keys are odd
        try tmux.waitFor("READY$")
        try tmux.expectSaneTerminal()
    }

    /// tmux sends its own key sequences whatever TERM the program is told, so under most of
    /// these TERMs the keys do not match terminfo: the case that once typed End's "4" into a count.
    @Test("every TERM: the first payment and a blind close, each field exactly as typed",
          arguments: ["xterm", "xterm-256color", "vt100", "vt220", "linux", "screen", "tmux-256color"])
    func everyTerm(term: String) throws {
        let db = try Self.demoLedger()
        let account = try #require(try DatabaseQueue(path: db).read { db in
            try String.fetchOne(db, sql: """
                SELECT number FROM accounts WHERE status = 'active' AND cash_only_until IS NULL AND balance_cents > 10000
                ORDER BY id LIMIT 1
                """)
        })
        let tmux = try Session(width: 80, height: 24)
        try tmux.startTill("TERM=\(term) \(Self.binary) --db \(db)")
        try tmux.signIn()
        // The README's first step, with one $100 note more than the standard float.
        try tmux.keys("F4")
        try tmux.literal("o")
        try tmux.waitFor("Count the opening float")
        try tmux.keys("Home")
        try tmux.literal("1")
        try tmux.keys("End")
        try tmux.waitFor("$300.00")
        try tmux.keys("Enter")
        try tmux.waitFor("Reason")
        try tmux.typeLine("one more hundred")
        try tmux.waitFor("drawer open #")
        try tmux.openAccount(account)
        try tmux.keys("F3")
        try tmux.waitFor("due):")
        try tmux.typeLine("100")
        try tmux.literal("c")
        try tmux.waitFor("Cash tendered")
        try tmux.typeLine("100")
        try tmux.waitFor("Enter posts")
        try tmux.keys("Enter")
        try tmux.waitFor("posted")
        try tmux.keys("Enter")
        // The blind close: four $100 notes, Home and End around them, PgUp/PgDn too.
        try tmux.keys("F4")
        try tmux.literal("c")
        try tmux.waitFor("Blind count")
        try tmux.keys("PageDown", "PageUp", "Home")
        try tmux.literal("4")
        try tmux.keys("End")
        try tmux.waitFor("$400.00")
        try tmux.keys("Enter")
        try tmux.waitFor("Card batch")
        try tmux.keys("Enter")
        try tmux.waitFor("OVER/SHORT")
        try tmux.keys("Enter")
        try tmux.waitFor("closed: Z report")
        // F10 from tmux reaches Till whatever TERM says.
        try tmux.keys("F10")
        try tmux.waitFor("READY$")
        try tmux.expectSaneTerminal()

        var patient = Configuration()
        patient.busyMode = .timeout(10)
        let row = try #require(try DatabaseQueue(path: db, configuration: patient).read { db in
            try Row.fetchOne(db, sql: """
                SELECT s.opening_float_cents, s.float_reason, c.counted_cash_cents, c.cash_over_short_cents,
                       (SELECT SUM(amount_cents) FROM tenders x JOIN transactions t ON t.id = x.transaction_id
                        WHERE t.drawer_session_id = s.id AND t.kind = 'payment')
                FROM drawer_sessions s JOIN drawer_closes c ON c.drawer_session_id = s.id ORDER BY s.id DESC LIMIT 1
                """)
        })
        #expect(row[0] as Int64 == 30000, "float under TERM=\(term)")
        #expect(row[1] as String? == "one more hundred")
        #expect(row[2] as Int64 == 40000, "count under TERM=\(term)")
        #expect(row[3] as Int64 == 0)
        #expect(row[4] as Int64 == 10000)
    }

    /// With a locale that is not UTF-8 every cell is drawn as one ASCII character, folded as
    /// receipts fold, so accented names never shift the panes' edges; lookup folds the same.
    @Test func aNonUTF8LocaleKeepsTheScreenAligned() throws {
        let db = try Self.demoLedger()
        let (number, name) = try #require(try DatabaseQueue(path: db).read { db in
            try Row.fetchOne(db, sql: """
                SELECT number, customer_name FROM accounts
                WHERE customer_name LIKE '%Ødegaard%' OR customer_name LIKE '%Łukasz%' OR customer_name LIKE '%Núñez%'
                   OR customer_name LIKE '%Dvořák%' ORDER BY id LIMIT 1
                """).map { ($0[0] as String, $0[1] as String) }
        })
        let surname = String(name.split(separator: ",")[0])
        // Typed as a cashier without those keys would: "davis lukasz" for "Davis, Łukasz".
        let typed = LatinLetters.spelledPlain(name).folding(options: .diacriticInsensitive, locale: nil).lowercased()
            .replacingOccurrences(of: ",", with: "")
        let tmux = try Session(width: 80, height: 24)
        try tmux.startTill("LANG=C LC_ALL=C TERM=xterm-256color \(Self.binary) --db \(db)")
        try tmux.signIn()
        try tmux.keys("F2")
        try tmux.literal(typed)
        try tmux.waitFor(number)
        try tmux.keys("Down", "Up") // the search has narrowed: the first match is the one
        try tmux.keys("Enter")
        try tmux.waitFor("Account \(number)")
        // The frame may be caught half drawn: wait for its last row too, and a moment more.
        try tmux.waitFor("10Quit")
        Thread.sleep(forTimeInterval: 0.3)
        let screen = try tmux.screen()
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let allASCII = screen.unicodeScalars.allSatisfy(\.isASCII)
        #expect(allASCII, "\(screen)")
        #expect(screen.contains(LatinLetters.spelledPlain(surname).folding(options: .diacriticInsensitive, locale: nil)))
        // Every pane row has the Lookup pane's right edge and the next pane's left edge in place.
        for row in rows[2..<21] {
            let characters = Array(row)
            #expect(characters.count >= 35 && "|+".contains(characters[33]) && "|#+".contains(characters[34]), "\(row)")
        }
        try tmux.keys("C-l")
        try tmux.waitFor("Account \(number)")
        #expect(!(try tmux.screen()).contains("does nothing"))
        try tmux.keys("F10")
        try tmux.waitFor("READY$")
    }

    /// The real binary, a card number pasted (one write, as a terminal pastes) into the sign-in
    /// id, the search and a note: never on screen, never in the ledger, its log or beside it.
    @Test func aPastedCardNumberIsNeverShownOrKept() throws {
        let db = try Self.demoLedger()
        let account = try #require(try DatabaseQueue(path: db).read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE status = 'active' ORDER BY id LIMIT 1")
        })
        let tmux = try Session(width: 80, height: 24)
        try tmux.startTill("\(Self.binary) --db \(db)")
        let digits = ["4111111111111111", "5500000000000004"]
        func screenHoldsNone() throws {
            let screen = try tmux.screen().filter { !" -.".contains($0) }
            for run in digits { #expect(!screen.contains(run), "\(screen)") }
        }
        try tmux.literal("4111 1111 1111 1111")
        try tmux.waitFor("full card number")
        try screenHoldsNone()
        try tmux.signIn()
        try tmux.keys("F2")
        try tmux.literal("5500-0000-0000-0004")
        try tmux.waitFor("full card number")
        try screenHoldsNone()
        try tmux.openAccount(account)
        try tmux.literal("n")
        try tmux.literal("paid with 4111111111111111 call back")
        try tmux.waitFor("full card number")
        try screenHoldsNone()
        try tmux.keys("Enter")
        try tmux.waitFor("Note added")
        try tmux.keys("F10")
        try tmux.waitFor("READY$")
        let directory = (db as NSString).deletingLastPathComponent
        for name in try FileManager.default.subpathsOfDirectory(atPath: directory) {
            guard let bytes = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
            let compact = String(decoding: bytes.filter { ![0x20, 0x2D].contains($0) }, as: UTF8.self)
            for run in digits { #expect(!compact.contains(run), "\(name) holds a pasted card number") }
        }
        let verify = try TillProcess.run(URL(fileURLWithPath: Self.binary), ["verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    /// Ctrl-F then a digit is that F-key however slowly it is typed; Esc alone is not slowed.
    @Test func functionKeysAtHumanSpeedAndARepaint() throws {
        let db = try Self.demoLedger()
        let tmux = try Session(width: 80, height: 24)
        try tmux.startTill("TERM=vt100 \(Self.binary) --db \(db)")
        try tmux.signIn()
        for (digit, pane) in [("4", "[Drawer]"), ("8", "[Settle]"), ("2", "[Lookup]")] {
            try tmux.keys("C-f")
            Thread.sleep(forTimeInterval: 0.6)
            try tmux.literal(digit)
            try tmux.waitFor(pane)
        }
        // Esc then a digit at human speed is Esc, then the digit typed into the search.
        try tmux.keys("Escape")
        Thread.sleep(forTimeInterval: 0.4)
        try tmux.literal("4")
        try tmux.waitFor("Find 4")
        // Another program writes over the screen; Ctrl-L draws it all again.
        let tty = try tmux.run(["display-message", "-p", "-t", "0", "#{pane_tty}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try "\u{1B}[5;5HGARBAGE-GARBAGE".write(toFile: tty, atomically: false, encoding: .utf8)
        try tmux.waitFor("GARBAGE-GARBAGE")
        try tmux.keys("C-l")
        let screen = try tmux.waitFor("9Lock")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(!(try tmux.screen()).contains("GARBAGE"), "\(screen)")
        try tmux.keys("C-f")
        try tmux.literal("0")
        try tmux.waitFor("READY$")
    }

    @Test("SIGTERM and SIGHUP restore the terminal and sign out", arguments: ["TERM", "HUP"])
    func signals(signal: String) throws {
        let db = try Self.demoLedger()
        let tmux = try Session(width: 80, height: 24)
        try tmux.startTill("\(Self.binary) --db \(db)")
        try tmux.signIn()
        let pkill = try TillProcess.run(URL(fileURLWithPath: "/usr/bin/pkill"), ["-\(signal)", "-f", "--", "--db \(db)"])
        #expect(pkill.status == 0)
        try tmux.waitFor("READY$")
        try tmux.expectSaneTerminal()
        let queue = try DatabaseQueue(path: db)
        let last = try queue.read { db in try String.fetchOne(db, sql: "SELECT event || ' ' || detail FROM audit_events ORDER BY id DESC LIMIT 1") }
        #expect(last == "signout signal \(signal == "TERM" ? 15 : 1)")
    }

    @Test("a first cash payment with change and a receipt", arguments: [(80, 24), (120, 40)])
    func aFirstCashPayment(width: Int, height: Int) throws {
        let db = try Self.demoLedger()
        let (number, name, balance) = try DatabaseQueue(path: db).read { db in
            let row = try #require(try Row.fetchOne(db, sql: """
                SELECT number, customer_name, balance_cents FROM accounts
                WHERE status = 'active' AND balance_cents BETWEEN 2000 AND 40000 AND cash_only_until IS NULL
                  AND customer_name IN (SELECT customer_name FROM accounts GROUP BY customer_name HAVING COUNT(*) = 1)
                ORDER BY id LIMIT 1
                """))
            return (row[0] as String, row[1] as String, Money(cents: row[2]))
        }
        let tmux = try Session(width: width, height: height)
        try tmux.startTill("TILL_TERMINAL=T7 \(Self.binary) --db \(db)")
        try tmux.signIn()
        try tmux.openDrawerWithStandardFloat()
        // Part of the name: the surname and the first letters of the first name.
        let surname = String(name.split(separator: ",")[0])
        let first = String(name.split(separator: " ").last!.prefix(3))
        try tmux.keys("F2")
        try tmux.literal("\(surname.lowercased()) \(first.lowercased())")
        try tmux.waitFor(number)
        try tmux.keys("Enter")
        try tmux.waitFor("Account \(number)")
        let change = try Money(dollars: 500) - balance
        let confirm = try tmux.cashUpToConfirm(balance, tendered: "500")
        #expect(confirm.contains("CHANGE DUE") && confirm.contains(change.formatted))
        try tmux.keys("Enter")
        let done = try tmux.waitFor("posted")
        #expect(done.contains("Change due \(change.formatted)"))
        let receipt = try #require(done.firstMatch(of: /Receipt #(\d+) posted/)).1
        let spool = (db as NSString).deletingLastPathComponent + "/receipts/receipt-" + String(repeating: "0", count: max(0, 6 - receipt.count)) + receipt + ".txt"
        let paper = try String(contentsOfFile: spool, encoding: .utf8)
        #expect(paper.contains("Receipt #\(receipt)") && paper.contains("Account \(number)"))
        #expect(paper.contains(balance.formatted) && paper.contains("$500.00") && paper.contains(change.formatted))
        try tmux.keys("F10")
        try tmux.waitFor("READY$")
        let verify = try TillProcess.run(URL(fileURLWithPath: Self.binary), ["verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    /// The closer: a cashier's drawer counted and closed (from a script), then the settle pane
    /// to a closed day, as a lead who has never seen it would: F8, c, the bag number, y.
    @Test("the closer's path from the settle pane to a closed day", arguments: [(80, 24), (120, 40)])
    func theClosersPath(width: Int, height: Int) throws {
        let db = try Self.demoLedger()
        let till = URL(fileURLWithPath: Self.binary)
        let cashier = ["TILL_PIN": "1111", "TILL_TERMINAL": "T1"]
        #expect(try TillProcess.run(till, ["drawer", "open", "--operator", "cashier", "--db", db], environment: cashier).status == 0)
        let account = try #require(try DatabaseQueue(path: db).read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE status = 'active' AND cash_only_until IS NULL ORDER BY id LIMIT 1")
        })
        #expect(try TillProcess.run(till, ["pay", account, "25.00", "--tender", "cash", "--operator", "cashier", "--db", db],
                                    environment: cashier).status == 0)
        let closed = try TillProcess.run(till, ["drawer", "close", "--operator", "cashier", "--count",
                                                "20=5,10=5,5=7,1=25,0.25=40,0.10=30,0.05=20,0.01=100", "--db", db],
                                         environment: cashier)
        #expect(closed.status == 0, "\(closed.stderr)")

        let tmux = try Session(width: width, height: height)
        try tmux.startTill("TILL_TERMINAL=OFFICE \(Self.binary) --db \(db)")
        try tmux.signIn("lead", pin: "3333")
        try tmux.keys("F8")
        // Waits for the drawer's line, not the title: under load a frame is caught half drawn.
        _ = try tmux.waitFor("SETTLEMENT")
        _ = try tmux.waitFor("Z1 o/s $0.00")
        let settle = try tmux.waitFor("c close day")
        #expect(settle.contains("#1 cashier T1"))
        let done = try tmux.closeDay(bag: "B-2201")
        #expect(done.contains("Deposit $25.00") || done.contains("$25.00"))
        try tmux.keys("F10")
        try tmux.waitFor("READY$")
        let status = try TillProcess.run(till, ["day", "status", "--db", db])
        #expect(status.status == 1 && status.stdout.contains("No business day is open"))
        let reports = (db as NSString).deletingLastPathComponent + "/reports"
        let files = try FileManager.default.contentsOfDirectory(atPath: reports)
        #expect(files.contains { $0.hasSuffix("-deposit.csv") } && files.contains { $0.hasSuffix("-settlement.txt") })
        let verify = try TillProcess.run(till, ["verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    /// A CSR takes a returned check: the screen asks for a lead's override for that one
    /// action, the lead types id and PIN at the same terminal, the NSF posts with its fee and
    /// letter, and the next action asks again.
    @Test("a returned check with a lead's override", arguments: [(80, 24), (120, 40)])
    func aReturnedCheckWithOverride(width: Int, height: Int) throws {
        let db = try Self.demoLedger()
        let till = URL(fileURLWithPath: Self.binary)
        let (other, receipt, account, before) = try DatabaseQueue(path: db).read { db in
            let other = try #require(try Int64.fetchOne(db, sql: """
                SELECT receipt_number FROM transactions WHERE kind = 'payment' AND drawer_session_id IS NULL ORDER BY id DESC LIMIT 1
                """))
            let row = try #require(try Row.fetchOne(db, sql: """
                SELECT t.receipt_number, a.number, a.balance_cents FROM tenders x JOIN transactions t ON t.id = x.transaction_id
                JOIN postings p ON p.transaction_id = t.id AND p.book = 'AR' JOIN accounts a ON a.id = p.account_id
                WHERE x.kind = 'check' AND t.kind = 'payment' AND t.drawer_session_id IS NULL
                  AND (SELECT COUNT(*) FROM tenders y WHERE y.transaction_id = t.id) = 1
                ORDER BY t.id LIMIT 1
                """))
            return (other, row[0] as Int64, row[1] as String, Money(cents: row[2]))
        }
        let tmux = try Session(width: width, height: height)
        try tmux.startTill("TILL_TERMINAL=T3 \(Self.binary) --db \(db)")
        try tmux.signIn("csr", pin: "2222")
        try tmux.keys("F2")
        try tmux.literal(account)
        try tmux.waitFor(account)
        try tmux.keys("Enter")
        try tmux.waitFor("Account \(account)")
        try tmux.keys("F6")
        try tmux.waitFor("n NSF (returned)")
        try tmux.literal("n")
        try tmux.waitFor("Receipt no.")
        try tmux.typeLine("\(receipt)")
        try tmux.keys("Enter")
        try tmux.typeLine("returned by the bank: NSF")
        try tmux.waitFor("Enter or y posts it")
        try tmux.keys("Enter")
        let asked = try tmux.waitFor("Approver id")
        #expect(asked.contains("Needs an override"))
        try tmux.typeLine("lead")
        try tmux.waitFor("PIN")
        try tmux.typeLine("3333")
        let done = try tmux.waitFor("posted as #")
        #expect(done.contains("Returned check"))
        // The NSF letter was written and the account is cash only.
        let letters = (db as NSString).deletingLastPathComponent + "/letters"
        let days = try FileManager.default.contentsOfDirectory(atPath: letters)
        let files = try days.flatMap { try FileManager.default.contentsOfDirectory(atPath: letters + "/" + $0) }
        #expect(files.contains("nsf-\(account).txt"))
        // Not sticky: the next action beyond the CSR's authority asks again.
        try tmux.literal("r")
        try tmux.waitFor("Reverse a payment")
        try tmux.typeLine("\(other)")
        try tmux.typeLine("test")
        try tmux.keys("Enter")
        try tmux.waitFor("Approver id")
        try tmux.keys("Escape")
        try tmux.keys("Escape", "Escape")
        try tmux.keys("F10")
        try tmux.waitFor("READY$")
        // Till may still be signing out as the shell's prompt comes back: wait for its write.
        var patient = Configuration()
        patient.busyMode = .timeout(10)
        let (after, cashOnly) = try DatabaseQueue(path: db, configuration: patient).read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT balance_cents, cash_only_until FROM accounts WHERE number = ?",
                                                    arguments: [account]))
            return (Money(cents: row[0]), row[1] as String?)
        }
        #expect(after > before && cashOnly != nil)
        let overrides = try TillProcess.run(till, ["report", "overrides", "--db", db])
        #expect(overrides.stdout.contains("nsf  csr approved by lead at T3"), "\(overrides.stdout)")
        let verify = try TillProcess.run(till, ["verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    /// The counter on PostgreSQL, on a server of its own: a cash payment whose Enter lands while
    /// the server is down (the screen says it is waiting for the ledger; the payment posts once
    /// when the server is back), then the closer's path from the settle pane to a closed day.
    @Test("on PostgreSQL: a payment through a server that went down, and the closer's path",
          .enabled(if: TestPostgres.available, "no TILL_TEST_POSTGRES server (scripts/test starts one)"))
    func onPostgreSQL() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/pg-cluster").standardizedFileURL
        func cluster(_ arguments: [String]) throws -> String {
            let run = try TillProcess.run(script, arguments)
            try #require(run.status == 0, "scripts/pg-cluster \(arguments): \(run.stderr)")
            return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let server = try cluster(["start"])
        defer { _ = try? cluster(["stop", server]) }
        try PGConnection("postgresql:///postgres?host=\(server)&user=postgres").execute("CREATE DATABASE books")
        let files = try TillProcess.temporaryDirectory()
        let environment = ["TILL_FILES_DIR": files.path]
        let till = URL(fileURLWithPath: Self.binary)
        func ok(_ arguments: [String], _ extra: [String: String] = [:]) throws {
            let run = try TillProcess.run(till, arguments, environment: environment.merging(extra) { $1 })
            #expect(run.status == 0, "till \(arguments): \(run.stderr)")
        }
        try ok(["init", "--db", "postgresql:///books?host=\(server)&user=postgres"])
        try ok(["demo", "--accounts", "200", "--db", "postgresql:///books?host=\(server)&user=till_owner"])
        let db = "postgresql:///books?host=\(server)&user=till_terminal"
        let ledger = try Ledger(postgres: db, filesDirectory: files.path)
        let (number, balance) = try ledger.read { db in
            let row = try #require(try SQLRow.fetchOne(db, sql: """
                SELECT number, balance_cents FROM accounts WHERE status = 'active' AND balance_cents BETWEEN 2000 AND 40000
                  AND cash_only_until IS NULL ORDER BY id LIMIT 1
                """))
            return (row[0] as String, Money(cents: row[1]))
        }

        let tmux = try Session(width: 80, height: 24)
        try tmux.startTill("TILL_FILES_DIR=\(files.path) TILL_TERMINAL=T9 \(Self.binary) --db '\(db)'")
        try tmux.signIn()
        try tmux.openDrawerWithStandardFloat()
        try tmux.openAccount(number)
        try tmux.cashUpToConfirm(balance, tendered: "500")
        // The server goes down; the cashier presses Enter: the screen says why it waits.
        _ = try cluster(["pause", server])
        try tmux.keys("Enter")
        try tmux.waitFor("Waiting for the ledger", seconds: 15)
        _ = try cluster(["resume", server])
        let done = try tmux.waitFor("posted", seconds: 30)
        #expect(done.contains("Change due \((try Money(dollars: 500) - balance).formatted)"), "\(done)")
        let receipt = try #require(done.firstMatch(of: /Receipt #(\d+) posted/)).1
        let paper = try String(contentsOfFile: files.appendingPathComponent("receipts/receipt-"
            + String(repeating: "0", count: max(0, 6 - receipt.count)) + receipt + ".txt").path, encoding: .utf8)
        #expect(paper.contains("Receipt #\(receipt)") && paper.contains("Account \(number)"))
        try tmux.keys("F10")
        try tmux.waitFor("READY$")
        // Posted once, under the receipt the screen showed.
        let posted = try Ledger(postgres: db, filesDirectory: files.path).read { db in
            try Int64.fetchAll(db, sql: "SELECT receipt_number FROM transactions WHERE terminal_id = 'T9' AND kind = 'payment'")
        }
        #expect(posted == [Int64(receipt)!])

        // The drawer counted in pennies from a script (its float and the payment), then the lead closes the day.
        let cents = Money(dollars: 200).cents + balance.cents
        try ok(["drawer", "close", "--operator", "cashier", "--count", "0.01=\(cents)", "--db", db], ["TILL_PIN": "1111", "TILL_TERMINAL": "T9"])
        try tmux.startTill("TILL_FILES_DIR=\(files.path) TILL_TERMINAL=OFFICE \(Self.binary) --db '\(db)'")
        try tmux.signIn("lead", pin: "3333")
        try tmux.keys("F8")
        _ = try tmux.waitFor("Z1 o/s $0.00")
        try tmux.waitFor("c close day")
        let closed = try tmux.closeDay(bag: "B-PG1")
        #expect(closed.contains(balance.formatted), "\(closed)")
        try tmux.keys("F10")
        try tmux.waitFor("READY$")
        let verify = try TillProcess.run(till, ["verify", "--db", db], environment: environment)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    /// The counter on a primary and its synchronous standby (`host=primary,standby`,
    /// `target_session_attrs=read-write`): the primary is cut off as the cashier presses Enter;
    /// the screen says it waits for the ledger until the standby is promoted, then the payment
    /// posts once, on the new primary, and the cashier takes the next one.
    @Test("on PostgreSQL: a payment through a failover to the standby",
          .enabled(if: TestPostgres.available, "no TILL_TEST_POSTGRES server (scripts/test starts one)"))
    func throughAFailover() throws {
        let primary = try FailoverTests.cluster(["start"])
        defer { _ = try? FailoverTests.cluster(["stop", primary]) }
        try PGConnection("postgresql:///postgres?host=\(primary)&user=postgres").execute("CREATE DATABASE books")
        let files = try TillProcess.temporaryDirectory()
        let environment = ["TILL_FILES_DIR": files.path]
        let till = URL(fileURLWithPath: Self.binary)
        func ok(_ arguments: [String]) throws {
            let run = try TillProcess.run(till, arguments, environment: environment)
            #expect(run.status == 0, "till \(arguments): \(run.stderr)")
        }
        try ok(["init", "--db", "postgresql:///books?host=\(primary)&user=postgres"])
        try ok(["demo", "--accounts", "200", "--db", "postgresql:///books?host=\(primary)&user=till_owner"])
        let standby = try FailoverTests.cluster(["standby", primary])
        defer { _ = try? FailoverTests.cluster(["stop", standby]) }
        try FailoverTests.cluster(["synchronous", primary])
        let db = "postgresql:///books?host=\(primary),\(standby)&user=till_terminal&target_session_attrs=read-write"
        let accounts = try Ledger(postgres: db, filesDirectory: files.path).read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT number, balance_cents FROM accounts WHERE status = 'active' AND balance_cents BETWEEN 2000 AND 40000
                  AND cash_only_until IS NULL ORDER BY id LIMIT 2
                """).map { ($0[0] as String, Money(cents: $0[1])) }
        }
        try #require(accounts.count == 2)

        let tmux = try Session(width: 80, height: 24)
        try tmux.startTill("TILL_FILES_DIR=\(files.path) TILL_TERMINAL=T9 \(Self.binary) --db '\(db)'")
        try tmux.signIn()
        try tmux.openDrawerWithStandardFloat()
        try tmux.openAccount(accounts[0].0)
        try tmux.cashUpToConfirm(accounts[0].1, tendered: "500")
        _ = try FailoverTests.cluster(["crash", primary])
        try tmux.keys("Enter")
        try tmux.waitFor("Waiting for the ledger", seconds: 15)
        _ = try FailoverTests.cluster(["promote", standby])
        let done = try tmux.waitFor("posted", seconds: 30)
        let receipt = try #require(done.firstMatch(of: /Receipt #(\d+) posted/)).1
        // The next customer, on the new primary.
        try tmux.keys("Escape")
        try tmux.openAccount(accounts[1].0)
        try tmux.cashUpToConfirm(accounts[1].1, tendered: "500")
        try tmux.keys("Enter")
        let next = try tmux.waitFor("posted", seconds: 30)
        let second = try #require(next.firstMatch(of: /Receipt #(\d+) posted/)).1
        try tmux.keys("F10")
        try tmux.waitFor("READY$")
        let onNewPrimary = "postgresql:///books?host=\(standby)&user=till_terminal"
        let posted = try Ledger(postgres: onNewPrimary, filesDirectory: files.path).read { db in
            try Int64.fetchAll(db, sql: "SELECT receipt_number FROM transactions WHERE terminal_id = 'T9' AND kind = 'payment' ORDER BY id")
        }
        #expect(posted == [Int64(receipt)!, Int64(second)!] && Int64(second)! == Int64(receipt)! + 1)
        let verify = try TillProcess.run(till, ["verify", "--db", onNewPrimary], environment: environment)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }
}
}

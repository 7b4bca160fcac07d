import ArgumentParser
import Foundation
import TillCore
import TillLedger
import TillUI

/// `till bench`: every measure of docs/PERFORMANCE.md on one generated ledger, each with its
/// sample count, the bare-SQL floors beside lookup and posting, and the targets.
struct FullBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Build (or reuse) a generated ledger and take every measure (the default of `till bench`).")

    @Option(help: "Accounts in the generated ledger.") var accounts = 1_000_000
    @Option(help: "Days of bills and payments behind them (monthly bills).") var days = 365
    @Option(help: "The ledger to build or reuse (default: in ~/.cache/till, named by --accounts and --days), or a PostgreSQL ledger made already (till demo --db postgresql://…). It is posted into.")
    var db: String?
    @Option(help: "Write the figures as JSON to this file.") var json: String?
    @Flag(help: "Few samples of each measure: keeps the harness working (CI), not for figures.") var quick = false
    @Option(help: "Seed for choosing accounts.") var seed: UInt64 = 7

    /// How many samples each measure takes.
    struct Sizes {
        var queries, posts, dayPayments, drawers, settlementRuns, verifyRuns, coldStarts, sessionQueries, renders, importLines: Int
        static let full = Sizes(queries: 200, posts: 300, dayPayments: 20_000, drawers: 10, settlementRuns: 30,
                                verifyRuns: 3, coldStarts: 20, sessionQueries: 50, renders: 5_000, importLines: 50_000)
        static let quick = Sizes(queries: 20, posts: 20, dayPayments: 400, drawers: 4, settlementRuns: 3,
                                 verifyRuns: 1, coldStarts: 3, sessionQueries: 5, renders: 200, importLines: 1_000)
    }

    /// The targets of the benchmark issue, p99 in milliseconds; on PostgreSQL, the PostgreSQL
    /// issue's for posting, lookup and the settlement.
    static func targets(postgres: Bool) -> [String: Double] {
        var targets: [String: Double] = [
            "lookup_query": 2, "lookup_keystroke": 10, "post_single": 5, "account_view": 5, "scan_to_cart": 5, "settlement": 50,
            "cold_start": 150, "render_full": 2, "post_during_import": 250,
        ]
        if postgres { targets.merge(["lookup_query": 3, "post_single": 3, "settlement": 100]) { $1 } }
        return targets
    }

    /// Verify's target, milliseconds a million transactions.
    static func verifyTarget(postgres: Bool) -> Double { postgres ? 10_000 : 5_000 }

    func run() throws {
        try reporting {
            let sizes = quick ? Sizes.quick : Sizes.full
            let months = max(1, (days * 12 + 182) / 365) // 365 days: 12 monthly bills
            let path = db ?? Self.cachePath(accounts: accounts, months: months)
            let book = try Self.ledger(at: path, accounts: accounts, months: months)
            var figures: [(String, Samples)] = []
            func note(_ text: String) { FileHandle.standardError.write(Data("  … \(text)\n".utf8)) }

            let postgres = book.isPostgres
            if postgres {
                note("on PostgreSQL: the server's own cache, as it is")
            } else {
                note("reading the ledger into the page cache, as on a counter host that has run a while")
                Self.warm(path)
            }
            note("render at 200x60")
            figures += RenderBench.measure(samples: sizes.renders)
            note("cold start to the first frame, \(sizes.coldStarts) times")
            figures.append(("cold_start", try Self.coldStart(path, runs: sizes.coldStarts)))
            note("a lookup session of \(sizes.sessionQueries) queries, then resident memory")
            let residentKB = try Self.lookupSession(path, book: book, queries: sizes.sessionQueries, seed: seed)
            note("lookup, account view and posting")
            let counter = try CounterBench.measure(book, queries: sizes.queries, posts: sizes.posts, seed: seed)
            figures += counter.figures
            note("a day of \(sizes.dayPayments) payments over \(sizes.drawers) drawers, then its settlement")
            let day = try DayBench.measure(book, payments: sizes.dayPayments, drawers: sizes.drawers, runs: sizes.settlementRuns, seed: seed)
            figures += day.figures
            note("a payment file of \(sizes.importLines) lines alone, then another while a counter takes a payment every 20 ms")
            let importedAlone = try ImportBench.measure(book, lines: sizes.importLines, seed: seed &+ 9, counter: false)
            let imported = try ImportBench.measure(book, lines: sizes.importLines, seed: seed)
            figures += imported.figures
            // A verify of tens of millions of transactions takes minutes: once is enough there.
            let verifyRuns = try book.transactionCount() > 5_000_000 ? 1 : sizes.verifyRuns
            note("till verify, \(verifyRuns) times")
            var verify = Samples()
            for _ in 0..<verifyRuns {
                try verify.timeThrowing {
                    let report = try book.verify()
                    guard report.isSound else { throw Failure(message: "The bench ledger is not sound: \(report.firstFault ?? "")") }
                }
            }
            figures.append(("verify", verify))
            let transactions = try book.transactionCount()
            let accountCount = try book.accountCount()

            print("ledger \(book.path): \(accountCount) accounts, \(transactions) transactions\(quick ? " (quick: few samples)" : "")")
            print("measure".padded(22) + "p50 ms    p99 ms    max ms      n   target (p99)")
            let figure = Dictionary(figures, uniquingKeysWith: { a, _ in a })
            let targets = Self.targets(postgres: postgres)
            for (name, samples) in figures {
                var line = name.padded(22)
                for value in [samples.p50, samples.p99, samples.max] { line += Samples.format(value).leftPadded(8) + "  " }
                line += "\(samples.values.count)".leftPadded(5)
                if let target = targets[name] {
                    line += "   ≤ \(Samples.format(target)) " + (samples.p99 <= target ? "met" : "MISSED")
                }
                print(line)
            }
            let perMillion = verify.p50 * 1_000_000 / Double(max(transactions, 1))
            let verifyTarget = Self.verifyTarget(postgres: postgres)
            print("verify per million transactions: \(Samples.format(perMillion)) ms (target ≤ \(Int(verifyTarget)) \(perMillion <= verifyTarget ? "met" : "MISSED"))")
            print("payment file import: \(importedAlone.lines) lines at \(importedAlone.linesPerSecond) lines/s alone (target ≥ 10000 \(importedAlone.linesPerSecond >= 10_000 ? "met" : "MISSED")), \(imported.linesPerSecond) lines/s while the counter posts")
            print("resident memory after the lookup session: \(residentKB / 1_024) MB (target ≤ 64 \(residentKB <= 64 * 1_024 ? "met" : "MISSED"))")
            print("ratio lookup_query / baseline (p99): " + Samples.ratio(figure["lookup_query"]!, figure["baseline_lookup_query"]!))
            print("ratio post_single / baseline (p99):  " + Samples.ratio(figure["post_single"]!, figure["baseline_post_single"]!)
                  + " (target ≤ 2)")
            if let json {
                var object = figures.map { "\"\($0.0)\": \($0.1.json)" }
                object += ["\"import_lines_per_s\": \(importedAlone.linesPerSecond)", "\"import_during_counter_lines_per_s\": \(imported.linesPerSecond)", "\"rss_mb\": \(residentKB / 1_024)", "\"accounts\": \(accountCount)", "\"transactions\": \(transactions)",
                           "\"quick\": \(quick)"]
                try ("{\n  " + object.joined(separator: ",\n  ") + "\n}\n").write(toFile: json, atomically: true, encoding: .utf8)
            }
        }
    }

    static func cachePath(accounts: Int, months: Int) -> String {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.cache")
        return "\(cache)/till/bench-\(accounts)-\(months)m.sqlite"
    }

    /// The bench ledger: reused when it exists, else generated (a demo ledger of that size).
    static func ledger(at path: String, accounts: Int, months: Int) throws -> Ledger {
        if case .postgres = LedgerAddress(path) {
            // A server's ledger is never built here: a million accounts copied in takes hours.
            let book = try Ledger.open(path)
            guard try book.operatorID("cashier") != nil, try book.accountCount() > 0 else {
                throw Failure(message: "\(book.path) is not a bench ledger (no demo operators or accounts): make one with "
                              + "`till demo --db … --accounts N` or `till copy --from FILE --to …` first (nothing was posted)")
            }
            return book
        }
        if FileManager.default.fileExists(atPath: path) {
            let book = try Ledger(path: path)
            guard try book.operatorID("cashier") != nil else {
                throw Failure(message: "\(path) is not a bench ledger (no demo operators): benchmark a generated ledger")
            }
            return book
        }
        let started = Date()
        FileHandle.standardError.write(Data("  … generating \(accounts) accounts, \(months) months at \(path)\n".utf8))
        let (book, summary) = try Ledger.createDemo(at: path, DemoOptions(accounts: accounts, seed: 1, today: LocalClock.today(), months: months)) { phase in
            FileHandle.standardError.write(Data("  … \(phase)\n".utf8))
        }
        FileHandle.standardError.write(Data("  … \(summary.transactions) transactions in \(Int(Date().timeIntervalSince(started))) s\n".utf8))
        return book
    }

    /// Reads the ledger file (and its log) through once, so every measure starts from the page
    /// cache and not from whatever the build or an earlier program left there.
    static func warm(_ path: String) {
        for file in [path, path + "-wal"] {
            guard let handle = FileHandle(forReadingAtPath: file) else { continue }
            while let chunk = try? handle.read(upToCount: 8 << 20), !chunk.isEmpty {}
            try? handle.close()
        }
    }

    /// `till` started on a terminal of its own until its first frame is drawn, `runs` times.
    static func coldStart(_ path: String, runs: Int) throws -> Samples {
        var samples = Samples()
        for _ in 0..<runs {
            try samples.timeThrowing {
                let child = try PseudoTerminalChild(executable: PseudoTerminalChild.ownExecutable(), arguments: ["--db", path],
                                                    environment: terminalEnvironment(["TILL_EXIT_AFTER_FIRST_FRAME": "1"]))
                let status = child.wait()
                guard status == 0 else { throw Failure(message: "till did not start on a terminal (exit \(status)): \(child.screenBytes.suffix(300))") }
            }
        }
        return samples
    }

    /// Signs in at a real `till` on its own terminal, types `queries` lookups key by key (each
    /// erased again), and reads its resident memory, in kilobytes.
    static func lookupSession(_ path: String, book: Ledger, queries: Int, seed: UInt64) throws -> Int {
        let typed = BenchAccounts.queries(try book.benchSample(count: queries, seed: seed &+ 1).prefix(queries))
        let child = try PseudoTerminalChild(executable: PseudoTerminalChild.ownExecutable(), arguments: ["--db", path],
                                            environment: terminalEnvironment(["TILL_TERMINAL": "BENCHRSS"]))
        defer {
            kill(child.pid, SIGTERM)
            child.wait()
        }
        func settle(_ seconds: Double) { Thread.sleep(forTimeInterval: seconds) }
        settle(0.5)
        child.type("cashier\r")
        settle(0.2)
        child.type("1111\r")
        settle(0.5)
        for text in typed {
            for character in text {
                child.type(String(character))
                settle(0.005)
            }
            settle(0.05)
            child.type(String(repeating: "\u{7f}", count: text.count))
            settle(0.05)
        }
        settle(0.5)
        guard child.screenBytes.contains("Find"), let resident = child.residentKilobytes else {
            throw Failure(message: "The lookup session did not reach the counter screen: \(child.screenBytes.suffix(300))")
        }
        return resident
    }

    static func terminalEnvironment(_ extra: [String: String]) -> [String: String] {
        var environment = ["TERM": "xterm-256color", "LINES": "24", "COLUMNS": "80", "TILL_PIN": "", "TILL_DB": ""]
        for (key, value) in extra { environment[key] = value }
        return environment
    }
}

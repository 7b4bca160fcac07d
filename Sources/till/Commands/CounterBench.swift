import ArgumentParser
import Foundation
import TillApp
import TillCore
import TillLedger
import TillUI

/// `till bench counter`: lookup as you type, account view and posting on an existing
/// ledger, each beside the same SQL on a bare SQLite connection.
struct CounterBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "counter",
        abstract: "Time lookup, account view and posting on a ledger (it posts into it: use a demo ledger).")

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "Queries typed key by key.") var queries = 200
    @Option(help: "Payments posted for each posting figure.") var posts = 300
    @Option(help: "Seed for choosing accounts.") var seed: UInt64 = 7
    @Option(help: "Write the figures as JSON to this file.") var json: String?

    func run() throws {
        try reporting {
            let book = try ledger.open()
            let result = try Self.measure(book, queries: queries, posts: posts, seed: seed)
            let accounts = try book.accountCount()
            print("ledger \(book.path): \(accounts) accounts; \(queries) queries, \(posts) payments per posting figure (ms)")
            for (name, samples) in result.figures { print(name.padding(toLength: 22, withPad: " ", startingAt: 0) + samples.summary) }
            print("slowest lookups: " + result.slowest.map { "\"\($0.1)\" " + Samples.format($0.0) }.joined(separator: ", "))
            let figure = Dictionary(result.figures, uniquingKeysWith: { a, _ in a })
            print("ratio lookup_query / baseline (p99)  " + Samples.ratio(figure["lookup_query"]!, figure["baseline_lookup_query"]!))
            print("ratio post_single / baseline (p99)   " + Samples.ratio(figure["post_single"]!, figure["baseline_post_single"]!))
            if let json {
                var object = result.figures.map { "\"\($0.0)\": \($0.1.json)" }
                object.append("\"accounts\": \(accounts)")
                try ("{" + object.joined(separator: ", ") + "}\n").write(toFile: json, atomically: true, encoding: .utf8)
            }
        }
    }

    /// Lookup as you type (query and keystroke-to-grid), the account view, and posting (one
    /// account, and a three-account split tender), each lookup and single posting beside the same
    /// SQL on a bare connection. Posts into `book`. Also returns the eight slowest lookups.
    static func measure(_ book: Ledger, queries: Int, posts: Int, seed: UInt64) throws
        -> (figures: [(String, Samples)], slowest: [(Double, String)]) {
        let sample = try book.benchSample(count: max(queries, posts * 3), seed: seed)
        let typed = BenchAccounts.queries(sample.prefix(queries))
        var figures: [(String, Samples)] = []

        // 1. Lookup as you type: every prefix of every query.
        let floor = try book.benchFloor()
        var query = Samples(), baseline = Samples(), keystroke = Samples()
        var slowest: [(Double, String)] = []
        for text in typed {
            for end in text.indices {
                let prefix = String(text[...end])
                query.time { _ = try? book.searchAccounts(prefix) }
                slowest.append((query.values.last ?? 0, prefix))
                baseline.time { floor.lookup(prefix, limit: 50) }
            }
        }
        slowest.sort { $0.0 > $1.0 }
        let runtime = Runtime(ledger: book, terminal: "BENCH", size: Size(width: 80, height: 24),
                              themes: ThemeLibrary(directories: []), themeName: "default", colors: true)
        runtime.send(.signedIn(OperatorInfo(id: 1, login: "bench", name: "Bench", role: .cashier)))
        for text in typed {
            runtime.key(.escape)
            for character in text {
                keystroke.time {
                    runtime.key(.character(character))
                    _ = runtime.render()
                }
            }
        }
        figures += [("lookup_query", query), ("lookup_keystroke", keystroke), ("baseline_lookup_query", baseline)]

        // 2. The account view.
        var view = Samples()
        for account in sample.prefix(queries) { view.time { _ = try? book.accountDetail(account.number) } }
        figures.append(("account_view", view))

        // 2a. A scanned bill stub to the cart: the line read (shape, check digit, account,
        // newest bill, payments since) and the account's view, as the counter does at Enter.
        // Accounts of their own, not the account view's: their pages are not already read.
        var lines: [String] = []
        for account in try book.benchSample(count: queries, seed: seed &+ 17) {
            if let number = try? AccountNumber(account.number), let stub = try? book.stub(for: number) { lines.append(stub.line) }
        }
        var scan = Samples()
        for line in lines {
            scan.time {
                if let match = try? book.readStub(line) { _ = try? book.accountDetail(match.stub.account.rawValue) }
            }
        }
        figures.append(("scan_to_cart", scan))

        // 3. Posting, durably (synchronous = FULL), into the ledger's open day.
        guard let cashier = try book.operatorID("cashier") else {
            throw Failure(message: "No operator \"cashier\": benchmark a demo ledger")
        }
        let drawer = try book.currentDrawer(operatorID: cashier, terminal: "BENCH")
            ?? book.openDrawer(operatorID: cashier, terminal: "BENCH")
        book.checkpoint() // as the counter does between customers
        var single = Samples(), split = Samples(), floorPost = Samples()
        let day = try book.openBusinessDay() ?? BusinessDate(dayNumber: 0)
        for index in 0..<posts {
            let account = sample[index]
            let payment = Payment(lines: [.account(try AccountNumber(account.number), Money(cents: 1_000))],
                                  tenders: [.cash(Money(cents: 1_000))])
            try single.timeThrowing {
                _ = try book.post(payment, operatorID: cashier, terminal: "BENCH",
                                  idempotencyKey: "bench-\(seed)-\(index)-\(UUID().uuidString)", drawerSession: drawer.id)
            }
            try floorPost.timeThrowing {
                try floor.postMinimal(accountID: account.id, operatorID: cashier, terminal: "BENCH", day: day, cents: 1_000,
                                      drawer: drawer.id, postedAt: "\(day)T12:00:00.000Z")
            }
            // The floor's bare-SQL payment is sealed into the chain at once (untimed), so the
            // chain stays in id order and the bench ledger verifies as a real one does.
            try book.sealChain()
            let three = sample[posts + index * 2 ..< posts + index * 2 + 2].map(\.number) + [account.number]
            let splitPayment = Payment(lines: try three.map { .account(try AccountNumber($0), Money(cents: 2_000)) },
                                       tenders: [.cash(Money(cents: 3_000), tendered: Money(cents: 5_000)),
                                                 .moneyOrder(Money(cents: 2_000), number: "\(index + 1)"),
                                                 .card(Money(cents: 1_000), lastFour: "4242", authorization: "B\(index)")])
            try split.timeThrowing {
                _ = try book.post(splitPayment, operatorID: cashier, terminal: "BENCH",
                                  idempotencyKey: "bench-split-\(seed)-\(index)-\(UUID().uuidString)", drawerSession: drawer.id)
            }
        }
        figures += [("post_single", single), ("post_split", split), ("baseline_post_single", floorPost)]
        book.checkpoint()
        return (figures, Array(slowest.prefix(8)))
    }
}

/// Timings in milliseconds.
struct Samples {
    private(set) var values: [Double] = []

    /// `count` samples of `body(i)` after a short warm-up.
    static func measure(_ count: Int, _ body: (Int) -> Void) -> Samples {
        for i in 0..<min(200, count) { body(i) }
        var samples = Samples()
        samples.values.reserveCapacity(count)
        for i in 0..<count { samples.time { body(i) } }
        return samples
    }

    mutating func time(_ body: () -> Void) {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        values.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
    }

    mutating func timeThrowing(_ body: () throws -> Void) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        values.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
    }

    func percentile(_ p: Int) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, sorted.count * p / 100)]
    }
    var p50: Double { percentile(50) }
    var p99: Double { percentile(99) }
    var max: Double { values.max() ?? 0 }
    var summary: String { String(format: "p50 %.3f  p99 %.3f  max %.3f  n %d", p50, p99, max, values.count) }

    static func format(_ milliseconds: Double) -> String { String(format: "%.2f", milliseconds) }

    /// `figure`'s p99 over `floor`'s, as "1.23".
    static func ratio(_ figure: Samples, _ floor: Samples) -> String { String(format: "%.2f", figure.p99 / Swift.max(floor.p99, 0.000_001)) }
    var json: String { String(format: "{\"p50\": %.4f, \"p99\": %.4f, \"max\": %.4f, \"n\": %d}", p50, p99, max, values.count) }
}

enum BenchAccounts {
    /// What a cashier types: a surname and the start of the first name, a street
    /// address, an account number, a meter number, the last digits of a phone.
    static func queries(_ accounts: ArraySlice<BenchAccount>) -> [String] {
        accounts.enumerated().map { index, account in
            switch index % 5 {
            case 0:
                let parts = account.name.split(separator: ",")
                let first = parts.count > 1 ? " " + parts[1].trimmingCharacters(in: .whitespaces).prefix(3) : ""
                return String(parts[0]).lowercased() + first.lowercased()
            case 1: return account.address.lowercased()
            case 2: return account.number
            case 3: return account.meter.lowercased()
            default: return String(account.phone.filter(\.isNumber).suffix(7))
            }
        }
    }
}

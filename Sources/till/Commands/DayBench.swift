import ArgumentParser
import Foundation
import TillCore
import TillLedger

/// `till bench day`: a business day of many payments across many drawers, every drawer
/// counted and closed, then the settlement timed (the settle pane and `till report` read it).
struct DayBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "day",
        abstract: "Post a day of payments across drawers, close them, and time its settlement (posts into the ledger: use a demo ledger).")

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "Payments in the day.") var payments = 20_000
    @Option(help: "Drawers (one cashier each) the payments are spread over.") var drawers = 10
    @Option(help: "Settlements timed.") var runs = 30
    @Option(help: "Seed for choosing accounts.") var seed: UInt64 = 11
    @Option(help: "Write the figures as JSON to this file.") var json: String?
    @Flag(help: "Also print every settlement read's time in ms, in the order taken (to tell a slow VM spell from a slow read).") var samples = false
    @Option(help: "Post nothing: time the settlement of this business day already in the ledger (YYYY-MM-DD).") var read: String?

    func run() throws {
        try reporting {
            let book = try ledger.open()
            if let read {
                let day = try BusinessDate(read)
                let (settlement, figures, _) = try Self.readSettlement(book, day, runs: runs)
                let final = try book.settlement(day)
                print("ledger \(book.path): day \(day) read \(runs) times (\(final.receipts?.count ?? 0) receipts)")
                for (name, samples) in [("settlement", settlement), ("settlement_figures", figures)] {
                    print(name.padding(toLength: 23, withPad: " ", startingAt: 0) + samples.summary)
                    if self.samples { print("\(name) reads: " + samples.values.map { String(format: "%.1f", $0) }.joined(separator: " ")) }
                }
                return
            }
            let result = try Self.measure(book, payments: payments, drawers: drawers, runs: runs, seed: seed)
            let final = try book.settlement(result.day)
            print("ledger \(book.path): \(try book.accountCount()) accounts; day \(result.day): \(payments) payments over \(result.drawers) drawers posted in \(String(format: "%.1f", result.postSeconds)) s")
            for (name, samples) in result.figures {
                print(name.padding(toLength: 23, withPad: " ", startingAt: 0) + samples.summary
                      + (name == "settlement" ? "  (\(result.reportLines) report lines)" : ""))
            }
            if samples {
                for (name, figures) in result.figures where name.hasPrefix("settlement") {
                    print("\(name) reads: " + figures.values.map { String(format: "%.1f", $0) }.joined(separator: " "))
                }
            }
            print("deposit \(final.depositTotal.formatted), taken \(final.tenderTotal.formatted), over/short \(final.overShort.formatted)")
            if let json {
                let object = result.figures.map { "\"\($0.0)\": \($0.1.json)" }.joined(separator: ", ")
                    + ", \"payments\": \(payments), \"drawers\": \(result.drawers), \"accounts\": \(try book.accountCount())"
                try ("{" + object + "}\n").write(toFile: json, atomically: true, encoding: .utf8)
            }
        }
    }

    struct Result {
        var day: BusinessDate
        var drawers: Int
        var postSeconds: Double
        var reportLines: Int
        var figures: [(String, Samples)]
    }

    /// Opens a fresh day, posts `payments` spread over `drawers` drawers, closes each on an exact
    /// count, then reads the settlement `runs` times (the settle pane's figures and report).
    static func measure(_ book: Ledger, payments: Int, drawers: Int, runs: Int, seed: UInt64) throws -> Result {
        guard let supervisor = try book.operatorID("super") else { throw Failure(message: "No operator \"super\": benchmark a demo ledger") }
        let day = try freshDay(book, supervisor: supervisor)
        // Cashiers of the bench, one drawer each.
        var sessions: [(op: Int64, terminal: String, session: Int64)] = []
        for index in 1...max(1, drawers) {
            let login = try OperatorLogin("bench\(index)")
            let op = try book.operatorNamed(login)?.id
                ?? book.addOperator(login: login, displayName: "Bench Cashier \(index)", role: .cashier, pin: "4242", by: supervisor).id
            let terminal = "BENCH\(index)"
            sessions.append((op, terminal, try book.openDrawer(operatorID: op, terminal: terminal).id))
        }
        let sample = try book.benchSample(count: min(payments, 5_000), seed: seed)
        let started = DispatchTime.now().uptimeNanoseconds
        for index in 0..<payments {
            let (op, terminal, session) = sessions[index % sessions.count]
            let account = try AccountNumber(sample[index % sample.count].number)
            let amount = Money(cents: Int64(1_000 + (index * 37) % 20_000))
            let tender: Tender = switch index % 20 {
            case 0..<12: .cash(amount)
            case 12..<16: .check(amount, number: "\(10_000 + index)")
            case 16: .moneyOrder(amount, number: "\(50_000 + index)")
            case 17, 18: .card(amount, lastFour: "4242", authorization: "B\(index)")
            default: .ach(amount, lastFour: "6789")
            }
            do {
                _ = try book.post(Payment(lines: [.account(account, amount)], tenders: [tender]), operatorID: op, terminal: terminal,
                                  drawerSession: session)
            } catch {
                // A cash-only account refuses checks: it pays cash instead.
                _ = try book.post(Payment(lines: [.account(account, amount)], tenders: [.cash(amount)]), operatorID: op,
                                  terminal: terminal, drawerSession: session)
            }
        }
        let postSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        var closes = Samples()
        for (op, terminal, session) in sessions {
            let count = try Self.exactCount(book, session)
            try closes.timeThrowing { try book.closeDrawer(session: session, count: count, operatorID: op, terminal: terminal) }
        }
        book.checkpoint()
        let (settlement, figures, lines) = try readSettlement(book, day, runs: runs)
        return Result(day: day, drawers: sessions.count, postSeconds: postSeconds, reportLines: lines,
                      figures: [("drawer_close", closes), ("settlement", settlement), ("settlement_figures", figures)])
    }

    /// The settle pane's whole read (the figures and their report) and the figures alone,
    /// each timed `runs` times; and how many lines the report had.
    static func readSettlement(_ book: Ledger, _ day: BusinessDate, runs: Int) throws -> (Samples, Samples, lines: Int) {
        var settlement = Samples(), figures = Samples()
        var lines = 0
        for _ in 0..<max(1, runs) {
            try settlement.timeThrowing { lines = ReportText.settlement(try book.settlement(day)).count }
            try figures.timeThrowing { _ = try book.settlement(day) }
        }
        return (settlement, figures, lines)
    }

    /// A count of exactly what the drawer should hold: every check found, the card batch as taken.
    static func exactCount(_ book: Ledger, _ session: Int64) throws -> DrawerCount {
        let expected = try book.expectation(session: session)
        return DrawerCount(cash: CashCount.making(expected.expectedCash), checksFound: Set(expected.checks.map(\.tenderID)),
                           cardBatch: expected.card)
    }

    /// A day of its own: the open day if nothing happened in it yet; otherwise every open drawer
    /// is counted as expected and closed, the day closed, and the next date opened.
    private static func freshDay(_ book: Ledger, supervisor: Int64) throws -> BusinessDate {
        if let open = try book.openBusinessDay() {
            let s = try book.settlement(open)
            if s.drawers.isEmpty && s.receipts == nil { return open }
            for drawer in s.openDrawers {
                try book.closeDrawer(session: drawer.id, count: try Self.exactCount(book, drawer.id), operatorID: supervisor,
                                     terminal: drawer.terminal)
            }
            try book.closeBusinessDay(by: supervisor, terminal: "BENCH", bag: "BENCH")
            // The next date opens as it would tomorrow: on a clock of the bench's own, at its noon
            // (only today's date opens by the ledger's clock).
            let next = open.adding(days: 1)
            let noon = Date(timeIntervalSince1970: TimeInterval(next.dayNumber * 86_400 + 12 * 3_600 - TimeZone.current.secondsFromGMT()))
            try book.reopened(clock: { noon }).openBusinessDay(next, by: supervisor, terminal: "BENCH")
            return next
        }
        throw Failure(message: "No business day is open: open one first (till day open)")
    }
}

import ArgumentParser
import Foundation
import Synchronization
import TillCore
import TillLedger

/// `till bench import`: a payment file imported alone, then another while a counter keeps taking
/// payments: the import's rate each time, and how long each counter payment waited from asking
/// to committed.
struct ImportBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Time a payment file's import alone and while a counter posts every 20 ms (posts into the ledger: use a demo ledger).")

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "Lines in each payment file.") var lines = 50_000
    @Option(help: "Seed for choosing accounts.") var seed: UInt64 = 7

    func run() throws {
        try reporting {
            let book = try ledger.open()
            let alone = try Self.measure(book, lines: lines, seed: seed, counter: false)
            let busy = try Self.measure(book, lines: lines, seed: seed &+ 1, counter: true)
            print("ledger \(book.path): \(try book.accountCount()) accounts; payment files of \(lines) lines")
            print("import alone            \(alone.linesPerSecond) lines/s")
            print("import during counter   \(busy.linesPerSecond) lines/s")
            for (name, samples) in busy.figures { print(name.padding(toLength: 24, withPad: " ", startingAt: 0) + samples.summary) }
        }
    }

    struct Result {
        var figures: [(String, Samples)]
        var linesPerSecond: Int
        var lines: Int
    }

    static func measure(_ book: Ledger, lines: Int, seed: UInt64, counter: Bool = true) throws -> Result {
        guard let supervisor = try book.operatorID("super"), let clerk = try book.operatorID("csr") else {
            throw Failure(message: "No demo operators: benchmark a demo ledger")
        }
        let accounts = try book.benchSample(count: min(lines, 20_000), seed: seed &+ 3).filter { !$0.cashOnly }
        guard !accounts.isEmpty else { throw Failure(message: "No accounts to import payments for") }
        let run = UUID().uuidString.prefix(8)
        var text = "account,amount,tender,reference\n"
        for index in 0..<lines {
            let tender = ["ach", "card", "lockbox"][index % 3]
            text += "\(accounts[index % accounts.count].number),\(1 + index % 90).\(String(format: "%02d", index % 100)),\(tender),B\(run)-\(index)\n"
        }
        let file = Array(text.utf8)
        // The counter: its own connection to the ledger, as another terminal has, and its own
        // operator (one open drawer per operator; the counter bench's is the demo's cashier).
        let sample = try book.benchSample(count: 500, seed: seed &+ 4)
        let terminalCounter = counter ? try BenchCounter(book, operatorID: clerk, accounts: sample.map(\.number),
                                                         keyPrefix: "bench-imp-\(run)") : nil
        let clock = ContinuousClock()
        let started = clock.now
        let posted = try book.importPayments(csv: file, fileName: "bench-\(run).csv",
                                             actor: Actor(operatorID: supervisor, terminal: "BENCHIMP")).posted.count
        let took = clock.now - started
        let waits = try terminalCounter?.stop() ?? Samples()
        guard posted == lines else { throw Failure(message: "The bench import posted \(posted) of \(lines) lines") }
        book.checkpoint()
        // A rate of lines, from the monotonic clock's whole milliseconds.
        let milliseconds = max(1, took.components.seconds * 1_000 + took.components.attoseconds / 1_000_000_000_000_000)
        return Result(figures: [("post_during_import", waits)], linesPerSecond: Int(Int64(lines) * 1_000 / milliseconds), lines: lines)
    }
}

/// A counter on its own connection to the ledger, as another terminal has, taking a $5.00 cash
/// payment every 20 ms on a thread of its own until stopped: how long each waited from asking
/// to committed.
/// The benches' counters share one terminal, so one operator's one open drawer serves them all.
final class BenchCounter: Sendable {
    private final class State: Sendable { let mutex = Mutex((done: false, waits: Samples(), failure: String?.none)) }
    private let state = State()
    private let group = DispatchGroup()

    init(_ book: Ledger, operatorID: Int64, accounts: [String], keyPrefix: String) throws {
        let name = "BENCHCTR"
        let terminal = try book.reopened(clock: { Date() })
        let drawer = try terminal.currentDrawer(operatorID: operatorID, terminal: name) ?? terminal.openDrawer(operatorID: operatorID, terminal: name)
        let drawerID = drawer.id
        let state = self.state
        group.enter()
        let group = self.group
        Thread.detachNewThread {
            var index = 0
            var waits = Samples()
            var failure: String?
            while !state.mutex.withLock({ $0.done }) {
                index += 1
                do {
                    let payment = Payment(lines: [.account(try AccountNumber(accounts[index % accounts.count]), Money(cents: 500))],
                                          tenders: [.cash(Money(cents: 500))])
                    try waits.timeThrowing {
                        _ = try terminal.post(payment, operatorID: operatorID, terminal: name, idempotencyKey: "\(keyPrefix)-\(index)",
                                              drawerSession: drawerID)
                    }
                } catch { failure = "\(error)" }
                Thread.sleep(forTimeInterval: 0.02) // the next customer
            }
            state.mutex.withLock { $0.waits = waits; $0.failure = failure }
            group.leave()
        }
        Thread.sleep(forTimeInterval: 0.2)
    }

    /// Stops the counter: its waits, or the failure of a payment it could not post.
    func stop() throws -> Samples {
        state.mutex.withLock { $0.done = true }
        group.wait()
        let (waits, failure) = state.mutex.withLock { ($0.waits, $0.failure) }
        if let failure { throw Failure(message: "A counter payment failed: \(failure)") }
        return waits
    }
}

import ArgumentParser
import Foundation
import TillCore
import TillLedger

/// `till post-loop` (hidden): the trust tests' harness. Posts payments in a loop as one
/// terminal — random accounts, random tenders (cash, check, card, e-check) — each with the
/// idempotency key PREFIX-i, and appends `KEY RECEIPT` to the acknowledgement file after each
/// commit. Killed at any moment and run again with the same prefix, it carries on where the
/// ledger says it stopped: a key already posted is not posted twice.
struct PostLoopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post-loop", abstract: "Post payments in a loop (test harness).", shouldDisplay: false)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var signIn: OperatorOptions
    @Option(help: "How many payments.") var count = 1000
    @Option(help: "Idempotency keys are PREFIX-0, PREFIX-1, …") var keyPrefix: String
    @Option(help: "The first key's number (a restart retries from a little before where it was killed).") var start = 0
    @Option(help: "Append `KEY RECEIPT` here after each commit.") var ack: String?
    @Option(help: "Write the time each post took (p50, p99, p99.9, max in ms) as JSON here.") var json: String?
    @Option(help: "Write the time each post took, in microseconds, one a line, here.") var times: String?

    func run() throws {
        try reporting {
            let book = try ledger.open()
            let op = try signIn.signIn(book)
            let drawer = try book.currentDrawer(operatorID: op.id, terminal: Terminal.id)
                ?? book.openDrawer(operatorID: op.id, terminal: Terminal.id)
            let accounts = try book.accountsTakingAnyTender(limit: 500)
            guard !accounts.isEmpty else { throw Failure(message: "No accounts to pay") }
            var acknowledgements: FileHandle?
            if let ack {
                if !FileManager.default.fileExists(atPath: ack) { FileManager.default.createFile(atPath: ack, contents: nil) }
                acknowledgements = FileHandle(forWritingAtPath: ack)
                acknowledgements?.seekToEndOfFile()
            }
            // Each payment is made from its key alone, so a restart retrying a key asks for the
            // same payment (a key reused for another is refused).
            let prefixHash = keyPrefix.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
            var state: UInt64 = 0
            func next(_ bound: Int) -> Int {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Int((state >> 33) % UInt64(bound))
            }
            var took: [Double] = []
            for i in start..<(start + count) {
                state = prefixHash ^ (UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
                let account = try AccountNumber(accounts[next(accounts.count)])
                let amount = Money(cents: Int64(100 + next(20_000)))
                let tender: Tender = switch next(4) {
                case 0: .cash(amount, tendered: Money(cents: (amount.cents + 499) / 500 * 500))
                case 1: .check(amount, number: String(1000 + next(8999)))
                case 2: .card(amount, lastFour: "4242", authorization: "A\(100_000 + next(899_999))", brand: "VISA")
                default: .ach(amount, lastFour: "6789")
                }
                let key = "\(keyPrefix)-\(i)"
                let start = Date()
                let posted = try book.post(Payment(lines: [.account(account, amount)], tenders: [tender]), operatorID: op.id,
                                           terminal: Terminal.id, idempotencyKey: key, drawerSession: drawer.id)
                took.append(Date().timeIntervalSince(start) * 1000)
                acknowledgements?.write(Data("\(key) \(posted.receipt.map { "\($0.value)" } ?? "-")\n".utf8))
            }
            if let times {
                try took.map { "\(Int64(($0 * 1000).rounded()))\n" }.joined().write(toFile: times, atomically: true, encoding: .utf8)
            }
            if let json {
                let sorted = took.sorted()
                func at(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
                let text = "{\"n\": \(sorted.count), \"p50\": \(at(0.5)), \"p99\": \(at(0.99)), \"p999\": \(at(0.999)), \"max\": \(sorted.last ?? 0), \"longest_lock_wait_ms\": \(book.waits.longestWait * 1000)}\n"
                try text.write(toFile: json, atomically: true, encoding: .utf8)
            }
        }
    }
}

import ArgumentParser
import Foundation
import Synchronization
import TillCore
import TillLedger

/// `till bench autopay`: accounts enrolled in autopay, then the draft made while a counter takes
/// a payment every 20 ms: the draft's rate, how long each counter payment waited, and the same
/// file made again.
struct AutopayBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autopay",
        abstract: "Time enrolments and an autopay draft while a counter posts every 20 ms (posts into the ledger: use a demo ledger).")

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "Accounts to enrol (those already on autopay are kept).") var accounts = 20_000
    @Option(help: "Seed for choosing accounts.") var seed: UInt64 = 11
    @Option(help: "The draft's date (default: the open day + 30, the latest a draft may take).") var date: String?
    @Flag(help: "No counter beside the draft: the draft alone.") var alone = false

    func run() throws {
        try reporting {
            let book = try ledger.open()
            guard let lead = try book.operatorID("lead"), let csr = try book.operatorID("csr"), let supervisor = try book.operatorID("super") else {
                throw Failure(message: "No demo operators: benchmark a demo ledger")
            }
            for (key, value) in [(SettingKey.achDestinationRouting, "021000021"), (.achDestinationName, "BENCH BANK"), (.achOrigin, "1234567890"),
                                 (.achOriginName, "BENCH UTILITY"), (.achCompanyName, "BENCH UTILITY"), (.achCompanyID, "1234567890"),
                                 (.achODFI, "02100002")] where try book.setting(key).isEmpty {
                try book.setSetting(key, value, by: supervisor)
            }
            let enrolled = Set(try book.autopayEnrollments().map(\.account))
            let sample = try book.benchSample(count: accounts, seed: seed).filter { !enrolled.contains($0.number) }
            var enrolments = Samples()
            var seen = Set<String>()
            for (index, account) in sample.enumerated() where seen.insert(account.number).inserted {
                try enrolments.timeThrowing {
                    _ = try book.enrollAutopay(account: try AccountNumber(account.number), routing: try RoutingNumber("011000015"),
                                               bankAccount: try BankAccountNumber(String(20_000_000 + index)), kind: .checking,
                                               actor: Actor(operatorID: csr, terminal: "BENCHAP"))
                }
            }
            // The latest date a draft may take, so every enrolled account with a bill due within a month is debited.
            let effective = try date.map(BusinessDate.init) ?? book.today().adding(days: 30)
            let counter = alone ? nil : try BenchCounter(book, operatorID: csr, accounts: try book.benchSample(count: 500, seed: seed &+ 1).map(\.number),
                                           keyPrefix: "bench-ap-\(UUID().uuidString.prefix(8))")
            let clock = ContinuousClock()
            let started = clock.now
            let draft = try book.draftAutopay(effective: effective, actor: Actor(operatorID: lead, terminal: "BENCHAP"))
            let took = clock.now - started
            let waits = try counter?.stop() ?? Samples()
            let again = clock.now
            let remade = try book.draftAutopay(effective: effective, actor: Actor(operatorID: lead, terminal: "BENCHAP"))
            let remadeTook = clock.now - again
            guard remade.file.text == draft.file.text else { throw Failure(message: "The draft made again is not the same file") }
            book.checkpoint()
            let ms = { (d: Duration) in max(1, d.components.seconds * 1_000 + d.components.attoseconds / 1_000_000_000_000_000) }
            print("ledger \(book.path): \(try book.accountCount()) accounts, \(try book.autopayEnrollments().count) on autopay")
            print("enrol                   " + enrolments.summary)
            print("draft for \(effective)   \(draft.lines.count) debits \(draft.total.formatted) in \(ms(took)) ms"
                  + " (\(Int64(draft.lines.count) * 1_000 / ms(took)) debits/s)" + (draft.alreadyDrafted ? " (made before)" : ""))
            print("post_during_draft       " + waits.summary)
            print("same file again         \(ms(remadeTook)) ms, \(draft.file.records.count) records")
        }
    }
}

import ArgumentParser
import Foundation
import TillCore
import TillLedger

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a realistic demo ledger with today's business day open.")

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "How many customer accounts.")
    var accounts = 2_000

    @Option(help: "Seed: the same seed and date give the same ledger.")
    var seed: UInt64 = 1

    @Option(help: "The business day to open (YYYY-MM-DD; default: today).")
    var today: String?

    @Flag(help: "Do nothing when a ledger already exists (for setup scripts).")
    var ifMissing = false

    @Flag(help: "Make it a training ledger: TRAINING on every screen and paper (for till --training).")
    var training = false

    func run() throws {
        try reporting {
            if FileManager.default.fileExists(atPath: ledger.resolvedPath) {
                if ifMissing {
                    print("Using the existing ledger at \(ledger.resolvedPath).")
                    return
                }
                throw Failure(message: "A ledger already exists at \(ledger.resolvedPath); choose another --db for the demo")
            }
            let day = try today.map { try BusinessDate($0) } ?? LocalClock.today()
            let started = Date()
            var options = DemoOptions(accounts: accounts, seed: seed, today: day)
            options.training = training
            let (book, result) = try Ledger.createDemo(at: ledger.resolvedPath, options) { phase in
                FileHandle.standardError.write(Data("  … \(phase)\n".utf8))
            }
            let seconds = Date().timeIntervalSince(started)
            print((training ? "Training ledger at " : "Demo ledger at ") + book.path)
            print("  \(result.accounts) accounts, \(result.transactions) transactions, receipts 1…\(result.receipts), built in \(Int(seconds.rounded())) s")
            print("  business day \(result.openDay) is open")
            print("  account \(result.nsfAccount) is cash-only after a returned check")
            print("")
            print("  Demo operators (id / PIN / role):")
            for op in Ledger.demoOperators {
                print("    \(op.login.padding(toLength: 8, withPad: " ", startingAt: 0))  \(op.pin)  \(op.role.rawValue)")
            }
        }
    }
}

enum LocalClock {
    static func today() -> BusinessDate {
        let now = Date()
        let seconds = Int(now.timeIntervalSince1970) + TimeZone.current.secondsFromGMT(for: now)
        return BusinessDate(dayNumber: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }
}

import ArgumentParser
import Foundation
import TillLedger

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-prove the ledger's invariants; exit 0 when sound, 1 naming the first fault.")

    @OptionGroup var ledger: LedgerOptions

    @Flag(help: "Run SQLite's full integrity_check (every index entry against its row) instead of quick_check.")
    var thorough = false

    @Flag(help: "Show how long each check took.")
    var timings = false

    func run() throws {
        try reporting {
            let book = try ledger.open()
            let clock = ContinuousClock()
            let start = clock.now
            let report = try book.verify(thorough: thorough)
            let elapsed = clock.now - start
            for check in report.checks {
                let time = timings ? " (\(check.inWalk ? "the walk: " : "")\(Self.milliseconds(check.elapsed)))" : ""
                print("\(check.fault == nil ? "ok   " : "FAULT") \(check.name)\(time)\(check.fault.map { ": \($0)" } ?? "")")
            }
            if timings { print("verified in \(Self.milliseconds(elapsed))") }
            if let fault = report.firstFault {
                throw Failure(message: "ledger is NOT sound: \(fault)")
            }
            print("chain head \(try book.chainHead())")
            print("ledger is sound")
        }
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return "\(seconds * 1_000 + attoseconds / 1_000_000_000_000_000) ms"
    }
}

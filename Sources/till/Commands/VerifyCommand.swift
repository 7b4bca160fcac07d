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

    @Option(help: ArgumentHelp("A ledger head as written down (a Z report, the day close, a backup, an export): exit 1 unless it is in the ledger with everything after it intact.", valueName: "HEX"))
    var anchor: [String] = []

    @Option(help: ArgumentHelp("Check every head written in the files of DIR (the day closes' reports/, spooled Z reports).", valueName: "DIR"))
    var anchors: String?

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
            // Heads written down outside the file: each must still be in the chain.
            var written = anchor.map { (file: "--anchor", head: $0) }
            if let anchors { written += try Ledger.writtenHeads(in: anchors) }
            if anchors != nil, written.isEmpty { throw Failure(message: "no ledger head is written in the files of \(anchors!)") }
            var anchorFault: String?
            for (file, head) in written {
                if let fault = try book.anchorFault(head) {
                    print("FAULT anchor \(head.prefix(16)) (\(file)): \(fault)")
                    anchorFault = anchorFault ?? fault
                } else {
                    print("ok    anchor \(head.prefix(16)) (\(file)) is in the ledger")
                }
            }
            if let fault = report.firstFault {
                throw Failure(message: "ledger is NOT sound: \(fault)")
            }
            if let anchorFault { throw Failure(message: "ledger is NOT sound: \(anchorFault)") }
            print("ledger head \(try book.head().short)")
            print("ledger is sound")
        }
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return "\(seconds * 1_000 + attoseconds / 1_000_000_000_000_000) ms"
    }
}

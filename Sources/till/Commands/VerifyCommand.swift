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

    @Option(help: ArgumentHelp("With --anchors: check each day close's signed head with this Ed25519 public key (`till anchor keygen`).", valueName: "FILE"))
    var publicKey: String?

    func run() throws {
        try reporting {
            let book = try ledger.openForReading()
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
            var written = anchor.map { Ledger.WrittenHead(file: "--anchor", head: $0) }
            if let anchors { written += try Ledger.writtenHeads(in: anchors) }
            if anchors != nil, written.isEmpty { throw Failure(message: "no ledger head is written in the files of \(anchors!)") }
            if publicKey != nil, anchors == nil { throw Failure(message: "--public-key checks the heads of --anchors DIR: give both") }
            var anchorFault: String?
            for written in written {
                let name = "anchor \(written.head.prefix(16)) (\(written.file))"
                var fault = try book.anchorFault(written.head)
                if fault == nil, let publicKey, written.file.hasSuffix("-head.txt") {
                    // A day close's head file: signed, by the key whose public half is given.
                    if let signature = written.signature {
                        if try !AnchorSigner.isValid(signature: signature, head: written.head, publicKey: publicKey) {
                            fault = "its signature is not the key's: the head file was written by someone else"
                        }
                    } else {
                        fault = "it is not signed (setting anchor.signing_key was not set when the day closed, or the line was removed)"
                    }
                }
                if let fault {
                    print("FAULT \(name): \(fault)")
                    anchorFault = anchorFault ?? "\(name): \(fault)"
                } else {
                    print("ok    \(name) is in the ledger" + (written.signature != nil && publicKey != nil ? ", signed" : ""))
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

import ArgumentParser
import Foundation
import TillLedger

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-prove the ledger's invariants; exit 0 when sound, 1 naming the first fault.")

    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        try reporting {
            let book = try ledger.open()
            let report = try book.verify()
            for check in report.checks {
                print("\(check.fault == nil ? "ok   " : "FAULT") \(check.name)\(check.fault.map { ": \($0)" } ?? "")")
            }
            if let fault = report.firstFault {
                throw Failure(message: "ledger is NOT sound: \(fault)")
            }
            print("chain head \(try book.chainHead())")
            print("ledger is sound")
        }
    }
}

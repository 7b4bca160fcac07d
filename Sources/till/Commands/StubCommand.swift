import ArgumentParser
import Foundation
import TillCore
import TillLedger

/// `till stub ACCOUNT`: the scan line of the account's newest bill, as a stub carries it;
/// `till stub --read LINE`: what the counter makes of a scanned line.
struct StubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stub", abstract: "Print the scan line of an account's newest bill, or read a scanned one (--read).",
        discussion: """
            The layout is the setting stub.scan_line (default \(ScanLineFormat.standard.spec)): the account number, \
            the amount the bill asked in cents, the bill date, and a check digit. The line goes to standard output, what \
            it says to standard error.
            """)

    @OptionGroup var ledger: LedgerOptions
    @Argument(help: "The account number.") var account: String?
    @Option(help: "A scanned line to read instead.") var read: String?

    func run() throws {
        try reporting {
            let book = try ledger.openForReading()
            if let read {
                let match = try book.readStub(read.trimmingSpacesAndTabs())
                print("account \(match.stub.account) \(match.customerName): stub \(match.stub.amount.formatted) for the bill of "
                      + "\(match.stub.billDate); balance now \(match.balance.formatted)")
                if let warning = match.warning { print(warning) }
                return
            }
            guard let account else { throw Failure(message: "Give an account number, or --read LINE") }
            let number: AccountNumber
            do throws(DomainError) { number = try AccountNumber(account) } catch { throw Failure(message: error.message) }
            let stub = try book.stub(for: number)
            print(stub.line)
            FileHandle.standardError.write(Data("account \(number): \(stub.amount.formatted) due on the bill of \(stub.billDate)\n".utf8))
        }
    }
}

import ArgumentParser
import Foundation
import TillApp
import TillCore
import TillLedger

/// `till receipt NUMBER [--print]`: a receipt's text exactly as it prints, and a reprint of it.
struct ReceiptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt", abstract: "Show a receipt exactly as it prints; --print sends it to the printer.",
        discussion: """
            The text is what the next print of the receipt prints: marked REPRINT once it has printed. --print needs \\
            an operator (--operator, PIN from $TILL_PIN or standard input) and is logged like a reprint at the counter.
            """)

    @OptionGroup var ledger: LedgerOptions
    @Argument(help: "The receipt: its number (1042, #1042) or its office's (NORTH-17).") var number: String
    @Flag(help: "Send it to the office printer (REPRINT if it printed before).") var print = false
    @Option(name: .customLong("operator"), help: "Operator id for --print.") var login: String?

    func run() throws {
        try reporting {
            // Showing a receipt only reads; printing it logs the print.
            let book = try print ? ledger.open() : ledger.openForReading()
            let receipt = try book.findReceipt(number)
            var operatorID: Int64?
            if print {
                guard let login else { throw Failure(message: "--print needs --operator: a reprint is logged with who made it") }
                operatorID = try OperatorOptions(login: login).signIn(book).id
            }
            guard let found = try OfficePrinter.receiptLines(receipt, book) else { throw Failure(message: "No receipt \(number)") }
            Swift.print(found.lines.map(\.text).joined(separator: "\n"))
            guard print else { return }
            let printed = OfficePrinter.printReceipt(receipt, operatorID: operatorID, terminal: Terminal.id, book)
            if let failure = printed.failure { throw Failure(message: "Receipt \(found.receipt.name) did not print: \(failure)") }
            FileHandle.standardError.write(Data("Receipt \(found.receipt.name) \(printed.reprint ? "reprinted" : "printed").\n".utf8))
        }
    }
}

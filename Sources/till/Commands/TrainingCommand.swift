import ArgumentParser
import Foundation
import TillCore
import TillLedger

/// `till training copy`: a training ledger from the live one, every customer's details scrubbed.
struct TrainingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training", abstract: "Make a training ledger for new CSRs (till --training opens it).",
        subcommands: [Copy.self])

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the live ledger to a new training ledger, names, addresses, phones, emails and references scrubbed.",
            discussion: "The live ledger (--db or $TILL_DB) is only read. The copy's chain and seals are made anew over the scrubbed rows; operators keep their ids and PINs. Open it with `till --training --db FILE`.")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The new training ledger's file.") var to: String

        func run() throws {
            try reporting {
                let book = try Ledger.copyForTraining(from: ledger.resolvedPath, to: to)
                print("Training ledger at \(book.path): every customer's name, address, phone and email, and every reference, note and memo scrubbed.")
                print("Open it with: till --training --db \(book.path)")
            }
        }
    }
}

import ArgumentParser
import Foundation
import TillCore
import TillLedger

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import accounts or open charges from the billing system (CSV).",
        subcommands: [Accounts.self, Charges.self])

    struct Accounts: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import customer accounts; see docs/CSV.md.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signIn: OperatorOptions
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            try reporting {
                let book = try ledger.open()
                let op = try ImportCommand.supervisor(signIn, book)
                let summary = try book.importAccounts(csv: try ImportCommand.bytes(file), fileName: file, by: op.id)
                print("Imported \(summary.rows) accounts from \(file).")
            }
        }
    }

    struct Charges: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import open charges (bills, fees); see docs/CSV.md.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signIn: OperatorOptions
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            try reporting {
                let book = try ledger.open()
                let op = try ImportCommand.supervisor(signIn, book)
                let summary = try book.importCharges(csv: try ImportCommand.bytes(file), fileName: file, by: op.id)
                print("Imported \(summary.rows) charges from \(file).")
            }
        }
    }

    static func supervisor(_ signIn: OperatorOptions, _ book: Ledger) throws -> Operator {
        let op = try signIn.signIn(book)
        guard op.role == .supervisor else {
            throw Failure(message: "Only a supervisor imports from the billing system; \(op.login) is a \(op.role.rawValue)")
        }
        return op
    }

    static func bytes(_ file: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw Failure(message: "Cannot read \(file)")
        }
        return Array(data)
    }
}

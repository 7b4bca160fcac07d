import ArgumentParser
import Foundation
import TillCore
import TillLedger

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import accounts or open charges from the billing system (CSV).",
        subcommands: [Accounts.self, Charges.self, Payments.self])

    struct Payments: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Post a lockbox, bank or web-portal payment file (account,amount,tender,reference,date) as one batch.",
            discussion: "All or nothing; a reference already posted is skipped, so importing a file twice posts it once. A lead or supervisor imports.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                let result = try book.importPayments(csv: try ImportCommand.bytes(file), fileName: file, actor: who)
                print(result.report.joined(separator: "\n"))
            }
        }
    }

    struct Accounts: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import customer accounts; see docs/CSV.md.")
        @OptionGroup var file: ImportFileOptions

        func run() throws {
            try reporting { try file.run(noun: "accounts") { try $0.importAccounts(csv: $1, fileName: $2, by: $3) } }
        }
    }

    struct Charges: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import open charges (bills, fees); see docs/CSV.md.")
        @OptionGroup var file: ImportFileOptions

        func run() throws {
            try reporting { try file.run(noun: "charges") { try $0.importCharges(csv: $1, fileName: $2, by: $3) } }
        }
    }

    struct ImportFileOptions: ParsableArguments {
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signIn: OperatorOptions
        @Argument(help: "The CSV file.") var file: String

        /// Signs in a supervisor, reads the file and hands both to `importer`.
        func run(noun: String, _ importer: (Ledger, [UInt8], String, Int64) throws -> ImportSummary) throws {
            let book = try ledger.open()
            let op = try ImportCommand.supervisor(signIn, book)
            let summary = try importer(book, try ImportCommand.bytes(file), file, op.id)
            print("Imported \(summary.rows) \(noun) from \(file).")
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

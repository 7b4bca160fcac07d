import ArgumentParser
import Foundation
import TillCore
import TillLedger

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import accounts or open charges from the billing system (CSV).",
        subcommands: [Accounts.self, Charges.self, Payments.self, Returns.self])

    struct Returns: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Post a bank's returns as one lot: a NACHA return file, or a CSV of returned lockbox checks.",
            discussion: """
                Each returned item reverses its payment like a returned check, with the fee for its reason code                 (returns.fees), cash only after returns.cash_only_after funds returns in a year, autopay stopped for a closed                 or unknown bank account, and a letter. All or nothing; an item returned before is skipped, so the same                 file run again posts nothing. A lead or supervisor imports. See docs/CSV.md.
                """)
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The returns file (NACHA or CSV).") var file: String

        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                let lot = try book.importReturns(try ImportCommand.bytes(file), fileName: file, actor: who)
                print((lot.report + lot.letters.map { "Letter: \(book.nameBesideLedger($0))" }).joined(separator: "\n"))
                book.checkpoint()
            }
        }
    }

    struct Payments: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Post a lockbox, bank or web-portal payment file (account,amount,tender,reference,date) as one batch.",
            discussion: """
                The whole file is checked first: any bad line refuses it and nothing posts. Then it posts in short \
                transactions, so the counters keep working. A reference posted before with the same account, amount and \
                tender is skipped; with anything different it refuses the file. Running the same file again after a crash \
                finishes it. A lead or supervisor imports.
                """)
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The CSV file.") var file: String
        @Flag(help: "A line per payment, with its receipt number.") var verbose = false

        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                let meter = ImportProgressMeter(onTerminal: isatty(STDERR_FILENO) == 1)
                let result = try book.importPayments(csv: try ImportCommand.bytes(file), fileName: file, actor: who,
                                                     progress: meter.update)
                meter.finish()
                print((verbose ? result.report : result.summary).joined(separator: "\n"))
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

/// Progress of a long import on a terminal: lines, rate and time left, once it has run a second.
final class ImportProgressMeter {
    private let onTerminal: Bool
    private let start = ContinuousClock.now
    private var shown = false

    init(onTerminal: Bool) { self.onTerminal = onTerminal }

    func update(_ posted: Int, _ total: Int) {
        let elapsed = ContinuousClock.now - start
        guard onTerminal, elapsed > .seconds(1), posted < total else { return }
        let milliseconds = Int64(elapsed.components.seconds) * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        let rate = Int64(posted) * 1_000 / max(1, milliseconds)
        let left = rate > 0 ? Int64(total - posted) / rate : 0
        FileHandle.standardError.write(Data("\r\(posted) of \(total) lines, \(rate) lines/s, about \(left) s left   ".utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

import ArgumentParser
import Foundation
import TillCore
import TillLedger

/// `till copy --from FILE --to postgresql://…`: a SQLite ledger into an empty PostgreSQL one;
/// `till copy --from postgresql://… --to FILE`: back into a new file.
struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a SQLite ledger into an empty PostgreSQL ledger (made by till init --db postgresql://…), or back into a new file.",
        discussion: """
            Every row goes as it is, ids and seals included, in one transaction: a copy that fails leaves the \
            PostgreSQL ledger empty. The balances, open items and tender totals PostgreSQL keeps are made again \
            by its triggers and checked against the file's, row for row. Run it as the ledger's owner role. \
            Both sides then show the same head. From PostgreSQL to a new file, the rows are read as of one moment \
            while terminals go on posting.
            """)

    @Option(help: ArgumentHelp("The ledger to copy: a SQLite file, or a postgresql:// URI.", valueName: "file-or-uri"))
    var from: String

    @Option(help: ArgumentHelp("Where to: an empty PostgreSQL ledger (postgresql://…), or a new SQLite file.", valueName: "uri-or-file"))
    var to: String

    @Flag(help: "Open a ledger file that anyone may write to (refused otherwise: chmod 600 it instead).")
    var allowWorldWritable = false

    func run() throws {
        try reporting {
            let started = ContinuousClock.now
            let progress: (String) -> Void = { line in FileHandle.standardError.write(Data("  \(line)\n".utf8)) }
            let summary: LedgerCopySummary
            switch (LedgerAddress(from), LedgerAddress(to)) {
            case (.sqlite, .postgres(let uri)):
                let source = try Ledger(path: from, readOnly: true, allowWorldWritable: allowWorldWritable)
                summary = try source.copy(toPostgres: uri, progress: progress)
            case (.postgres(let uri), .sqlite(let path)):
                summary = try Ledger(postgres: uri).copy(toFile: path, progress: progress)
            default:
                throw Failure(message: "till copy moves a ledger between a SQLite file and PostgreSQL: one of --from and --to is a "
                              + "postgresql:// URI and the other a file (a file is copied to a file with till backup)")
            }
            let seconds = (ContinuousClock.now - started).components.seconds
            print("Copied \(summary.total) rows from \(LedgerAddress(from).described) to \(LedgerAddress(to).described) in \(seconds) s.")
            print("Head on both: \(summary.head.full)")
            if case .sqlite = LedgerAddress(from) {
                print("The PIN pepper and the bank-account key stay files: put \(from).pepper and \(from).bankkey where terminals "
                      + "on PostgreSQL read them, till.pepper and till.bankkey in TILL_FILES_DIR (or name them with TILL_PEPPER_FILE "
                      + "and TILL_BANK_KEY_FILE), 0600.")
            } else {
                print("The file checks PINs with its own pepper file, \(to).pepper: copy the one TILL_PEPPER_FILE names there "
                      + "(and the bank-account key to \(to).bankkey).")
            }
        }
    }
}

import ArgumentParser
import Foundation
import TillCore
import TillLedger

/// `till copy --from FILE --to postgresql://…`: a SQLite ledger into an empty PostgreSQL one.
struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a SQLite ledger into an empty PostgreSQL ledger (made by till init --db postgresql://…).",
        discussion: """
            Every row goes as it is, ids and seals included, in one transaction: a copy that fails leaves the \
            PostgreSQL ledger empty. The balances, open items and tender totals PostgreSQL keeps are made again \
            by its triggers and checked against the file's, row for row. Run it as the ledger's owner role. \
            Both sides then show the same head.
            """)

    @Option(help: ArgumentHelp("The SQLite ledger file to copy.", valueName: "file"))
    var from: String

    @Option(help: ArgumentHelp("The PostgreSQL ledger (a postgresql:// URI).", valueName: "uri"))
    var to: String

    @Flag(help: "Open a ledger file that anyone may write to (refused otherwise: chmod 600 it instead).")
    var allowWorldWritable = false

    func run() throws {
        try reporting {
            guard case .postgres(let uri) = LedgerAddress(to) else {
                throw Failure(message: "--to takes a PostgreSQL ledger (postgresql://…); a SQLite file is copied with till backup")
            }
            guard case .sqlite = LedgerAddress(from) else {
                throw Failure(message: "--from takes a SQLite ledger file (a copy from PostgreSQL back to a file is not built yet)")
            }
            let source = try Ledger(path: from, readOnly: true, allowWorldWritable: allowWorldWritable)
            let started = ContinuousClock.now
            let summary = try source.copy(toPostgres: uri) { line in
                FileHandle.standardError.write(Data("  \(line)\n".utf8))
            }
            let seconds = (ContinuousClock.now - started).components.seconds
            print("Copied \(summary.total) rows from \(from) to \(LedgerAddress(uri).described) in \(seconds) s.")
            print("Head on both: \(summary.head.full)")
            print("The PIN pepper and the bank-account key stay files: terminals on PostgreSQL name them with TILL_PEPPER_FILE "
                  + "(\(from).pepper) and TILL_BANK_KEY_FILE (\(from).bankkey).")
        }
    }
}

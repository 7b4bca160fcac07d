import ArgumentParser
import Foundation
import TillLedger

/// `till backup DEST`: a consistent copy of the ledger while terminals go on posting.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the ledger to DEST consistently, while terminals keep posting.",
        discussion: "The copy (mode 0600) is the ledger as of one moment; check it with `till verify --db DEST`. An existing file is never overwritten. The day close also leaves one in backups/ beside the ledger (setting backup.keep). Restoring: docs/RELIABILITY.md.")
    @OptionGroup var ledger: LedgerOptions
    @Argument(help: "The backup file to write.") var destination: String

    func run() throws {
        try reporting {
            let book = try ledger.openForReading()
            let copy = try book.backup(to: destination)
            print(copy.path)
            print("Ledger head \(copy.head.short) (what the copy holds)")
        }
    }
}

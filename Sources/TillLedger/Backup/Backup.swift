import Foundation
import GRDB
import TillCore

/// A backup written: where, and the ledger's head in it (what it covers).
public struct BackupCopy: Sendable, CustomStringConvertible {
    public let path: String
    public let head: LedgerHead
    public var description: String { path }
}

extension Ledger {
    /// `backups/` beside the ledger: where the day close leaves its copy.
    public var backupsDirectory: String {
        (filesDirectory as NSString).appendingPathComponent("backups")
    }

    /// A consistent copy of the ledger at `destination`, taken with SQLite's online backup while
    /// terminals go on posting (the copy is the ledger as of one moment). Written beside the
    /// destination first and renamed into place, so a copy is whole or absent; mode 0600.
    /// An existing file is not overwritten.
    @discardableResult
    public func backup(to destination: String) throws -> BackupCopy {
        let fileManager = FileManager.default
        try Self.refuseConnectionURI(destination)
        guard !fileManager.fileExists(atPath: destination) else {
            throw LedgerError(.invalid, "\(destination) already exists: a backup never overwrites a file")
        }
        let directory = (destination as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let partial = destination + ".partial"
        var head = LedgerHead(hash: Data())
        for suffix in ["", "-journal", "-wal", "-shm"] { try? fileManager.removeItem(atPath: partial + suffix) }
        guard fileManager.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw LedgerError(.database, "Cannot write a backup at \(destination)")
        }
        do {
            if isPostgres {
                // A PostgreSQL ledger's backup is a SQLite file of it as of one snapshot: the same
                // rows, seals and head (the server's own backups are pg_dump's and pg_basebackup's).
                head = try PGCopyBack.copy(from: self, to: partial, progress: { _ in }).head
            } else {
                let copy = try DatabaseQueue(path: partial)
                try writer.backup(to: copy)
                // The copy is a plain rollback-journal file: one file to carry away.
                try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
                // The head of exactly what the copy holds.
                head = LedgerHead(hash: try copy.read { db in try RecordSeals.head(Store(db)) })
                try copy.close()
            }
            try fileManager.moveItem(atPath: partial, toPath: destination)
        } catch let error as DatabaseError {
            for suffix in ["", "-journal", "-wal", "-shm"] { try? fileManager.removeItem(atPath: partial + suffix) }
            throw LedgerError(database: error, path: destination)
        } catch {
            for suffix in ["", "-journal", "-wal", "-shm"] { try? fileManager.removeItem(atPath: partial + suffix) }
            throw error
        }
        SystemLog.anchor("backup \(destination)", head: head, ledger: path)
        return BackupCopy(path: destination, head: head)
    }

    /// The newest closed business day, if any.
    public func lastClosedDay() throws -> BusinessDate? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT MAX(date) FROM business_days WHERE closed_at IS NOT NULL AND cancelled_at IS NULL").flatMap { try? BusinessDate($0) }
        }
    }

    /// Whether the close of `date` left its backup (`backups/till-DATE.sqlite`, or a later copy
    /// of that day, `till-DATE-2.sqlite` …).
    public func hasCloseBackup(_ date: BusinessDate) -> Bool {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: backupsDirectory)) ?? []
        return files.contains { $0 == "till-\(date).sqlite" || ($0.hasPrefix("till-\(date)-") && $0.hasSuffix(".sqlite")) }
    }

    /// The day close's backup, `backups/till-DATE.sqlite`, keeping the newest `backup.keep`
    /// of them. Returns the file written.
    @discardableResult
    public func backupAfterClose(_ date: BusinessDate) throws -> BackupCopy {
        let name = "till-\(date).sqlite"
        var target = (backupsDirectory as NSString).appendingPathComponent(name)
        var attempt = 1
        while FileManager.default.fileExists(atPath: target) {
            attempt += 1
            target = (backupsDirectory as NSString).appendingPathComponent("till-\(date)-\(attempt).sqlite")
        }
        let copy = try backup(to: target)
        let keep = try typedSettings().backupKeep
        let backups = ((try? FileManager.default.contentsOfDirectory(atPath: backupsDirectory)) ?? [])
            .filter { $0.hasPrefix("till-") && $0.hasSuffix(".sqlite") }.sorted()
        for old in backups.dropLast(keep) {
            try? FileManager.default.removeItem(atPath: (backupsDirectory as NSString).appendingPathComponent(old))
        }
        return copy
    }
}

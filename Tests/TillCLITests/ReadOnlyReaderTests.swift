import Foundation
import GRDB
import Testing
import TillLedger

/// Commands that only read never need the write lock, and read a ledger that cannot be
/// written: a read-only filesystem, an immutable file.
@Suite("Readers never need the write lock", .serialized)
struct ReadOnlyReaderTests {
    static let readers: [[String]] = [
        ["verify"], ["summary"], ["report", "tenders", "--date", "2026-11-20"], ["report", "settlement", "--date", "2026-11-20"],
        ["export", "journal"], ["export", "postings", "--date", "2026-11-20"], ["day", "status"], ["drawer", "list", "--date", "2026-11-20"],
        ["settings"], ["receipt", "1"], ["delinquency"],
    ]

    /// SQLite's file locks are what these tests are about: a file ledger only.
    static func demo() throws -> (db: String, directory: URL) {
        let books = try CLIBooks.demo(.sqlite, name: "read")
        return (books.db, books.directory)
    }

    /// Another terminal holds the write lock for the whole run: every reader answers, fast.
    @Test func everyReaderRunsWhileAWriterHoldsTheLock() throws {
        let (db, directory) = try Self.demo()
        var holding = Configuration()
        holding.allowsUnsafeTransactions = true
        let writer = try DatabaseQueue(path: db, configuration: holding)
        try writer.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE; INSERT INTO terminals VALUES ('HOLD', '', 'x')") }
        defer { try? writer.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") } }
        for reader in Self.readers {
            let start = Date()
            let result = try TillProcess.till(reader + ["--db", db])
            #expect(result.status == 0 || (reader == ["day", "status"] && result.status == 1), "till \(reader): \(result.stderr)")
            #expect(Date().timeIntervalSince(start) < 5, "till \(reader) waited for the lock")
        }
        let backup = try TillProcess.till(["backup", directory.appendingPathComponent("copy.sqlite").path, "--db", db])
        #expect(backup.status == 0 && backup.stdout.contains("Ledger head "), "\(backup.stderr)")
    }

    /// The ledger on a read-only filesystem (a read-only bind mount; root only): every reader
    /// reads it, nothing is written, and a writer is refused with a message.
    @Test(.enabled(if: getuid() == 0, "needs root to mount"))
    func aReadOnlyFilesystemIsRead() throws {
        let (db, directory) = try Self.demo()
        let mountPoint = try TillProcess.temporaryDirectory()
        #expect(Self.shell("mount --bind \(directory.path) \(mountPoint.path) && mount -o remount,ro,bind \(mountPoint.path)") == 0)
        defer { _ = Self.shell("umount \(mountPoint.path)") }
        let readOnly = mountPoint.appendingPathComponent("read.sqlite").path
        let before = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        for reader in Self.readers {
            let result = try TillProcess.till(reader + ["--db", readOnly])
            #expect(result.status == 0 || (reader == ["day", "status"] && result.status == 1), "till \(reader): \(result.stderr)")
        }
        let verify = try TillProcess.till(["verify", "--db", readOnly])
        #expect(verify.stdout.hasSuffix("ledger is sound\n"), "\(verify.stdout)\(verify.stderr)")
        let pay = try TillProcess.till(["pay", "100001", "1.00", "--tender", "cash", "--operator", "cashier", "--db", readOnly], environment: ["TILL_PIN": "1111"])
        #expect(pay.status == 1 && pay.stderr.contains("cannot be written here (a read-only filesystem"), "\(pay.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == before)
        _ = db
    }

    /// An immutable ledger file (`chattr +i`, which holds even for root): read, never written.
    @Test(.enabled(if: getuid() == 0, "needs root for chattr"))
    func anImmutableFileIsRead() throws {
        let (db, _) = try Self.demo()
        guard Self.shell("chattr +i \(db)") == 0 else { return } // a filesystem without the flag
        defer { _ = Self.shell("chattr -i \(db)") }
        let verify = try TillProcess.till(["verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stderr)")
        let summary = try TillProcess.till(["summary", "--db", db])
        #expect(summary.status == 0, "\(summary.stderr)")
    }

    /// A `-shm` left behind that cannot be written: the message names the fix, and nothing changes.
    @Test func aSharedMemoryFileOfTheWrongModeIsNamedWithItsFix() throws {
        let (db, _) = try Self.demo()
        #expect(FileManager.default.createFile(atPath: db + "-shm", contents: Data(count: 32_768), attributes: [.posixPermissions: 0o400]))
        for arguments in [["verify"], ["day", "status"], ["pay", "100001", "1.00", "--tender", "cash", "--operator", "cashier"]] {
            let result = try TillProcess.till(arguments + ["--db", db], environment: ["TILL_PIN": "1111"])
            #expect(result.status == 1 && result.stderr.contains("read.sqlite-shm cannot be written (mode 400)")
                    && result.stderr.contains("`chmod 600 \(db)-shm`"), "\(result.stderr)")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: db + "-shm")
        #expect(try TillProcess.till(["verify", "--db", db]).status == 0)
    }

    static func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

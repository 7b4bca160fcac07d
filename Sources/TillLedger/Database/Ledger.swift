import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import TillCore

/// One Till ledger: a SQLite file in WAL mode. All access goes through `writer`
/// (a `DatabasePool` in production and in tests, on a real file).
public final class Ledger: Sendable {
    public let writer: DatabasePool
    public let path: String
    let clock: @Sendable () -> Date

    /// Opens (creating when `create` is true) the ledger at `path` and brings its schema up to date.
    public init(path: String, create: Bool = false, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: path) {
            guard create else {
                throw LedgerError(.noLedger, "No ledger at \(path): run `till init` or `till demo` first")
            }
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
            }
            // Only the owner may read the books; SQLite gives -wal and -shm the same mode.
            guard fileManager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw LedgerError(.noLedger, "Cannot create a ledger at \(path)")
            }
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.label = "till"
        configuration.prepareDatabase { db in
            // Checkpoints never run inside a posting (they fsync the whole database file
            // and made a posting's p99 six times its median): `checkpoint()` runs them
            // between customers, and SQLite checkpoints when the last connection closes.
            // After a complete checkpoint the log restarts and is cut back to 32 MB.
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 33554432")
        }
        do {
            writer = try DatabasePool(path: path, configuration: configuration)
            try Schema.migrator.migrate(writer)
        } catch let error as DatabaseError {
            throw LedgerError(database: error, path: path)
        }
        self.path = path
        self.clock = clock
    }

    /// `XDG_DATA_HOME/till/till.sqlite`, or `~/.local/share/till/till.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["TILL_DB"], !explicit.isEmpty { return explicit }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return dataHome + "/till/till.sqlite"
    }

    func now() -> Date { clock() }

    /// Copies committed pages from the write-ahead log into the database file without
    /// waiting for readers or writers (a passive checkpoint). The counter runs it when idle.
    public func checkpoint() {
        try? writer.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
    }

    /// The write-ahead log's size cap: a posting that finds it larger checkpoints after
    /// its commit, so scripts that never idle (`till pay` in a loop) keep it bounded.
    /// Above `journal_size_limit`, so a log cut back after a checkpoint is under it.
    static let walCheckpointBytes: UInt64 = 64 << 20

    func checkpointIfLarge() {
        var info = stat()
        guard stat(path + "-wal", &info) == 0, UInt64(info.st_size) > Self.walCheckpointBytes else { return }
        checkpoint()
    }

    func timestamp() -> String { Timestamp.string(clock()) }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction, mapping SQLite errors to messages a person can act on.
    func writeImmediate<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let error as DatabaseError {
            throw LedgerError(database: error, path: path)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as DatabaseError {
            throw LedgerError(database: error, path: path)
        }
    }
}

enum Timestamp {
    /// UTC, millisecond precision, sortable: `2026-11-22T17:28:30.123Z`.
    static func string(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = millis / 1000
        let day = BusinessDate(dayNumber: Int(seconds.floorDiv(86_400)))
        let secondOfDay = Int(seconds - Int64(day.dayNumber) * 86_400)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let ms = Int(millis - seconds * 1000)
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(day)T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)).\(msText)Z"
    }

    /// The local calendar date of `date`, for "today".
    static func localDate(_ date: Date, timeZone: TimeZone = .current) -> BusinessDate {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        return BusinessDate(dayNumber: seconds.floorDiv(86_400))
    }
}

extension BinaryInteger {
    func floorDiv(_ divisor: Self) -> Self {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}

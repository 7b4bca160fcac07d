import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import GRDBSQLite
import Synchronization
import TillCore

/// One Till ledger: a SQLite file in WAL mode, or a database on a PostgreSQL server. Every
/// rule reaches it through `read` and `writeImmediate`, as a `Store`.
public final class Ledger: Sendable {
    enum Backend: Sendable {
        case sqlite(DatabasePool)
        case postgres(PGPool)
    }

    let backend: Backend

    /// The SQLite file's pool (SQLite's own paths: backups, checkpoints, tests that look inside).
    public var writer: DatabasePool {
        guard case .sqlite(let pool) = backend else { preconditionFailure("a SQLite ledger's pool was asked of a PostgreSQL ledger") }
        return pool
    }

    /// Whether the books are on a PostgreSQL server.
    public var isPostgres: Bool {
        if case .postgres = backend { true } else { false }
    }
    public let path: String
    /// Where this ledger's files go (reports, the receipt spool, letters, templates, backups):
    /// the SQLite file's directory, or for PostgreSQL `$TILL_FILES_DIR` (by default
    /// `XDG_DATA_HOME/till`), a directory on the terminal's own machine.
    public let filesDirectory: String
    let clock: @Sendable () -> Date
    /// Waits for another terminal's write: how long the last one took, and who to tell when one
    /// runs past a second (the screen shows "waiting for the ledger…").
    public let waits: LedgerWaits
    /// The line terminals stand in for the write lock, first come first served.
    let queue: WriteQueue
    /// The log's size when this process last checkpointed it for its size.
    private let walCheckpointed = Mutex<UInt64>(0)

    /// The PIN pepper (`PINPepper`), nil where its file is missing.
    let pepper: Data?
    /// Where the PIN pepper's file is (or would be).
    public let pepperPath: String

    /// Opens (creating when `create` is true) the ledger at `path` and brings its schema up to date.
    /// `readOnly` opens it for a command that only reads: no migration, no write lock, no
    /// temporary triggers; a read-only file or filesystem is read as it stands.
    public init(path: String, create: Bool = false, readOnly: Bool = false, allowWorldWritable: Bool = false,
                clock: @escaping @Sendable () -> Date = { Date() }) throws {
        let fileManager = FileManager.default
        try Self.refuseConnectionURI(path)
        let existed = fileManager.fileExists(atPath: path)
        if existed, !create, ((try? fileManager.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 1) == 0 {
            // An empty file is not a ledger: opening it would make a new, empty one in its place
            // (receipts starting again at 1) where the books were expected.
            throw LedgerError(.noLedger, "\(path) is an empty file, not a Till ledger: nothing was changed. "
                              + "`till init` or `till demo` makes a ledger; a lost one comes back from a backup (RELIABILITY.md)")
        }
        if !existed {
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
        // Books anyone on the machine may rewrite are not books: refuse them unless told otherwise.
        var info = stat()
        if !allowWorldWritable, stat(path, &info) == 0 {
            if info.st_mode & S_IWOTH != 0 {
                throw LedgerError(.database, "\(path) may be written by anyone on this machine: `chmod 600 \(path)` (or open it with --allow-world-writable)")
            }
            // The books hold customers' names, addresses and payments and the PIN hashes: readable
            // by the group or others, they are refused the same way.
            if info.st_mode & (S_IRGRP | S_IWGRP | S_IROTH) != 0 {
                throw LedgerError(.database, "\(path) may be read by others on this machine: `chmod 600 \(path)` (or open it with --allow-world-writable)")
            }
        }
        try Self.refuseUnusableSidecars(path)
        let pool: DatabasePool
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.readonly = readOnly
        // Another terminal writing: wait (backing off) instead of failing, up to `LedgerWaits.limit`.
        let waits = LedgerWaits()
        configuration.busyMode = .callback { attempt in waits.shouldRetry(attempt: Int(attempt)) }
        configuration.label = "till"
        configuration.prepareDatabase { db in
            // Checkpoints never run inside a posting (they fsync the whole database file
            // and made a posting's p99 six times its median): `checkpoint()` runs them
            // between customers, and SQLite checkpoints when the last connection closes.
            // After a complete checkpoint the log restarts and is cut back to 32 MB.
            if !readOnly {
                try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 33554432")
            }
            // The default 2 MB page cache sent a payment file's import to the kernel for every
            // B-tree page it touched (a fifth of its time in pread); the cache grows only as used.
            try db.execute(sql: "PRAGMA cache_size = -32768")
            if sqlite3_db_readonly(db.sqliteConnection, "main") == 1 {
                // Readers map the file instead of copying each page they read into their own
                // cache: a settle pane's first read of a 20,000-payment day took 65 ms, its later
                // ones 40. Read-only mappings: a stray pointer cannot write the ledger. Readers
                // keep temporary files: verify's and the reports' sorts of a large ledger stay on disk.
                try db.execute(sql: "PRAGMA mmap_size = \(Self.readerMapBytes)")
            } else {
                // The writer keeps its page copies (a write path measured as it is), and its
                // statement journals and temporary tables in memory: in /var/tmp files they were
                // a tenth of a payment file's import, in write calls.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
            }
            // Every connection knows a card number when it sees one: the writer's guard and verify.
            try CardNumberGuard.register(db)
            db.add(function: RecordSeals.digestFunction)
        }
        do {
            pool = try readOnly ? Self.openForReading(path, configuration) : DatabasePool(path: path, configuration: configuration)
            backend = .sqlite(pool)
            if existed, try !pool.read({ db in try Self.isTillLedgerOrEmpty(Store(db)) }) {
                throw LedgerError(.noLedger, "\(path) is a SQLite database but not a Till ledger: nothing was changed (give the ledger's path)")
            }
            // A ledger a newer Till has migrated is not opened by this one: it would not know
            // what the newer tables and rules mean.
            if try pool.read({ db in try Schema.migrator.hasBeenSuperseded(db) }) {
                throw LedgerError(.database, "\(path) was written by a newer version of Till: use that version (nothing was changed)")
            }
            if readOnly {
                if try !pool.read({ db in try Schema.migrator.hasCompletedMigrations(db) }) {
                    // Written by an older Till: brought up to date once, where it can be written.
                    guard Self.canWrite(beside: path), access(path, W_OK) == 0 else {
                        throw LedgerError(.database, "\(path) was written by an older Till and cannot be brought up to date here "
                                          + "(the file cannot be written): open it once where it can be (nothing was changed)")
                    }
                    _ = try Ledger(path: path, allowWorldWritable: allowWorldWritable, clock: clock)
                }
            } else {
                try Schema.migrator.migrate(pool)
                try pool.writeWithoutTransaction { db in
                    try CardNumberGuard.install(Store(db))
                    try RecordSeals.install(Store(db))
                }
            }
        } catch let error as DatabaseError {
            if !readOnly, [.SQLITE_CANTOPEN, .SQLITE_READONLY].contains(error.resultCode), !Self.canWrite(beside: path) {
                throw LedgerError(.database, "The ledger at \(path) cannot be written here (a read-only filesystem, or a directory "
                                  + "this user cannot write): commands that only read (verify, summary, reports, exports, backup) "
                                  + "work; nothing was changed")
            }
            throw LedgerError(database: error, path: path)
        }
        // The PIN pepper: made with the ledger, or for a ledger from before while no PIN uses one.
        let pepperPath = PINPepper.path(forLedger: path)
        var pepper = try PINPepper.load(pepperPath)
        if pepper == nil, !readOnly,
           try pool.read({ db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM operators WHERE pin_peppered = 1)") }) == false {
            pepper = try PINPepper.create(pepperPath)
        }
        self.pepper = pepper
        self.pepperPath = pepperPath
        self.path = path
        filesDirectory = (path as NSString).deletingLastPathComponent
        self.clock = clock
        self.waits = waits
        self.queue = WriteQueue(ledgerPath: path)
    }

    /// Opens the ledger in a PostgreSQL database (a `postgresql://` or `postgres://` URI, with
    /// libpq's conventions). The database must hold a Till ledger at this Till's schema
    /// (`till init --db …` brings it up to date). The PIN pepper is the file `pepperFile`
    /// names, or `$TILL_PEPPER_FILE`: it is never kept in the database.
    public init(postgres uri: String, pepperFile: String? = nil, filesDirectory: String? = nil,
                clock: @escaping @Sendable () -> Date = { Date() }) throws {
        let pool = PGPool(uri: uri)
        let described = PGAddress.withoutPassword(uri)
        let waits = LedgerWaits()
        do {
            let applied = try PGWrite.connected(pool, waits: waits, address: described) { try PGSchema.applied($0) }
            guard let last = applied.last else {
                throw LedgerError(.noLedger, "\(described) holds no Till ledger (no till schema): `till init --db …` makes one "
                                  + "(docs/POSTGRES.md); nothing was changed")
            }
            if last.version > PGSchema.newest {
                throw LedgerError(.database, "\(described) was written by a newer version of Till (schema \(last.version), this Till "
                                  + "knows \(PGSchema.newest)): use that version (nothing was changed)")
            }
            if last.version < PGSchema.newest {
                throw LedgerError(.database, "\(described) is at schema \(last.version), older than this Till's \(PGSchema.newest): "
                                  + "its owner runs `till init --db …` once to bring it up to date (nothing was changed)")
            }
        } catch let error as PGError {
            throw LedgerError(postgres: error, address: described)
        }
        backend = .postgres(pool)
        path = described
        self.filesDirectory = filesDirectory ?? Self.postgresFilesDirectory()
        self.clock = clock
        self.waits = waits
        queue = WriteQueue(ledgerPath: nil)
        // The pepper stays out of the database: $TILL_PEPPER_FILE names its file, else the files directory holds it.
        let pepperPath = pepperFile ?? PINPepper.path(forLedger: uri, filesDirectory: self.filesDirectory)
        self.pepperPath = pepperPath
        pepper = FileManager.default.fileExists(atPath: pepperPath) ? try PINPepper.load(pepperPath) : nil
    }

    /// Opens the ledger `address` names: a PostgreSQL URI, or a SQLite file (see `init(path:…)`).
    public static func open(_ address: String, create: Bool = false, readOnly: Bool = false, allowWorldWritable: Bool = false,
                            clock: @escaping @Sendable () -> Date = { Date() }) throws -> Ledger {
        switch LedgerAddress(address) {
        case .postgres(let uri): try Ledger(postgres: uri, clock: clock)
        case .sqlite(let path): try Ledger(path: path, create: create, readOnly: readOnly, allowWorldWritable: allowWorldWritable, clock: clock)
        }
    }

    /// The same ledger opened again on connections of its own, with another clock (a bench
    /// that opens tomorrow's date; a test's second terminal).
    public func reopened(clock: @escaping @Sendable () -> Date) throws -> Ledger {
        switch backend {
        case .sqlite: try Ledger(path: path, clock: clock)
        case .postgres(let pool): try Ledger(postgres: pool.uri, pepperFile: pepperPath, filesDirectory: filesDirectory, clock: clock)
        }
    }

    /// A read-only pool. Where SQLite cannot share the write-ahead log's index (a read-only
    /// filesystem, or a directory this user may not write, and no `-shm` beside the file), the
    /// file is read as immutable: nothing can be writing it there.
    static func openForReading(_ path: String, _ configuration: Configuration) throws -> DatabasePool {
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try pool.read { db in _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
            return pool
        } catch let error as DatabaseError where [.SQLITE_CANTOPEN, .SQLITE_READONLY].contains(error.resultCode) && !canWrite(beside: path) {
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "?#%")
            let uri = "file:" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path) + "?immutable=1"
            return try DatabasePool(path: uri, configuration: configuration)
        }
    }

    /// Whether the ledger's directory takes new files (a read-only filesystem or directory does not).
    static func canWrite(beside path: String) -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        var info = statvfs()
        if statvfs(directory.isEmpty ? "." : directory, &info) == 0, info.f_flag & UInt(ST_RDONLY) != 0 { return false }
        return access(directory.isEmpty ? "." : directory, W_OK) == 0
    }

    /// SQLite's `-wal` and `-shm` files beside the ledger must be the owner's to read and write:
    /// left behind with another mode (restored from a copy, made by another user) they keep the
    /// ledger from opening with a message that names SQLite, not the fix.
    static func refuseUnusableSidecars(_ path: String) throws {
        for suffix in ["-wal", "-shm"] {
            let sidecar = path + suffix
            var info = stat()
            guard lstat(sidecar, &info) == 0 else { continue }
            let immutable = FileManager.default.isImmutable(sidecar)
            if info.st_uid != getuid() && getuid() != 0 {
                throw LedgerError(.database, "\(sidecar) belongs to another user, so Till cannot use the ledger: with no Till running, "
                                  + "`chown $(id -un) \(sidecar)` (or remove it only if the ledger was closed cleanly) (nothing was changed)")
            }
            if info.st_mode & 0o600 != 0o600 || immutable {
                throw LedgerError(.database, "\(sidecar) cannot be written (mode \(String(info.st_mode & 0o777, radix: 8))"
                                  + (immutable ? ", immutable" : "") + "), so SQLite cannot open the ledger: "
                                  + "`chmod 600 \(sidecar)`\(immutable ? " after `chattr -i \(sidecar)`" : "") (nothing was changed)")
            }
        }
    }

    /// A `scheme://…` value is a connection string for a database server, not a file: refused
    /// where a file is meant, rather than made into a file named `postgresql:` in the working
    /// directory (`Ledger.open` takes a PostgreSQL URI to the server).
    public static func refuseConnectionURI(_ path: String) throws {
        guard let range = path.range(of: "://"), !path[..<range.lowerBound].isEmpty,
              path[..<range.lowerBound].allSatisfy({ $0.isLetter || $0.isNumber || "+.-".contains($0) }) else { return }
        let scheme = path[..<range.lowerBound]
        throw LedgerError(.noLedger, "\(scheme):// is a database server's connection string: this Till keeps its books in a "
                          + "SQLite file or on PostgreSQL (postgresql://…), " + (LedgerAddress.isPostgresURI(path)
                            ? "and this command works on a SQLite file only" : "so give a file path") + " (nothing was created)")
    }

    /// A file Till may open: its own ledger (the migrations table names v1-ledger), or a
    /// database with no tables at all (an empty file `till init` started).
    static func isTillLedgerOrEmpty(_ db: Store) throws -> Bool {
        let tables = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") ?? 0
        guard tables > 0 else { return true }
        guard try db.sqlite.tableExists("grdb_migrations") else { return false }
        return try Bool.fetchOne(db, sql: "SELECT 1 FROM grdb_migrations WHERE identifier = 'v1-ledger'") == true
    }

    /// A PostgreSQL ledger's files on this machine: `$TILL_FILES_DIR`, or `XDG_DATA_HOME/till`
    /// (`~/.local/share/till`).
    public static func postgresFilesDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["TILL_FILES_DIR"], !explicit.isEmpty { return explicit }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return dataHome + "/till"
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
        guard case .sqlite(let pool) = backend else { return } // PostgreSQL checkpoints on its own
        try? pool.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
    }

    /// The write-ahead log's size cap: a posting that finds it larger checkpoints after
    /// its commit, so scripts that never idle (`till pay` in a loop) keep it bounded.
    /// Above `journal_size_limit`, so a log cut back after a checkpoint is under it.
    static let walCheckpointBytes: UInt64 = 64 << 20
    /// How much of the ledger file a reading connection maps (see `prepareDatabase`).
    static let readerMapBytes: Int64 = 1 << 30
    /// While other terminals keep writing, the log cannot restart and stays over the cap: it is
    /// checkpointed again only once it has grown this much more. (Checkpointing after every
    /// posting then cost each one a second `fsync` and, eight terminals at once, stalled them
    /// all for 300 ms at a time.)
    static let walCheckpointGrowth: UInt64 = 16 << 20

    func checkpointIfLarge() {
        var info = stat()
        guard stat(path + "-wal", &info) == 0 else { return }
        let size = UInt64(info.st_size)
        let due = walCheckpointed.withLock { last -> Bool in
            if size < last { last = 0 } // cut back since: the log restarted
            guard size > Self.walCheckpointBytes, size >= last + Self.walCheckpointGrowth || last == 0 else { return false }
            last = size
            return true
        }
        if due { checkpoint() }
    }

    func timestamp() -> String { Timestamp.string(clock()) }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction, mapping SQLite errors to messages a person can act on.
    func writeImmediate<T>(_ body: (Store) throws -> T) throws -> T {
        try writeImmediate { db, _ in try body(db) }
    }

    /// `writeImmediate` for a long write that gives way: `body` is also given a check that says
    /// whether another terminal has asked for the write lock since this write took its turn.
    func writeImmediate<T>(_ body: (Store, _ anyoneWaiting: () -> Bool) throws -> T) throws -> T {
        if case .postgres(let pool) = backend {
            return try PGWrite.write(pool, waits: waits, address: path, body)
        }
        do {
            return try writer.writeWithoutTransaction { database in
                let db = Store(database)
                var result: T?
                // In line behind the terminals that asked first; then BEGIN IMMEDIATE takes the
                // write lock (waiting in the busy handler for anyone outside the line), so
                // nothing inside can fail half-way for want of it.
                let place = queue.enter(waits: waits)
                defer {
                    queue.leave(place)
                    waits.finished()
                }
                try database.inTransaction(.immediate) {
                    waits.finished()
                    let before = try Chain.lastTransaction(db)
                    result = try body(db) { self.queue.isAnyoneBehind(place) }
                    // What this transaction wrote is sealed into the chain before it commits.
                    try Chain.seal(db, after: before)
                    // …and so is every record it wrote, with the new head covering both.
                    try RecordSeals.sealWritten(db)
                    return .commit
                }
                return result!
            }
        } catch let error as DatabaseError {
            throw LedgerError(database: error, path: path)
        }
    }

    func read<T>(_ body: (Store) throws -> T) throws -> T {
        try read(inOneSnapshot: true, body)
    }

    /// A read whose statements need not see one snapshot (a lookup): on PostgreSQL outside a
    /// transaction, its statements asked together in one round trip (`PGWrite.readAtOnce`).
    func readAtOnce<T>(_ body: (Store) throws -> T) throws -> T {
        try read(inOneSnapshot: false, body)
    }

    private func read<T>(inOneSnapshot: Bool, _ body: (Store) throws -> T) throws -> T {
        do {
            switch backend {
            case .sqlite(let pool):
                return try pool.read { db in try body(Store(db)) }
            case .postgres(let pool):
                return inOneSnapshot ? try PGWrite.read(pool, waits: waits, address: path, body)
                    : try PGWrite.readAtOnce(pool, waits: waits, address: path, body)
            }
        } catch let error as DatabaseError {
            throw LedgerError(database: error, path: path)
        } catch let error as PGError {
            throw LedgerError(postgres: error, address: path)
        }
    }
}

/// SQLite's busy handler for one ledger: retries a locked database with a short back-off, tells
/// whoever listens when a wait runs past a second (and when it ends), and gives up after
/// `limit` seconds with "the ledger is busy" — nothing written.
public final class LedgerWaits: @unchecked Sendable {
    public static let limit: TimeInterval = 30
    public static let noticeAfter: TimeInterval = 1
    private let lock = NSLock()
    private var started: Date?
    private var inQueue = false
    private var noticed = false
    private var longest: TimeInterval = 0
    /// Counts finished waits, so a server wait's timer knows whether its wait is still on.
    private var generation = 0
    private var listener: (@Sendable (Bool) -> Void)?

    /// Called with true when a wait passes a second, and false when that wait is over.
    public func onLongWait(_ listener: @escaping @Sendable (Bool) -> Void) {
        lock.withLock { self.listener = listener }
    }

    /// The longest wait seen so far, in seconds.
    public var longestWait: TimeInterval { lock.withLock { longest } }

    func shouldRetry(attempt: Int) -> Bool {
        let now = Date()
        var notify: (@Sendable (Bool) -> Void)?
        let retry: Bool = lock.withLock {
            if started == nil || (attempt == 0 && !inQueue) { started = now }
            let waited = now.timeIntervalSince(started!)
            longest = max(longest, waited)
            if waited >= Self.noticeAfter && !noticed {
                noticed = true
                notify = listener
            }
            return waited < Self.limit
        }
        notify?(true)
        if retry {
            // Half a millisecond, then one: a waiting post starts soon after the other commits
            // (SQLite queues no one, so a long sleep is how a writer starves).
            usleep(useconds_t(attempt < 2 ? 500 : 1_000))
        }
        return retry
    }

    /// Waits in the write queue until `turn` is signalled: told about after a second like a
    /// busy wait, and given up (false) at the limit. The wait runs on until `finished()`.
    func waitInQueue(_ turn: DispatchSemaphore) -> Bool {
        lock.withLock {
            if started == nil { started = Date() }
            inQueue = true
        }
        if turn.wait(timeout: .now() + Self.noticeAfter) == .success { return true }
        var notify: (@Sendable (Bool) -> Void)?
        lock.withLock {
            if !noticed { notify = listener }
            noticed = true
        }
        notify?(true)
        return turn.wait(timeout: .now() + (Self.limit - Self.noticeAfter)) == .success
    }

    /// A wait the database server keeps (PostgreSQL's write lock, a reconnect): told about
    /// once it has lasted a second, unless `finished()` came first.
    func waitingOnServer() {
        let generation: Int = lock.withLock {
            if started == nil { started = Date() }
            inQueue = true
            return self.generation
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.noticeAfter) { [weak self] in
            self?.noticeIfStillWaiting(generation)
        }
    }

    private func noticeIfStillWaiting(_ generation: Int) {
        var notify: (@Sendable (Bool) -> Void)?
        lock.withLock {
            guard self.generation == generation, started != nil, !noticed else { return }
            noticed = true
            notify = listener
        }
        notify?(true)
    }

    /// A write got its lock (or gave up): the wait, if there was one, is over.
    func finished() {
        var notify: (@Sendable (Bool) -> Void)?
        lock.withLock {
            generation += 1
            if let started { longest = max(longest, Date().timeIntervalSince(started)) }
            if noticed { notify = listener }
            started = nil
            inQueue = false
            noticed = false
        }
        notify?(false)
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

extension FileManager {
    /// Whether the file carries the filesystem's immutable flag (`chattr +i`): even its owner
    /// and root cannot write it.
    func isImmutable(_ path: String) -> Bool {
        let handle = open(path, O_RDONLY | O_NONBLOCK)
        guard handle >= 0 else { return false }
        defer { close(handle) }
        var flags: Int32 = 0
        // FS_IOC_GETFLAGS and FS_IMMUTABLE_FL from <linux/fs.h>.
        guard ioctl(handle, 0x8008_6601, &flags) == 0 else { return false }
        return flags & 0x10 != 0
    }
}

import Foundation

/// A write to a PostgreSQL ledger, as SQLite's `BEGIN IMMEDIATE` write is: one transaction that
/// holds the ledger's write lock (a transaction-scoped advisory lock every Till writer takes
/// first, granted in the order asked), so receipt numbers stay gapless, the chain keeps one total
/// order, and terminals are served first come, first served. What it wrote is sealed before it
/// commits.
///
/// A lost connection, a server restarting, a failover to a standby, a serialization failure or a
/// deadlock rolls the attempt back and runs the whole write again on a fresh connection, for up
/// to `LedgerWaits.limit` seconds (the screen says "waiting for the ledger" after one). Where the
/// connection broke during COMMIT the first attempt may have committed: a posting runs again
/// under the same idempotency key and finds itself already posted, so nothing is doubled.
enum PGWrite {
    /// The advisory lock's key: one per database (the schema's name, hashed by the server).
    static let lockSQL = "SELECT pg_advisory_xact_lock(hashtext('till.write'))"

    /// Whether another session of this database waits for the write lock (`lockSQL`'s key, as
    /// `pg_locks` shows a bigint advisory key: its high and low 32 bits).
    static let waitersSQL = """
        SELECT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = ((hashtext('till.write')::bigint >> 32) & 4294967295)::oid
          AND l.objid = (hashtext('till.write')::bigint & 4294967295)::oid)
        """

    /// How long a write waits for another terminal's before "the ledger is busy".
    static var lockTimeout: String { "\(Int(LedgerWaits.limit * 1000))ms" }

    static func write<T>(_ pool: PGPool, waits: LedgerWaits, address: String,
                         _ body: (Store, _ anyoneWaiting: () -> Bool) throws -> T) throws -> T {
        try retrying(waits: waits, address: address) { try once(pool, waits: waits, body) }
    }

    /// A read in one snapshot, run again on a fresh connection when its connection was lost
    /// (a read changes nothing, so it may always run again).
    static func read<T>(_ pool: PGPool, waits: LedgerWaits, address: String, _ body: (Store) throws -> T) throws -> T {
        try retrying(waits: waits, address: address) {
            let connection = try acquire(pool)
            defer { pool.giveBack(connection) }
            // The BEGIN goes with the read's first statement, in its round trip.
            try connection.beginLater("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            waits.finished() // a long report is not a wait
            do {
                let value = try body(Store(connection))
                try connection.commit()
                return value
            } catch {
                if connection.isUp { try? connection.rollback() }
                throw error
            }
        }
    }

    /// A read whose statements need no snapshot in common (a lookup's exact number and its
    /// words), outside any transaction: asked together (`Store.readAhead`), they are one
    /// round trip, where a transaction's BEGIN and COMMIT made two. Run again on a fresh
    /// connection when its connection was lost.
    static func readAtOnce<T>(_ pool: PGPool, waits: LedgerWaits, address: String, _ body: (Store) throws -> T) throws -> T {
        try connected(pool, waits: waits, address: address) { try body(Store($0)) }
    }

    /// `body` on a connection of its own, outside any transaction (opening a ledger), run again
    /// on a fresh one when the connection was lost.
    static func connected<T>(_ pool: PGPool, waits: LedgerWaits, address: String, _ body: (PGConnection) throws -> T) throws -> T {
        try retrying(waits: waits, address: address) {
            let connection = try acquire(pool)
            defer { pool.giveBack(connection) }
            waits.finished()
            return try body(connection)
        }
    }

    /// Runs `attempt` until it succeeds, fails for good, or `LedgerWaits.limit` seconds have
    /// passed in retryable failures; the wait is told about after a second.
    private static func retrying<T>(waits: LedgerWaits, address: String, _ attempt: () throws -> T) throws -> T {
        let started = ContinuousClock.now
        var tries = 0
        waits.waitingOnServer()
        defer { waits.finished() }
        while true {
            do {
                return try attempt()
            } catch let error as PGError where error.isRetryable {
                guard ContinuousClock.now - started < .seconds(LedgerWaits.limit) else {
                    throw LedgerError(postgres: error, address: address)
                }
            } catch let unavailable as Unavailable {
                // No server answers (restarting), or every host is a standby (failing over).
                guard ContinuousClock.now - started < .seconds(LedgerWaits.limit) else { throw unavailable.error }
            } catch let error as PGError {
                throw LedgerError(postgres: error, address: address)
            }
            tries += 1
            waits.waitingOnServer()
            // 50 ms, doubling to a second: a restart takes a few, a failover a few more.
            usleep(useconds_t(min(1_000_000, 50_000 << min(tries - 1, 5))))
        }
    }

    /// A connection from the pool; no server to connect to (restarting, or every host a
    /// standby) is `Unavailable`, which `retrying` waits out.
    private static func acquire(_ pool: PGPool) throws -> PGConnection {
        do {
            return try pool.connection()
        } catch let error as LedgerError where error.code == .locked {
            throw Unavailable(error: error)
        }
    }

    /// No server to connect to just now.
    private struct Unavailable: Error {
        let error: LedgerError
    }

    private static func once<T>(_ pool: PGPool, waits: LedgerWaits, _ body: (Store, () -> Bool) throws -> T) throws -> T {
        let connection = try acquire(pool)
        defer { pool.giveBack(connection) }
        if !connection.preparedForWriting {
            try RecordSeals.preparePostgres(connection)
            connection.preparedForWriting = true
        }
        // One round trip: the transaction, the write lock, the session's table of rows written
        // emptied, and the newest transaction id (the write seals only what comes after it).
        // Inside a write the server may keep a statement's plan once five runs show it costs
        // no more than one made for the values (PostgreSQL's default, `auto`; connections
        // otherwise plan every run for its values, for the lookup's sake): a payment's reads
        // by key and its inserts were planned again at every run, a fifth of its time. A
        // read of what this write added (`id > ?`) keeps its plan for the values, the kept
        // plan costing more; a drawer close and a payment file are as fast or faster.
        let newest = try connection.query("BEGIN; SET LOCAL lock_timeout = '\(lockTimeout)'; SET LOCAL plan_cache_mode = auto; \(lockSQL); "
                                          + "\(RecordSeals.clearPendingSQL); \(Chain.lastTransactionSQL)")
        // Inserts are answered with the next read or the COMMIT (PGConnection.executeLater).
        connection.answersLater = true
        defer { connection.answersLater = false }
        do {
            waits.finished()
            let db = Store(connection)
            let before = newest.scalar.flatMap { Int64($0) } ?? 0
            // A long write (a payment file) gives way as on SQLite: when another terminal waits
            // for the write lock it commits at its next line, and the lock queue serves that
            // terminal next. Asked of the server at most every 10 ms (a line takes a few).
            var asked = ContinuousClock.now, someoneWaits = false
            let result = try body(db) {
                guard !someoneWaits, ContinuousClock.now - asked >= .milliseconds(10) else { return someoneWaits }
                asked = ContinuousClock.now
                someoneWaits = (try? connection.execute(waitersSQL).scalar) == "t"
                return someoneWaits
            }
            // What the guard and the chain read first, in one round trip with the body's last inserts.
            try db.readAhead(CardNumberGuard.writtenReads(afterTransaction: before, db) + LedgerWalk.sealReads(after: before))
            try CardNumberGuard.refuseWritten(db, afterTransaction: before)
            try Chain.seal(db, after: before)
            try RecordSeals.sealWritten(db)
            try connection.commit()
            return result
        } catch {
            if connection.isUp { try? connection.rollback() }
            throw error
        }
    }
}

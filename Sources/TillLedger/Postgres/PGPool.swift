import Synchronization

/// The connections of one PostgreSQL ledger: an idle one is lent to each read or write, and a
/// new one opened when none is idle. Each starts in the ledger's schema.
final class PGPool: Sendable {
    let uri: String
    private let idle = Mutex<[PGConnection]>([])

    init(uri: String) {
        self.uri = uri
    }

    func connection() throws -> PGConnection {
        if let ready = idle.withLock({ $0.popLast() }), ready.isUp { return ready }
        let connection = try PGConnection(uri)
        try connection.execute("SET search_path TO \(PGSchema.name)")
        return connection
    }

    /// The round trips of the connections idle in the pool (a test's measure of a write).
    var roundTrips: Int { idle.withLock { $0.reduce(0) { $0 + $1.roundTrips } } }

    /// Takes a connection back, dropping whatever was asked ahead on it and not read (it
    /// would answer a later borrower's same statement with what was true earlier).
    func giveBack(_ connection: PGConnection) {
        connection.dropReadAhead()
        guard connection.isUp, !connection.inTransaction, !connection.isPipelining else { return }
        idle.withLock { $0.append(connection) }
    }
}

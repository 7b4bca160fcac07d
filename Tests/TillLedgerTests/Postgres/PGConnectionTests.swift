import Foundation
import Testing
@testable import TillLedger

/// libpq underneath: values go and come back exactly, and every way a connection can fail says
/// which way it failed, never with the password in it.
@Suite("PostgreSQL connection", .enabled(if: TestPostgres.available, "no TILL_TEST_POSTGRES server (scripts/test starts one)"))
struct PGConnectionTests {
    @Test("values round-trip exactly: the ends of Int64, text in any script, bytes, NULL")
    func roundTrip() throws {
        try TestPostgres.withDatabase { uri, _ in
            let db = try PGConnection(uri)
            #expect(db.serverVersion >= 150000)
            try db.execute("CREATE TABLE t(id BIGSERIAL PRIMARY KEY, cents BIGINT, name TEXT, blob BYTEA, ok BOOLEAN)")
            let values: [(Int64, String, [UInt8])] = [
                (Int64.max, "Núñez ‘quoted’ \"double\" \\ back", [0, 1, 254, 255]),
                (Int64.min, "Ødegaard 😀 $1 ? ;DROP TABLE t", []),
                (-1, "", Array(0...255)),
            ]
            for (cents, name, bytes) in values {
                try db.execute("INSERT INTO t(cents, name, blob, ok) VALUES ($1, $2, $3, $4)", [.int(cents), .text(name), .bytes(bytes), .bool(cents < 0)])
            }
            try db.execute("INSERT INTO t(cents, name, blob, ok) VALUES ($1, $2, $3, $4)", [.null, .null, .null, .null])
            let rows = try db.execute("SELECT cents, name, blob, ok FROM t ORDER BY id").all
            #expect(rows.count == 4)
            for (row, (cents, name, bytes)) in zip(rows, values) {
                #expect(try row.int(0) == cents)
                #expect(row.text(1) == name)
                #expect(try row.bytes(2) == bytes)
                #expect(row.bool(3) == (cents < 0))
            }
            #expect(try rows[3].int(0) == nil && rows[3].text(1) == nil && rows[3].bytes(2) == nil && rows[3].bool(3) == nil)
            // The store's rows decoded straight from libpq's buffers are the rows decoded
            // through text, value for value, for every type and edge the ledger reads.
            let probe = """
                SELECT cents, name, blob, ok, (cents % 1000)::integer AS small, (cents % 7)::smallint AS tiny, 12.50::numeric AS n,
                       '\\x'::bytea AS empty, ''::text AS blank, NULL::bigint AS nothing FROM t ORDER BY id
                """
            let direct = try db.rows(probe)
            let throughText = try db.execute(probe).sqlRows
            #expect(direct.count == 4 && direct.map(\.values) == throughText.map(\.values))
            #expect(direct[0].values[0] == .int(Int64.max) && direct[1].values[0] == .int(Int64.min) && direct[2].values[2] == .blob(Array(0...255)))
        }
    }

    @Test("whole numbers parse from their digits exactly as Int64 parses them, and nothing else does")
    func wholeNumbersFromDigits() {
        for text in ["0", "-0", "7", "-1", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
                     "", "-", "12a", " 1", "1.5", "00000000000000000001", "+1", "99999999999999999999"] {
            let parsed = Array(text.utf8).withUnsafeBufferPointer { PGRows.wholeNumber($0) }
            #expect(parsed == (text.hasPrefix("+") ? nil : Int64(text)), "\(text)")
        }
    }

    @Test("a NUL in a value is refused, not cut short")
    func nulRefused() throws {
        try TestPostgres.withDatabase { uri, _ in
            let db = try PGConnection(uri)
            try db.execute("CREATE TABLE t(name TEXT)")
            #expect(throws: LedgerError.self) { try db.execute("INSERT INTO t VALUES ($1)", [.text("ref\u{0}hidden")]) }
            #expect(try db.execute("SELECT COUNT(*) FROM t").scalar == "0")
        }
    }

    @Test("a failed statement gives its SQLSTATE; a transaction that throws leaves nothing")
    func errorsAndRollback() throws {
        try TestPostgres.withDatabase { uri, _ in
            let db = try PGConnection(uri)
            try db.execute("CREATE TABLE t(key TEXT UNIQUE)")
            try db.execute("INSERT INTO t VALUES ('a')")
            do {
                try db.execute("INSERT INTO t VALUES ('a')")
                Issue.record("a duplicate key was accepted")
            } catch let error as PGError {
                #expect(error.sqlState == "23505")
                #expect(!error.isRetryable)
                #expect(!error.message.contains("\n"))
            }
            #expect(throws: PGError.self) {
                try db.transaction {
                    try db.execute("INSERT INTO t VALUES ('b')")
                    try db.execute("INSERT INTO t VALUES ('a')")
                }
            }
            #expect(!db.inTransaction)
            #expect(try db.execute("SELECT string_agg(key, ',' ORDER BY key) FROM t").scalar == "a")
        }
    }

    @Test("each failure to connect says what failed, and no message shows the password")
    func connectionFailures() throws {
        func message(_ uri: String) -> String {
            do { _ = try PGConnection(uri); return "connected" } catch { return "\(error)" }
        }
        let socket = TestPostgres.socketDirectory
        let unparsable = message("postgresql://till:s3cret@[::1/ledger")
        #expect(unparsable.contains("not a PostgreSQL connection string"))
        #expect(!unparsable.contains("s3cret"))
        let noDatabase = message("postgresql:///no_such_ledger?host=\(socket)&user=postgres&password=s3cret")
        #expect(noDatabase.contains("has no such database"), "\(noDatabase)")
        #expect(!noDatabase.contains("s3cret"))
        let noRole = message("postgresql:///postgres?host=\(socket)&user=nobody_here")
        #expect(noRole.contains("refused the login"), "\(noRole)")
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-server-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let noServer = message("postgresql://till:s3cret@/ledger?host=\(empty)&connect_timeout=2")
        #expect(noServer.contains("No PostgreSQL server answers"), "\(noServer)")
        #expect(!noServer.contains("s3cret"))
        // A server stopping or starting is waited for, like no server at all (a restart).
        for reason in ["connection to server on socket \"/tmp/x/.s.PGSQL.5432\" failed: FATAL:  the database system is shutting down",
                       "FATAL:  the database system is starting up", "FATAL:  the database system is in recovery mode"] {
            let restarting = PGError.connecting(reason, to: "postgresql:///books")
            #expect(restarting.code == .locked && restarting.message.contains("is restarting"), "\(restarting)")
        }
    }

    @Test("a postgresql:// or postgres:// value is PostgreSQL; anything else a SQLite file")
    func addresses() {
        #expect(LedgerAddress("postgresql:///till?host=/run/postgresql") == .postgres(uri: "postgresql:///till?host=/run/postgresql"))
        #expect(LedgerAddress("POSTGRES://db1,db2/till?target_session_attrs=read-write") != .sqlite(path: "POSTGRES://db1,db2/till?target_session_attrs=read-write"))
        #expect(LedgerAddress("/var/lib/till/till.sqlite") == .sqlite(path: "/var/lib/till/till.sqlite"))
        #expect(LedgerAddress("postgresql.sqlite") == .sqlite(path: "postgresql.sqlite"))
        #expect(LedgerAddress("postgresql://till:pa:ss@db/till").described == "postgresql://till:***@db/till")
        #expect(LedgerAddress("postgresql:///till?user=x&password=hunter2&sslmode=require").described
                == "postgresql:///till?user=x&password=***&sslmode=require")
    }
}

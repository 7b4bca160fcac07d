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

    /// In a write, an insert is sent at once and answered with the next read (libpq's pipeline):
    /// answers come in order, a read sees every insert before it, an insert's error stops the
    /// write where the next answer is read, and the connection is clean after a rollback.
    @Test("statements answered later: in order, in one round trip, and their errors stop the write")
    func answeredLater() throws {
        try TestPostgres.withDatabase { uri, _ in
            let db = try PGConnection(uri)
            try db.execute("CREATE TABLE t(id BIGINT PRIMARY KEY, name TEXT NOT NULL)")
            let insert = "INSERT INTO t VALUES ($1, $2)", count = "SELECT COUNT(*), MAX(name) FROM t WHERE id > $1"
            // Prepared once per connection (a round trip each, the first time only).
            try db.execute(insert, [.int(0), .text("warm")])
            _ = try db.execute(count, [.int(0)])

            try db.executeScript("BEGIN")
            db.answersLater = true
            var trips = db.roundTrips
            try db.executeLater(insert, [.int(1), .text("a")])
            try db.executeLater(insert, [.int(2), .text("b")])
            #expect(db.roundTrips == trips && db.isPipelining)
            #expect(try db.execute(count, [.int(0)]).rows == [["2", "b"]])
            #expect(db.roundTrips == trips + 1 && !db.isPipelining)

            // Reads asked for ahead: one round trip for both, each answered once, as when asked.
            trips = db.roundTrips
            try db.readAhead([(count, [.int(0)]), (count, [.int(1)])])
            #expect(try db.execute(count, [.int(1)]).rows == [["1", "b"]])
            #expect(try db.execute(count, [.int(0)]).rows == [["2", "b"]])
            #expect(db.roundTrips == trips + 1)
            // A write in between drops what was read ahead: the read sees the write.
            try db.readAhead([(count, [.int(0)])])
            try db.executeLater(insert, [.int(3), .text("c")])
            #expect(try db.execute(count, [.int(0)]).rows == [["3", "c"]])
            trips = db.roundTrips
            try db.executeLater(insert, [.int(4), .text("d")])
            try db.commit()
            #expect(db.roundTrips == trips + 1 && !db.inTransaction)

            // An insert that fails: the statements after it are skipped, its error is thrown
            // where the next answer is read, and nothing of the write stays.
            try db.executeScript("BEGIN")
            try db.executeLater(insert, [.int(5), .text("e")])
            try db.executeLater(insert, [.int(1), .text("again")]) // id 1 exists
            try db.executeLater(insert, [.int(6), .text("f")])
            #expect { try db.execute(count, [.int(0)]) } throws: { ($0 as? PGError)?.sqlState == "23505" }
            try db.rollback()
            #expect(!db.inTransaction && !db.isPipelining)
            // An error swallowed where the server was asked something on the side (`try?`)
            // is still the one told: not "current transaction is aborted" after it.
            try db.executeScript("BEGIN")
            try db.executeLater(insert, [.int(1), .text("again")])
            _ = try? db.execute(count, [.int(0)])
            #expect { try db.execute(count, [.int(1)]) } throws: { ($0 as? PGError)?.sqlState == "23505" }
            #expect { try db.commit() } throws: { ($0 as? PGError)?.sqlState == "23505" }
            try db.rollback()
            #expect(!db.inTransaction && !db.isPipelining)
            // The same at the commit.
            try db.executeScript("BEGIN")
            try db.executeLater(insert, [.int(7), .text("g")])
            try db.executeLater(insert, [.int(2), .text("again")])
            #expect { try db.commit() } throws: { ($0 as? PGError)?.sqlState == "23505" }
            try db.rollback()
            // A failure before anything was read back (a rule checked in Swift): rolled back too.
            try db.executeScript("BEGIN")
            try db.executeLater(insert, [.int(8), .text("h")])
            try db.rollback()
            db.answersLater = false
            #expect(try db.execute("SELECT string_agg(name, ',' ORDER BY id) FROM t").scalar == "warm,a,b,c,d")
            // A read's BEGIN goes with its first statement: a read of one statement is that
            // round trip and its COMMIT's, in a snapshot of its own.
            trips = db.roundTrips
            try db.beginLater("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            #expect(try db.execute(count, [.int(0)]).rows == [["4", "d"]])
            #expect(db.inTransaction && db.roundTrips == trips + 1)
            try db.commit()
            #expect(!db.inTransaction && db.roundTrips == trips + 2)
            // A read that fails rolls back and leaves the connection as it was.
            try db.beginLater("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            #expect(throws: PGError.self) { try db.execute("SELECT 1 / (COUNT(*) - COUNT(*)) FROM t WHERE id > $1", [.int(0)]) }
            try db.rollback()
            #expect(!db.inTransaction && !db.isPipelining)
            #expect(try db.execute(count, [.int(2)]).rows == [["2", "d"]])
        }
    }

    /// The settlement's and verify's cursor reads libpq's result in place: what it puts into
    /// the chain is what the store's decoded values put there, for every type and edge.
    @Test("the raw cursor seals each value as the store reads it")
    func rawCursorSealsAsTheStoreReads() throws {
        try TestPostgres.withDatabase { uri, _ in
            let db = try PGConnection(uri)
            let probe = """
                SELECT * FROM (VALUES (9223372036854775807::bigint, 'Núñez'::text, '\\x00ff'::bytea, true, 0::integer, NULL::text),
                                      (-9223372036854775808, '', '\\x'::bytea, false, -7, 'x'),
                                      (-1, '4;s2:', NULL, NULL, 12, NULL)) AS v(a, b, c, d, e, f) WHERE a <> $1
                """
            let rows = try db.rows(probe, [.int(42)])
            let cursor = try RawCursor(Store(db), probe.replacingOccurrences(of: "$1", with: "?"), arguments: [42])
            for row in rows {
                #expect(cursor.hasRow)
                var raw = ChainText(), decoded = ChainText()
                raw.start()
                cursor.append(from: 0, to: &raw)
                decoded.start()
                for value in row.values {
                    switch value {
                    case .null: decoded.null()
                    case .int(let number): decoded.integer(number)
                    case .text(let text): decoded.text(text)
                    case .blob(let bytes): decoded.blob(Data(bytes))
                    }
                }
                #expect(raw.bytes == decoded.bytes)
                #expect(cursor.int(0) == (Int64.decode(row.values[0]) ?? 0) && cursor.string(1) == (String.decode(row.values[1]) ?? ""))
                try cursor.advance()
            }
            #expect(!cursor.hasRow)
        }
    }
}

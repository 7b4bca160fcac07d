import CLibPQ
import Foundation

/// One connection to a PostgreSQL server through libpq, PostgreSQL's own client library:
/// synchronous like the ledger's calls, with libpq's connection strings (Unix-socket hosts,
/// `host=a,b` with `target_session_attrs=read-write`, PGHOST, PGSERVICE and `.pgpass`).
///
/// Values go to the server as text and come back as text (`PGRow` turns them into Swift
/// values); money is an `INTEGER`/`BIGINT` column and never passes through a floating type.
/// A connection is used by one caller at a time (a pool lends it out whole).
final class PGConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    /// The connection string with any password left out, for messages.
    let described: String
    /// Round trips to the server so far (each waits for the server's answer): what a posting's
    /// cost on PostgreSQL mostly is, and what a test holds it to.
    private(set) var roundTrips = 0
    /// Its session has the table of rows written that a write seals (`RecordSeals.preparePostgres`).
    var preparedForWriting = false

    /// Connects. A connection string libpq cannot parse, a server that does not answer, a
    /// database that does not exist and a refused login each get a message that says which.
    init(_ connectionString: String) throws {
        let described = PGAddress.withoutPassword(connectionString)
        var parseError: UnsafeMutablePointer<CChar>?
        if let options = PQconninfoParse(connectionString, &parseError) {
            PQconninfoFree(options)
        } else {
            let reason = parseError.map { String(cString: $0) } ?? "not a connection string"
            PQfreemem(parseError)
            throw LedgerError(.noLedger, "\(described) is not a PostgreSQL connection string libpq understands: "
                              + PGAddress.scrub(PGError.oneLine(reason), of: connectionString) + " (nothing was changed)")
        }
        guard let handle = PQconnectdb(connectionString) else {
            throw LedgerError(.database, "Out of memory connecting to \(described)")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let reason = PGAddress.scrub(String(cString: PQerrorMessage(handle)), of: connectionString)
            PQfinish(handle)
            throw PGError.connecting(reason, to: described)
        }
        self.handle = handle
        self.described = described
        // Whatever the server still says to the session (a WARNING as it shuts down, "terminating
        // connection due to immediate shutdown command") must not reach the counter screen: libpq
        // would print it on standard error over the cashier's frame. The error that follows it is
        // what Till acts on.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        // Dates as ISO text whatever the server's default. (Errors are told apart by their
        // SQLSTATE, never by their text, which follows the server's language.)
        _ = try execute("SET datestyle TO 'ISO, YMD'")
        // The server's NOTICEs ("schema till already exists, skipping") are not for a cashier's
        // or a DBA's terminal: libpq would print them on standard error.
        _ = try execute("SET client_min_messages TO warning")
        // Prepared statements are parsed once but planned for their values each time: a
        // generic plan for the lookup's pattern scanned every account for a two-letter prefix
        // (150 ms where a plan for the value takes 2).
        _ = try execute("SET plan_cache_mode TO force_custom_plan")
    }

    deinit {
        dropReadAhead()
        PQfinish(handle)
    }

    /// The server's version as libpq reports it (150018 for 15.18).
    var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Whether the connection is still up (libpq learns it lost one on its next call).
    var isUp: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Inside a transaction block (begun, not yet committed or rolled back).
    var inTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Runs one statement with `$1`, `$2`… parameters and returns its rows.
    @discardableResult
    func execute(_ sql: String, _ parameters: [PGValue] = []) throws -> PGRows {
        try execute(sql, parameters, read: PGRows.init)
    }

    /// Runs one statement and returns its rows as the store's rows, decoded straight from
    /// libpq's result (no text copy of each value first: a settlement or a verify reads tens
    /// of thousands of rows).
    func rows(_ sql: String, _ parameters: [PGValue] = []) throws -> [SQLRow] {
        try execute(sql, parameters, read: PGRows.sqlRows(of:))
    }

    /// One statement with no parameters, unprepared, and its rows as the store's (a cursor's FETCH).
    func queryRows(_ sql: String) throws -> [SQLRow] {
        try unprepared(sql, PGRows.sqlRows(of:))
    }

    private func execute<T>(_ sql: String, _ parameters: [PGValue], read: (OpaquePointer) -> T) throws -> T {
        let result = try run(sql, parameters)
        defer { PQclear(result) }
        return read(result)
    }

    /// Runs one statement with `$1`, `$2`… parameters and keeps its result as libpq holds it:
    /// a cursor reads the values in place (`RawCursor`, the settlement's and verify's walks).
    func result(_ sql: String, _ parameters: [PGValue] = []) throws -> PGResult {
        PGResult(try run(sql, parameters))
    }

    /// One statement with no parameters, unprepared (a cursor's FETCH), its result kept.
    func queryResult(_ sql: String) throws -> PGResult {
        PGResult(try runUnprepared(sql))
    }

    /// The statement's result, which the caller clears; an error is thrown (and its result cleared).
    /// Statements sent earlier and not yet answered go in the same round trip, ahead of it.
    private func run(_ sql: String, _ parameters: [PGValue]) throws -> OpaquePointer {
        let texts = try Self.texts(parameters)
        if let index = readAhead.firstIndex(where: { $0.sql == sql && $0.texts == texts }) {
            return readAhead.remove(at: index).result
        }
        if !readAhead.isEmpty, !Self.isRead(sql) { dropReadAhead() }
        if !unanswered.isEmpty {
            if let statement = prepared[sql] {
                try send(statement, texts, sql: sql)
                return try answer(last: true)!
            }
            _ = try answer(last: false) // a statement is prepared outside a pipeline only
        }
        let statement = try preparedName(sql, parameters: texts.count)
        roundTrips += 1
        let result: OpaquePointer? = withCStrings(texts) { pointers in
            if let statement {
                PQexecPrepared(handle, statement, Int32(texts.count), pointers, nil, nil, 0)
            } else {
                PQexecParams(handle, sql, Int32(texts.count), nil, pointers, nil, nil, 0)
            }
        }
        return try checked(result, sql: sql)
    }

    /// `result` when it succeeded; else its error, thrown (the result cleared).
    private func checked(_ result: OpaquePointer?, sql: String?) throws -> OpaquePointer {
        guard let result else {
            throw PGError(sqlState: "08006", message: String(cString: PQerrorMessage(handle)), detail: nil, connectionLost: true)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        default:
            defer { PQclear(result) }
            var error = PGError(result, connectionLost: PQstatus(handle) != CONNECTION_OK, fallback: String(cString: PQerrorMessage(handle)))
            if let sql { error.statement = sql }
            // "Current transaction is aborted": the error that aborted it is the one to tell
            // (and to retry by, where it was a lost race or connection).
            if error.sqlState == Self.transactionAborted, let abortedBy { throw abortedBy }
            throw error
        }
    }

    /// The server-side prepared statement for `sql`, prepared on first use: a posting runs the
    /// same few dozen statements again and again, and parsing and planning each anew was most
    /// of its time. Up to `preparedLimit` per connection (SQL built with values in it is run
    /// unprepared past that); nil for a statement not worth keeping.
    private func preparedName(_ sql: String, parameters: Int) throws -> String? {
        if let name = prepared[sql] { return name }
        guard prepared.count < Self.preparedLimit else { return nil }
        let name = "till_\(prepared.count)"
        roundTrips += 1
        guard let result = PQprepare(handle, name, sql, Int32(parameters), nil) else {
            throw PGError(sqlState: "08006", message: String(cString: PQerrorMessage(handle)), detail: nil, connectionLost: true)
        }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            var error = PGError(result, connectionLost: PQstatus(handle) != CONNECTION_OK, fallback: String(cString: PQerrorMessage(handle)))
            error.statement = sql
            throw error
        }
        prepared[sql] = name
        return name
    }

    private var prepared: [String: String] = [:]
    static let preparedLimit = 400

    /// Sealed rows this connection has proved, by the version proved (`Store.provedVersion`).
    var provedVersions: [String: String] = [:]

    /// The lookup's commonest prefixes' counts, once read (`Store.lookupPrefixCounts`).
    var lookupPrefixCounts: [String: Int]?

    /// One statement with no parameters, unprepared, and its rows (a cursor's FETCH).
    func query(_ sql: String) throws -> PGRows {
        try unprepared(sql) { PGRows($0) }
    }

    /// Runs several statements with no parameters (a migration's script) in one round trip.
    func executeScript(_ sql: String) throws {
        try unprepared(sql) { _ in () }
    }

    /// `sql` through PQexec (no parameters; several statements allowed), its result read by `read`.
    private func unprepared<T>(_ sql: String, _ read: (OpaquePointer) -> T) throws -> T {
        let result = try runUnprepared(sql)
        defer { PQclear(result) }
        return read(result)
    }

    private func runUnprepared(_ sql: String) throws -> OpaquePointer {
        dropReadAhead()
        if !unanswered.isEmpty { _ = try answer(last: false) }
        roundTrips += 1
        return try checked(PQexec(handle, sql), sql: nil)
    }

    // MARK: COPY

    /// `COPY table (columns) FROM STDIN` (`sql`), its rows in COPY's text format
    /// (`PGCopyText`): `row` appends one row to the buffer and says whether there was one;
    /// the buffer goes to the server a megabyte at a time while the next rows are made. An
    /// error of `row`'s ends the COPY (the server keeps none of it) and is thrown; the server's
    /// own (a refused row, with its line) is thrown once the rows are sent. Returns the rows.
    func copyIn(_ sql: String, row: (inout [UInt8]) throws -> Bool) throws -> Int {
        dropReadAhead()
        if !unanswered.isEmpty { _ = try answer(last: false) }
        roundTrips += 1
        guard let started = PQexec(handle, sql) else { throw lost() }
        guard PQresultStatus(started) == PGRES_COPY_IN else {
            _ = try checked(started, sql: sql)
            PQclear(started)
            throw LedgerError(.database, "The server did not take rows for \(sql.prefix(60))")
        }
        PQclear(started)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(Self.copyChunk + 4_096)
        var count = 0
        func send() throws {
            let sent = buffer.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
            }
            guard sent == 1 else { throw lost() }
            buffer.removeAll(keepingCapacity: true)
        }
        do {
            while try row(&buffer) {
                count += 1
                if buffer.count >= Self.copyChunk { try send() }
            }
            if !buffer.isEmpty { try send() }
        } catch {
            PQputCopyEnd(handle, "the rows could not be sent")
            while let result = PQgetResult(handle) { PQclear(result) }
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw lost() }
        var failure: Error?
        while let result = PQgetResult(handle) {
            guard failure == nil, PQresultStatus(result) != PGRES_COMMAND_OK else {
                PQclear(result)
                continue
            }
            do { PQclear(try checked(result, sql: sql)) } catch { failure = error } // a refusal's result is cleared by checked
        }
        if let failure { throw failure }
        return count
    }

    /// Bytes of COPY rows sent to the server at a time.
    static let copyChunk = 1 << 20

    // MARK: Statements answered later

    /// Whether `executeLater` may leave a statement unanswered until the next that needs an
    /// answer (a write's transaction, which nothing sees until it commits).
    var answersLater = false

    /// The statements sent and not yet answered (libpq's pipeline mode), for an error's message.
    private var unanswered: [String] = []

    /// The error of a statement answered later that aborted the transaction: a statement after
    /// it fails only with "current transaction is aborted" (25P02), and whoever swallowed the
    /// first (a `try?` that asks the server something) must not hide what went wrong.
    private var abortedBy: PGError?
    private static let transactionAborted = "25P02"

    /// Whether the connection is in the middle of a pipeline (never so when lent out).
    var isPipelining: Bool { PQpipelineStatus(handle) != PQ_PIPELINE_OFF }

    /// Runs a statement whose answer nobody reads (an insert): in a write (`answersLater`) it
    /// is sent at once and answered with the next statement that is read, or the COMMIT, in
    /// one round trip; a posting's inserts cost no round trip of their own. Its error, if it
    /// has one, is thrown there: the write stops and rolls back as it would have here.
    func executeLater(_ sql: String, _ parameters: [PGValue]) throws {
        guard answersLater else {
            PQclear(try run(sql, parameters))
            return
        }
        let texts = try Self.texts(parameters)
        dropReadAhead()
        if prepared[sql] == nil, !unanswered.isEmpty { _ = try answer(last: false) }
        guard let statement = try preparedName(sql, parameters: texts.count) else {
            PQclear(try run(sql, parameters)) // past the prepared limit: run it now
            return
        }
        try send(statement, texts, sql: sql)
    }

    // MARK: Reads asked for ahead

    /// Results read ahead of the code that asks for them (`readAhead(_:)`), each answered once.
    private var readAhead: [(sql: String, texts: [String?], result: OpaquePointer)] = []

    /// Sends these reads together, with whatever is unanswered, in one round trip; each result
    /// is kept for the first statement that asks for the same SQL with the same values. A
    /// statement that writes drops what is kept (it may change what they read), so a result
    /// handed out is what the read would have returned when asked.
    func readAhead(_ statements: [(sql: String, parameters: [PGValue])]) throws {
        dropReadAhead()
        guard !statements.isEmpty else { return }
        let texts = try statements.map { try Self.texts($0.parameters) }
        var names: [String] = []
        for (statement, values) in zip(statements, texts) {
            if prepared[statement.sql] == nil, !unanswered.isEmpty { _ = try answer(last: false) }
            guard let name = try preparedName(statement.sql, parameters: values.count) else { return } // past the limit: asked as usual
            names.append(name)
        }
        let before = unanswered.count
        for (index, name) in names.enumerated() { try send(name, texts[index], sql: statements[index].sql) }
        let results = try answer(keeping: Set(before..<(before + names.count)))
        for (index, statement) in statements.enumerated() {
            guard let result = results[before + index] else { continue }
            readAhead.append((statement.sql, texts[index], result))
        }
    }

    /// Whether a statement only reads (what a read ahead may be kept across).
    private static func isRead(_ sql: String) -> Bool {
        sql.drop(while: \.isWhitespace).prefix(6).uppercased() == "SELECT"
    }

    func dropReadAhead() {
        for kept in readAhead { PQclear(kept.result) }
        readAhead.removeAll()
    }

    /// Begins a transaction with the next statement that is answered, in its round trip (a
    /// read's `BEGIN … READ ONLY`: an account view's first statement and its BEGIN are one).
    func beginLater(_ begin: String) throws {
        abortedBy = nil
        if unanswered.isEmpty { guard PQenterPipelineMode(handle) == 1 else { throw lost() } }
        guard PQsendQueryParams(handle, begin, 0, nil, nil, nil, nil, 0) == 1 else { throw lost() }
        unanswered.append(begin)
    }

    /// Commits the transaction, with whatever is still unanswered, in one round trip.
    /// A transaction an error aborted is not committed: PostgreSQL answers its COMMIT with a
    /// ROLLBACK and no error, so the error that aborted it is thrown (the caller rolls back).
    func commit() throws {
        defer { abortedBy = nil }
        dropReadAhead()
        var status: String
        if unanswered.isEmpty {
            status = try unprepared("COMMIT") { String(cString: PQcmdStatus($0)) }
        } else {
            guard PQsendQueryParams(handle, "COMMIT", 0, nil, nil, nil, nil, 0) == 1 else { throw lost() }
            unanswered.append("COMMIT")
            guard let result = try answer(last: true) else { throw lost() }
            status = String(cString: PQcmdStatus(result))
            PQclear(result)
        }
        guard status == "COMMIT" else {
            throw abortedBy ?? PGError(sqlState: Self.transactionAborted, message: "the transaction was rolled back at its commit: an earlier "
                                       + "statement of it had failed", detail: nil, connectionLost: false)
        }
    }

    /// Rolls the transaction back; what was unanswered is read and dropped first (the write
    /// failed already, and its first error is the one being thrown).
    func rollback() throws {
        defer { abortedBy = nil }
        dropReadAhead()
        if !unanswered.isEmpty { _ = try? answer(last: false) }
        try executeScript("ROLLBACK")
    }

    /// Sends a prepared statement in the pipeline, entering it first where needed.
    private func send(_ statement: String, _ texts: [String?], sql: String) throws {
        if unanswered.isEmpty { guard PQenterPipelineMode(handle) == 1 else { throw lost() } }
        let sent = withCStrings(texts) { pointers in
            PQsendQueryPrepared(handle, statement, Int32(texts.count), pointers, nil, nil, 0)
        }
        guard sent == 1 else { throw lost() }
        unanswered.append(sql)
    }

    /// Ends the pipeline: a Sync, every statement's answer read in order, the pipeline left.
    /// With `last`, the last statement's result is the caller's (to clear). The first error
    /// of any statement is thrown, once everything is read.
    private func answer(last: Bool) throws -> OpaquePointer? {
        let index = unanswered.count - 1
        let results = try answer(keeping: last ? [index] : [])
        guard last else { return nil }
        guard let result = results[index] else { throw lost() }
        return result
    }

    /// The same, keeping the results of the statements at `keeping` (the caller's to clear).
    private func answer(keeping: Set<Int>) throws -> [Int: OpaquePointer] {
        let statements = unanswered
        guard !statements.isEmpty else { return [:] }
        unanswered.removeAll()
        roundTrips += 1
        guard PQpipelineSync(handle) == 1 else { throw lost() }
        var firstError: PGError?
        var kept: [Int: OpaquePointer] = [:]
        for (index, sql) in statements.enumerated() {
            while let result = PQgetResult(handle) {
                switch PQresultStatus(result) {
                case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                    if keeping.contains(index), kept[index] == nil { kept[index] = result } else { PQclear(result) }
                case PGRES_PIPELINE_ABORTED:
                    PQclear(result) // skipped after an earlier statement's error
                default:
                    if firstError == nil {
                        firstError = PGError(result, connectionLost: PQstatus(handle) != CONNECTION_OK,
                                             fallback: String(cString: PQerrorMessage(handle)))
                        firstError?.statement = sql
                    }
                    PQclear(result)
                }
            }
            if PQstatus(handle) != CONNECTION_OK { break }
        }
        if PQstatus(handle) == CONNECTION_OK, let sync = PQgetResult(handle) { PQclear(sync) } // the Sync's own
        _ = PQexitPipelineMode(handle)
        if firstError == nil, PQstatus(handle) != CONNECTION_OK || kept.count != keeping.count { firstError = lost() }
        if let firstError {
            kept.values.forEach { PQclear($0) }
            if firstError.sqlState == Self.transactionAborted, let abortedBy { throw abortedBy }
            abortedBy = abortedBy ?? firstError
            throw firstError
        }
        return kept
    }

    /// The connection broke while statements were in flight.
    private func lost() -> PGError {
        PGError(sqlState: "08006", message: String(cString: PQerrorMessage(handle)), detail: nil, connectionLost: true)
    }

    /// The values as libpq takes them: C strings, so a NUL would end a value there and store
    /// the rest silently.
    private static func texts(_ parameters: [PGValue]) throws -> [String?] {
        let texts: [String?] = parameters.map(\.text)
        if let index = texts.firstIndex(where: { $0?.utf8.contains(0) == true }) {
            throw LedgerError(.invalid, "Value \(index + 1) holds a NUL character: refused, nothing was written")
        }
        return texts
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try executeScript("BEGIN")
        do {
            let value = try body()
            try executeScript("COMMIT")
            return value
        } catch {
            if isUp { try? executeScript("ROLLBACK") }
            throw error
        }
    }

    private func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let owned: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
        defer { owned.forEach { free($0) } }
        return body(owned.map { $0.map { UnsafePointer($0) } })
    }
}

/// A value bound to a statement's parameter, sent as text.
enum PGValue: Sendable, Equatable {
    case null
    case int(Int64)
    case text(String)
    case bool(Bool)
    case bytes([UInt8])

    var text: String? {
        switch self {
        case .null: nil
        case .int(let value): String(value)
        case .text(let value): value
        case .bool(let value): value ? "t" : "f"
        case .bytes(let value): "\\x" + value.map { String($0, radix: 16).leftZeroPaddedHex }.joined()
        }
    }
}

private extension String {
    var leftZeroPaddedHex: String { count == 1 ? "0" + self : self }
}

/// A statement's rows, read out of libpq's result as text.
struct PGRows: Sendable {
    let columns: [String]
    /// Each column's type (its OID): whole numbers, booleans and bytes decode as such.
    let types: [UInt32]
    let rows: [[String?]]

    init(columns: [String], rows: [[String?]]) {
        self.columns = columns
        self.types = columns.map { _ in 25 }
        self.rows = rows
    }

    init(_ result: OpaquePointer) {
        let columnCount = PQnfields(result), rowCount = PQntuples(result)
        columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        types = (0..<columnCount).map { UInt32(PQftype(result, $0)) }
        rows = (0..<rowCount).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
    }

    var count: Int { rows.count }
    var isEmpty: Bool { rows.isEmpty }

    /// The first row's first value (a count, an id).
    var scalar: String? { rows.first?.first ?? nil }

    /// The rows for the store, each value as the ledger stores it: bigint, integer and boolean
    /// as whole numbers, bytea as bytes, the rest as text — so a row digests the same on both
    /// engines.
    var sqlRows: [SQLRow] {
        let names = SQLColumnNames(columns)
        return rows.map { row in
            SQLRow(columns: names, values: row.enumerated().map { index, text in
                guard let text else { return .null }
                switch types[index] {
                case 20, 21, 23: return Int64(text).map(SQLValue.int) ?? .text(text)
                case 16: return .int(text == "t" ? 1 : 0)
                case 17: return PGRow(columns: [""], values: [text]).bytesOrNil(0).map(SQLValue.blob) ?? .text(text)
                default: return .text(text)
                }
            })
        }
    }
    var all: [PGRow] { rows.map { PGRow(columns: columns, values: $0) } }

    /// `result`'s rows as `sqlRows` gives them, read straight from libpq's buffers: whole
    /// numbers parsed from their digits, booleans from their letter, bytea from its hex form,
    /// only text made into strings. A value that does not parse as its type says it is stays
    /// text, as `sqlRows` keeps it.
    static func sqlRows(of result: OpaquePointer) -> [SQLRow] {
        let columnCount = PQnfields(result), rowCount = PQntuples(result)
        guard rowCount > 0 else { return [] }
        let names = SQLColumnNames((0..<columnCount).map { String(cString: PQfname(result, $0)) })
        let types = (0..<columnCount).map { UInt32(PQftype(result, $0)) }
        var rows: [SQLRow] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) == 1 { values.append(.null); continue }
                let bytes = UnsafeRawBufferPointer(start: PQgetvalue(result, row, column), count: Int(PQgetlength(result, row, column)))
                    .bindMemory(to: UInt8.self)
                values.append(value(bytes, type: types[Int(column)]))
            }
            rows.append(SQLRow(columns: names, values: values))
        }
        return rows
    }

    /// A value (not NULL) of a column of `type` as the store reads it: whole numbers parsed
    /// from their digits, booleans from their letter, bytea from its hex form, the rest text.
    /// A value that does not parse as its type says it is stays text.
    static func value(_ bytes: UnsafeBufferPointer<UInt8>, type: UInt32) -> SQLValue {
        switch type {
        case let type where PGResult.isWholeNumber(type): wholeNumber(bytes).map(SQLValue.int) ?? .text(String(decoding: bytes, as: UTF8.self))
        case PGResult.boolean: .int(bytes.first == UInt8(ascii: "t") ? 1 : 0)
        case PGResult.bytea: hexBytes(bytes).map(SQLValue.blob) ?? .text(String(decoding: bytes, as: UTF8.self))
        default: .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// A whole number in decimal digits with an optional minus (what the server sends for
    /// bigint, integer and smallint), or nil where it is not one or does not fit.
    static func wholeNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        let negative = bytes[0] == UInt8(ascii: "-")
        let digits = negative ? UnsafeBufferPointer(rebasing: bytes[1...]) : bytes
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            // Built negative, so Int64.min fits.
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowMinus) = times.subtractingReportingOverflow(digit)
            guard !overflowTimes, !overflowMinus else { return nil }
            value = next
        }
        if negative { return value }
        return value == Int64.min ? nil : -value
    }

    /// bytea's hex form (`\x…`), or nil where it is not that.
    static func hexBytes(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard text.count >= 2, text.count % 2 == 0, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x") else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2 - 1)
        var index = 2
        while index < text.count {
            guard let high = PGRow.nibble(text[index]), let low = PGRow.nibble(text[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}

/// One row: values by place or by column name, as Swift values.
struct PGRow: Sendable {
    let columns: [String]
    let values: [String?]

    func text(_ column: Int) -> String? { values[column] }

    func text(_ name: String) -> String? {
        guard let index = columns.firstIndex(of: name) else { return nil }
        return values[index]
    }

    func int(_ column: Int) throws -> Int64? {
        guard let text = values[column] else { return nil }
        guard let value = Int64(text) else { throw LedgerError(.database, "Column \(columns[column]) holds \(text), not a whole number") }
        return value
    }

    func bool(_ column: Int) -> Bool? { values[column].map { $0 == "t" || $0 == "true" || $0 == "1" } }

    /// A `bytea` value, or nil where the column is NULL or not bytea's hex form.
    func bytesOrNil(_ column: Int) -> [UInt8]? { (try? bytes(column)) ?? nil }

    /// A `bytea` value (the server's hex form, `\x…`).
    func bytes(_ column: Int) throws -> [UInt8]? {
        guard let text = values[column] else { return nil }
        guard text.hasPrefix("\\x"), text.utf8.count % 2 == 0 else { throw LedgerError(.database, "Column \(columns[column]) is not bytea in hex") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count / 2 - 1)
        var high: UInt8?
        for byte in text.utf8.dropFirst(2) {
            guard let nibble = Self.nibble(byte) else { throw LedgerError(.database, "Column \(columns[column]) is not bytea in hex") }
            if let first = high { bytes.append(first << 4 | nibble); high = nil } else { high = nibble }
        }
        return bytes
    }

    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A statement's result as libpq holds it, read in place: no copy of a value is made until one
/// is asked for (`RawCursor` walks hundreds of thousands of rows a settlement or verify).
final class PGResult {
    private let pointer: OpaquePointer
    let rowCount: Int32
    let columnCount: Int32
    /// Each column's type (its OID).
    let types: [UInt32]

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
        rowCount = PQntuples(pointer)
        columnCount = PQnfields(pointer)
        types = (0..<columnCount).map { UInt32(PQftype(pointer, $0)) }
    }

    deinit { PQclear(pointer) }

    func isNull(_ row: Int32, _ column: Int32) -> Bool { PQgetisnull(pointer, row, column) == 1 }

    /// The value's bytes as the server sent them in text form (empty for NULL).
    func bytes(_ row: Int32, _ column: Int32) -> UnsafeBufferPointer<UInt8> {
        UnsafeRawBufferPointer(start: PQgetvalue(pointer, row, column), count: Int(PQgetlength(pointer, row, column)))
            .bindMemory(to: UInt8.self)
    }

    /// Whether a column of `type` holds whole numbers (bigint, integer, smallint).
    static func isWholeNumber(_ type: UInt32) -> Bool { type == 20 || type == 21 || type == 23 }
    static let boolean: UInt32 = 16
    static let bytea: UInt32 = 17
    /// Whether the store reads a column of `type` as text (not a number, boolean or bytes).
    static func isText(_ type: UInt32) -> Bool { type != boolean && type != bytea && !isWholeNumber(type) }
}

import Foundation
import GRDB

/// The ledger's connection inside one read or write, whichever engine holds the books: the
/// seam between the ledger's rules and SQLite or PostgreSQL. The rules speak SQL through it
/// (`execute`, `cachedStatement`, and `fetchOne`/`fetchAll` on `SQLRow` and on the column types);
/// where the two engines need different SQL, the feature keeps both in one place and asks
/// `engine`. A `Store` lives only as long as the closure it was handed to.
struct Store {
    enum Engine {
        case sqlite(Database)
        case postgres(PGConnection)
    }

    let engine: Engine

    init(_ database: Database) {
        engine = .sqlite(database)
    }

    init(_ connection: PGConnection) {
        engine = .postgres(connection)
    }

    var isPostgres: Bool {
        if case .postgres = engine { true } else { false }
    }

    /// The SQLite connection, for what only SQLite has (its functions, its raw statement API
    /// for bulk loads and the verify walk). Reaching it on PostgreSQL is a programming error.
    var sqlite: Database {
        guard case .sqlite(let database) = engine else { preconditionFailure("a SQLite-only path was taken on PostgreSQL") }
        return database
    }

    /// Runs one statement, or several separated by `;` when there are no arguments.
    func execute(sql: String, arguments: SQLArguments = []) throws {
        switch engine {
        case .sqlite(let db):
            try db.execute(sql: sql, arguments: arguments.grdb)
        case .postgres(let db):
            if arguments.values.isEmpty {
                try db.executeScript(sql)
            } else {
                try db.executeLater(PGDialect.translated(sql), arguments.pg)
            }
        }
    }

    /// Reads about to be made, asked for together in one round trip (PostgreSQL: each
    /// statement is a round trip there; a write's reads before it writes, a lookup's two).
    /// Each is answered to the first statement that asks for the same SQL with the same
    /// values, until a write in between; what is left is dropped when the connection goes back
    /// to the pool. On SQLite nothing: a read is a call into the library.
    func readAhead(_ reads: [(sql: String, arguments: SQLArguments)]) throws {
        guard case .postgres(let db) = engine else { return }
        try db.readAhead(reads.map { (PGDialect.translated($0.sql), $0.arguments.pg) })
    }

    /// The row version (PostgreSQL's `xmin/ctid`) this connection last proved to be as Till
    /// sealed it, for `what`; nil on SQLite, or before one was proved on this connection.
    func provedVersion(of what: String) -> String? {
        guard case .postgres(let db) = engine else { return nil }
        return db.provedVersions[what]
    }

    /// Notes that `version` of the row for `what` was proved sealed on this connection.
    func noteProved(_ what: String, version: String) {
        guard case .postgres(let db) = engine else { return }
        db.provedVersions[what] = version
    }

    /// On PostgreSQL, the planner's counts of the lookup's commonest word prefixes (migration
    /// 13), as accounts with each: read once per connection (10,000 at most), so a lookup can
    /// start from its rarest word. Empty on SQLite, and where the server has no counts yet.
    func lookupPrefixCounts() throws -> [String: Int] {
        guard case .postgres(let db) = engine else { return [:] }
        if let counts = db.lookupPrefixCounts { return counts }
        let counts = try AccountSearch.prefixCounts(db)
        db.lookupPrefixCounts = counts
        return counts
    }

    /// A statement prepared once per connection and reused (the write path's statements).
    func cachedStatement(sql: String) throws -> SQLStatement {
        switch engine {
        case .sqlite(let db): SQLStatement(store: self, sql: sql, sqlite: try db.cachedStatement(sql: sql))
        case .postgres: SQLStatement(store: self, sql: PGDialect.translated(sql), sqlite: nil)
        }
    }

    /// A statement prepared for this use only (the demo's bulk load).
    func makeStatement(sql: String) throws -> SQLStatement {
        switch engine {
        case .sqlite(let db): SQLStatement(store: self, sql: sql, sqlite: try db.makeStatement(sql: sql))
        case .postgres: SQLStatement(store: self, sql: PGDialect.translated(sql), sqlite: nil)
        }
    }

    /// The row id the last INSERT made on this connection.
    var lastInsertedRowID: Int64 {
        switch engine {
        case .sqlite(let db):
            return db.lastInsertedRowID
        case .postgres(let db):
            // An identity column draws from a sequence; lastval() is this session's last draw.
            return (try? db.execute("SELECT lastval()").scalar.flatMap { Int64($0) }) ?? 0
        }
    }

    /// The texts of a group joined with `separator`, in `order` (SQLite joins them in the order
    /// it reads the rows; PostgreSQL is told the order): `group_concat` or `string_agg`.
    /// With `distinct`, each text once, joined by a comma.
    func joinedText(_ expression: String, separator: String = ",", order: String, distinct: Bool = false) -> String {
        switch engine {
        case .sqlite:
            distinct ? "group_concat(DISTINCT \(expression))" : "group_concat(\(expression), '\(separator)')"
        case .postgres:
            distinct ? "string_agg(DISTINCT (\(expression))::text, ',' ORDER BY (\(expression))::text)"
                : "string_agg((\(expression))::text, '\(separator)' ORDER BY \(order))"
        }
    }

    /// The smaller of two values in one row: SQLite's two-argument `MIN` is PostgreSQL's `LEAST`
    /// (neither value may be NULL: the two treat NULL differently).
    func least(_ first: String, _ second: String) -> String {
        switch engine {
        case .sqlite: "MIN(\(first), \(second))"
        case .postgres: "LEAST(\(first), \(second))"
        }
    }

    /// The larger of two values in one row: SQLite's two-argument `MAX`, PostgreSQL's `GREATEST`.
    func greatest(_ first: String, _ second: String) -> String {
        switch engine {
        case .sqlite: "MAX(\(first), \(second))"
        case .postgres: "GREATEST(\(first), \(second))"
        }
    }

    func rows(sql: String, arguments: SQLArguments) throws -> [SQLRow] {
        switch engine {
        case .sqlite(let db):
            return try SQLiteDirect.rows(db.makeStatement(sql: sql), arguments.values)
        case .postgres(let db):
            return try db.rows(PGDialect.translated(sql), arguments.pg)
        }
    }
}

/// A prepared statement of either engine.
struct SQLStatement {
    let store: Store
    let sql: String
    let sqlite: Statement?

    func execute(arguments: SQLArguments = []) throws {
        if let sqlite {
            try SQLiteDirect.execute(sqlite, arguments.values)
        } else if case .postgres(let db) = store.engine {
            try db.executeLater(sql, arguments.pg)
        }
    }

    func rows(arguments: SQLArguments) throws -> [SQLRow] {
        if let sqlite { return try SQLiteDirect.rows(sqlite, arguments.values) }
        guard case .postgres(let db) = store.engine else { return [] }
        return try db.rows(sql, arguments.pg)
    }

    func firstRow(arguments: SQLArguments) throws -> SQLRow? {
        if let sqlite { return try SQLiteDirect.rows(sqlite, arguments.values, limit: 1).first }
        return try rows(arguments: arguments).first
    }
}

/// A value as the ledger stores it: whole numbers (money is cents), text, bytes, or nothing.
enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case text(String)
    case blob([UInt8])

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let int): self = .int(int)
        case .string(let text): self = .text(text)
        case .blob(let data): self = .blob(Array(data))
        // No column of the ledger holds a floating value; an expression that made one is
        // kept as its text rather than rounded.
        default: self = .text(value.description)
        }
    }

    var grdb: DatabaseValue {
        switch self {
        case .null: .null
        case .int(let int): int.databaseValue
        case .text(let text): text.databaseValue
        case .blob(let bytes): Data(bytes).databaseValue
        }
    }

    var pg: PGValue {
        switch self {
        case .null: .null
        case .int(let int): .int(int)
        case .text(let text): .text(text)
        case .blob(let bytes): .bytes(bytes)
        }
    }
}

/// A Swift value that binds to a statement's parameter.
protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

extension Int64: SQLBindable { var sqlValue: SQLValue { .int(self) } }
extension Int: SQLBindable { var sqlValue: SQLValue { .int(Int64(self)) } }
extension Int32: SQLBindable { var sqlValue: SQLValue { .int(Int64(self)) } }
extension String: SQLBindable { var sqlValue: SQLValue { .text(self) } }
extension Substring: SQLBindable { var sqlValue: SQLValue { .text(String(self)) } }
extension Bool: SQLBindable { var sqlValue: SQLValue { .int(self ? 1 : 0) } }
extension Data: SQLBindable { var sqlValue: SQLValue { .blob(Array(self)) } }
extension SQLValue: SQLBindable { var sqlValue: SQLValue { self } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// A statement's arguments, written as an array literal: `[accountID, day.description, nil]`.
struct SQLArguments: ExpressibleByArrayLiteral, Sendable {
    var values: [SQLValue]

    init(arrayLiteral elements: (any SQLBindable)?...) {
        values = elements.map { $0?.sqlValue ?? .null }
    }

    init(_ elements: [(any SQLBindable)?]) {
        values = elements.map { $0?.sqlValue ?? .null }
    }

    init<S: Sequence>(_ elements: S) where S.Element: SQLBindable {
        values = elements.map(\.sqlValue)
    }

    init(values: [SQLValue]) {
        self.values = values
    }

    static func + (lhs: SQLArguments, rhs: SQLArguments) -> SQLArguments {
        SQLArguments(values: lhs.values + rhs.values)
    }

    static func += (lhs: inout SQLArguments, rhs: SQLArguments) {
        lhs.values += rhs.values
    }

    mutating func append(contentsOf other: SQLArguments) {
        values += other.values
    }

    /// GRDB's initializer for a sequence of one concrete type maps it with a key path that is
    /// built at run time on every call (a tenth of a payment file's import went there); the
    /// existential one maps with a closure.
    var grdb: StatementArguments { StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in value.grdb }) }
    var pg: [PGValue] { values.map(\.pg) }
}

/// One row of a result: values by place or by column name, as the type asked for.
struct SQLRow {
    let columns: SQLColumnNames
    let values: [SQLValue]

    init(columns: SQLColumnNames, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    init(_ row: Row, columns: SQLColumnNames? = nil) {
        self.columns = columns ?? SQLColumnNames(Array(row.columnNames))
        values = row.databaseValues.map(SQLValue.init)
    }

    var count: Int { values.count }

    subscript<T: SQLColumn>(_ index: Int) -> T {
        guard let value = T.decode(values[index]) else {
            preconditionFailure("column \(index) (\(columns.names[index])) is \(values[index]), not \(T.self)")
        }
        return value
    }

    subscript<T: SQLColumn>(_ index: Int) -> T? {
        values[index] == .null ? nil : T.decode(values[index])
    }

    subscript<T: SQLColumn>(_ name: String) -> T {
        guard let index = columns.index(name) else { preconditionFailure("no column \(name)") }
        return self[index]
    }

    subscript<T: SQLColumn>(_ name: String) -> T? {
        guard let index = columns.index(name) else { preconditionFailure("no column \(name)") }
        return self[index]
    }

    static func fetchAll(_ db: Store, sql: String, arguments: SQLArguments = []) throws -> [SQLRow] {
        try db.rows(sql: sql, arguments: arguments)
    }

    static func fetchOne(_ db: Store, sql: String, arguments: SQLArguments = []) throws -> SQLRow? {
        switch db.engine {
        case .sqlite(let database): try SQLiteDirect.rows(database.makeStatement(sql: sql), arguments.values, limit: 1).first
        case .postgres: try db.rows(sql: sql, arguments: arguments).first
        }
    }

    static func fetchAll(_ statement: SQLStatement, arguments: SQLArguments = []) throws -> [SQLRow] {
        try statement.rows(arguments: arguments)
    }

    static func fetchOne(_ statement: SQLStatement, arguments: SQLArguments = []) throws -> SQLRow? {
        try statement.firstRow(arguments: arguments)
    }

    /// Rows one at a time (a whole ledger's postings, a million accounts): SQLite steps its
    /// statement as the caller goes; PostgreSQL's rows come in one result.
    static func fetchCursor(_ db: Store, sql: String, arguments: SQLArguments = []) throws -> SQLRowCursor {
        switch db.engine {
        case .sqlite(let database): SQLRowCursor(try Row.fetchCursor(database, sql: sql, arguments: arguments.grdb))
        case .postgres: SQLRowCursor(try db.rows(sql: sql, arguments: arguments))
        }
    }
}

/// Column names shared by the rows of one result (a row has a handful: found by looking).
final class SQLColumnNames: Sendable {
    let names: [String]

    init(_ names: [String]) {
        self.names = names
    }

    func index(_ name: String) -> Int? { names.firstIndex(of: name) }
}

/// Rows read one at a time.
final class SQLRowCursor {
    private var sqlite: RowCursor?
    private var buffered: IndexingIterator<[SQLRow]>?
    private var names: SQLColumnNames?

    init(_ cursor: RowCursor) { sqlite = cursor }
    init(_ rows: [SQLRow]) { buffered = rows.makeIterator() }

    func next() throws -> SQLRow? {
        if let sqlite {
            guard let row = try sqlite.next() else { return nil }
            // One list of column names for all the rows (a million of them, for verify).
            if names == nil { names = SQLColumnNames(Array(row.columnNames)) }
            return SQLRow(row, columns: names)
        }
        return buffered?.next()
    }

    func forEach(_ body: (SQLRow) throws -> Void) throws {
        while let row = try next() { try body(row) }
    }
}

/// A Swift value a column's value decodes to.
protocol SQLColumn {
    static func decode(_ value: SQLValue) -> Self?
}

extension SQLColumn {
    static func fetchOne(_ db: Store, sql: String, arguments: SQLArguments = []) throws -> Self? {
        try SQLRow.fetchOne(db, sql: sql, arguments: arguments).flatMap { $0.values.first.flatMap(decode) }
    }

    static func fetchAll(_ db: Store, sql: String, arguments: SQLArguments = []) throws -> [Self] {
        try db.rows(sql: sql, arguments: arguments).compactMap { $0.values.first.flatMap(decode) }
    }

    static func fetchOne(_ statement: SQLStatement, arguments: SQLArguments = []) throws -> Self? {
        try statement.firstRow(arguments: arguments).flatMap { $0.values.first.flatMap(decode) }
    }

    static func fetchAll(_ statement: SQLStatement, arguments: SQLArguments = []) throws -> [Self] {
        try statement.rows(arguments: arguments).compactMap { $0.values.first.flatMap(decode) }
    }
}

extension Int64: SQLColumn {
    static func decode(_ value: SQLValue) -> Int64? {
        switch value {
        case .int(let int): int
        // PostgreSQL sends every value as text; a boolean expression as t or f.
        case .text(let text): Int64(text) ?? (text == "t" ? 1 : text == "f" ? 0 : nil)
        default: nil
        }
    }
}

extension Int: SQLColumn {
    static func decode(_ value: SQLValue) -> Int? { Int64.decode(value).map { Int($0) } }
}

extension Bool: SQLColumn {
    static func decode(_ value: SQLValue) -> Bool? { Int64.decode(value).map { $0 != 0 } }
}

extension String: SQLColumn {
    static func decode(_ value: SQLValue) -> String? {
        switch value {
        case .text(let text): text
        case .int(let int): String(int)
        case .blob(let bytes): String(decoding: bytes, as: UTF8.self)
        case .null: nil
        }
    }
}

extension Data: SQLColumn {
    static func decode(_ value: SQLValue) -> Data? {
        switch value {
        case .blob(let bytes): Data(bytes)
        // PostgreSQL's bytea in its hex form.
        case .text(let text): PGRow(columns: [""], values: [text]).bytesOrNil(0).map { Data($0) }
        default: nil
        }
    }
}


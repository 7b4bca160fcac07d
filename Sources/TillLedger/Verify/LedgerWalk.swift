import Crypto
import Foundation
import Synchronization
import GRDB
import GRDBSQLite
import TillCore

/// One pass over every transaction with its postings and tenders, in id order, stepped through
/// SQLite's C API: it recomputes the hash chain and re-adds each transaction's postings and
/// tenders on the way. On a sound ledger that is all `verify` needs for checks 3, 5, 9 and 11; where
/// the walk sees anything wrong, the check's own SQL (or `Chain.fault`) runs to name the fault,
/// so a fault is always described the same way however it was found.
struct LedgerWalk {
    /// Every transaction sealed in order, each seal what its content and the seal before make.
    var chainIntact = true
    /// A transaction whose postings do not add up to zero, or has fewer than two of them, or a
    /// posting that points at no transaction.
    var unbalanced = false
    /// A transaction whose tenders differ from what it debits to the tender books.
    var tendersDiffer = false
    /// The tenders added up by day, drawer, kind and whether a receipt was issued: what
    /// `tender_totals` must hold.
    var tenderTotals: [TenderTotal.Key: TenderTotal] = [:]
    /// What each business day's postings leave in the drawer books (cash, safe, checks, money
    /// orders): nothing, once a closed day's deposit has taken it to the bank.
    var drawerBooks: [String: Int64] = [:]

    /// One row of `tender_totals`.
    struct TenderTotal: Equatable {
        struct Key: Hashable {
            var businessDate: String
            var drawer: Int64
            var kind: String
            var receipt: Bool
        }
        var count: Int64 = 0
        var amount: Int64 = 0
    }

    /// Transaction kinds whose tenders count as receipts in `tender_totals`.
    private static let receiptKinds = ["payment", "misc-receipt", "void"].map { Array($0.utf8) }

    static func run(_ db: Store) throws -> LedgerWalk { try run(db, sealingAfter: nil) }

    /// The walk's three reads: of everything (verify), or after a transaction id (a write's seal).
    private static func reads(after: Int64?) -> (transactions: String, postings: String, tenders: String) {
        let transactionRange = after == nil ? "" : " WHERE id > ?"
        let contentRange = after == nil ? "" : " WHERE transaction_id > ?"
        return ("SELECT \(Chain.transactionColumns) FROM transactions\(transactionRange) ORDER BY id",
                "SELECT transaction_id, \(Chain.postingColumns) FROM postings\(contentRange) ORDER BY transaction_id, id",
                "SELECT transaction_id, \(Chain.tenderColumns) FROM tenders\(contentRange) ORDER BY transaction_id, id")
    }

    /// What sealing after `after` reads first, to be asked for ahead with others.
    static func sealReads(after: Int64) -> [(sql: String, arguments: SQLArguments)] {
        let reads = Self.reads(after: after)
        return [(reads.transactions, [after]), (reads.postings, [after]), (reads.tenders, [after]), (Chain.newestSealSQL, [])]
    }

    /// Seals every transaction after `after` in id order, chained to the newest seal, in one
    /// pass (a migration, the demo load, the benchmark's floor).
    static func seal(_ db: Store, after: Int64) throws {
        _ = try run(db, sealingAfter: after)
    }

    /// Verifies the seals (nil), or writes them for the transactions after `sealingAfter`.
    private static func run(_ db: Store, sealingAfter: Int64?) throws -> LedgerWalk {
        var walk = LedgerWalk()
        let arguments: SQLArguments? = sealingAfter.map { [$0] }
        let reads = Self.reads(after: sealingAfter)
        let seals = try sealingAfter == nil ? RawCursor(db, "SELECT transaction_id, hash FROM transaction_hashes ORDER BY seq") : nil
        let insert = try sealingAfter == nil ? nil : db.cachedStatement(sql: "INSERT INTO transaction_hashes(transaction_id, hash) VALUES (?, ?)")
        let transactions = try RawCursor(db, reads.transactions, arguments: arguments)
        let postings = try RawCursor(db, reads.postings, arguments: arguments)
        let tenders = try RawCursor(db, reads.tenders, arguments: arguments)
        var previous = try sealingAfter == nil ? [] : Array(Chain.newestSeal(db))
        let verifying = sealingAfter == nil // sealing skips the tender totals
        let tenderBooks = TenderKind.allCases.map { Array($0.book.rawValue.utf8) }
        let drawerBooks = [BookAccount.drawerCash, .safe, .checksOnHand, .moneyOrdersOnHand].map { Array($0.rawValue.utf8) }
        var text = ChainText()

        while transactions.hasRow {
            let id = transactions.int(0)
            while postings.hasRow && postings.int(0) < id {
                walk.unbalanced = true // a posting of no transaction
                try postings.advance()
            }
            while tenders.hasRow && tenders.int(0) < id { try tenders.advance() } // the foreign-key check names these

            text.start()
            transactions.append(from: 0, to: &text)
            var sum: Int64 = 0, count = 0, overflow = false
            var tenderBookSum: Int64 = 0, drawerBookSum: Int64 = 0
            while postings.hasRow && postings.int(0) == id {
                text.mark(UInt8(ascii: "P"))
                postings.append(from: 1, to: &text)
                let amount = postings.int(3)
                var sumOverflow = false, bookOverflow = false
                (sum, sumOverflow) = sum.addingReportingOverflow(amount)
                if tenderBooks.contains(where: { postings.textEquals(1, $0) }) {
                    (tenderBookSum, bookOverflow) = tenderBookSum.addingReportingOverflow(amount)
                }
                if verifying && (postings.textEquals(1, drawerBooks[0]) || drawerBooks.dropFirst().contains(where: { postings.textEquals(1, $0) })) {
                    drawerBookSum &+= amount
                }
                overflow = overflow || sumOverflow || bookOverflow
                count += 1
                try postings.advance()
            }
            var tendered: Int64 = 0, tenderCount = 0
            var totalsKey: TenderTotal.Key?
            if verifying && tenders.hasRow && tenders.int(0) == id {
                totalsKey = .init(businessDate: transactions.string(2), drawer: transactions.int(10), kind: "",
                                  receipt: Self.receiptKinds.contains { transactions.textEquals(1, $0) })
            }
            while tenders.hasRow && tenders.int(0) == id {
                if var key = totalsKey {
                    key.kind = tenders.string(1)
                    walk.tenderTotals[key, default: TenderTotal()].add(tenders.int(2))
                }
                text.mark(UInt8(ascii: "T"))
                tenders.append(from: 1, to: &text)
                var tenderOverflow = false
                (tendered, tenderOverflow) = tendered.addingReportingOverflow(tenders.int(2))
                overflow = overflow || tenderOverflow
                tenderCount += 1
                try tenders.advance()
            }
            if drawerBookSum != 0 { walk.drawerBooks[transactions.string(2), default: 0] &+= drawerBookSum }
            if sum != 0 || count < 2 || overflow { walk.unbalanced = true }
            if tenderCount > 0 && (tendered != tenderBookSum || overflow) { walk.tendersDiffer = true }

            if let insert {
                previous = text.seal(after: previous)
                try insert.execute(arguments: [id, Data(previous)])
            } else if let seals, walk.chainIntact {
                if seals.hasRow && seals.int(0) == id {
                    let seal = text.seal(after: previous)
                    if seals.blobEquals(1, seal) { previous = seal } else { walk.chainIntact = false }
                    try seals.advance()
                } else {
                    walk.chainIntact = false
                }
            }
            try transactions.advance()
        }
        if postings.hasRow { walk.unbalanced = true }
        if seals?.hasRow == true { walk.chainIntact = false }
        return walk
    }
}

extension LedgerWalk.TenderTotal {
    mutating func add(_ cents: Int64) {
        count += cents > 0 ? 1 : -1
        amount = amount &+ cents
    }

    /// `tender_totals` as stored.
    static func stored(_ db: Store) throws -> [Key: Self] {
        var totals: [Key: Self] = [:]
        for row in try SQLRow.fetchAll(db, sql: "SELECT business_date, drawer_session_id, kind, receipt, count, amount_cents FROM tender_totals") {
            totals[Key(businessDate: row[0], drawer: row[1], kind: row[2], receipt: row[3])] = Self(count: row[4], amount: row[5])
        }
        return totals
    }
}

/// A chain seal's input, built in bytes exactly as `Chain.field` builds it in text.
struct ChainText {
    private(set) var bytes: [UInt8] = []
    private static let prefix = Array("till-chain-v1|".utf8)

    init() { bytes.reserveCapacity(1_024) }

    mutating func start() {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: Self.prefix)
    }

    mutating func mark(_ byte: UInt8) { bytes.append(byte) }

    mutating func null() { bytes.append(UInt8(ascii: "-")); bytes.append(UInt8(ascii: ";")) }

    mutating func integer(_ value: Int64) {
        bytes.append(UInt8(ascii: "i"))
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        decimal(value.magnitude)
        bytes.append(UInt8(ascii: ";"))
    }

    /// Whether `digits` are a whole number as `integer` writes one: a minus only before a
    /// number that is not zero, no zero in front (the form PostgreSQL sends).
    static func isCanonical(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        let negative = digits.first == UInt8(ascii: "-")
        let start = negative ? 1 : 0
        guard digits.count > start else { return false }
        return digits[start] != UInt8(ascii: "0") || digits.count == 1
    }

    /// A whole number from its decimal digits (and minus), written as `integer` writes it.
    mutating func integerDigits(_ digits: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "i"))
        bytes.append(contentsOf: digits)
        bytes.append(UInt8(ascii: ";"))
    }

    mutating func text(_ pointer: UnsafePointer<UInt8>?, count: Int) {
        bytes.append(UInt8(ascii: "s"))
        decimal(UInt64(count))
        bytes.append(UInt8(ascii: ":"))
        if let pointer, count > 0 { bytes.append(contentsOf: UnsafeBufferPointer(start: pointer, count: count)) }
        bytes.append(UInt8(ascii: ";"))
    }

    mutating func real(_ bitPattern: UInt64) {
        bytes.append(UInt8(ascii: "d"))
        decimal(bitPattern)
        bytes.append(UInt8(ascii: ";"))
    }

    mutating func blob(_ data: Data) {
        bytes.append(UInt8(ascii: "b"))
        decimal(UInt64(data.count))
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: data.base64EncodedString().utf8)
        bytes.append(UInt8(ascii: ";"))
    }

    private mutating func decimal(_ value: UInt64) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    /// SHA-256 of the previous seal and this content.
    func seal(after previous: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        previous.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Array(hasher.finalize())
    }
}

/// A read-only statement stepped one row ahead: on SQLite through its C API (no row objects:
/// verify walks millions), on PostgreSQL over libpq's result, read in place.
final class RawCursor {
    private let statement: Statement?
    private let raw: SQLiteStatement?
    private let connection: SQLiteConnection?
    /// On PostgreSQL, the rows in hand and the one the cursor is on.
    private var result: PGResult?
    private var row: Int32 = -1
    /// On PostgreSQL, a whole-table walk is a server-side cursor read a chunk at a time (verify
    /// walks millions of rows; holding them all would take gigabytes).
    private let walk: (connection: PGConnection, cursor: String)?
    private var walkEnded = false
    private static let chunk = 20_000
    private static let cursors = Atomic<Int>(0)
    private(set) var columns: Int32
    private(set) var hasRow = false

    /// A statement with arguments is taken from the connection's cache (a posting seals with
    /// it); a whole-table walk is prepared once.
    init(_ db: Store, _ sql: String, arguments: SQLArguments? = nil) throws {
        if case .postgres(let pg) = db.engine {
            statement = nil
            raw = nil
            connection = nil
            if let arguments {
                walk = nil
                result = try pg.result(PGDialect.translated(sql), arguments.pg)
            } else {
                let name = "till_walk_\(Self.cursors.add(1, ordering: .relaxed).newValue)"
                try pg.executeScript("DECLARE \(name) NO SCROLL CURSOR FOR " + PGDialect.translated(sql))
                walk = (pg, name)
            }
            columns = 0
            try advance()
            columns = result?.columnCount ?? 0
            return
        }
        walk = nil
        let prepared: Statement
        if let arguments {
            prepared = try db.sqlite.cachedStatement(sql: sql)
            try prepared.setArguments(arguments.grdb)
        } else {
            prepared = try db.sqlite.makeStatement(sql: sql)
        }
        statement = prepared
        raw = prepared.sqliteStatement
        connection = db.sqlite.sqliteConnection
        columns = sqlite3_column_count(prepared.sqliteStatement)
        try advance()
    }

    deinit { if let raw { sqlite3_reset(raw) } }

    func advance() throws {
        guard let raw else {
            row += 1
            if row >= result?.rowCount ?? 0, let walk, !walkEnded {
                let next = try walk.connection.queryResult("FETCH \(Self.chunk) FROM \(walk.cursor)")
                result = next
                row = 0
                walkEnded = next.rowCount < Self.chunk
                if walkEnded { try walk.connection.executeScript("CLOSE \(walk.cursor)") }
            }
            hasRow = row < result?.rowCount ?? 0
            return
        }
        switch sqlite3_step(raw) {
        case SQLITE_ROW: hasRow = true
        case SQLITE_DONE: hasRow = false
        case let code:
            hasRow = false
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
        }
    }

    /// On PostgreSQL, the value as the store reads it (`PGRows.sqlRows`): whole numbers and
    /// booleans as numbers, bytea as bytes, the rest as text.
    private func value(_ column: Int32) -> SQLValue {
        guard let result, !result.isNull(row, column) else { return .null }
        return PGRows.value(result.bytes(row, column), type: result.types[Int(column)])
    }

    func int(_ column: Int32) -> Int64 {
        guard let raw else {
            if let result, PGResult.isWholeNumber(result.types[Int(column)]) {
                return result.isNull(row, column) ? 0 : PGRows.wholeNumber(result.bytes(row, column)) ?? 0
            }
            return Int64.decode(value(column)) ?? 0
        }
        return sqlite3_column_int64(raw, column)
    }

    func isNull(_ column: Int32) -> Bool {
        guard let raw else { return result?.isNull(row, column) ?? true }
        return sqlite3_column_type(raw, column) == SQLITE_NULL
    }

    /// Appends this row's columns from `first` on, each as the chain encodes a field.
    func append(from first: Int32, to text: inout ChainText) {
        for column in first..<columns { append(column, to: &text) }
    }

    private func append(_ column: Int32, to text: inout ChainText) {
        guard let raw else {
            guard let result, !result.isNull(row, column) else { return text.null() }
            let bytes = result.bytes(row, column)
            let type = result.types[Int(column)]
            // The server writes a whole number as the chain does (digits, a minus, no zeros in
            // front): its digits go in as they came. Anything else is read as the store reads it.
            if PGResult.isWholeNumber(type), ChainText.isCanonical(bytes), PGRows.wholeNumber(bytes) != nil {
                text.integerDigits(bytes)
            } else if PGResult.isText(type) {
                text.text(bytes.baseAddress, count: bytes.count)
            } else {
                switch value(column) {
                case .null: text.null()
                case .int(let number): text.integer(number)
                case .text(let string): text.text(string)
                case .blob(let bytes): text.blob(Data(bytes))
                }
            }
            return
        }
        switch sqlite3_column_type(raw, column) {
        case SQLITE_NULL: text.null()
        case SQLITE_INTEGER: text.integer(sqlite3_column_int64(raw, column))
        // STRICT tables hold no REAL (money is integer cents); should one appear, its bits
        // are sealed, never its value.
        case SQLITE_FLOAT: text.real(sqlite3_column_double(raw, column).bitPattern)
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(raw, column))
            text.blob(count == 0 ? Data() : Data(bytes: sqlite3_column_blob(raw, column), count: count))
        default:
            let pointer = sqlite3_column_text(raw, column)
            text.text(pointer, count: Int(sqlite3_column_bytes(raw, column)))
        }
    }

    func string(_ column: Int32) -> String {
        guard let raw else { return String.decode(value(column)) ?? "" }
        guard let pointer = sqlite3_column_text(raw, column) else { return "" }
        return String(cString: pointer)
    }

    func textEquals(_ column: Int32, _ expected: [UInt8]) -> Bool {
        guard let raw else {
            guard let result, !result.isNull(row, column) else { return false }
            guard PGResult.isText(result.types[Int(column)]) else {
                if case .text(let string) = value(column) { return Array(string.utf8) == expected }
                return false
            }
            let bytes = result.bytes(row, column)
            return bytes.count == expected.count && (bytes.isEmpty || memcmp(bytes.baseAddress!, expected, bytes.count) == 0)
        }
        guard let pointer = sqlite3_column_text(raw, column) else { return false }
        let count = Int(sqlite3_column_bytes(raw, column))
        return count == expected.count && memcmp(pointer, expected, count) == 0
    }

    func blobEquals(_ column: Int32, _ expected: [UInt8]) -> Bool {
        guard let raw else {
            guard let result, !result.isNull(row, column), result.types[Int(column)] == PGResult.bytea else { return false }
            // bytea's hex form (\x…), compared digit by digit with the bytes expected.
            let hex = result.bytes(row, column)
            guard hex.count == 2 + 2 * expected.count, hex[0] == UInt8(ascii: "\\"), hex[1] == UInt8(ascii: "x") else { return false }
            for (index, byte) in expected.enumerated() {
                guard let high = PGRow.nibble(hex[2 + 2 * index]), let low = PGRow.nibble(hex[3 + 2 * index]),
                      high << 4 | low == byte else { return false }
            }
            return true
        }
        let count = Int(sqlite3_column_bytes(raw, column))
        guard count == expected.count, let pointer = sqlite3_column_blob(raw, column) else { return false }
        return memcmp(pointer, expected, count) == 0
    }
}

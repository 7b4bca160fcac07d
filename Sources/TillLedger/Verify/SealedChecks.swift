import Foundation
import GRDB

/// Verify's checks of the sealed log (`RecordSeals`) and of the schema itself.
extension RecordSeals {
    /// The first fault in the sealed log, or nil: every seal is what the seal before it, what it
    /// covers and the transaction seal it names make; every versioned row is what its newest seal
    /// says (none missing, none added); every append-only row is inside a sealed range whose
    /// digest its rows still make.
    static func fault(_ db: Store) throws -> String? {
        var previous = Data()
        var latest: [String: [String: Data]] = [:]
        var ranges: [String: [(after: Int64, through: Int64, digest: Data)]] = [:]
        let seals = try SQLRow.fetchCursor(db, sql: """
            SELECT r.seq, r.tbl, r.row_key, r.from_id, r.to_id, r.digest, r.chain_seq, r.hash, h.hash, r.ends_commit
            FROM record_seals r LEFT JOIN transaction_hashes h ON h.seq = r.chain_seq ORDER BY r.seq
            """)
        while let seal = try seals.next() {
            let seq: Int64 = seal[0], table: String = seal[1], key: String? = seal[2]
            let from: Int64? = seal[3], to: Int64? = seal[4], digest: Data = seal[5], chainSeq: Int64 = seal[6]
            let chainHash: Data? = seal[8]
            if chainSeq != 0 && chainHash == nil {
                return "record seal #\(seq) (\(table)) names transaction seal #\(chainSeq), which is no longer in the chain"
            }
            let text = sealText(table: table, key: key, from: from, to: to, digest: digest,
                                chainSeq: chainSeq, chainHash: chainHash ?? Data(), endsCommit: seal[9])
            let expected = Data(text.seal(after: Array(previous)))
            guard expected == (seal[7] as Data) else {
                return "the sealed log breaks at record seal #\(seq) (\(table)\(key.map { " \($0)" } ?? "")): what it covers, "
                    + "the transactions sealed before it, or an earlier seal has been changed"
            }
            previous = expected
            if let key {
                latest[table, default: [:]][key] = digest
            } else if let from, let to {
                if let last = ranges[table]?.last, last.through != from {
                    return "record seal #\(seq) of \(table) starts after row \(from), but the range before it ended at row \(last.through)"
                }
                if ranges[table] == nil, from != 0 {
                    return "record seal #\(seq) of \(table) starts after row \(from): the rows before it were never sealed"
                }
                ranges[table, default: []].append((from, to, digest))
            }
        }
        for table in versioned {
            var sealed = latest[table.table] ?? [:]
            let rows = try SQLRow.fetchCursor(db, sql: """
                SELECT CAST(\(table.key) AS TEXT), \(digestSQL(table, row: "", postgres: db.isPostgres)) FROM \(table.table) ORDER BY \(table.key)
                """)
            while let row = try rows.next() {
                let key: String = row[0], digest: Data = row[1]
                guard let seal = sealed.removeValue(forKey: key), !seal.isEmpty else {
                    return "\(table.table) row \(key) was written outside Till: it has no seal"
                }
                guard seal == digest else {
                    return "\(table.table) row \(key) was changed outside Till: it is not what Till sealed"
                }
            }
            if let gone = sealed.filter({ !$0.value.isEmpty }).keys.sorted().first {
                return "\(table.table) row \(gone) was sealed but is no longer in the ledger: a row was deleted"
            }
        }
        for (table, columns) in appended {
            let number = rowNumber(of: table)
            let rows = try RawCursor(db, "SELECT \(number), \(columns) FROM \(table) ORDER BY \(number)")
            for range in ranges[table] ?? [] {
                var hasher = RangeHasher(table: table)
                while rows.hasRow && rows.int(0) <= range.through {
                    hasher.add(rows)
                    try rows.advance()
                }
                guard hasher.finish() == range.digest else {
                    return "\(table) rows \(range.after + 1)–\(range.through) are not what Till sealed: a row was changed, deleted or slipped in"
                }
            }
            if rows.hasRow {
                return "\(table) row \(rows.int(0)) was written outside Till: it has no seal"
            }
        }
        return nil
    }
}

enum SchemaCheck {
    /// The schema the migrations make (tables, indexes, triggers and views, with their SQL),
    /// built in memory.
    static func expected() throws -> [String: String] {
        let queue = try DatabaseQueue()
        try queue.inDatabase { db in
            db.add(function: RecordSeals.digestFunction)
            try CardNumberGuard.register(db)
        }
        try Schema.migrator.migrate(queue)
        return try queue.read { db in try objects(Store(db)) }
    }

    private static func objects(_ db: Store) throws -> [String: String] {
        let rows = try SQLRow.fetchAll(db, sql: """
            SELECT type, name, COALESCE(sql, '') FROM main.sqlite_master WHERE name NOT LIKE 'sqlite_%'
            """)
        return Dictionary(uniqueKeysWithValues: rows.map { ("\($0[0] as String) \($0[1] as String)", $0[2]) })
    }

    /// The first difference between the ledger's schema and what Till's migrations make: a
    /// trigger or index dropped, changed or added is named.
    static func fault(_ db: Store) throws -> String? {
        let expected = try expected()
        let actual = try objects(db)
        for name in expected.keys.sorted() {
            guard let sql = actual[name] else {
                return "the \(name) that Till's schema has is missing from the ledger (dropped?)"
            }
            if sql != expected[name] { return "the ledger's \(name) is not as Till's schema has it: it was changed" }
        }
        if let extra = actual.keys.sorted().first(where: { expected[$0] == nil }) {
            return "the ledger has a \(extra) that Till's schema does not: it was added outside Till"
        }
        return nil
    }
}

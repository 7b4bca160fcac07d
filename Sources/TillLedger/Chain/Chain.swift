import Crypto
import Foundation
import GRDB

/// The tamper-evident chain: each transaction's seal is the SHA-256 of the previous seal and
/// the transaction's own content (its row, its postings and tenders, in order), kept in the
/// append-only `transaction_hashes` in the order sealed. Every write seals what it wrote before
/// it commits, so a changed amount, a deleted row, a row slipped in by bare SQL or rows whose
/// contents were swapped break the chain, and `till verify` names the first. The head is
/// printed on the Z report and at the day close, so even a rewritten chain shows against paper.
enum Chain {
    static let transactionColumns = """
        id, kind, business_date, posted_at, operator_id, terminal_id, receipt_number, idempotency_key, corrects_id,
        override_operator_id, drawer_session_id, due_date, memo
        """

    /// Length-prefixed fields: no memo or reference can make two contents read alike.
    static func field(_ value: DatabaseValue, into text: inout String) {
        switch value.storage {
        case .null: text += "-;"
        case .int64(let v): text += "i\(v);"
        case .string(let s): text += "s\(s.utf8.count):\(s);"
        case .double(let d): text += "d\(d.bitPattern);"
        case .blob(let b): text += "b\(b.count):\(b.base64EncodedString());"
        }
    }

    /// The seal of a transaction after `previous`, or nil when the transaction does not exist.
    static func seal(of id: Int64, after previous: Data, _ db: Database) throws -> Data? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(transactionColumns) FROM transactions WHERE id = ?"),
                                         arguments: [id]) else { return nil }
        var text = "till-chain-v1|"
        for value in row.databaseValues { field(value, into: &text) }
        for posting in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT book, account_id, amount_cents FROM postings WHERE transaction_id = ? ORDER BY id
            """), arguments: [id]) {
            text += "P"
            for value in posting.databaseValues { field(value, into: &text) }
        }
        for tender in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT kind, amount_cents, tendered_cents, reference, last_four, card_brand FROM tenders WHERE transaction_id = ? ORDER BY id
            """), arguments: [id]) {
            text += "T"
            for value in tender.databaseValues { field(value, into: &text) }
        }
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: Data(text.utf8))
        return Data(hasher.finalize())
    }

    /// The newest transaction id, before a write: the write seals only what comes after it, so a
    /// row slipped in by bare SQL stays unsealed and `verify` finds it.
    static func lastTransaction(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM transactions") ?? 0
    }

    /// Seals the transactions after `after` (what this write added), chained to the newest seal.
    static func seal(_ db: Database, after: Int64) throws {
        try seal(try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM transactions WHERE id > ? ORDER BY id"), arguments: [after]), db)
    }

    /// Seals every transaction without a seal, in id order: a migration, a bulk load, the
    /// benchmark's bare-SQL floor.
    static func sealPending(_ db: Database) throws {
        try seal(try Int64.fetchAll(db, sql: """
            SELECT id FROM transactions t WHERE NOT EXISTS (SELECT 1 FROM transaction_hashes h WHERE h.transaction_id = t.id) ORDER BY id
            """), db)
    }

    private static func seal(_ ids: [Int64], _ db: Database) throws {
        guard !ids.isEmpty else { return }
        var previous = try Data.fetchOne(db, sql: "SELECT hash FROM transaction_hashes ORDER BY seq DESC LIMIT 1") ?? Data()
        let insert = try db.cachedStatement(sql: "INSERT INTO transaction_hashes(transaction_id, hash) VALUES (?, ?)")
        for id in ids {
            guard let hash = try seal(of: id, after: previous, db) else { continue }
            try insert.execute(arguments: [id, hash])
            previous = hash
        }
    }

    /// The first place the chain breaks, or nil when every transaction is sealed and every seal
    /// is what its content and the seal before it make.
    static func fault(_ db: Database) throws -> String? {
        var previous = Data()
        let seals = try Row.fetchCursor(db, sql: "SELECT transaction_id, hash FROM transaction_hashes ORDER BY seq")
        while let seal = try seals.next() {
            let id: Int64 = seal[0]
            guard let expected = try Self.seal(of: id, after: previous, db) else {
                return "transaction #\(id) was sealed but is no longer in the ledger: a row was deleted"
            }
            guard (seal[1] as Data) == expected else {
                let receipt = try Int64.fetchOne(db, sql: "SELECT receipt_number FROM transactions WHERE id = ?", arguments: [id])
                return "the chain breaks at transaction #\(id)" + (receipt.map { " (receipt \($0))" } ?? "")
                    + ": its content, or what was sealed before it, has been changed"
            }
            previous = expected
        }
        if let id = try Int64.fetchOne(db, sql: """
            SELECT id FROM transactions t WHERE NOT EXISTS (SELECT 1 FROM transaction_hashes h WHERE h.transaction_id = t.id)
            ORDER BY id LIMIT 1
            """) {
            let receipt = try Int64.fetchOne(db, sql: "SELECT receipt_number FROM transactions WHERE id = ?", arguments: [id])
            return "transaction #\(id)" + (receipt.map { " (receipt \($0))" } ?? "") + " is not in the chain: it was written behind the ledger's back"
        }
        return nil
    }
}

extension Ledger {
    /// The newest seal, as the 16 hex digits printed on the Z report and at the day close.
    public func chainHead() throws -> String {
        try read { db in
            let hash = try Data.fetchOne(db, sql: "SELECT hash FROM transaction_hashes ORDER BY seq DESC LIMIT 1") ?? Data()
            return hash.prefix(8).map { String(format: "%02x", $0) }.joined()
        }
    }

    /// Seals rows written by bare SQL outside Till: the benchmark's floor, nothing else.
    public func sealChain() throws {
        try writeImmediate { db in try Chain.sealPending(db) }
    }
}

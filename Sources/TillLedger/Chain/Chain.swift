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
    static let postingColumns = "book, account_id, amount_cents"
    static let tenderColumns = "kind, amount_cents, tendered_cents, reference, last_four, card_brand"

    /// The content sealed for a transaction (its row, then its postings and tenders in id
    /// order, each field length-prefixed by `ChainText`), or nil when it does not exist.
    static func content(of id: Int64, _ db: Store) throws -> ChainText? {
        let row = try RawCursor(db, "SELECT \(transactionColumns) FROM transactions WHERE id = ?", arguments: [id])
        guard row.hasRow else { return nil }
        var text = ChainText()
        text.start()
        row.append(from: 0, to: &text)
        let postings = try RawCursor(db, "SELECT \(postingColumns) FROM postings WHERE transaction_id = ? ORDER BY id", arguments: [id])
        while postings.hasRow {
            text.mark(UInt8(ascii: "P"))
            postings.append(from: 0, to: &text)
            try postings.advance()
        }
        let tenders = try RawCursor(db, "SELECT \(tenderColumns) FROM tenders WHERE transaction_id = ? ORDER BY id", arguments: [id])
        while tenders.hasRow {
            text.mark(UInt8(ascii: "T"))
            tenders.append(from: 0, to: &text)
            try tenders.advance()
        }
        return text
    }

    /// The seal of a transaction after `previous`, or nil when the transaction does not exist.
    static func seal(of id: Int64, after previous: Data, _ db: Store) throws -> Data? {
        try content(of: id, db).map { Data($0.seal(after: Array(previous))) }
    }

    /// The newest transaction id, before a write: the write seals only what comes after it, so a
    /// row slipped in by bare SQL stays unsealed and `verify` finds it.
    static func lastTransaction(_ db: Store) throws -> Int64 {
        try Int64.fetchOne(db, sql: lastTransactionSQL) ?? 0
    }

    static let lastTransactionSQL = "SELECT MAX(id) FROM transactions"

    /// Seals the transactions after `after` (what this write added), chained to the newest seal:
    /// in one pass over them with their postings and tenders (three range reads, however many a
    /// payment file's slice wrote), as verify walks them.
    static func seal(_ db: Store, after: Int64) throws {
        try LedgerWalk.seal(db, after: after)
    }

    /// Seals every transaction without a seal, in id order: a migration, a bulk load, the
    /// benchmark's bare-SQL floor.
    static func sealPending(_ db: Store) throws {
        let lastSealed = try newestSealedTransaction(db)
        let unsealedBefore = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM transactions t WHERE t.id < ?
                           AND NOT EXISTS (SELECT 1 FROM transaction_hashes h WHERE h.transaction_id = t.id))
            """, arguments: [lastSealed]) ?? false
        guard unsealedBefore else {
            try LedgerWalk.seal(db, after: lastSealed) // all of them after the sealed: one pass
            return
        }
        try seal(try Int64.fetchAll(db, sql: """
            SELECT id FROM transactions t WHERE NOT EXISTS (SELECT 1 FROM transaction_hashes h WHERE h.transaction_id = t.id) ORDER BY id
            """), db)
    }

    /// The newest seal (empty before the first).
    static func newestSeal(_ db: Store) throws -> Data {
        try Data.fetchOne(db, sql: newestSealSQL) ?? Data()
    }

    static let newestSealSQL = "SELECT hash FROM transaction_hashes ORDER BY seq DESC LIMIT 1"

    /// The highest transaction id sealed (0 before the first).
    static func newestSealedTransaction(_ db: Store) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT MAX(transaction_id) FROM transaction_hashes") ?? 0
    }

    private static func seal(_ ids: [Int64], _ db: Store) throws {
        guard !ids.isEmpty else { return }
        var previous = try newestSeal(db)
        let insert = try db.cachedStatement(sql: "INSERT INTO transaction_hashes(transaction_id, hash) VALUES (?, ?)")
        for id in ids {
            guard let hash = try seal(of: id, after: previous, db) else { continue }
            try insert.execute(arguments: [id, hash])
            previous = hash
        }
    }

    /// The first place the chain breaks, or nil when every transaction is sealed and every seal
    /// is what its content and the seal before it make.
    static func fault(_ db: Store) throws -> String? {
        var previous = Data()
        let seals = try SQLRow.fetchCursor(db, sql: "SELECT transaction_id, hash FROM transaction_hashes ORDER BY seq")
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
    /// Seals rows written by bare SQL outside Till after the newest sealed transaction: the
    /// benchmark's floor, nothing else (one index lookup and the new rows, however large the ledger).
    public func sealChain() throws {
        try writeImmediate { db in try LedgerWalk.seal(db, after: try Chain.newestSealedTransaction(db)) }
    }
}

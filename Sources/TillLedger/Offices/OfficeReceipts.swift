import Foundation
import TillCore

/// Receipt numbers counted per office (`receipt.numbering = office`). Every receipt keeps its
/// number in the utility's one gapless sequence, which the ledger finds it by; in office mode it
/// also takes the next number of its office's own sequence in the same transaction, under the
/// same write lock, so each office's numbers run 1, 2, 3… without a gap or a repeat too. The
/// receipt prints that number (NORTH-17) and is found by it. Each change of the setting is
/// recorded with the first utility receipt it applies to, so verify knows which receipts must
/// carry an office's number.
extension Ledger {
    /// The numbering in force: the newest recorded change (utility before any).
    static func receiptNumberingMode(_ db: Store) throws -> String {
        try String.fetchOne(db.cachedStatement(sql: "SELECT mode FROM receipt_numbering ORDER BY id DESC LIMIT 1")) ?? "utility"
    }

    /// Inside `setSetting`'s write: records a change of `receipt.numbering` from the next
    /// receipt on. Setting it to what it is records nothing.
    static func recordReceiptNumbering(_ mode: String, by operatorID: Int64, at: String, _ db: Store) throws {
        guard try receiptNumberingMode(db) != mode else { return }
        if mode == "office", try officeMap(db).isEmpty {
            throw LedgerError(.invalid, "receipt.numbering = office counts each office's receipts: add the offices first (till office add)")
        }
        let last = try Int64.fetchOne(db, sql: "SELECT MAX(receipt_number) FROM transactions WHERE receipt_number IS NOT NULL") ?? 0
        try db.execute(sql: "INSERT INTO receipt_numbering(mode, from_receipt, at, operator_id) VALUES (?, ?, ?, ?)",
                       arguments: [mode, last + 1, at, operatorID])
    }

    /// Inside a posting's write, after its transaction went in with a receipt number, where
    /// each office counts its receipts (the posting read the mode with its receipt number):
    /// the next number of the terminal's office (the main office's for a terminal placed
    /// nowhere). One statement, nothing read back.
    static func numberForOffice(transactionID: Int64, terminal: String, _ db: Store) throws {
        try db.cachedStatement(sql: """
            INSERT INTO office_receipts(transaction_id, office_id, number)
            SELECT ?, f.id, COALESCE((SELECT MAX(r.number) FROM office_receipts r WHERE r.office_id = f.id), 0) + 1
            FROM offices f
            WHERE f.id = COALESCE((SELECT p.office_id FROM terminal_offices p WHERE p.terminal_id = ?), (SELECT MIN(m.id) FROM offices m))
            """).execute(arguments: [transactionID, terminal])
    }

    /// A receipt's number in its office's sequence ("NORTH-17"), if it has one.
    static func officeReceiptNumber(_ number: ReceiptNumber, _ db: Store) throws -> String? {
        guard let row = try SQLRow.fetchOne(db, sql: """
            SELECT f.code, r.number FROM transactions t JOIN office_receipts r ON r.transaction_id = t.id
            JOIN offices f ON f.id = r.office_id WHERE t.receipt_number = ?
            """, arguments: [number.value]) else { return nil }
        return ReceiptReference.office(code: row["code"], number: row["number"]).description
    }

    /// How a receipt is named to people: its office's number where it has one ("NORTH-17"),
    /// else the utility's ("#1042").
    public func receiptName(_ number: ReceiptNumber) throws -> String {
        try read { db in try Self.officeReceiptNumber(number, db) ?? "#\(number)" }
    }

    /// The receipt a person means by what they typed: 1042, #1042 or NORTH-17. A message that
    /// says what is wrong when there is no such receipt (or office).
    public func findReceipt(_ typed: String) throws -> ReceiptNumber {
        let reference: ReceiptReference
        do { reference = try ReceiptReference(typed) } catch { throw LedgerError(domain: error) }
        return try findReceipt(reference)
    }

    public func findReceipt(_ reference: ReceiptReference) throws -> ReceiptNumber {
        try read { db in
            switch reference {
            case .utility(let number):
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM transactions WHERE receipt_number = ?", arguments: [number.value]) ?? false else {
                    throw LedgerError(.unknownTransaction, "No receipt #\(number)")
                }
                return number
            case .office(let code, let number):
                let office = try Self.officeMap(db).required(code)
                if let found = try Int64.fetchOne(db, sql: """
                    SELECT t.receipt_number FROM office_receipts r JOIN transactions t ON t.id = r.transaction_id
                    WHERE r.office_id = ? AND r.number = ?
                    """, arguments: [office.id, number]) {
                    return ReceiptNumber(found)
                }
                let last = try Int64.fetchOne(db, sql: "SELECT MAX(number) FROM office_receipts WHERE office_id = ?", arguments: [office.id])
                throw LedgerError(.unknownTransaction, "No receipt \(reference): "
                                  + (last.map { "\(office.code)'s receipts run to \(office.code)-\($0)" }
                                     ?? "\(office.code)'s receipts are not numbered on their own"))
            }
        }
    }
}

import Foundation
import GRDB
import Synchronization
import TillCore

/// `till verify`: re-proves the ledger's invariants from the stored rows.
public struct VerifyReport: Sendable {
    public struct Check: Sendable {
        public let name: String
        /// nil when sound; otherwise the first fault found, in words.
        public let fault: String?
        /// How long the check took (both halves of the checks run at once, on two connections);
        /// for a check the walk answered, the walk's whole time.
        public let elapsed: Duration
        /// Answered by the one walk over every transaction (with checks 3, 5, 9 and 11).
        public let inWalk: Bool
    }

    public let checks: [Check]
    public var isSound: Bool { checks.allSatisfy { $0.fault == nil } }
    public var firstFault: String? { checks.lazy.compactMap(\.fault).first }
}

extension Ledger {
    /// Runs every check. The checks fall in two halves that run at the same time, each in its
    /// own read transaction: one walk over every transaction with its postings and tenders (the
    /// balance, tender and chain checks), and the rest. `thorough` runs SQLite's full
    /// `integrity_check` (every index entry against its row) instead of `quick_check`.
    public func verify(thorough: Bool = false) throws -> VerifyReport {
        let halves = Mutex<[Result<[Numbered], Error>]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            let result = Result {
                try self.read { db in half == 0 ? try Self.walkChecks(db) : try Self.otherChecks(db, thorough: thorough) }
            }
            halves.withLock { $0.append(result) }
        }
        let checks = try halves.withLock { $0 }.flatMap { try $0.get() }
        // In the order the checks are numbered in docs/SCHEMA.md.
        return VerifyReport(checks: checks.sorted { $0.number < $1.number }.map(\.check))
    }

    /// A check with its number in docs/SCHEMA.md.
    private typealias Numbered = (number: Int, check: VerifyReport.Check)

    private static func timed(_ number: Int, _ name: String, _ body: () throws -> String?) throws -> Numbered {
        let clock = ContinuousClock()
        let start = clock.now
        let fault = try body()
        return (number, .init(name: name, fault: fault, elapsed: clock.now - start, inWalk: false))
    }

    /// Checks 3, 5, 9 and 11 from one walk; a check the walk finds wanting runs its own SQL to
    /// name the fault.
    private static func walkChecks(_ db: Store) throws -> [Numbered] {
        let clock = ContinuousClock()
        let start = clock.now
        let walk = try LedgerWalk.run(db)
        let walked = clock.now - start
        func check(_ number: Int, _ name: String, _ sound: Bool, _ fault: () throws -> String?) throws -> Numbered {
            if sound { return (number, .init(name: name, fault: nil, elapsed: walked, inWalk: true)) }
            return try timed(number, name, fault)
        }
        return [
            try check(3, "every transaction balances", !walk.unbalanced) { try unbalancedFault(db) },
            try check(5, "tenders equal what they debit", !walk.tendersDiffer) { try tenderFault(db) },
            try check(9, "tender totals equal the sum of tenders", walk.tenderTotals == LedgerWalk.TenderTotal.stored(db)) {
                try tenderTotalsFault(db)
            },
            try check(11, "every transaction sealed in the hash chain, and the chain unbroken", walk.chainIntact) { try Chain.fault(db) },
            try timed(12, "each closed day's deposit is what its drawers took") { try closedDayFault(db, walk: walk) },
        ] + (db.isPostgres ? [] : [
            // On SQLite on this side, after the walk: the other side (SQLite's own checks) is the
            // longer one. On PostgreSQL the other side is the shorter, and takes it.
            try cardNumberCheck(db),
        ]) + [
            try timed(14, "days, drawers, operators, settings and every append-only record sealed, the sealed log unbroken") {
                try RecordSeals.fault(db)
            },
        ]
    }

    private static func cardNumberCheck(_ db: Store) throws -> Numbered {
        try timed(13, "no full card number in any text") { try cardNumberFault(db) }
    }

    private static func otherChecks(_ db: Store, thorough: Bool) throws -> [Numbered] {
        (db.isPostgres ? [try cardNumberCheck(db)] : []) + [
            try timed(1, db.isPostgres ? "PostgreSQL indexes (amcheck, where installed)"
                        : thorough ? "SQLite integrity (full)" : "SQLite integrity (quick)") { try integrityFault(db, thorough: thorough) },
            try timed(2, db.isPostgres ? "foreign keys (the server enforces them)" : "foreign keys") {
                guard !db.isPostgres else { return try PGChecks.foreignKeyFault(db) }
                guard let row = try SQLRow.fetchOne(db, sql: "PRAGMA foreign_key_check") else { return nil }
                return "a row of \(row[0] as String) (rowid \(row[1] as Int64? ?? 0)) points at a missing \(row[2] as String) row"
            },
            try timed(4, "receipt numbers unique and gapless") { try receiptFault(db) },
            try timed(6, "cached balances equal the sum of postings") { try cachedBalanceFault(db) },
            try timed(7, "allocations within their postings") { try allocationFault(db) },
            try timed(8, "drawer closes match their counts and over/short postings") { try drawerCloseFault(db) },
            try timed(10, "corrections point at payments; overrides by another lead or supervisor") { try correctionFault(db) },
            try timed(15, "the schema is Till's: every table, index and trigger present and unchanged, none added") {
                try db.isPostgres ? PGChecks.schemaFault(db) : SchemaCheck.fault(db)
            },
            try timed(16, "suspense items and drop acceptances match their postings") { try suspenseAndDropFault(db) },
            try timed(17, "pledges paid, autopay debits and bank returns match their postings") { try othersSendFault(db) },
            try timed(18, "each office's day opened before it closed, and nothing posted at its terminals after it closed") {
                try officeDayFault(db)
            },
            try timed(19, "receipt numbers by office: each office's gapless, every receipt taken meanwhile numbered") {
                try officeReceiptFault(db)
            },
        ]
    }

    /// Where offices kept their own days: each close follows its office's open of the same day
    /// and names a bank deposit (or none); no transaction of that day at the office's terminals
    /// (a terminal placed nowhere is the main office's) was posted after the office closed,
    /// but its own deposit.
    static func officeDayFault(_ db: Store) throws -> String? {
        let closes = try SQLRow.fetchAll(db, sql: """
            SELECT c.id, c.office_id, c.date, c.at, c.deposit_transaction_id, f.code,
                   (SELECT o.at FROM office_days o WHERE o.office_id = c.office_id AND o.date = c.date AND o.event = 'open') AS opened,
                   (SELECT t.kind FROM transactions t WHERE t.id = c.deposit_transaction_id) AS deposit_kind
            FROM office_days c JOIN offices f ON f.id = c.office_id WHERE c.event = 'close' ORDER BY c.id
            """)
        guard !closes.isEmpty else { return nil }
        let map = try Ledger.officeMap(db)
        for close in closes {
            let code: String = close["code"], date: String = close["date"], at: String = close["at"]
            guard let opened: String = close["opened"], opened <= at else { return "office \(code) closed its day \(date) without opening it" }
            if close["deposit_transaction_id"] as Int64? != nil, close["deposit_kind"] as String? != TransactionKind.bankDeposit.rawValue {
                return "office \(code)'s close of \(date) names a deposit that is not a bank deposit"
            }
            // Within the day's run of ids; after the office's deposit where it made one (ids follow
            // commits, one writer at a time), else after its close's time.
            guard let (first, last) = try DayScan.range(of: date, db) else { continue }
            let deposit: Int64 = close["deposit_transaction_id"] ?? 0
            for row in try SQLRow.fetchAll(db, sql: """
                SELECT DISTINCT terminal_id FROM transactions WHERE id > ? AND id <= ? AND business_date = ? AND (? > 0 OR posted_at > ?)
                """, arguments: [max(first - 1, deposit), last, date, deposit, at]) {
                let terminal: String = row[0]
                if map.office(of: terminal)?.id == close["office_id"] as Int64 {
                    return "office \(code) closed its day \(date) at \(at), but terminal \(terminal) posted to that day after it"
                }
            }
        }
        return nil
    }

    /// Each suspense item is what its payment credited to SUSPENSE, and every payment that did
    /// has its item; each move out is what its transaction debited to SUSPENSE, and no item gave
    /// out more than it took; each accepted drop's difference is what the lead counted less the
    /// drop, and what its posting moved into the safe.
    static func suspenseAndDropFault(_ db: Store) throws -> String? {
        if let id = try Int64.fetchOne(db, sql: """
            SELECT s.id FROM suspense_items s JOIN transactions t ON t.id = s.transaction_id
            WHERE t.kind <> 'payment' OR s.amount_cents <> -(SELECT COALESCE(SUM(p.amount_cents), 0) FROM postings p
                                                            WHERE p.transaction_id = s.transaction_id AND p.book = 'SUSPENSE')
            ORDER BY s.id LIMIT 1
            """) {
            return "suspense item #\(id) is not what its payment credited to suspense"
        }
        if let id = try Int64.fetchOne(db, sql: """
            SELECT DISTINCT p.transaction_id FROM postings p JOIN transactions t ON t.id = p.transaction_id
            WHERE p.book = 'SUSPENSE' AND t.kind = 'payment' AND NOT EXISTS (SELECT 1 FROM suspense_items s WHERE s.transaction_id = t.id)
            ORDER BY 1 LIMIT 1
            """) {
            return "\(try describe(db, transaction: id)) put money in suspense with no suspense item"
        }
        if let id = try Int64.fetchOne(db, sql: """
            SELECT m.transaction_id FROM suspense_moves m GROUP BY m.transaction_id
            HAVING SUM(m.amount_cents) <> (SELECT COALESCE(SUM(p.amount_cents), 0) FROM postings p
                                           WHERE p.transaction_id = m.transaction_id AND p.book = 'SUSPENSE')
            ORDER BY 1 LIMIT 1
            """) {
            return "\(try describe(db, transaction: id)) moved other than its postings took out of suspense"
        }
        if let id = try Int64.fetchOne(db, sql: """
            SELECT s.id FROM suspense_items s WHERE (SELECT COALESCE(SUM(m.amount_cents), 0) FROM suspense_moves m WHERE m.item_id = s.id) > s.amount_cents
            ORDER BY s.id LIMIT 1
            """) {
            return "suspense item #\(id) gave out more than it took in"
        }
        if let id = try Int64.fetchOne(db, sql: """
            SELECT a.id FROM drop_acceptances a JOIN cash_counts c ON c.id = a.count_id
            WHERE c.kind <> 'drop' OR a.difference_cents <> a.counted_cents - c.total_cents
               OR a.difference_cents <> COALESCE((SELECT SUM(p.amount_cents) FROM postings p WHERE p.transaction_id = a.transaction_id AND p.book = 'SAFE'), 0)
            ORDER BY a.id LIMIT 1
            """) {
            return "drop acceptance #\(id) is not what its bag's count and posting say"
        }
        return nil
    }

    /// Money others send: each autopay debit is a payment of its amount out of ACH clearing to
    /// its account; what a payment paid toward pledges is no more than it credited the pledged
    /// account; each bank return is an `nsf` of the payment it names, taking its amount out of
    /// where that money went.
    static func othersSendFault(_ db: Store) throws -> String? {
        if let id = try Int64.fetchOne(db, sql: """
            SELECT x.id FROM autopay_entries x JOIN transactions t ON t.id = x.transaction_id
            JOIN autopay_enrollments e ON e.id = x.enrollment_id
            WHERE t.kind <> 'payment'
               OR x.amount_cents <> COALESCE((SELECT SUM(p.amount_cents) FROM postings p WHERE p.transaction_id = t.id AND p.book = 'ACH'), 0)
               OR x.amount_cents <> -COALESCE((SELECT SUM(p.amount_cents) FROM postings p WHERE p.transaction_id = t.id AND p.book = 'AR'
                                               AND p.account_id = e.account_id), 0)
            ORDER BY x.id LIMIT 1
            """) {
            return "autopay debit #\(id) is not the payment its entry says"
        }
        if let id = try Int64.fetchOne(db, sql: """
            SELECT g.transaction_id FROM pledge_payments g JOIN pledges d ON d.id = g.pledge_id JOIN transactions t ON t.id = g.transaction_id
            GROUP BY g.transaction_id, d.account_id
            HAVING MIN(t.kind) <> 'payment' OR SUM(g.amount_cents) > -(SELECT COALESCE(SUM(p.amount_cents), 0) FROM postings p
                                                                   WHERE p.transaction_id = g.transaction_id AND p.book = 'AR'
                                                                     AND p.account_id = d.account_id)
            ORDER BY 1 LIMIT 1
            """) {
            return "\(try describe(db, transaction: id)) paid more toward pledges than it credited the pledged account"
        }
        if let id = try Int64.fetchOne(db, sql: """
            SELECT r.id FROM returned_items r JOIN transactions t ON t.id = r.transaction_id
            WHERE t.kind <> 'nsf' OR t.corrects_id IS DISTINCT FROM r.original_transaction_id
               OR r.amount_cents <> -COALESCE((SELECT SUM(p.amount_cents) FROM postings p WHERE p.transaction_id = t.id
                                               AND p.book = CASE r.kind WHEN 'ach' THEN 'ACH' ELSE 'BANK' END), 0)
            ORDER BY r.id LIMIT 1
            """) {
            return "bank return #\(id) is not what its posting took back"
        }
        return nil
    }

    /// A ledger written before the guard, or by hand with `sqlite3`, may hold a card number in
    /// some text: name where (table, column, row), never the number.
    static func cardNumberFault(_ db: Store) throws -> String? {
        var found: [String] = []
        for (table, columns, _) in CardNumberGuard.columns {
            let key = CardNumberGuard.key(of: table)
            let keysByColumn: [[String]]
            if db.isPostgres {
                // PostgreSQL has no Till function to call: the texts that could hold one (13 or
                // more digits, or anything beyond ASCII) come back and are looked at here, every
                // column of a table in one pass over it.
                let suspect = columns.map { "(length(\($0)) >= 13 AND \($0) ~ '[^\\x01-\\x7f]|([0-9][^0-9]*){13}')" }
                let rows = try SQLRow.fetchAll(db, sql: """
                    SELECT CAST(\(key) AS TEXT), \(columns.joined(separator: ", ")) FROM \(table)
                    WHERE \(suspect.joined(separator: " OR ")) ORDER BY \(key)
                    """)
                keysByColumn = columns.indices.map { index in
                    Array(rows.filter { ($0[index + 1] as String?).map(CardNumber.containsFullCardNumber) == true }
                        .map { $0[0] as String }.prefix(5))
                }
            } else {
                keysByColumn = try columns.map { column in
                    try String.fetchAll(db, sql: """
                        SELECT CAST(\(key) AS TEXT) FROM \(table)
                        WHERE length(CAST(\(column) AS BLOB)) >= 13 AND \(CardNumberGuard.functionName)(\(column))
                        ORDER BY \(key) LIMIT 5
                        """)
                }
            }
            for (column, rows) in zip(columns, keysByColumn) where !rows.isEmpty {
                found.append("\(table).\(column) (\(key) \(rows.map { CardNumber.withheld($0) }.joined(separator: ", "))\(rows.count == 5 ? " and maybe more" : ""))")
            }
        }
        guard !found.isEmpty else { return nil }
        return "what looks like a full card number is stored in " + found.joined(separator: "; ")
            + " (docs/RELIABILITY.md: removing one from an older ledger)"
    }

    /// Each closed day's figures re-derived: its drawer books hold nothing after the deposit; the
    /// deposit's cash is the closes' counted cash less the floats kept plus the drops (as the lead who
    /// accepted a bag counted it); each close's
    /// expected cash is its float plus its cash taken less its drops, and its cash over/short the
    /// count less that.
    static func closedDayFault(_ db: Store, walk: LedgerWalk) throws -> String? {
        let closed = try String.fetchAll(db, sql: "SELECT date FROM business_days WHERE closed_at IS NOT NULL ORDER BY date")
        if let day = closed.first(where: { (walk.drawerBooks[$0] ?? 0) != 0 }) {
            return "business day \(day) is closed but its drawer books still hold \(Money(cents: walk.drawerBooks[day]!).formatted): its deposit no longer matches what was taken"
        }
        if let row = try SQLRow.fetchOne(db, sql: """
            SELECT * FROM (SELECT b.date, COALESCE((SELECT -SUM(p.amount_cents) FROM postings p
                                     WHERE p.transaction_id = b.deposit_transaction_id AND p.book IN ('CASH', 'SAFE')), 0)
                 + COALESCE((SELECT -SUM(p.amount_cents) FROM office_days o JOIN postings p ON p.transaction_id = o.deposit_transaction_id
                             WHERE o.date = b.date AND o.event = 'close' AND p.book IN ('CASH', 'SAFE')), 0) AS deposited,
                   COALESCE((SELECT SUM(c.counted_cash_cents - s.opening_float_cents) FROM drawer_closes c
                             JOIN drawer_sessions s ON s.id = c.drawer_session_id WHERE s.business_date = b.date), 0)
                 + COALESCE((SELECT SUM(k.total_cents) FROM cash_counts k JOIN drawer_sessions s ON s.id = k.drawer_session_id
                             WHERE k.kind = 'drop' AND s.business_date = b.date), 0)
                 + COALESCE((SELECT SUM(a.difference_cents) FROM drop_acceptances a JOIN cash_counts k ON k.id = a.count_id
                             JOIN drawer_sessions s ON s.id = k.drawer_session_id WHERE s.business_date = b.date), 0) AS counted
            FROM business_days b WHERE b.closed_at IS NOT NULL) AS d WHERE deposited <> counted ORDER BY date LIMIT 1
            """) {
            return "business day \(row["date"] as String): the deposit took \(Money(cents: row["deposited"]).formatted) of cash but the drawers counted \(Money(cents: row["counted"]).formatted) less floats, with the drops"
        }
        if let row = try SQLRow.fetchOne(db, sql: """
            SELECT * FROM (SELECT c.id, c.z_number, s.business_date, c.expected_cash_cents, c.cash_over_short_cents, c.counted_cash_cents,
                   s.opening_float_cents
                 + COALESCE((SELECT SUM(tt.amount_cents) FROM tender_totals tt
                             WHERE tt.business_date = s.business_date AND tt.drawer_session_id = s.id AND tt.kind = 'cash'), 0)
                 - COALESCE((SELECT SUM(k.total_cents) FROM cash_counts k WHERE k.drawer_session_id = s.id AND k.kind = 'drop'), 0) AS derived
            FROM drawer_closes c JOIN drawer_sessions s ON s.id = c.drawer_session_id) AS z
            WHERE expected_cash_cents <> derived OR cash_over_short_cents <> counted_cash_cents - expected_cash_cents
            ORDER BY id LIMIT 1
            """) {
            return "Z report No. \(row["z_number"] as Int64) of \(row["business_date"] as String) says \(Money(cents: row["expected_cash_cents"]).formatted) of cash was expected, but its float, cash taken and drops make \(Money(cents: row["derived"]).formatted)"
        }
        return nil
    }

    private static func integrityFault(_ db: Store, thorough: Bool) throws -> String? {
        if db.isPostgres { return try PGChecks.indexFault(db, thorough: thorough) }
        let lines = try String.fetchAll(db, sql: thorough ? "PRAGMA integrity_check" : "PRAGMA quick_check")
        return lines == ["ok"] ? nil : "SQLite \(thorough ? "integrity_check" : "quick_check"): " + lines.prefix(3).joined(separator: "; ")
    }

    static func describe(_ db: Store, transaction id: Int64) throws -> String {
        guard let row = try SQLRow.fetchOne(db, sql: "SELECT kind, receipt_number, business_date FROM transactions WHERE id = ?",
                                         arguments: [id]) else { return "transaction #\(id) (missing)" }
        let receipt: Int64? = row["receipt_number"]
        return "transaction #\(id) (\(row["kind"] as String)\(receipt.map { ", receipt \($0)" } ?? ""), \(row["business_date"] as String))"
    }

    private static func unbalancedFault(_ db: Store) throws -> String? {
        if let row = try SQLRow.fetchOne(db, sql: """
            SELECT transaction_id, SUM(amount_cents) AS off FROM postings GROUP BY transaction_id
            HAVING SUM(amount_cents) <> 0 ORDER BY transaction_id LIMIT 1
            """) {
            return "\(try describe(db, transaction: row["transaction_id"])) does not balance: debits and credits differ by \(Money(cents: row["off"]).formatted)"
        }
        if let id = try Int64.fetchOne(db, sql: """
            SELECT t.id FROM transactions t WHERE (SELECT COUNT(*) FROM postings p WHERE p.transaction_id = t.id) < 2
            ORDER BY t.id LIMIT 1
            """) {
            return "\(try describe(db, transaction: id)) has fewer than two postings"
        }
        if let id = try Int64.fetchOne(db, sql: """
            SELECT p.transaction_id FROM postings p LEFT JOIN transactions t ON t.id = p.transaction_id
            WHERE t.id IS NULL ORDER BY p.transaction_id LIMIT 1
            """) {
            return "postings point at transaction #\(id), which does not exist"
        }
        return nil
    }

    private static func receiptFault(_ db: Store) throws -> String? {
        let receiptKinds = TransactionKind.allCases.filter(\.issuesReceipt).map { "'\($0.rawValue)'" }.joined(separator: ",")
        if let id = try Int64.fetchOne(db, sql: """
            SELECT id FROM transactions WHERE receipt_number IS NULL AND kind IN (\(receiptKinds)) ORDER BY id LIMIT 1
            """) {
            return "\(try describe(db, transaction: id)) has no receipt number"
        }
        if let dup = try Int64.fetchOne(db, sql: """
            SELECT receipt_number FROM transactions WHERE receipt_number IS NOT NULL
            GROUP BY receipt_number HAVING COUNT(*) > 1 ORDER BY receipt_number LIMIT 1
            """) {
            return "receipt \(dup) is used twice"
        }
        let row = try SQLRow.fetchOne(db, sql: """
            SELECT COUNT(*) AS n, MIN(receipt_number) AS first, MAX(receipt_number) AS last
            FROM transactions WHERE receipt_number IS NOT NULL
            """)!
        let count: Int64 = row["n"]
        guard count > 0 else { return nil }
        let first: Int64 = row["first"], last: Int64 = row["last"]
        if first != 1 { return "receipts start at \(first), not 1: receipts 1…\(first - 1) are missing" }
        if last != count {
            let missing = try Int64.fetchOne(db, sql: """
                SELECT t.receipt_number + 1 FROM transactions t
                WHERE t.receipt_number IS NOT NULL AND t.receipt_number < ?
                  AND NOT EXISTS (SELECT 1 FROM transactions u WHERE u.receipt_number = t.receipt_number + 1)
                ORDER BY t.receipt_number LIMIT 1
                """, arguments: [last]) ?? 0
            return "receipt \(missing) is missing (receipts run 1…\(last) but there are \(count))"
        }
        return nil
    }

    private static func tenderFault(_ db: Store) throws -> String? {
        let tenderBooks = TenderKind.allCases.map { "'\($0.book.rawValue)'" }.joined(separator: ",")
        guard let id = try Int64.fetchOne(db, sql: """
            SELECT x.transaction_id FROM (
                SELECT transaction_id, SUM(amount_cents) AS tendered FROM tenders GROUP BY transaction_id
            ) x
            WHERE x.tendered <> (SELECT COALESCE(SUM(p.amount_cents), 0) FROM postings p
                                 WHERE p.transaction_id = x.transaction_id AND p.book IN (\(tenderBooks)))
            ORDER BY x.transaction_id LIMIT 1
            """) else { return nil }
        return "\(try describe(db, transaction: id)): its tenders do not add up to what it debits to cash, checks, cards and clearing"
    }

    private static func cachedBalanceFault(_ db: Store) throws -> String? {
        guard let row = try SQLRow.fetchOne(db, sql: """
            SELECT a.number, a.balance_cents, a.deposit_held_cents,
                   COALESCE(s.receivable, 0) AS receivable, COALESCE(s.deposits, 0) AS deposits
            FROM accounts a LEFT JOIN (
                SELECT account_id,
                       SUM(CASE WHEN book = 'AR' THEN amount_cents ELSE 0 END) AS receivable,
                       -SUM(CASE WHEN book = 'DEPOSITS' THEN amount_cents ELSE 0 END) AS deposits
                FROM postings WHERE account_id IS NOT NULL GROUP BY account_id
            ) s ON s.account_id = a.id
            WHERE a.balance_cents <> COALESCE(s.receivable, 0) OR a.deposit_held_cents <> COALESCE(s.deposits, 0)
            ORDER BY a.id LIMIT 1
            """) else { return nil }
        let number: String = row["number"]
        if (row["balance_cents"] as Int64) != (row["receivable"] as Int64) {
            return "account \(number) shows a balance of \(Money(cents: row["balance_cents"]).formatted) but its postings sum to \(Money(cents: row["receivable"]).formatted)"
        }
        return "account \(number) shows a deposit of \(Money(cents: row["deposit_held_cents"]).formatted) but its postings sum to \(Money(cents: row["deposits"]).formatted)"
    }

    private static func allocationFault(_ db: Store) throws -> String? {
        if let id = try Int64.fetchOne(db, sql: """
            SELECT a.charge_posting_id FROM allocations a JOIN postings p ON p.id = a.charge_posting_id
            GROUP BY a.charge_posting_id HAVING SUM(a.amount_cents) > MAX(p.amount_cents) LIMIT 1
            """) {
            return "charge posting #\(id) has more allocated to it than it charged"
        }
        if let id = try Int64.fetchOne(db, sql: """
            SELECT a.credit_posting_id FROM allocations a JOIN postings p ON p.id = a.credit_posting_id
            GROUP BY a.credit_posting_id HAVING SUM(a.amount_cents) > -MIN(p.amount_cents) LIMIT 1
            """) {
            return "credit posting #\(id) has allocated more than it credited"
        }
        // The open items the next payment is allocated against: each is what its posting has left,
        // and an account's open items add up to its balance (so none is missing).
        if let id = try Int64.fetchOne(db, sql: """
            SELECT o.posting_id FROM open_items o JOIN postings p ON p.id = o.posting_id
            WHERE p.book <> 'AR' OR p.account_id IS DISTINCT FROM o.account_id
               OR o.bill_date IS DISTINCT FROM (SELECT COALESCE(t.bill_date, t.business_date) FROM transactions t WHERE t.id = p.transaction_id)
               OR o.remaining_cents <> p.amount_cents
                - COALESCE((SELECT SUM(a.amount_cents) FROM allocations a WHERE a.charge_posting_id = p.id), 0)
                + COALESCE((SELECT SUM(a.amount_cents) FROM allocations a WHERE a.credit_posting_id = p.id), 0)
            LIMIT 1
            """) {
            return "open item of posting #\(id) does not show what is left of it"
        }
        if let number = try String.fetchOne(db, sql: """
            SELECT a.number FROM accounts a
            WHERE a.balance_cents <> COALESCE((SELECT SUM(o.remaining_cents) FROM open_items o WHERE o.account_id = a.id), 0) LIMIT 1
            """) { // each account's items on their index: PostgreSQL joined a grouped sum by nested loop (11 s of 42,000 accounts)
            return "account \(number)'s open items do not add up to its balance"
        }
        return nil
    }

    /// Each closed drawer has one close; the close's counted cash is its count's total, and its
    /// over/short is what the over/short posting moved (none when it balanced).
    private static func drawerCloseFault(_ db: Store) throws -> String? {
        if let id = try Int64.fetchOne(db, sql: """
            SELECT s.id FROM drawer_sessions s LEFT JOIN drawer_closes c ON c.drawer_session_id = s.id
            WHERE (s.closed_at IS NULL) <> (c.id IS NULL) LIMIT 1
            """) {
            return "drawer #\(id) is marked closed without a close, or has a close but is marked open"
        }
        let value = "CASE l.denomination " + Denomination.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.value.cents)" }
            .joined(separator: " ") + " END"
        if let id = try Int64.fetchOne(db, sql: """
            SELECT k.id FROM cash_counts k
            WHERE k.total_cents <> (SELECT COALESCE(SUM(l.quantity * \(value)), 0) FROM cash_count_lines l WHERE l.count_id = k.id)
            LIMIT 1
            """) {
            return "cash count #\(id): its total differs from its denominations"
        }
        if let z = try Int64.fetchOne(db, sql: """
            SELECT c.z_number FROM drawer_closes c JOIN cash_counts k ON k.id = c.count_id
            WHERE k.total_cents <> c.counted_cash_cents LIMIT 1
            """) {
            return "Z report \(z): the counted cash differs from its count"
        }
        if let z = try Int64.fetchOne(db, sql: """
            SELECT c.z_number FROM drawer_closes c
            WHERE c.cash_over_short_cents + c.checks_over_short_cents + c.money_orders_over_short_cents + c.card_over_short_cents
                  <> -COALESCE((SELECT SUM(p.amount_cents) FROM postings p
                                WHERE p.transaction_id = c.transaction_id AND p.book = 'OVER_SHORT'), 0)
            LIMIT 1
            """) {
            return "Z report \(z): its over/short differs from what was posted to the over/short account"
        }
        return nil
    }

    /// The running totals settlement reads are exactly what the tenders add up to.
    private static func tenderTotalsFault(_ db: Store) throws -> String? {
        // The migration's own select, but with the receipt flag as a number (PostgreSQL's
        // `IN` is a boolean, its stored column a number).
        let computed = """
            SELECT t.business_date, COALESCE(t.drawer_session_id, 0), x.kind,
                   CASE WHEN t.kind IN ('payment', 'misc-receipt', 'void') THEN 1 ELSE 0 END,
                   SUM(CASE WHEN x.amount_cents > 0 THEN 1 ELSE -1 END), SUM(x.amount_cents)
            FROM tenders x JOIN transactions t ON t.id = x.transaction_id WHERE true GROUP BY 1, 2, 3, 4
            """
        let stored = "SELECT business_date, drawer_session_id, kind, receipt, count, amount_cents FROM tender_totals"
        guard let row = try SQLRow.fetchOne(db, sql: """
            SELECT * FROM (\(computed) EXCEPT \(stored)) AS missing UNION ALL SELECT * FROM (\(stored) EXCEPT \(computed)) AS extra LIMIT 1
            """) else { return nil }
        return "the running total of \(row[2] as String) on \(row[0] as String) (drawer #\(row[1] as Int64)) differs from its tenders"
    }

    /// Voids, reversals, returned checks and transfers correct a payment; each returned check
    /// names its check (or its bank return, pointing at the same payment); every override was given by a lead or supervisor other than the operator.
    private static func correctionFault(_ db: Store) throws -> String? {
        if let id = try Int64.fetchOne(db, sql: """
            SELECT t.id FROM transactions t LEFT JOIN transactions c ON c.id = t.corrects_id
            WHERE t.kind IN ('void', 'reversal', 'nsf', 'transfer') AND (c.id IS NULL OR c.kind NOT IN ('payment', 'misc-receipt'))
            ORDER BY t.id LIMIT 1
            """) {
            return "\(try describe(db, transaction: id)) does not point at the payment it corrects"
        }
        if let id = try Int64.fetchOne(db, sql: """
            SELECT t.id FROM transactions t WHERE t.kind = 'nsf'
              AND (SELECT COUNT(*) FROM returned_checks r WHERE r.transaction_id = t.id)
                + (SELECT COUNT(*) FROM returned_items r WHERE r.transaction_id = t.id AND r.original_transaction_id = t.corrects_id) <> 1
            ORDER BY t.id LIMIT 1
            """) {
            return "\(try describe(db, transaction: id)) names no returned check or bank return"
        }
        if let id = try Int64.fetchOne(db, sql: """
            SELECT t.id FROM transactions t JOIN operators a ON a.id = t.override_operator_id
            WHERE t.override_operator_id = t.operator_id OR a.role NOT IN ('lead', 'supervisor')
            ORDER BY t.id LIMIT 1
            """) {
            return "\(try describe(db, transaction: id)) was approved by its own operator or by someone who may not approve"
        }
        if let id = try Int64.fetchOne(db, sql: """
            SELECT o.id FROM overrides o JOIN operators a ON a.id = o.approver_id
            WHERE o.approver_id = o.operator_id OR a.role NOT IN ('lead', 'supervisor')
               OR (o.transaction_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.id = o.transaction_id
                                                                AND t.override_operator_id = o.approver_id))
            ORDER BY o.id LIMIT 1
            """) {
            return "override #\(id) was given by its own operator, by someone who may not approve, or differs from its transaction"
        }
        return nil
    }
}

import GRDB
import TillCore

/// One read of a business day's own rows, for its settlement: the revenue distribution, what
/// the bank took straight in (lockbox checks), the receipt range and the checks and money
/// orders still in the drawers.
///
/// A day's transactions lie between the day's first and last transaction id, and their postings
/// between those transactions' first and last posting id, so both are read in rowid order as
/// two straight runs of the tables instead of an index probe per transaction. The figures are
/// the same as a query per transaction would give: `ReconciliationTests` re-derives them.
struct DayScan {
    var revenue = RevenueDistribution()
    var bank: (count: Int, amount: Money) = (0, .zero)
    var receipts: (first: ReceiptNumber, last: ReceiptNumber, count: Int)?
    /// Checks and money orders taken in drawers and not voided (handed back), by drawer session,
    /// in the order they were taken.
    var checks: [Int64: [DrawerCheck]] = [:]
    var corrections: [Settlement.Correction] = []
    var batches: [Settlement.Batch] = []

    /// The first and last transaction id of the business day (nil: nothing posted on it).
    static func range(of day: String, _ db: Store) throws -> (first: Int64, last: Int64)? {
        guard let row = try SQLRow.fetchOne(db.cachedStatement(sql: db.isPostgres ? postgresRangeSQL : rangeSQL), arguments: [day]),
              let first: Int64 = row[0], let last: Int64 = row[1] else { return nil }
        return (first, last)
    }

    /// The lowest and highest id of each kind, each found at one end of its run of the
    /// (business_date, kind) index: `MIN(id), MAX(id) … WHERE business_date = ?` read the
    /// day's whole run of the index twice (3 ms of a 20,000-payment day). A kind verify would
    /// not know is not counted (verify names such a row).
    private static let rangeSQL: String = {
        let ends = TransactionKind.allCases.map { kind in
            "SELECT (SELECT MIN(id) FROM transactions WHERE business_date = ?1 AND kind = '\(kind.rawValue)') AS low, "
                + "(SELECT MAX(id) FROM transactions WHERE business_date = ?1 AND kind = '\(kind.rawValue)') AS high"
        }
        return "SELECT MIN(low), MAX(high) FROM (\(ends.joined(separator: " UNION ALL "))) AS ends"
    }()

    /// PostgreSQL planned `rangeSQL`'s forty subqueries afresh at each read (4 ms of the
    /// settle pane's read); one subquery over the kinds, each kind's ends found on the
    /// (business_date, kind, id) index, plans in a tenth of a millisecond.
    private static let postgresRangeSQL: String = {
        let kinds = TransactionKind.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return "SELECT MIN(x.low), MAX(x.high) FROM unnest(ARRAY[\(kinds)]) AS k(kind), "
            + "LATERAL (SELECT MIN(id) AS low, MAX(id) AS high FROM transactions t WHERE t.business_date = ?1 AND t.kind = k.kind) AS x"
    }()

    /// The first and last id of the rows of `table` (postings, allocations) that transactions
    /// `first`...`last` wrote, each found at one end of the table's transaction index. A row is
    /// written with its transaction, one writer at a time, so ids follow transaction ids; the
    /// reads that use the range filter by transaction too. (`MIN(id), MAX(id) … WHERE
    /// transaction_id BETWEEN` read the whole run of the index: 5 ms of a 20,000-payment day.)
    static func idRange(of table: String, first: Int64, last: Int64, _ db: Store) throws -> (Int64, Int64)? {
        let row = try SQLRow.fetchOne(db.cachedStatement(sql: """
            SELECT (SELECT id FROM \(table) WHERE transaction_id BETWEEN ?1 AND ?2 ORDER BY transaction_id, id LIMIT 1),
                   (SELECT id FROM \(table) WHERE transaction_id BETWEEN ?1 AND ?2 ORDER BY transaction_id DESC, id DESC LIMIT 1)
            """), arguments: [first, last])
        guard let row, let low: Int64 = row[0], let high: Int64 = row[1] else { return nil }
        return (low, high)
    }

    /// What the scan keeps of each transaction in the day's id range.
    private enum Kind: UInt8 { case otherDay, other, payment, miscReceipt, void }

    /// The day's scan; `given`, when it returns one, is the other half (`SecondHalf`) read
    /// meanwhile on another connection: it counts only if that connection saw this same ledger.
    /// With `scope`, only the transactions of that office's terminals count.
    static func read(_ day: String, _ db: Store, scope: OfficeScope? = nil, secondHalf given: () -> SecondHalf? = { nil }) throws -> DayScan {
        var scan = DayScan()
        guard let (first, last) = try range(of: day, db) else {
            // Nothing posted on the day; a payment file's batch may be open all the same.
            scan.batches = try Ledger.batches(day: day, db)
            return scan
        }
        let count = Int(last - first + 1)
        var kinds = [Kind](repeating: .otherDay, count: count)
        // Each transaction's first account: the account a check is listed under.
        var firstAccount = [Int64](repeating: 0, count: count)
        // Transactions a void of the day corrects, with how many voids correct each.
        var voidsOf: [Int64: Int64] = [:]

        let transactions = try RawCursor(db, """
            SELECT id, CASE WHEN business_date <> ? THEN 0 WHEN kind = 'payment' THEN 2 WHEN kind = 'misc-receipt' THEN 3
                            WHEN kind = 'void' THEN 4 ELSE 1 END,
                   COALESCE(receipt_number, 0), COALESCE(corrects_id, 0)\(scope == nil ? "" : ", terminal_id")
            FROM transactions WHERE id BETWEEN ? AND ? ORDER BY id
            """, arguments: [day, first, last])
        var receiptCount = 0, lowest = Int64.max, highest: Int64 = 0
        while transactions.hasRow {
            let index = Int(transactions.int(0) - first)
            var kind = Kind(rawValue: UInt8(transactions.int(1))) ?? .other
            // Another office's transaction counts in that office's share, not this one's.
            if let scope, kind != .otherDay, !scope.holds(terminal: transactions.string(4)) { kind = .otherDay }
            kinds[index] = kind
            if kind != .otherDay {
                let receipt = transactions.int(2)
                if receipt > 0 { receiptCount += 1; lowest = min(lowest, receipt); highest = max(highest, receipt) }
                if kind == .void { voidsOf[transactions.int(3), default: 0] += 1 }
            }
            try transactions.advance()
        }
        if receiptCount > 0 { scan.receipts = (ReceiptNumber(lowest), ReceiptNumber(highest), receiptCount) }

        // What each payment, misc receipt and void credited (a void: debited back) to receivables,
        // deposits and revenue codes; a payment's debit to the bank (a lockbox check); and each
        // transaction's first account.
        let codes = BookAccount.revenueCodes
        var byCode = [Int64](repeating: 0, count: codes.count)
        var credited: Int64 = 0, deposits: Int64 = 0, suspense: Int64 = 0, bankCount = 0, bankAmount: Int64 = 0
        if let (firstPosting, lastPosting) = try idRange(of: "postings", first: first, last: last, db) {
            // `+transaction_id`: the rowid range drives the read, not the transaction index. The
            // tender books (half the rows, no account) count in the tender totals, not here.
            let postings = try RawCursor(db, """
                SELECT transaction_id,
                       CASE book WHEN 'AR' THEN -2 WHEN 'DEPOSITS' THEN -3 WHEN 'BANK' THEN -4 WHEN 'SUSPENSE' THEN -5 ELSE \(Ledger.revenueIndexSQL("book")) END,
                       amount_cents, COALESCE(account_id, 0)
                FROM postings WHERE id BETWEEN ? AND ? AND +transaction_id BETWEEN ? AND ?
                  AND (book NOT IN ('CASH', 'CHECKS', 'MONEY_ORDERS', 'CARD', 'ACH') OR account_id IS NOT NULL) ORDER BY id
                """, arguments: [firstPosting, lastPosting, first, last])
            while postings.hasRow {
                let index = Int(postings.int(0) - first)
                let kind = kinds[index]
                let account = postings.int(3)
                if account != 0 && firstAccount[index] == 0 { firstAccount[index] = account }
                if kind == .payment || kind == .miscReceipt || kind == .void {
                    let book = postings.int(1), amount = postings.int(2)
                    switch book {
                    case -2: credited -= amount
                    case -3: deposits -= amount
                    case -5: suspense -= amount
                    case -4: if kind == .payment { bankCount += 1; bankAmount += amount }
                    case 0...: byCode[Int(book)] -= amount
                    default: break
                    }
                }
                try postings.advance()
            }
        }
        scan.bank = (bankCount, Money(cents: bankAmount))

        // Each allocation a payment made when it was posted, split over the paid charge's
        // revenue lines; a void counts its original's allocations negatively. A transaction's
        // splits count once for a payment of the day less once for each void of the day of it.
        // The other half, read on another connection, counts only if it saw this same ledger.
        let stamp = try Stamp.read(db)
        // The checks are read on this connection while the other reads the allocations (the
        // longer half): each half then takes about as long as the other.
        let checks = try drawerChecks(day: day, first: first, last: last, db)
        // The accounts' numbers in a few reads of many ids each, not one read a check (on
        // PostgreSQL each read is a round trip: 2,600 checks took 130 ms).
        let numbers = try accountNumbers(Set(checks.map { firstAccount[Int($0.transaction - first)] }).subtracting([0]), db)
        for check in checks {
            let account = numbers[firstAccount[Int(check.transaction - first)]] ?? ""
            scan.checks[check.session, default: []].append(DrawerCheck(tenderID: check.tenderID, kind: check.kind, number: check.number,
                                                                      account: account, amount: check.amount, receipt: check.receipt))
        }
        let half = try given().flatMap { $0.stamp == stamp ? $0 : nil } ?? SecondHalf.read(day: day, first: first, last: last, db)
        let splits = half.splits
        scan.corrections = half.corrections
        scan.batches = half.batches
        var allocated: Int64 = 0, recharged: Int64 = 0
        func add(_ split: AllocationSplit, weight: Int64) {
            allocated += weight * split.allocated
            recharged += weight * split.recharged
            for (index, cents) in split.byCode.enumerated() where cents != 0 { byCode[index] += weight * cents }
        }
        for (transaction, split) in splits {
            let own: Int64 = kinds[Int(transaction - first)] == .payment ? 1 : 0
            let weight = own - (voidsOf[transaction] ?? 0)
            if weight != 0 { add(split, weight: weight) }
        }
        // Voids of the day whose payment was posted before the day's first transaction.
        for original in voidsOf.keys.sorted() where original < first || original > last {
            for split in try allocationSplits(transaction: original, db).values { add(split, weight: -(voidsOf[original] ?? 0)) }
        }
        for (index, cents) in byCode.enumerated() where cents != 0 { scan.revenue.byCode[codes[index]] = Money(cents: cents) }
        scan.revenue.depositsCollected = Money(cents: deposits)
        scan.revenue.suspense = Money(cents: suspense)
        scan.revenue.recharged = Money(cents: recharged)
        scan.revenue.unapplied = Money(cents: credited - allocated)

        return scan
    }

    /// Account numbers by id, read 500 ids at a time (ids are integers: written into the SQL).
    static func accountNumbers(_ ids: Set<Int64>, _ db: Store) throws -> [Int64: String] {
        var numbers: [Int64: String] = [:]
        let sorted = ids.sorted()
        for start in stride(from: 0, to: sorted.count, by: 500) {
            let chunk = sorted[start..<min(sorted.count, start + 500)].map(String.init).joined(separator: ",")
            for row in try SQLRow.fetchAll(db, sql: "SELECT id, number FROM accounts WHERE id IN (\(chunk))") {
                numbers[row[0]] = row[1]
            }
        }
        return numbers
    }

    /// What the allocations of a range of transactions paid, by transaction: each allocation a
    /// transaction's own credit made when it was posted, split over the paid charge's revenue
    /// lines by `RevenueSplit` (a paid charge that is not a bill or fee is `recharged`).
    typealias AllocationSplits = [Int64: AllocationSplit]

    /// A check or money order in a drawer, in the order taken; the account it is listed under
    /// comes from the postings.
    struct Check {
        let tenderID: Int64
        let kind: TenderKind
        let number: String
        let amount: Money
        let receipt: ReceiptNumber?
        let session: Int64
        let transaction: Int64
    }

    /// The checks and money orders taken in drawers, by the checks' own index over the day's
    /// range, in the order taken (the index's order: `ORDER BY x.id` sorted them again); a voided
    /// one was handed back.
    static func drawerChecks(day: String, first: Int64, last: Int64, _ db: Store) throws -> [Check] {
        let rows = try RawCursor(db, """
            SELECT x.id, x.kind, x.reference, x.amount_cents, t.receipt_number, t.id, t.drawer_session_id
            FROM tenders x CROSS JOIN transactions t
            WHERE t.id = x.transaction_id AND x.kind IN ('check', 'money-order') AND x.transaction_id BETWEEN ? AND ? AND x.amount_cents > 0
              AND t.business_date = ? AND t.drawer_session_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM transactions v WHERE v.corrects_id = t.id AND v.kind = 'void')
            ORDER BY x.transaction_id, x.id
            """, arguments: [first, last, day])
        let moneyOrder = Array(TenderKind.moneyOrder.rawValue.utf8)
        var checks: [Check] = []
        while rows.hasRow {
            checks.append(Check(tenderID: rows.int(0), kind: rows.textEquals(1, moneyOrder) ? .moneyOrder : .check,
                                number: rows.string(2), amount: Money(cents: rows.int(3)),
                                receipt: rows.isNull(4) ? nil : ReceiptNumber(rows.int(4)), session: rows.int(6),
                                transaction: rows.int(5)))
            try rows.advance()
        }
        return checks
    }

    /// The half of the day's read that needs nothing from the other: the allocations' splits, the
    /// corrections and the batches, with the state of the ledger it was read from.
    struct SecondHalf: Sendable {
        var splits: AllocationSplits = [:]
        var corrections: [Settlement.Correction] = []
        var batches: [Settlement.Batch] = []
        var stamp = Stamp()

        /// The business day's second half (nil: no transaction on the day).
        static func read(day: String, _ db: Store) throws -> SecondHalf? {
            guard let (first, last) = try DayScan.range(of: day, db) else { return nil }
            return try read(day: day, first: first, last: last, db)
        }

        static func read(day: String, first: Int64, last: Int64, _ db: Store) throws -> SecondHalf {
            SecondHalf(splits: try allocationSplits(first: first, last: last, db),
                       corrections: try Ledger.corrections(day: day, first: first, last: last, db),
                       batches: try Ledger.batches(day: day, db), stamp: try Stamp.read(db))
        }
    }

    struct AllocationSplit: Sendable {
        var allocated: Int64 = 0
        var recharged: Int64 = 0
        var byCode = [Int64](repeating: 0, count: BookAccount.revenueCodes.count)
    }

    /// Every posting writes a transaction, and every allocation is written with one: two reads
    /// that see the same newest transaction and allocation see the same day.
    struct Stamp: Sendable, Equatable {
        var transaction: Int64 = 0
        var allocation: Int64 = 0

        static func read(_ db: Store) throws -> Stamp {
            let row = try SQLRow.fetchOne(db, sql: "SELECT (SELECT MAX(id) FROM transactions), (SELECT MAX(id) FROM allocations)")
            return Stamp(transaction: row?[0] ?? 0, allocation: row?[1] ?? 0)
        }
    }

    private static let allocationSQL = """
        SELECT al.transaction_id, al.id, al.amount_cents, cp.transaction_id, COALESCE(rp.id, 0),
               \(Ledger.revenueIndexSQL("rp.book")), COALESCE(-rp.amount_cents, 0)
        FROM allocations al JOIN postings cp ON cp.id = al.credit_posting_id
        JOIN postings chp ON chp.id = al.charge_posting_id
        LEFT JOIN postings rp ON rp.transaction_id = chp.transaction_id AND rp.amount_cents < 0 AND rp.book <> 'AR'
        """

    static func allocationSplits(first: Int64, last: Int64, _ db: Store) throws -> AllocationSplits {
        // The day's allocations by their own rowid range (found on the transaction index), as the
        // postings are: asked by transaction with `ORDER BY al.id`, SQLite walked the whole
        // allocations table in id order to find them (20 of a 20,000-payment day's 50 ms).
        guard let (low, high) = try idRange(of: "allocations", first: first, last: last, db) else { return [:] }
        return try walk(try RawCursor(db, "\(allocationSQL) WHERE al.id BETWEEN ? AND ? AND +al.transaction_id BETWEEN ? AND ? ORDER BY al.id",
                                      arguments: [low, high, first, last]))
    }

    static func allocationSplits(transaction: Int64, _ db: Store) throws -> AllocationSplits {
        try walk(try RawCursor(db, "\(allocationSQL) WHERE al.transaction_id = ? ORDER BY al.id", arguments: [transaction]))
    }

    private static func walk(_ rows: RawCursor) throws -> AllocationSplits {
        var result: AllocationSplits = [:]
        var current: (transaction: Int64, allocation: Int64, amount: Int64)?
        var parts: [(id: Int64, code: Int64, weight: Int64)] = []
        func flush() {
            guard let allocation = current else { return }
            var split = result[allocation.transaction] ?? AllocationSplit()
            split.allocated += allocation.amount
            // The rounding rule takes the charge's lines in the order they were posted.
            parts.sort { $0.id < $1.id }
            let shares = RevenueSplit.split(Money(cents: allocation.amount), weights: parts.map(\.weight))
            var other = allocation.amount
            for (part, share) in zip(parts, shares) where part.code >= 0 {
                split.byCode[Int(part.code)] += share.cents
                other -= share.cents
            }
            split.recharged += other
            result[allocation.transaction] = split
        }
        while rows.hasRow {
            let allocation = rows.int(1)
            if current?.allocation != allocation {
                flush()
                current = nil
                parts.removeAll(keepingCapacity: true)
                // Only what the transaction's own credit paid when it was posted.
                let transaction = rows.int(0)
                if rows.int(3) == transaction { current = (transaction, allocation, rows.int(2)) }
            }
            if current != nil && rows.int(4) != 0 { parts.append((rows.int(4), rows.int(5), rows.int(6))) }
            try rows.advance()
        }
        flush()
        return result
    }
}

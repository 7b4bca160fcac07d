import Dispatch
import GRDB
import Synchronization
import TillCore

/// An account with charges past due, as the delinquency list shows it.
public struct DelinquentAccount: Sendable, Equatable {
    public enum PlanState: String, Sendable { case none, current, missed }

    public let number: String
    public let name: String
    public let status: String
    public let balance: Money
    public let aging: Aging
    /// Days since the oldest unpaid due date.
    public let daysPastDue: Int
    public let plan: PlanState
    public let shutoffDate: BusinessDate?
    /// What assistance agencies have pledged and not yet paid (open, unexpired pledges).
    public internal(set) var pledged = Money.zero
    /// What is past due for a shut-off: the past-due amount less what the pledges cover
    /// (`pledge.counts`: fully, or only once the rest is paid).
    public internal(set) var shutoffPastDue = Money.zero

    /// The aging bucket of the oldest unpaid due date: 30, 60, 90 (90 and over) or 0 (under 30 days).
    public var bucket: Int { daysPastDue >= 90 ? 90 : daysPastDue >= 60 ? 60 : daysPastDue >= 30 ? 30 : 0 }
}

/// What a late-fee run did.
public struct FeeRun: Sendable, Equatable {
    public let asOf: BusinessDate
    public var assessed: [(account: String, amount: Money, dueDate: BusinessDate)] = []
    /// Bills that already had their late fee from an earlier run.
    public var alreadyAssessed = 0
    public var total: Money { Money(cents: assessed.reduce(0) { $0 + $1.amount.cents }) }

    public static func == (a: Self, b: Self) -> Bool {
        a.asOf == b.asOf && a.alreadyAssessed == b.alreadyAssessed && a.assessed.map(\.account) == b.assessed.map(\.account)
    }
}

extension Ledger {
    /// Accounts with charges past due as of a date, oldest debt first: aging, days past due,
    /// payment plan state and pending shut-off. Filters: days past due, amount past due, status.
    public func delinquency(asOf: BusinessDate, minimumDays: Int = 1, minimumPastDue: Money = Money(cents: 1),
                            status: String? = nil) throws -> [DelinquentAccount] {
        // A large ledger is read in two halves of its accounts at once, on two of the pool's
        // reading connections (a counter host has two cores or more).
        let last = try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM accounts") ?? 0 }
        let ranges: [ClosedRange<Int64>] = last < 50_000 ? [0...last] : [0...(last / 2), (last / 2 + 1)...last]
        let parts = Mutex<[Int: Result<[DelinquentAccount], any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: ranges.count) { index in
            let part = Result {
                try self.read { db in
                    try Self.delinquency(asOf: asOf, minimumDays: minimumDays, minimumPastDue: minimumPastDue, status: status,
                                         accounts: ranges[index], db)
                }
            }
            parts.withLock { $0[index] = part }
        }
        var list: [DelinquentAccount] = []
        for index in ranges.indices { list += try parts.withLock { $0[index]! }.get() }
        return Self.oldestDebtFirst(list)
    }

    /// Oldest debt first, then by account number.
    static func oldestDebtFirst(_ list: [DelinquentAccount]) -> [DelinquentAccount] {
        list.sorted { $0.daysPastDue != $1.daysPastDue ? $0.daysPastDue > $1.daysPastDue : $0.number < $1.number }
    }

    static func delinquency(asOf: BusinessDate, minimumDays: Int, minimumPastDue: Money, status: String?,
                            accounts range: ClosedRange<Int64>? = nil, _ db: Store) throws -> [DelinquentAccount] {
        // Each charge's unpaid amount is kept by triggers in `open_items` (re-proved by verify),
        // and SQLite sums an account's open charges into its aging buckets: the list reads the
        // accounts that owe, not every charge and its allocations (35 s on a million accounts).
        // A charge's age counts from its bill date (`Aging`): under 30 days is current.
        let d = { (days: Int) in asOf.adding(days: -days).description }
        var sql = """
            SELECT a.id, a.number, a.customer_name, a.status, a.balance_cents, a.shutoff_date,
                   SUM(CASE WHEN o.sort_date < ? THEN o.remaining_cents ELSE 0 END) AS past_due,
                   MIN(CASE WHEN o.sort_date < ? THEN o.sort_date END) AS oldest,
                   SUM(CASE WHEN o.bill_date > ? THEN o.remaining_cents ELSE 0 END) AS current,
                   SUM(CASE WHEN o.bill_date <= ? AND o.bill_date > ? THEN o.remaining_cents ELSE 0 END) AS days30,
                   SUM(CASE WHEN o.bill_date <= ? AND o.bill_date > ? THEN o.remaining_cents ELSE 0 END) AS days60,
                   SUM(CASE WHEN o.bill_date <= ? THEN o.remaining_cents ELSE 0 END) AS days90
            FROM open_items o JOIN accounts a ON a.id = o.account_id
            WHERE o.remaining_cents > 0 AND a.balance_cents > 0
            """
        var arguments: SQLArguments = [asOf.description, asOf.description, d(30), d(30), d(60), d(60), d(90), d(90)]
        if let status { sql += " AND a.status = ?"; arguments += [status] }
        if let range {
            sql += " AND o.account_id BETWEEN ? AND ?"
            arguments += [range.lowerBound, range.upperBound]
        }
        // SQLite groups in open_items' account order (its index, no sort); PostgreSQL also needs
        // the account's key to take the account's other columns as the group's.
        sql += " GROUP BY o.account_id\(db.isPostgres ? ", a.id" : "") HAVING SUM(CASE WHEN o.sort_date < ? THEN o.remaining_cents ELSE 0 END) > 0"
        arguments += [asOf.description]
        // The few accounts with a plan, read once, not asked of each delinquent account.
        let withPlans = Set(try Int64.fetchAll(db, sql: "SELECT DISTINCT account_id FROM payment_plans WHERE status = 'active'"))
        let pledged = try openPledgedByAccount(on: asOf, db), rule = try pledgeRule(db)
        var result: [DelinquentAccount] = []
        let rows = try SQLRow.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            let id: Int64 = row[0]
            let aging = Aging(current: Money(cents: row[8]), days30: Money(cents: row[9]), days60: Money(cents: row[10]),
                              days90: Money(cents: row[11]), pastDue: Money(cents: row[6]))
            let days = asOf.days(since: try BusinessDate(row[7] as String))
            guard days >= minimumDays, aging.pastDue >= minimumPastDue else { continue }
            var plan = DelinquentAccount.PlanState.none
            if withPlans.contains(id), let active = try activePlan(accountID: id, db), let next = active.next {
                plan = next.due < asOf ? .missed : .current
            }
            var account = DelinquentAccount(number: row[1], name: row[2], status: row[3], balance: Money(cents: row[4]), aging: aging,
                                            daysPastDue: days, plan: plan, shutoffDate: (row[5] as String?).flatMap { try? BusinessDate($0) })
            account.pledged = pledged[id] ?? .zero
            account.shutoffPastDue = rule.pastDue(aging.pastDue, pledged: account.pledged)
            result.append(account)
        }
        return oldestDebtFirst(result)
    }

    /// Accounts to shut off on a date: active, past due beyond `shutoff.past_due_days` by at least
    /// `shutoff.minimum_cents` (less what assistance agencies have pledged, as `pledge.counts`
    /// says), and no payment arrangement being kept.
    public func shutoffCandidates(on date: BusinessDate) throws -> [DelinquentAccount] {
        let (days, minimum) = try read { db in (Int(try Self.intSetting(.shutoffPastDueDays, db)), Money(cents: try Self.intSetting(.shutoffMinimumCents, db))) }
        return try delinquency(asOf: date, minimumDays: days, minimumPastDue: minimum, status: "active")
            .filter { $0.plan != .current && $0.shutoffPastDue >= minimum }
    }

    static func shutoffCandidates(on date: BusinessDate, _ db: Store) throws -> [DelinquentAccount] {
        let days = Int(try intSetting(.shutoffPastDueDays, db))
        let minimum = Money(cents: try intSetting(.shutoffMinimumCents, db))
        return try delinquency(asOf: date, minimumDays: days, minimumPastDue: minimum, status: "active", db)
            .filter { $0.plan != .current && $0.shutoffPastDue >= minimum }
    }

    /// The late-fee run: one `fees.late_cents` fee per account and due date whose charges are
    /// past due beyond `fees.late_grace_days` by at least `fees.late_minimum_cents`, except
    /// accounts keeping a payment arrangement. Posted on the open day in chunks (each one
    /// transaction); a bill is charged its fee once (running it twice adds nothing).
    public func assessLateFees(asOf date: BusinessDate, actor: Actor, slice: Duration = .milliseconds(200)) throws -> FeeRun {
        // The authority, the policy and the candidates are read without holding the write lock:
        // on a large ledger the scan takes seconds, and the counters keep posting meanwhile.
        let (fee, minimum, candidates) = try read { db -> (Money, Int64, [SQLRow]) in
            let day = try Self.requireOpenDay(db)
            guard date <= day else { throw LedgerError(.invalid, "Late fees are assessed as of the open day (\(day)) or earlier") }
            _ = try Self.authorize(.feesAssess, amount: nil, actor: actor, db)
            let grace = Int(try Self.intSetting(.lateFeeGraceDays, db))
            let minimum = try Self.intSetting(.lateFeeMinimumCents, db)
            // The open charges (`open_items`, kept by triggers, re-proved by verify), not every bill.
            let rows = try SQLRow.fetchAll(db, sql: """
                SELECT a.id, a.number, o.sort_date AS due, SUM(o.remaining_cents) AS unpaid
                FROM open_items o JOIN accounts a ON a.id = o.account_id
                JOIN postings p ON p.id = o.posting_id JOIN transactions t ON t.id = p.transaction_id AND t.kind = 'bill'
                WHERE o.remaining_cents > 0 AND a.balance_cents > 0 AND a.status IN ('active', 'locked-off') AND o.sort_date < ?
                  AND NOT EXISTS (SELECT 1 FROM postings f WHERE f.transaction_id = t.id AND f.book IN ('REV_LATE_FEE', 'REV_NSF_FEE', 'REV_RECONNECT'))
                GROUP BY a.id, a.number, o.sort_date HAVING SUM(o.remaining_cents) >= ?
                ORDER BY a.id, o.sort_date
                """, arguments: [date.adding(days: -grace).description, minimum])
            return (Money(cents: try Self.intSetting(.lateFeeCents, db)), minimum, rows)
        }
        var run = FeeRun(asOf: date)
        guard fee.isPositive else { return run }
        // Posted in transactions of up to `slice` that give way as soon as a terminal asks for the
        // write lock (as a payment file does), so a counter waits for one fee and a commit; each
        // fee's key makes an interrupted run finish, and a repeated one add nothing.
        var approver: Int64?
        var start = 0
        while start < candidates.count {
            try writeImmediate { db, anyoneWaiting in
                let began = ContinuousClock.now
                let day = try Self.requireOpenDay(db)
                let auth = try Self.authorize(.feesAssess, amount: nil, actor: actor, db)
                approver = auth.approver?.id
                let withPlans = Set(try Int64.fetchAll(db, sql: "SELECT DISTINCT account_id FROM payment_plans WHERE status = 'active'"))
                for row in candidates[start...] {
                    if ContinuousClock.now - began > slice || (anyoneWaiting() && ContinuousClock.now - began > .milliseconds(1)) { break }
                    start += 1
                    let id: Int64 = row["id"], due = try BusinessDate(row["due"])
                    let key = "late-fee:\(id):\(due)"
                    if try Self.postedWithKey(key, db) != nil || Self.hasLateFee(accountID: id, due: due, db) {
                        run.alreadyAssessed += 1
                        continue
                    }
                    if withPlans.contains(id), let plan = try Self.activePlan(accountID: id, db), let next = plan.next, next.due >= date { continue }
                    // Paid since the list was read: no fee.
                    guard try Self.unpaidBills(accountID: id, due: due, db) >= minimum else { continue }
                    let number = try AccountNumber(row["number"] as String)
                    _ = try insert(PostingRequest(kind: .fee, lines: [PostingLine(.receivable, fee, account: number),
                                                                      PostingLine(.lateFee, Money(cents: -fee.cents))],
                                                  operatorID: actor.operatorID, terminal: actor.terminal, idempotencyKey: key,
                                                  overrideBy: auth.approver?.id, dueDate: date, memo: "Late fee: bill due \(due) unpaid"),
                                   businessDate: day, accountIDs: [number: id], db)
                    run.assessed.append((account: number.rawValue, amount: fee, dueDate: due))
                }
            }
            checkpointIfLarge()
        }
        try writeImmediate { db in
            let auth = try Self.authorize(.feesAssess, amount: nil, actor: Actor(operatorID: actor.operatorID, terminal: actor.terminal,
                                                                                 approverID: approver ?? actor.approverID), db)
            let now = timestamp()
            try auth.record(db, at: now, transactionID: nil, detail: "late fees as of \(date)")
            try Audit.record(db, at: now, operatorID: actor.operatorID, terminal: actor.terminal, event: "fees.assessed",
                             detail: "as of \(date): \(run.assessed.count) fees \(run.total.formatted), \(run.alreadyAssessed) already assessed")
        }
        return run
    }


    /// Whether the bills due on `due` already carry a late fee, however it came: charged by an
    /// earlier run, or imported from the billing system as a charge of its own. A late fee
    /// belongs to the latest bill that fell due before it was charged.
    static func hasLateFee(accountID: Int64, due: BusinessDate, _ db: Store) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT 1 FROM postings fa JOIN transactions ft ON ft.id = fa.transaction_id
            WHERE fa.account_id = ? AND fa.book = 'AR' AND fa.amount_cents > 0 AND ft.business_date > ?
              AND EXISTS (SELECT 1 FROM postings fr WHERE fr.transaction_id = ft.id AND fr.book = 'REV_LATE_FEE')
              AND COALESCE(ft.idempotency_key, '') NOT LIKE 'late-fee:%' -- the run's own fees name their bill in their key
              AND NOT EXISTS (
                SELECT 1 FROM postings bp JOIN transactions bt ON bt.id = bp.transaction_id AND bt.kind = 'bill'
                WHERE bp.account_id = fa.account_id AND bp.book = 'AR' AND bp.amount_cents > 0
                  AND COALESCE(bt.due_date, bt.business_date) > ? AND COALESCE(bt.due_date, bt.business_date) < ft.business_date
                  AND NOT EXISTS (SELECT 1 FROM postings x WHERE x.transaction_id = bt.id
                                  AND x.book IN ('REV_LATE_FEE', 'REV_NSF_FEE', 'REV_RECONNECT')))
            LIMIT 1
            """), arguments: [accountID, due.description, due.description]) == true
    }

    /// What is unpaid of an account's bills due on one date.
    static func unpaidBills(accountID: Int64, due: BusinessDate, _ db: Store) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT COALESCE(SUM(o.remaining_cents), 0)
            FROM open_items o JOIN postings p ON p.id = o.posting_id JOIN transactions t ON t.id = p.transaction_id AND t.kind = 'bill'
            WHERE o.account_id = ? AND o.remaining_cents > 0 AND o.sort_date = ?
              AND NOT EXISTS (SELECT 1 FROM postings f WHERE f.transaction_id = t.id AND f.book IN ('REV_LATE_FEE', 'REV_NSF_FEE', 'REV_RECONNECT'))
            """), arguments: [accountID, due.description]) ?? 0
    }
}

import GRDB
import TillCore

/// A drop to the safe, and whether a lead has accepted its bag (a turn-in).
public struct DropRecord: Sendable, Equatable {
    public struct Acceptance: Sendable, Equatable {
        public let counted: Money
        /// What the lead counted less what the drop said: negative when the bag was short.
        public let difference: Money
        public let by: String
        public let at: String
        public let reason: String
    }

    public let countID: Int64
    public let session: Int64
    public let bag: String
    public let amount: Money
    public let operatorLogin: String
    public let at: String
    public let acceptance: Acceptance?

    /// The bag on a report: `bag B-7 $60.00` and what became of it.
    public var label: String { "bag \(bag) \(amount.formatted)" }

    /// Accepted (by whom, with what was counted when it differs), or pending a lead.
    public func state(pending: Bool) -> String {
        guard let a = acceptance else { return pending ? "PENDING" : "not accepted" }
        return a.difference.isZero ? "accepted, \(a.by)" : "\(a.by) counted \(a.counted.formatted)"
    }

    /// One line for a list: the drop, its drawer, and its state.
    public func line(pending: Bool) -> String {
        "\(label) drawer #\(session) \(operatorLogin): \(state(pending: pending))"
            + (acceptance.map { $0.difference.isZero ? "" : " (\($0.difference.formatted): \($0.reason))" } ?? "")
    }
}

extension Ledger {
    /// Whether a drop waits for a lead to count and accept its bag (`drawer.drops_need_acceptance`).
    static func dropsNeedAcceptance(_ db: Store) throws -> Bool { try setting(.dropsNeedAcceptance, db) == "true" }

    public func dropsNeedAcceptance() throws -> Bool { try read { db in try Self.dropsNeedAcceptance(db) } }

    /// The drops of a business day (of one drawer, with `session`), in the order made.
    public func drops(on date: BusinessDate, session: Int64? = nil) throws -> [DropRecord] {
        try read { db in try Self.drops(day: date.description, session: session, db) }
    }

    static func drops(day: String, session: Int64? = nil, _ db: Store) throws -> [DropRecord] {
        var sql = """
            SELECT c.id, c.drawer_session_id, COALESCE(c.bag, ''), c.total_cents, o.login, c.at,
                   a.counted_cents, a.difference_cents, b.login, a.at, a.reason
            FROM cash_counts c JOIN drawer_sessions s ON s.id = c.drawer_session_id JOIN operators o ON o.id = c.operator_id
            LEFT JOIN drop_acceptances a ON a.count_id = c.id LEFT JOIN operators b ON b.id = a.operator_id
            WHERE c.kind = 'drop' AND s.business_date = ?
            """
        var arguments: SQLArguments = [day]
        if let session {
            sql += " AND c.drawer_session_id = ?"
            arguments += [session]
        }
        return try SQLRow.fetchAll(db, sql: sql + " ORDER BY c.id", arguments: arguments).map { row in
            let counted: Int64? = row[6]
            return DropRecord(countID: row[0], session: row[1], bag: row[2], amount: Money(cents: row[3]), operatorLogin: row[4],
                              at: row[5],
                              acceptance: counted.map { DropRecord.Acceptance(counted: Money(cents: $0), difference: Money(cents: row[7]),
                                                                             by: row[8], at: row[9], reason: row[10]) })
        }
    }

    /// A lead counts a drop's bag and accepts it: as dropped, or with the difference found
    /// (a reason, and a posting between the safe and over/short, so the deposit is what the bag
    /// holds). Not the operator who made the drop. `drop` picks one drop where a bag holds several.
    public func acceptDrop(bag: String, drop: Int64? = nil, counted: Money?, reason: String, actor: Actor) throws -> String {
        let bag = bag.trimmingSpacesAndTabs()
        let reason = try Self.lineText(reason, "reason")
        let summary = try writeImmediate { db -> String in
            let day = try Self.requireOpenDay(db)
            guard let op = try Self.fetchOperator(db, id: actor.operatorID), op.role >= .lead else {
                throw LedgerError(.notAuthorized, "A lead or supervisor counts and accepts a drop's bag")
            }
            let candidates = try Self.drops(day: day.description, db).filter { $0.bag == bag && (drop == nil || $0.countID == drop) }
            guard !candidates.isEmpty else { throw LedgerError(.invalid, "No drop in bag \(TextSafety.quoted(bag)) today") }
            let waiting = candidates.filter { $0.acceptance == nil }
            guard let record = waiting.first else {
                throw LedgerError(.invalid, "Bag \(bag) was accepted by \(candidates[0].acceptance!.by) already")
            }
            guard waiting.count == 1 else {
                throw LedgerError(.invalid, "Bag \(bag) holds several drops (\(waiting.map { "#\($0.countID)" }.joined(separator: ", "))): give the drop's number")
            }
            let maker = try Int64.fetchOne(db, sql: "SELECT operator_id FROM cash_counts WHERE id = ?", arguments: [record.countID])
            guard maker != op.id else { throw LedgerError(.notAuthorized, "A drop is accepted by another lead, not the person who made it") }
            let counted = counted ?? record.amount
            guard !counted.isNegative else { throw LedgerError(.invalid, "The amount counted cannot be negative") }
            let difference = Money(cents: counted.cents - record.amount.cents)
            guard difference.isZero || !reason.isEmpty else {
                throw LedgerError(.invalid, "The bag holds \(counted.formatted), the drop said \(record.amount.formatted): give a reason for the difference")
            }
            var transaction: Int64?
            if !difference.isZero {
                // The safe holds what the bag holds; the difference is over/short, like a drawer's.
                transaction = try insert(PostingRequest(
                    kind: .dropDifference, lines: [PostingLine(.safe, difference), PostingLine(.overShort, Money(cents: -difference.cents))],
                    operatorID: op.id, terminal: actor.terminal, drawerSession: record.session,
                    memo: "Drop bag \(bag) counted \(counted.formatted), \(difference.formatted): \(reason)"),
                    businessDate: day, accountIDs: [:], db).id
            }
            let now = timestamp()
            try db.execute(sql: """
                INSERT INTO drop_acceptances(count_id, at, operator_id, counted_cents, difference_cents, transaction_id, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.countID, now, op.id, counted.cents, difference.cents, transaction, reason])
            try Audit.record(db, at: now, operatorID: op.id, terminal: actor.terminal, event: "drop.accepted",
                             detail: "bag \(bag) drawer #\(record.session) dropped \(record.amount.formatted) counted \(counted.formatted)"
                                 + (reason.isEmpty ? "" : ": \(reason)"))
            return "Bag \(bag) accepted: " + (difference.isZero ? "\(counted.formatted) as dropped."
                                               : "counted \(counted.formatted), \(difference.formatted) against the drop, posted to over/short.")
        }
        checkpointIfLarge()
        return summary
    }
}

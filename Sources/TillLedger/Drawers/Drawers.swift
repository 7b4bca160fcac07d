import GRDB
import TillCore

/// An operator's drawer at one terminal for one business day.
public struct DrawerSession: Sendable, Equatable {
    public let id: Int64
    public let businessDate: BusinessDate
    public let openingFloat: Money
}

/// A drawer as the settle pane and `till drawer list` show it.
public struct DrawerSummary: Sendable, Equatable {
    public let id: Int64
    public let businessDate: BusinessDate
    public let operatorLogin: String
    public let operatorName: String
    public let terminal: String
    public let openedAt: String
    public let openingFloat: Money
    public let floatReason: String?
    /// Nil while the drawer is open.
    public let close: DrawerCloseRecord?

    public var isOpen: Bool { close == nil }
}

/// What a drawer's close recorded: its Z number, the count against what was expected, who approved.
public struct DrawerCloseRecord: Sendable, Equatable {
    public let zNumber: Int64
    public let at: String
    public let closedBy: String
    public let approvedBy: String?
    public let reason: String
    public let balance: DrawerBalance
}

/// A closing count as the cashier gives it: cash by denomination, the checks and money
/// orders ticked as found, the card terminal's batch total. Reason and approver are needed
/// when the over/short is beyond the approval setting.
public struct DrawerCount: Sendable {
    public var cash: CashCount
    public var checksFound: Set<Int64>
    public var cardBatch: Money
    public var reason: String
    public var approvedBy: Int64?

    public init(cash: CashCount, checksFound: Set<Int64>, cardBatch: Money, reason: String = "", approvedBy: Int64? = nil) {
        self.cash = cash
        self.checksFound = checksFound
        self.cardBatch = cardBatch
        self.reason = reason
        self.approvedBy = approvedBy
    }
}

extension Ledger {
    /// Opens a drawer for the operator at this terminal. The float is counted by denomination
    /// (nil: the standard float from the settings); one that differs from the standard needs a reason.
    @discardableResult
    public func openDrawer(operatorID: Int64, terminal: String, float: CashCount? = nil, reason: String = "") throws -> DrawerSession {
        try writeImmediate { db in
            guard let day = try Self.openDay(db) else {
                throw LedgerError(.dayNotOpen, "No business day is open: a lead or supervisor must open the day first")
            }
            try Self.requireOfficeOpen(terminal: terminal, day: day, db)
            if let open = try Self.currentDrawer(operatorID: operatorID, terminal: terminal, db) {
                throw LedgerError(.drawerAlreadyOpen, "Drawer #\(open.id) is already open for you at \(terminal)")
            }
            // One person, one drawer: cash is counted against whoever holds it (a setting may allow more).
            if try Self.setting(.drawerOnePerOperator, db) != "false",
               let elsewhere = try SQLRow.fetchOne(db, sql: """
                   SELECT id, terminal_id FROM drawer_sessions WHERE operator_id = ? AND closed_at IS NULL AND terminal_id <> ?
                   ORDER BY id LIMIT 1
                   """, arguments: [operatorID, terminal]) {
                throw LedgerError(.drawerAlreadyOpen, "You hold drawer #\(elsewhere["id"] as Int64) open at \(elsewhere["terminal_id"] as String): "
                                  + "close it there first (one open drawer per operator; drawer.one_per_operator)")
            }
            let standard = try Self.standardFloat(db)
            let count = float ?? standard
            let reason = try Self.lineText(reason, "reason")
            if count.total != standard.total && reason.isEmpty {
                throw LedgerError(.invalid, "The float \(count.total.formatted) differs from the standard \(standard.total.formatted): give a reason")
            }
            guard count.total.isPositive else { throw LedgerError(.invalid, "A drawer opens with a float: count it first") }
            try db.execute(sql: "INSERT INTO terminals(id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", arguments: [terminal, timestamp()])
            try db.execute(sql: """
                INSERT INTO drawer_sessions(operator_id, terminal_id, business_date, opened_at, opening_float_cents, float_reason)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [operatorID, terminal, day.description, timestamp(), count.total.cents,
                                 reason.isEmpty ? nil : reason])
            let id = db.lastInsertedRowID
            _ = try Self.recordCount(count, kind: "float", session: id, operatorID: operatorID, db, at: timestamp())
            try Audit.record(db, at: timestamp(), operatorID: operatorID, terminal: terminal, event: "drawer.opened",
                             detail: "#\(id) float \(count.total.formatted)" + (reason.isEmpty ? "" : " (\(reason))"))
            return DrawerSession(id: id, businessDate: day, openingFloat: count.total)
        }
    }

    /// The operator's open drawer at this terminal, if any.
    public func currentDrawer(operatorID: Int64, terminal: String) throws -> DrawerSession? {
        try read { db in try Self.currentDrawer(operatorID: operatorID, terminal: terminal, db) }
    }

    static func currentDrawer(operatorID: Int64, terminal: String, _ db: Store) throws -> DrawerSession? {
        try SQLRow.fetchOne(db, sql: """
            SELECT id, business_date, opening_float_cents FROM drawer_sessions
            WHERE operator_id = ? AND terminal_id = ? AND closed_at IS NULL ORDER BY id DESC LIMIT 1
            """, arguments: [operatorID, terminal]).map {
            DrawerSession(id: $0["id"], businessDate: try BusinessDate($0["business_date"]),
                          openingFloat: Money(cents: $0["opening_float_cents"]))
        }
    }

    /// The standard float by denomination, as the settings give it.
    public func standardFloat() throws -> CashCount {
        try read { db in try Self.standardFloat(db) }
    }

    /// Takes cash out of the drawer to the safe: counted by denomination, in a numbered bag.
    /// Posts drawer cash → safe, so the drawer's expected cash falls by the drop.
    @discardableResult
    public func drop(session: Int64, count: CashCount, bag: String, operatorID: Int64, terminal: String) throws -> PostedTransaction {
        let bag = bag.trimmingSpacesAndTabs()
        guard !bag.isEmpty, bag.count <= 20 else { throw LedgerError(.invalid, "A drop needs its bag number (up to 20 characters)") }
        guard count.total.isPositive else { throw LedgerError(.invalid, "Count the cash being dropped first") }
        let posted = try writeImmediate { db in
            guard let day = try Self.openDay(db) else {
                throw LedgerError(.dayNotOpen, "No business day is open")
            }
            try Self.checkOwnOpenDrawer(session, operatorID: operatorID, terminal: terminal, db)
            let expected = try Self.expectation(session: session, db)
            guard count.total <= expected.expectedCash else {
                throw LedgerError(.invalid, "The drop \(count.total.formatted) is more than the drawer should hold (\(expected.expectedCash.formatted))")
            }
            let request = PostingRequest(kind: .drop, lines: [PostingLine(.safe, count.total),
                                                              PostingLine(.drawerCash, Money(cents: -count.total.cents))],
                                         operatorID: operatorID, terminal: terminal, drawerSession: session, memo: "Drop bag \(bag)")
            let posted = try insert(request, businessDate: day, accountIDs: [:], db)
            let countID = try Self.recordCount(count, kind: "drop", session: session, operatorID: operatorID, db, at: timestamp(),
                                               transaction: posted.id, bag: bag)
            try Audit.record(db, at: timestamp(), operatorID: operatorID, terminal: terminal, event: "drawer.drop",
                             detail: "#\(session) \(count.total.formatted) bag \(bag) count \(countID)")
            return posted
        }
        checkpointIfLarge()
        return posted
    }

    /// The terminals other than `terminal` where the operator holds an open drawer (the status
    /// line names them where `drawer.one_per_operator` is false).
    public func otherOpenDrawers(operatorID: Int64, terminal: String) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT terminal_id FROM drawer_sessions WHERE operator_id = ? AND closed_at IS NULL AND terminal_id <> ? ORDER BY id
                """, arguments: [operatorID, terminal])
        }
    }

    /// Opens the drawer without a sale (to make change, say): only recorded, nothing posts.
    public func noSale(session: Int64, reason: String, operatorID: Int64, terminal: String) throws {
        let reason = try Self.lineText(reason, "reason")
        try writeImmediate { db in
            try Self.checkOwnOpenDrawer(session, operatorID: operatorID, terminal: terminal, db)
            try Audit.record(db, at: timestamp(), operatorID: operatorID, terminal: terminal, event: "drawer.no-sale",
                             detail: "#\(session)" + (reason.isEmpty ? "" : " \(reason)"))
        }
    }

    /// What the drawer should hold now: the X report's figures.
    public func expectation(session: Int64) throws -> DrawerExpectation {
        try read { db in try Self.expectation(session: session, db) }
    }

    /// A closing count as first made, on record before anyone sees the difference (the screen
    /// shows it after this; the command line never): so a blind count cannot be probed again
    /// and again without each try standing in the audit log.
    public func recordClosingCount(session: Int64, count: CashCount, found: Set<Int64>, cardBatch: Money,
                                   operatorID: Int64, terminal: String) throws -> (balance: DrawerBalance, needsApproval: Bool) {
        let expected = try expectation(session: session)
        let balance = expected.balance(counted: count, found: found, cardBatch: cardBatch)
        let limit = try typedSettings().overShortApproval
        try audit("drawer.counted", detail: "#\(session) counted \(count.total.formatted) over/short \(balance.total.formatted)",
                  operatorID: operatorID, terminal: terminal)
        return (balance, balance.magnitude > limit)
    }

    /// Closes a drawer on its count. The over/short per tender posts to the over/short account
    /// (one transaction, with the close and its Z number); beyond the approval setting it needs
    /// a reason and the approval of a lead or supervisor other than the one closing.
    @discardableResult
    public func closeDrawer(session: Int64, count: DrawerCount, operatorID: Int64, terminal: String) throws -> DrawerCloseRecord {
        let record = try writeImmediate { db -> DrawerCloseRecord in
            guard let day = try Self.openDay(db) else { throw LedgerError(.dayNotOpen, "No business day is open") }
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT operator_id, closed_at FROM drawer_sessions WHERE id = ?",
                                             arguments: [session]) else {
                throw LedgerError(.noDrawer, "No drawer #\(session)")
            }
            guard (row["closed_at"] as String?) == nil else { throw LedgerError(.invalid, "Drawer #\(session) is already closed") }
            guard let closer = try Self.fetchOperator(db, id: operatorID) else {
                throw LedgerError(.unknownOperator, "Unknown operator #\(operatorID)")
            }
            guard row["operator_id"] == operatorID || closer.role >= .lead else {
                throw LedgerError(.notAuthorized, "Drawer #\(session) is another cashier's: they, a lead or a supervisor close it")
            }
            let expected = try Self.expectation(session: session, db)
            let listed = Set(expected.checks.map(\.tenderID))
            if let stray = count.checksFound.subtracting(listed).first {
                throw LedgerError(.invalid, "Tender #\(stray) is not a check or money order of drawer #\(session)")
            }
            let balance = expected.balance(counted: count.cash, found: count.checksFound, cardBatch: count.cardBatch)
            let reason = try Self.lineText(count.reason, "reason")
            var approver: Operator?
            let limit = Money(cents: try Self.intSetting(.overShortApprovalCents, db))
            if balance.magnitude > limit {
                // Said without the figure: a refused blind close must not tell what the drawer should hold.
                guard !reason.isEmpty else {
                    throw LedgerError(.notAuthorized, "The count is over or short by more than \(limit.formatted): give a reason, "
                                      + "and a lead or supervisor other than you approves it (the count is on record)")
                }
                guard let id = count.approvedBy, let person = try Self.fetchOperator(db, id: id), person.role >= .lead,
                      id != operatorID else {
                    throw LedgerError(.notAuthorized, "The count is over or short by more than \(limit.formatted): a lead or "
                                      + "supervisor other than you approves it (the count is on record)")
                }
                approver = person
            } else if let id = count.approvedBy, id != operatorID, let person = try Self.fetchOperator(db, id: id), person.role >= .lead {
                approver = person // a lead who looked over the count though none was needed
            }
            let now = timestamp()
            var transactionID: Int64?
            if !balance.isBalanced {
                let lines = balance.postingLines
                do throws(DomainError) { try Balance.check(lines) } catch { throw LedgerError(domain: error) }
                let request = PostingRequest(kind: .overShort, lines: lines, operatorID: operatorID, terminal: terminal,
                                             overrideBy: approver?.id, drawerSession: session,
                                             memo: "Drawer #\(session) over/short" + (reason.isEmpty ? "" : ": \(reason)"))
                transactionID = try insert(request, businessDate: day, accountIDs: [:], db).id
            }
            let countID = try Self.recordCount(count.cash, kind: "close", session: session, operatorID: operatorID, db, at: now)
            let z = (try Int64.fetchOne(db, sql: "SELECT MAX(z_number) FROM drawer_closes") ?? 0) + 1
            try db.execute(sql: """
                INSERT INTO drawer_closes(drawer_session_id, z_number, at, operator_id, approved_by, reason, count_id,
                    expected_cash_cents, counted_cash_cents, cash_over_short_cents, checks_over_short_cents,
                    money_orders_over_short_cents, expected_card_cents, card_batch_cents, card_over_short_cents, transaction_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [session, z, now, operatorID, approver?.id, reason, countID, balance.expectedCash.cents,
                                 balance.countedCash.cents, balance.cash.cents, balance.checks.cents,
                                 balance.moneyOrders.cents, balance.expectedCard.cents, balance.cardBatch.cents,
                                 balance.card.cents, transactionID])
            let closeID = db.lastInsertedRowID
            for check in balance.missing {
                try db.execute(sql: "INSERT INTO drawer_close_missing(close_id, tender_id) VALUES (?, ?)",
                               arguments: [closeID, check.tenderID])
            }
            try db.execute(sql: "UPDATE drawer_sessions SET closed_at = ? WHERE id = ?", arguments: [now, session])
            if let approver, balance.magnitude > limit, let closer = try Self.fetchOperator(db, id: operatorID) {
                try Authorization(action: .drawerOverShort, amount: balance.total, actor: Actor(operatorID: operatorID, terminal: terminal),
                                  operatorRecord: closer, approver: approver)
                    .record(db, at: now, transactionID: transactionID, detail: "drawer #\(session) Z\(z) over/short \(balance.total.formatted): \(reason)")
            }
            try Audit.record(db, at: now, operatorID: operatorID, terminal: terminal, event: "drawer.closed",
                             detail: "#\(session) Z\(z) counted \(balance.countedCash.formatted) over/short \(balance.total.formatted)"
                                 + (approver.map { " approved by \($0.login)" } ?? ""))
            return DrawerCloseRecord(zNumber: z, at: now, closedBy: closer.login.rawValue, approvedBy: approver?.login.rawValue,
                                     reason: reason, balance: balance)
        }
        checkpointIfLarge()
        if let head = try? headOfDrawerClose(session: session) {
            SystemLog.anchor("drawer #\(session) Z \(record.zNumber)", head: head, ledger: path)
        }
        return record
    }

    /// The drawers of a business day, open and closed, in the order they opened.
    public func drawers(on date: BusinessDate) throws -> [DrawerSummary] {
        try read { db in try Self.drawers(on: date, db) }
    }

    public func drawer(_ session: Int64) throws -> DrawerSummary? {
        try read { db in try Self.drawers(sql: "s.id = ?", [session], db).first }
    }

    static func drawers(on date: BusinessDate, _ db: Store) throws -> [DrawerSummary] {
        try drawers(sql: "s.business_date = ?", [date.description], db)
    }

    private static func drawers(sql condition: String, _ arguments: SQLArguments, _ db: Store) throws -> [DrawerSummary] {
        let rows = try SQLRow.fetchAll(db, sql: """
            SELECT s.id, s.business_date, o.login, o.display_name, s.terminal_id, s.opened_at, s.opening_float_cents,
                   s.float_reason, c.z_number, c.at AS closed_at, co.login AS closed_by, ao.login AS approved_by, c.reason,
                   c.expected_cash_cents, c.counted_cash_cents, c.cash_over_short_cents, c.checks_over_short_cents,
                   c.money_orders_over_short_cents, c.expected_card_cents, c.card_batch_cents, c.card_over_short_cents, c.id AS close_id
            FROM drawer_sessions s JOIN operators o ON o.id = s.operator_id
            LEFT JOIN drawer_closes c ON c.drawer_session_id = s.id
            LEFT JOIN operators co ON co.id = c.operator_id
            LEFT JOIN operators ao ON ao.id = c.approved_by
            WHERE \(condition) ORDER BY s.id
            """, arguments: arguments)
        return try rows.map { row in
            var close: DrawerCloseRecord?
            if let z: Int64 = row["z_number"] {
                let missing = try missingChecks(close: row["close_id"], db)
                func money(_ column: String) -> Money { Money(cents: row[column]) }
                close = DrawerCloseRecord(
                    zNumber: z, at: row["closed_at"], closedBy: row["closed_by"], approvedBy: row["approved_by"], reason: row["reason"],
                    balance: DrawerBalance(expectedCash: money("expected_cash_cents"), countedCash: money("counted_cash_cents"),
                                           cash: money("cash_over_short_cents"), checks: money("checks_over_short_cents"),
                                           moneyOrders: money("money_orders_over_short_cents"),
                                           expectedCard: money("expected_card_cents"), cardBatch: money("card_batch_cents"),
                                           card: money("card_over_short_cents"), missing: missing))
            }
            return DrawerSummary(id: row["id"], businessDate: try BusinessDate(row["business_date"]), operatorLogin: row["login"],
                                 operatorName: row["display_name"], terminal: row["terminal_id"], openedAt: row["opened_at"],
                                 openingFloat: Money(cents: row["opening_float_cents"]), floatReason: row["float_reason"],
                                 close: close)
        }
    }

    private static func missingChecks(close: Int64, _ db: Store) throws -> [DrawerCheck] {
        try SQLRow.fetchAll(db, sql: "\(checkSelect) JOIN drawer_close_missing m ON m.tender_id = x.id WHERE m.close_id = ? ORDER BY x.id",
                         arguments: [close]).map(drawerCheck)
    }

    /// The X report's figures, read inside the caller's transaction.
    /// The cash a drawer should hold now: its float, the cash taken, less the drops. From the
    /// running tender totals, a few rows however busy the drawer: the drawer limit asks it at
    /// every cash payment.
    static func cashInDrawer(session: Int64, _ db: Store) throws -> Money {
        guard let row = try SQLRow.fetchOne(db.cachedStatement(sql: """
            SELECT s.opening_float_cents,
                   (SELECT COALESCE(SUM(t.amount_cents), 0) FROM tender_totals t
                    WHERE t.business_date = s.business_date AND t.drawer_session_id = s.id AND t.kind = 'cash'),
                   (SELECT COALESCE(SUM(c.total_cents), 0) FROM cash_counts c WHERE c.drawer_session_id = s.id AND c.kind = 'drop')
            FROM drawer_sessions s WHERE s.id = ?
            """), arguments: [session]) else { throw LedgerError(.noDrawer, "No drawer #\(session)") }
        return Money(cents: (row[0] as Int64) + (row[1] as Int64) - (row[2] as Int64))
    }

    /// The drawer's cash limit (setting `drawer.cash_limit_cents`; nil: none) and whether it
    /// refuses cash over it (`drawer.cash_limit_refuses`).
    static func cashLimit(_ db: Store) throws -> (limit: Money, refuses: Bool)? {
        let limit = try intSetting(.drawerCashLimitCents, db)
        guard limit > 0 else { return nil }
        return (Money(cents: limit), try setting(.drawerCashLimitRefuses, db) == "true")
    }

    /// How much cash the drawer holds over its limit (nil: no limit, or under it).
    public func cashOverLimit(session: Int64) throws -> (cash: Money, limit: Money)? {
        try read { db in
            guard let (limit, _) = try Self.cashLimit(db) else { return nil }
            let cash = try Self.cashInDrawer(session: session, db)
            return cash > limit ? (cash, limit) : nil
        }
    }

    static func expectation(session: Int64, _ db: Store) throws -> DrawerExpectation {
        guard let day = try String.fetchOne(db, sql: "SELECT business_date FROM drawer_sessions WHERE id = ?", arguments: [session]) else {
            throw LedgerError(.noDrawer, "No drawer #\(session)")
        }
        let pass = try tenderPass(day: day, session: session, db)
        return try expectations(from: pass, sessions: [session], db)[session]!
    }

    /// What the tenders of a day (or of one drawer of it) come to: per drawer session, the count
    /// and amount by tender kind and the checks and money orders in it; for the whole, the same by kind.
    struct TenderPass {
        struct Drawer { var byTender: [TenderKind: (count: Int, amount: Money)] = [:]; var checks: [DrawerCheck] = [] }
        var drawers: [Int64: Drawer] = [:]
        var byTender: [TenderKind: (count: Int, amount: Money)] = [:]
    }

    /// Reads the running totals (`tender_totals`, a few rows a drawer) and, for one drawer, lists
    /// its checks and money orders: a settlement never walks every tender of the day.
    static func tenderPass(day: String, session: Int64?, _ db: Store) throws -> TenderPass {
        var pass = TenderPass()
        var totalsSQL = "SELECT drawer_session_id, kind, receipt, count, amount_cents FROM tender_totals WHERE business_date = ?"
        var totalsArguments: SQLArguments = [day]
        if let session {
            totalsSQL += " AND drawer_session_id = ?"
            totalsArguments += [session]
        }
        for row in try SQLRow.fetchAll(db, sql: totalsSQL, arguments: totalsArguments) {
            let kind: TenderKind = try StoredValue.read(row[1], as: "tender kind")
            let session: Int64 = row[0], count: Int = row[3], amount: Int64 = row[4]
            let all = pass.byTender[kind] ?? (0, .zero)
            pass.byTender[kind] = (all.count + count, Money(cents: all.amount.cents + amount))
            guard session != 0 else { continue }
            let drawer = pass.drawers[session]?.byTender[kind] ?? (0, .zero)
            pass.drawers[session, default: .init()].byTender[kind] = (drawer.count + count, Money(cents: drawer.amount.cents + amount))
        }
        // One drawer's checks and money orders through its transactions; a day's come from its
        // scan (`DayScan`).
        guard let session else { return pass }
        // A voided check was handed back: it is not in the drawer.
        let rows = try RawCursor(db, """
            \(checkSelect)
            WHERE x.kind IN ('check', 'money-order') AND t.drawer_session_id = ? AND x.amount_cents > 0
              AND NOT EXISTS (SELECT 1 FROM transactions v WHERE v.corrects_id = t.id AND v.kind = 'void')
            ORDER BY x.id
            """, arguments: [session])
        let moneyOrder = Array(TenderKind.moneyOrder.rawValue.utf8)
        while rows.hasRow {
            let check = DrawerCheck(tenderID: rows.int(0), kind: rows.textEquals(1, moneyOrder) ? .moneyOrder : .check,
                                    number: rows.string(2), account: rows.string(5), amount: Money(cents: rows.int(3)),
                                    receipt: rows.isNull(4) ? nil : ReceiptNumber(rows.int(4)))
            pass.drawers[rows.int(6), default: .init()].checks.append(check)
            try rows.advance()
        }
        return pass
    }

    /// Each session's expectation from a tender pass, its float and its drops.
    static func expectations(from pass: TenderPass, sessions: [Int64], _ db: Store) throws -> [Int64: DrawerExpectation] {
        guard !sessions.isEmpty else { return [:] }
        let list = placeholders(sessions.count)
        var floats: [Int64: Int64] = [:], drops: [Int64: Int64] = [:]
        for row in try SQLRow.fetchAll(db, sql: "SELECT id, opening_float_cents FROM drawer_sessions WHERE id IN (\(list))",
                                    arguments: SQLArguments(sessions)) {
            floats[row[0]] = row[1]
        }
        for row in try SQLRow.fetchAll(db, sql: """
            SELECT drawer_session_id, SUM(total_cents) FROM cash_counts WHERE kind = 'drop' AND drawer_session_id IN (\(list))
            GROUP BY drawer_session_id
            """, arguments: SQLArguments(sessions)) {
            drops[row[0]] = row[1]
        }
        // Each drop's bag and whether a lead has accepted it, where drops need acceptance or one was.
        var notes: [Int64: [(label: String, state: String)]] = [:]
        let pending = try dropsNeedAcceptance(db)
        if let day = try String.fetchOne(db, sql: "SELECT business_date FROM drawer_sessions WHERE id = ?", arguments: [sessions[0]]) {
            let wanted = Set(sessions)
            for record in try Self.drops(day: day, db) where wanted.contains(record.session) && (pending || record.acceptance != nil) {
                notes[record.session, default: []].append((record.label, record.state(pending: pending)))
            }
        }
        var result: [Int64: DrawerExpectation] = [:]
        for session in sessions {
            let drawer = pass.drawers[session] ?? .init()
            result[session] = DrawerExpectation(
                openingFloat: Money(cents: floats[session] ?? 0), cashTaken: drawer.byTender[.cash]?.amount ?? .zero,
                drops: Money(cents: drops[session] ?? 0), checks: drawer.checks,
                card: drawer.byTender[.card]?.amount ?? .zero, ach: drawer.byTender[.ach]?.amount ?? .zero,
                byTender: drawer.byTender)
            result[session]?.dropNotes = notes[session] ?? []
        }
        return result
    }

    /// A check or money order with its drawer session (column 6) and the account it paid.
    static let checkSelect = """
        SELECT x.id, x.kind, x.reference, x.amount_cents, t.receipt_number,
               COALESCE((SELECT a.number FROM postings p JOIN accounts a ON a.id = p.account_id
                         WHERE p.transaction_id = t.id AND p.account_id IS NOT NULL ORDER BY p.id LIMIT 1), ''),
               t.drawer_session_id
        FROM tenders x JOIN transactions t ON t.id = x.transaction_id
        """

    /// Decodes a row of `checkSelect` by position.
    static func drawerCheck(_ row: SQLRow) throws -> DrawerCheck {
        let receipt: Int64? = row[4]
        return DrawerCheck(tenderID: row[0], kind: try StoredValue.read(row[1], as: "tender kind"), number: row[2] ?? "", account: row[5],
                           amount: Money(cents: row[3]), receipt: receipt.map(ReceiptNumber.init))
    }

    /// Stores a count and its lines; returns the count's id.
    static func recordCount(_ count: CashCount, kind: String, session: Int64, operatorID: Int64, _ db: Store, at: String,
                            transaction: Int64? = nil, bag: String? = nil) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO cash_counts(drawer_session_id, kind, at, operator_id, total_cents, transaction_id, bag)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [session, kind, at, operatorID, count.total.cents, transaction, bag])
        let id = db.lastInsertedRowID
        for line in count.lines {
            try db.execute(sql: "INSERT INTO cash_count_lines(count_id, denomination, quantity) VALUES (?, ?, ?)",
                           arguments: [id, line.denomination.rawValue, line.quantity])
        }
        return id
    }

    /// `?, ?, ?` for an `IN` list of bound values.
    static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

    /// Sums the counts of one kind for the given sessions, piece by piece.
    static func pooledCount(kind: String, sessions: [Int64], _ db: Store) throws -> CashCount {
        guard !sessions.isEmpty else { return CashCount() }
        var quantities: [Denomination: Int64] = [:]
        for row in try SQLRow.fetchAll(db, sql: """
            SELECT l.denomination, SUM(l.quantity) AS n FROM cash_counts c JOIN cash_count_lines l ON l.count_id = c.id
            WHERE c.kind = ? AND c.drawer_session_id IN (\(placeholders(sessions.count)))
            GROUP BY l.denomination
            """, arguments: [kind] + SQLArguments(sessions)) {
            if let denomination = Denomination(rawValue: row["denomination"]) { quantities[denomination] = row["n"] }
        }
        return CashCount(pooling: quantities)
    }
}

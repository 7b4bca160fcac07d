import Dispatch
import GRDB
import Synchronization
import TillCore

/// Everything the closer settles a business day with: the drawers, the deposit slip,
/// the tender summary, the revenue distribution, the receipt range and the corrections.
public struct Settlement: Sendable {
    public struct ClosedDay: Sendable, Equatable {
        public let at: String
        public let by: String
        public let bag: String
        /// The ledger's head as the day closed: the anchor the close writes down.
        public internal(set) var head: LedgerHead?
    }

    public struct TenderLine: Sendable, Equatable {
        public let kind: TenderKind
        public let count: Int
        public let amount: Money
        /// Lockbox checks of a payment file: the bank took them in, no drawer holds them.
        public var atBank = false

        public var title: String { atBank ? "Lockbox checks (at the bank)" : kind.title.capitalizedFirst }
    }

    public struct RevenueLine: Sendable, Equatable {
        public enum Head: Sendable, Equatable {
            case revenue(BookAccount)
            /// Deposits collected for new service: a liability, not revenue.
            case depositsCollected
            /// Paid onto charges that were not bills or fees: payments charged back, refunds.
            case recharged
            /// Credited beyond what the payments paid: credit left on the accounts.
            case unapplied
            /// Taken with no account matched: held in suspense until applied or refunded.
            case suspense
        }

        public let head: Head
        public let amount: Money

        public var book: BookAccount? { if case .revenue(let book) = head { book } else { nil } }

        /// The line's code in CSV files.
        public var code: String {
            switch head {
            case .revenue(let book): book.rawValue
            case .depositsCollected: "DEPOSITS"
            case .recharged: "RECHARGED"
            case .unapplied: "UNAPPLIED"
            case .suspense: "SUSPENSE"
            }
        }

        public var name: String {
            switch head {
            case .revenue(let book): book.name
            case .depositsCollected: "Deposits collected"
            case .recharged: "Repaid charge-backs, transfers, refunds"
            case .unapplied: "Unapplied (credit on account)"
            case .suspense: "Held in suspense (no account)"
            }
        }
    }

    public struct Correction: Sendable, Equatable {
        public let receipt: ReceiptNumber?
        public let corrects: ReceiptNumber?
        public let kind: TransactionKind
        public let amount: Money
        public let operatorLogin: String
        public let approvedBy: String?
        public let memo: String
        /// The terminal that posted it: its office's settlement lists it.
        public var terminal = ""
    }

    public let date: BusinessDate
    /// The office this settlement is of (nil: the whole utility, every office together).
    public internal(set) var office: Office?
    public internal(set) var closed: ClosedDay?
    /// An office's share of a day where offices keep their own days, before the office opened it.
    public internal(set) var shareNotOpened = false
    public let drawers: [DrawerSummary]
    /// What each drawer should hold (live for open drawers), by session id.
    public let expectations: [Int64: DrawerExpectation]
    /// Closing counts of every closed drawer, pooled by denomination.
    public let cashCounted: CashCount
    /// Drops to the safe, pooled by denomination.
    public let drops: CashCount
    /// The floats of the closed drawers, kept back for tomorrow.
    public let floatsKept: Money
    /// Checks and money orders found in the closed drawers, for the deposit.
    public let checks: [DrawerCheck]
    public let tenders: [TenderLine]
    public let revenue: [RevenueLine]
    public let receipts: (first: ReceiptNumber, last: ReceiptNumber, count: Int)?
    /// An office's share where each office counts its receipts: its own numbers of the day.
    public var officeReceipts: (code: String, first: Int64, last: Int64, count: Int)?
    public let corrections: [Correction]
    /// Mail, drop-box and imported batches posted on the day.
    public var batches: [Batch] = []
    /// The suspense items with money left in them now, oldest first, and the age past which the
    /// closer is warned of one.
    public var suspenseOpen: [SuspenseItem] = []
    /// The day's drops, each with its acceptance; whether drops wait for a lead's acceptance.
    public var dropRecords: [DropRecord] = []
    public var dropsNeedAcceptance = false
    /// Drops not yet accepted, where drops need acceptance: the day does not close until they are.
    public var pendingDrops: [DropRecord] { dropsNeedAcceptance ? dropRecords.filter { $0.acceptance == nil } : [] }
    /// What the leads found in the bags beyond (or short of) the drops' counts.
    public var dropDifferences: Money { Money(cents: dropRecords.reduce(0) { $0 + ($1.acceptance?.difference.cents ?? 0) }) }
    public var suspenseWarnDays = 10

    /// Open suspense items older than the warning age on the settlement's day.
    public var suspenseOverdue: [SuspenseItem] { suspenseOpen.filter { $0.age(on: date) > suspenseWarnDays } }
    public var suspenseOpenTotal: Money { Money(cents: suspenseOpen.reduce(0) { $0 + $1.open.cents }) }

    public struct Batch: Sendable, Equatable {
        public let id: Int64
        public let kind: String
        public let lines: Int
        public let total: Money
        public let control: Money
        public let operatorLogin: String
        public let approvedBy: String?
        public let source: String
        /// Lines posted so far: fewer than `lines` for a payment file whose import was killed
        /// half-way (run the same file again to finish it).
        public var postedLines: Int

        public var isUnfinished: Bool { postedLines < lines }
    }

    public var openDrawers: [DrawerSummary] { drawers.filter(\.isOpen) }
    public var allDrawersClosed: Bool { openDrawers.isEmpty }

    public var cashToDeposit: Money { Money(cents: cashCounted.total.cents + drops.total.cents + dropDifferences.cents - floatsKept.cents) }
    public var checksTotal: Money { total(of: .check) }
    public var moneyOrdersTotal: Money { total(of: .moneyOrder) }
    public var depositTotal: Money { Money(cents: cashToDeposit.cents + checksTotal.cents + moneyOrdersTotal.cents) }
    public var tenderTotal: Money { Money(cents: tenders.reduce(0) { $0 + $1.amount.cents }) }
    public var revenueTotal: Money { Money(cents: revenue.reduce(0) { $0 + $1.amount.cents }) }
    public var overShort: Money { Money(cents: drawers.reduce(0) { $0 + ($1.close?.balance.total.cents ?? 0) }) }

    func total(of kind: TenderKind) -> Money {
        Money(cents: checks.filter { $0.kind == kind }.reduce(0) { $0 + $1.amount.cents })
    }
}

extension Ledger {
    /// The settlement of a business day, open or closed.
    ///
    /// A day of thousands of payments is read in two halves at once, on two of the pool's
    /// connections (a counter host has two cores or more): the allocations' revenue split, the
    /// corrections and the batches on one, everything else on this one. The halves count only when both saw the same ledger
    /// (the same newest transaction and allocation); otherwise this connection reads the split too.
    ///
    /// With `office`, the office's share of the day: its drawers, what was taken at its terminals
    /// (with a drawer or without), its receipts, corrections and drops; the main office's also
    /// holds the batches and the open suspense items. The offices' shares add up to the whole day.
    public func settlement(_ date: BusinessDate, office: Office? = nil) throws -> Settlement {
        if let office {
            return try read { db in try Self.settlement(date, db, scope: OfficeScope(map: try Self.officeMap(db), office: office)) }
        }
        let other = Mutex<DayScan.SecondHalf?>(nil)
        let group = DispatchGroup()
        DispatchQueue.global(qos: .userInitiated).async(group: group) {
            // A failure here only means this connection reads the half itself.
            let half = try? self.read { db in try DayScan.SecondHalf.read(day: date.description, db) }
            other.withLock { $0 = half ?? nil }
        }
        return try read { db in
            try Self.settlement(date, db) {
                // Every reader busy (many settlements at once) must not stall this one: past a
                // couple of seconds this connection reads the half itself.
                guard group.wait(timeout: .now() + 2) == .success else { return nil }
                return other.withLock { $0 }
            }
        }
    }

    /// Closes the open business day: every drawer must be closed. Posts the deposit (cash less
    /// the floats kept, checks, money orders → bank) in the same transaction as the close; after
    /// it nothing posts to the day. Returns the final settlement.
    @discardableResult
    public func closeBusinessDay(by operatorID: Int64, terminal: String, bag: String) throws -> Settlement {
        let bag = bag.trimmingSpacesAndTabs()
        guard !bag.isEmpty, bag.count <= 20 else { throw LedgerError(.invalid, "Give the deposit bag number (up to 20 characters)") }
        var settlement = try writeImmediate { db in
            guard let day = try Self.openDay(db) else { throw LedgerError(.dayNotOpen, "No business day is open") }
            guard let op = try Self.fetchOperator(db, id: operatorID), op.role >= .lead else {
                throw LedgerError(.notAuthorized, "Only a lead or supervisor closes the business day")
            }
            let before = try Self.settlement(day, db)
            var depositID: Int64?
            if try Self.officesKeepOwnDays(db) {
                // Each office closed its share and deposited it: the day closes once every office
                // that opened has closed, and what the day took is all in the bank.
                let open = try Self.officeDays(on: day, db).filter(\.isOpen)
                guard open.isEmpty else {
                    throw LedgerError(.invalid, "Offices still open: \(open.map(\.office.code).joined(separator: ", ")). Each closes its own day "
                                      + "(till day close --office CODE, or F8 c at one of its terminals) before the business day closes")
                }
                try Self.requireClosable(before)
                let left = try Self.depositBooks(day: day, db).filter { $0.value != 0 }
                guard left.isEmpty else {
                    throw LedgerError(.invalid, "The offices' deposits leave \(left.map { "\($0.key.name.lowercased()) \(Money(cents: $0.value).formatted)" }.joined(separator: ", ")) "
                                      + "not deposited: run till verify and call a supervisor")
                }
            } else {
                try Self.requireClosable(before)
                depositID = try depositSlip(before, books: try Self.depositBooks(day: day, db), memo: "Deposit bag \(bag)",
                                            operatorID: operatorID, terminal: terminal, db)
            }
            let now = timestamp()
            try db.execute(sql: """
                UPDATE business_days SET closed_at = ?, closed_by = ?, deposit_bag = ?, deposit_transaction_id = ? WHERE date = ?
                """, arguments: [now, operatorID, bag, depositID, day.description])
            try Audit.record(db, at: now, operatorID: operatorID, terminal: terminal, event: "day.closed",
                             detail: "\(day) deposit \(before.depositTotal.formatted) bag \(bag)")
            // The deposit changes no figure of the settlement (it issues no receipt and takes no
            // tender): the final settlement is the one just read, now closed.
            var final = before
            final.closed = Settlement.ClosedDay(at: now, by: op.login.rawValue, bag: bag)
            return final
        }
        // The head as the day closed, read once its write committed: it covers the whole day.
        if let head = try headOfDayClose(settlement.date) {
            settlement.closed?.head = head
            SystemLog.anchor("business day \(settlement.date) closed", head: head, ledger: path)
        }
        return settlement
    }

    /// Every drawer counted and closed, every drop accepted where drops need acceptance.
    static func requireClosable(_ s: Settlement) throws {
        if !s.allDrawersClosed {
            let names = s.openDrawers.map { "#\($0.id) (\($0.operatorLogin) at \($0.terminal))" }.joined(separator: ", ")
            throw LedgerError(.invalid, "Drawers still open: \(names). Each is counted and closed before the day closes")
        }
        if !s.pendingDrops.isEmpty {
            let bags = s.pendingDrops.map { "bag \($0.bag) (#\($0.session) \($0.operatorLogin), \($0.amount.formatted))" }.joined(separator: ", ")
            throw LedgerError(.invalid, "Drops not yet accepted: \(bags). A lead counts each bag and accepts it (F8 a, till drawer accept) before the day closes")
        }
    }

    /// What the books hold for the day in the accounts a deposit empties (drawer cash, the safe,
    /// checks, money orders): from every transaction of the day, or from those of the drawers
    /// `sessions` (an office's: its payments, drops, counts and accepted drops all name their drawer).
    static func depositBooks(day: BusinessDate, sessions: Set<Int64>? = nil, _ db: Store) throws -> [BookAccount: Int64] {
        var books: [BookAccount: Int64] = [:]
        for row in try SQLRow.fetchAll(db, sql: """
            SELECT COALESCE(t.drawer_session_id, 0), p.book, SUM(p.amount_cents) AS amount FROM transactions t JOIN postings p ON p.transaction_id = t.id
            WHERE t.business_date = ? AND p.book IN ('CASH', 'SAFE', 'CHECKS', 'MONEY_ORDERS') GROUP BY COALESCE(t.drawer_session_id, 0), p.book
            """, arguments: [day.description]) where sessions.map({ $0.contains(row[0]) }) ?? true {
            if let book = BookAccount(rawValue: row["book"]) { books[book, default: 0] += row["amount"] }
        }
        return books
    }

    /// Posts the deposit of a settled day (or an office's share of it): cash less the floats
    /// kept, drops, checks and money orders, to the bank. Each line must be what `books` hold.
    /// Returns the deposit's transaction (nil: nothing to deposit).
    func depositSlip(_ s: Settlement, books: [BookAccount: Int64], memo: String, operatorID: Int64, terminal: String,
                     _ db: Store) throws -> Int64? {
        let slip: [(BookAccount, Money)] = [
            (.drawerCash, Money(cents: s.cashCounted.total.cents - s.floatsKept.cents)),
            (.safe, Money(cents: s.drops.total.cents + s.dropDifferences.cents)), (.checksOnHand, s.checksTotal), (.moneyOrdersOnHand, s.moneyOrdersTotal),
        ]
        for (book, amount) in slip where (books[book] ?? 0) != amount.cents {
            throw LedgerError(.invalid, "The deposit slip's \(book.name.lowercased()) \(amount.formatted) differs from the books' \(Money(cents: books[book] ?? 0).formatted): run till verify and call a supervisor")
        }
        guard s.depositTotal.isPositive else { return nil }
        var lines = [PostingLine(.bank, s.depositTotal)]
        for (book, amount) in slip where !amount.isZero { lines.append(PostingLine(book, Money(cents: -amount.cents))) }
        do throws(DomainError) { try Balance.check(lines) } catch { throw LedgerError(domain: error) }
        return try insert(PostingRequest(kind: .bankDeposit, lines: lines, operatorID: operatorID, terminal: terminal, memo: memo),
                          businessDate: s.date, accountIDs: [:], db).id
    }

    /// `scope`: one office's share of the day (nil: the whole day). `secondHalf` gives the day's
    /// second half (`DayScan.SecondHalf`) when it was read on another connection (nil: read it here).
    static func settlement(_ date: BusinessDate, _ db: Store, scope: OfficeScope? = nil,
                           secondHalf: () -> DayScan.SecondHalf? = { nil }) throws -> Settlement {
        let day = date.description
        let closed = try SQLRow.fetchOne(db, sql: """
            SELECT b.closed_at, o.login, b.deposit_bag FROM business_days b JOIN operators o ON o.id = b.closed_by
            WHERE b.date = ? AND b.closed_at IS NOT NULL AND b.cancelled_at IS NULL
            """, arguments: [day]).map { Settlement.ClosedDay(at: $0[0], by: $0[1], bag: $0[2] ?? "", head: try headOfDayClose(date, db)) }
        var drawers = try drawers(on: date, db)
        // The day's running totals give every drawer's figures and the day's; one scan of the
        // day's rows (`DayScan`) gives the rest.
        var pass = try tenderPass(day: day, session: nil, db)
        var scan = try DayScan.read(day, db, scope: scope, secondHalf: secondHalf)
        if let scope {
            drawers = drawers.filter { scope.holds(terminal: $0.terminal) }
            pass = try scope.restrict(pass, drawers: Set(drawers.map(\.id)), day: day, db)
            scan.corrections = scan.corrections.filter { scope.holds(terminal: $0.terminal) }
            if !scope.office.isMain { scan.batches = [] }
        }
        for (session, checks) in scan.checks { pass.drawers[session, default: .init()].checks = checks }
        let expectations = try Self.expectations(from: pass, sessions: drawers.map(\.id), db)
        let closedIDs = drawers.filter { !$0.isOpen }.map(\.id)
        let missing = Set(drawers.flatMap { $0.close?.balance.missing.map(\.tenderID) ?? [] })
        let checks = closedIDs.flatMap { expectations[$0]?.checks ?? [] }.filter { !missing.contains($0.tenderID) }
        var tenders = TenderKind.allCases.compactMap { kind in
            // A tender taken and voided the same day nets to nothing: no line for it.
            pass.byTender[kind].flatMap { $0.count == 0 && $0.amount.isZero ? nil : Settlement.TenderLine(kind: kind, count: $0.count, amount: $0.amount) }
        }
        if scan.bank.count > 0 {
            tenders.append(Settlement.TenderLine(kind: .check, count: scan.bank.count, amount: scan.bank.amount, atBank: true))
        }

        var settlement = Settlement(date: date, closed: closed, drawers: drawers, expectations: expectations,
                          cashCounted: try pooledCount(kind: "close", sessions: closedIDs, db),
                          drops: try pooledCount(kind: "drop", sessions: drawers.map(\.id), db),
                          floatsKept: Money(cents: drawers.filter { !$0.isOpen }.reduce(0) { $0 + $1.openingFloat.cents }),
                          checks: checks, tenders: tenders, revenue: scan.revenue.lines, receipts: scan.receipts,
                          corrections: scan.corrections)
        settlement.office = scope?.office
        if let scope, let row = try SQLRow.fetchOne(db, sql: """
            SELECT MIN(r.number), MAX(r.number), COUNT(*) FROM office_receipts r JOIN transactions t ON t.id = r.transaction_id
            WHERE t.business_date = ? AND r.office_id = ?
            """, arguments: [day, scope.office.id]), let first: Int64 = row[0] {
            settlement.officeReceipts = (scope.office.code, first, row[1], Int(row[2] as Int64))
        }
        // Where offices keep their own days, an office's share is closed when it closed it.
        if let scope, try officesKeepOwnDays(db) {
            let share = try officeShare(scope.office, on: date, db)
            settlement.closed = share.closedAt.map { Settlement.ClosedDay(at: $0, by: share.closedBy ?? "", bag: share.bag) }
            settlement.shareNotOpened = share.openedAt == nil
        }
        settlement.batches = scan.batches
        // Suspense is the utility's, worked by the back office: the main office's to list.
        settlement.suspenseOpen = scope.map { $0.office.isMain } ?? true ? try suspenseItems(where: openSuspenseSQL, arguments: [], db) : []
        settlement.suspenseWarnDays = Int(try intSetting(.suspenseWarnDays, db))
        let sessions = Set(drawers.map(\.id))
        settlement.dropRecords = try drops(day: day, db).filter { scope == nil || sessions.contains($0.session) }
        settlement.dropsNeedAcceptance = try dropsNeedAcceptance(db)
        return settlement
    }

    /// The day's corrections and adjustments, in the order posted. A correction is found on the
    /// index of corrections within the day's run of ids (`first`...`last`): asked by date, SQLite
    /// probed every one of the day's transactions (3 ms of a 20,000-payment day).
    static func corrections(day: String, first: Int64, last: Int64, _ db: Store) throws -> [Settlement.Correction] {
        try SQLRow.fetchAll(db, sql: """
            SELECT t.receipt_number, c.receipt_number AS corrects, t.kind, o.login, a.login AS approver, t.memo, t.terminal_id,
                   COALESCE((SELECT SUM(x.amount_cents) FROM tenders x WHERE x.transaction_id = t.id),
                            (SELECT SUM(p.amount_cents) FROM postings p WHERE p.transaction_id = t.id AND p.amount_cents > 0)) AS amount
            FROM transactions t LEFT JOIN transactions c ON c.id = t.corrects_id
            JOIN operators o ON o.id = t.operator_id LEFT JOIN operators a ON a.id = t.override_operator_id
            WHERE t.id IN (SELECT id FROM transactions WHERE business_date = ?3 AND kind IN ('adjustment', 'refund', 'deposit', 'write-off')
                           UNION SELECT id FROM transactions INDEXED BY transactions_corrects
                                 WHERE corrects_id IS NOT NULL AND id BETWEEN ?1 AND ?2 AND +business_date = ?3)
            ORDER BY t.id
            """, arguments: [first, last, day]).map { row in
            let receipt: Int64? = row["receipt_number"], corrects: Int64? = row["corrects"]
            var correction = Settlement.Correction(receipt: receipt.map(ReceiptNumber.init), corrects: corrects.map(ReceiptNumber.init),
                                         kind: try StoredValue.read(row["kind"], as: "transaction kind"), amount: Money(cents: row["amount"] ?? 0),
                                         operatorLogin: row["login"], approvedBy: row["approver"], memo: row["memo"])
            correction.terminal = row["terminal_id"]
            return correction
        }

    }

    /// The mail, drop-box and imported batches of the day.
    static func batches(day: String, _ db: Store) throws -> [Settlement.Batch] {
        try SQLRow.fetchAll(db, sql: """
            SELECT b.id, b.kind, b.line_count, b.total_cents, b.control_total_cents, o.login, a.login AS approver, b.source,
                   (SELECT COUNT(*) FROM batch_lines l WHERE l.batch_id = b.id)
            FROM batches b JOIN operators o ON o.id = b.operator_id LEFT JOIN operators a ON a.id = b.approved_by
            WHERE b.business_date = ? ORDER BY b.id
            """, arguments: [day]).map { row in
            Settlement.Batch(id: row[0], kind: row[1], lines: row[2], total: Money(cents: row[3]), control: Money(cents: row[4]),
                             operatorLogin: row[5], approvedBy: row[6], source: row[7], postedLines: row[8])
        }
    }
}

/// One office's share of a business day: the drawers and transactions of the terminals that
/// stand in it (a terminal placed nowhere stands in the main office).
struct OfficeScope {
    let map: OfficeMap
    let office: Office

    func holds(terminal: String) -> Bool { map.holds(office, terminal: terminal) }

    /// The day's tender totals of this office: its `drawers`', and what its terminals took
    /// without a drawer (phone and mail payments), from the tenders themselves.
    func restrict(_ pass: Ledger.TenderPass, drawers: Set<Int64>, day: String, _ db: Store) throws -> Ledger.TenderPass {
        var own = Ledger.TenderPass()
        func add(_ kind: TenderKind, _ count: Int, _ amount: Money) {
            let all = own.byTender[kind] ?? (0, .zero)
            own.byTender[kind] = (all.count + count, Money(cents: all.amount.cents + amount.cents))
        }
        for (session, drawer) in pass.drawers where drawers.contains(session) {
            own.drawers[session] = drawer
            for (kind, total) in drawer.byTender { add(kind, total.count, total.amount) }
        }
        for row in try SQLRow.fetchAll(db, sql: """
            SELECT t.terminal_id, x.kind, SUM(CASE WHEN x.amount_cents > 0 THEN 1 ELSE -1 END) AS count, SUM(x.amount_cents) AS amount
            FROM tenders x JOIN transactions t ON t.id = x.transaction_id
            WHERE t.business_date = ? AND t.drawer_session_id IS NULL GROUP BY t.terminal_id, x.kind
            """, arguments: [day]) where holds(terminal: row[0]) {
            let kind: TenderKind = try StoredValue.read(row[1], as: "tender kind")
            add(kind, Int(row["count"] as Int64), Money(cents: row["amount"]))
        }
        return own
    }
}

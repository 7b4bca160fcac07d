import GRDB
import TillCore

extension Ledger {
    /// Posts one transaction atomically inside `BEGIN IMMEDIATE`: validates it whole
    /// (balanced, accounts exist, the business day is open, amounts in range), assigns the
    /// next receipt number, records who/when/where, writes postings and tenders, and
    /// allocates receivable credits to open charges oldest-first. Idempotent by key.
    public func post(_ request: PostingRequest) throws -> PostedTransaction {
        // The counter's and scripts' tenders are checked whole before the write lock is taken;
        // `insert`, the write path every caller shares, checks the balance.
        for tender in request.tenders {
            do { try tender.validate() } catch { throw LedgerError(domain: error) }
        }
        let posted = try writeImmediate { db in
            try db.readAhead(Self.readsBeforePosting(request, db))
            if let key = request.idempotencyKey, let earlier = try Self.postedWithKey(key, db) {
                // As payment APIs do: the same key with the same request is the same payment; the
                // same key with anything different is a mistake that must not swallow a payment.
                guard try Self.isSameRequest(request, as: earlier.id, db) else {
                    throw LedgerError(.keyConflict, "The key \(TextSafety.quoted(IdempotencyKey.shown(key))) was used for receipt "
                                      + "#\(earlier.receipt.map { "\($0)" } ?? "\(earlier.id)") with another account, amount, tender or "
                                      + "operator: nothing posted. Use a new key for a new payment.")
                }
                return earlier
            }
            guard let day = try Self.openDay(db) else {
                throw LedgerError(.dayNotOpen, "No business day is open: a lead or supervisor must open the day before anything is posted")
            }
            try Self.requireOfficeOpen(terminal: request.terminal, day: day, db)
            let ids = try Self.validate(request, day: day, db)
            var request = request
            if let (account, target) = request.direction, let id = ids[account] {
                request.allocateFirst = try Self.directedCharge(target, accountID: id, account: account, db)
            }
            var posted = try insert(request, businessDate: day, accountIDs: ids, db)
            if request.kind == .payment { posted.restoreRequests = try restoreIfPaidUp(request, posted, accountIDs: ids, db) }
            return posted
        }
        checkpointIfLarge()
        return posted
    }

    /// Payment convenience: turns the cart and tenders into posting lines and posts them.
    public func post(_ payment: Payment, operatorID: Int64, terminal: String, idempotencyKey: String? = nil,
                     drawerSession: Int64? = nil, memo: String = "", suspense: SuspenseDetails? = nil,
                     directedTo target: ChargeTarget? = nil, agency: String? = nil) throws -> PostedTransaction {
        let lines: [PostingLine]
        do { lines = try payment.postingLines() } catch { throw LedgerError(domain: error) }
        let isMisc = payment.lines.allSatisfy { if case .miscellaneous = $0 { true } else { false } }
        var request = PostingRequest(kind: isMisc ? .miscReceipt : .payment, lines: lines, tenders: payment.tenders,
                                     operatorID: operatorID, terminal: terminal, idempotencyKey: idempotencyKey,
                                     drawerSession: drawerSession, memo: memo)
        request.suspense = suspense
        if let target {
            let accounts = Set(payment.lines.compactMap { if case .account(let number, _) = $0 { number } else { nil } })
            guard accounts.count == 1, let account = accounts.first else {
                throw LedgerError(.invalid, "A payment is directed to a charge of one account: the cart has \(accounts.count)")
            }
            request.direction = (account, target)
            request.memo = ([memo] + ["Directed to \(target)"]).filter { !$0.isEmpty }.joined(separator: "; ")
        }
        if let agency {
            guard !isMisc, suspense == nil else { throw LedgerError(.invalid, "An agency's payment pays accounts: no suspense or miscellaneous lines") }
            let found = try read { db in try Self.requireAgency(agency, db) }
            request.agencyID = found.id
            request.memo = ([request.memo] + ["Paid by \(found.name)"]).filter { !$0.isEmpty }.joined(separator: "; ")
        }
        return try post(request)
    }

    /// What `post` reads before it writes anything: on PostgreSQL asked for in one round trip
    /// (each is still read, in its place, by the code that checks it; on SQLite nothing changes).
    private static func readsBeforePosting(_ request: PostingRequest, _ db: Store) -> [(sql: String, arguments: SQLArguments)] {
        var reads: [(sql: String, arguments: SQLArguments)] = [
            openDayRead(db), (anyOfficeSQL, []), (operatorByIDSQL, [request.operatorID]),
            (storedSettingSQL, [SettingKey.amountCeilingCents.rawValue]),
        ]
        if let key = request.idempotencyKey { reads.append((keySQL, [key])) }
        if request.kind.issuesReceipt { reads.append((nextReceiptSQL, [])) }
        if let session = request.drawerSession {
            reads.append((drawerSQL, [session]))
            reads.append((storedSettingSQL, [SettingKey.drawerCashLimitCents.rawValue]))
        }
        for number in Set(request.lines.compactMap(\.account)) { reads.append((accountSQL, [number.rawValue])) }
        return reads
    }

    private static let keySQL = "SELECT id, receipt_number, business_date FROM transactions WHERE idempotency_key = ?"
    private static let drawerSQL = "SELECT operator_id, terminal_id, closed_at FROM drawer_sessions WHERE id = ?"
    private static let accountSQL = "SELECT id, cash_only_until FROM accounts WHERE number = ?"

    static func postedWithKey(_ key: String, _ db: Store) throws -> PostedTransaction? {
        var row = try SQLRow.fetchOne(db.cachedStatement(sql: keySQL), arguments: [key])
        // A script's key stored before keys had namespaces is still the same key.
        if row == nil, let legacy = IdempotencyKey.legacy(key) {
            row = try SQLRow.fetchOne(db.cachedStatement(sql: keySQL), arguments: [legacy])
        }
        guard let row else { return nil }
        let receipt: Int64? = row["receipt_number"]
        return PostedTransaction(id: row["id"], receipt: receipt.map(ReceiptNumber.init),
                                 businessDate: try BusinessDate(row["business_date"]), wasAlreadyPosted: true)
    }

    /// Whether the transaction posted under a key is what this request asks for: the same kind
    /// and operator, the same postings (book, account, amount) and the same tenders.
    static func isSameRequest(_ request: PostingRequest, as id: Int64, _ db: Store) throws -> Bool {
        guard let row = try SQLRow.fetchOne(db, sql: "SELECT kind, operator_id FROM transactions WHERE id = ?", arguments: [id]),
              row["kind"] as String == request.kind.rawValue, row["operator_id"] as Int64 == request.operatorID else { return false }
        let postings = try SQLRow.fetchAll(db, sql: """
            SELECT p.book, COALESCE(a.number, ''), p.amount_cents FROM postings p LEFT JOIN accounts a ON a.id = p.account_id
            WHERE p.transaction_id = ?
            """, arguments: [id]).map { "\($0[0] as String)|\($0[1] as String)|\($0[2] as Int64)" }
        let asked = request.lines.map { "\($0.book.rawValue)|\($0.account?.rawValue ?? "")|\($0.amount.cents)" }
        guard postings.sorted() == asked.sorted() else { return false }
        let tenders = try SQLRow.fetchAll(db, sql: """
            SELECT kind, amount_cents, COALESCE(reference, ''), COALESCE(last_four, '') FROM tenders WHERE transaction_id = ?
            """, arguments: [id]).map { "\($0[0] as String)|\($0[1] as Int64)|\($0[2] as String)|\($0[3] as String)" }
        let askedTenders = request.tenders.map { "\($0.kind.rawValue)|\($0.amount.cents)|\($0.reference ?? "")|\($0.lastFour ?? "")" }
        return tenders.sorted() == askedTenders.sorted()
    }

    /// Resolves account numbers to row ids and checks everything the database knows.
    private static func validate(_ request: PostingRequest, day: BusinessDate, _ db: Store) throws -> [AccountNumber: Int64] {
        guard try fetchOperator(db, id: request.operatorID) != nil else {
            throw LedgerError(.unknownOperator, "Unknown operator #\(request.operatorID)")
        }
        if let approver = request.overrideBy, try fetchOperator(db, id: approver) == nil {
            throw LedgerError(.unknownOperator, "Unknown approving operator #\(approver)")
        }
        try validateDrawer(request, db)
        if let corrected = request.corrects,
           try Bool.fetchOne(db, sql: "SELECT 1 FROM transactions WHERE id = ?", arguments: [corrected]) != true {
            throw LedgerError(.unknownTransaction, "Transaction #\(corrected) to be corrected does not exist")
        }
        let ceiling = try amountCeiling(db)
        for line in request.lines where line.amount.cents.magnitude > ceiling.cents.magnitude {
            throw LedgerError(.invalid, "\(line.amount.formatted) is over the limit of \(ceiling.formatted) for one posting")
        }
        var ids: [AccountNumber: Int64] = [:]
        // An agency's check is the agency's, not the customer's: a cash-only account takes it.
        let takesCheck = request.tenders.contains { $0.kind == .check } && request.agencyID == nil
        for number in Set(request.lines.compactMap(\.account)).sorted(by: { $0.rawValue < $1.rawValue }) {
            guard let row = try SQLRow.fetchOne(db, sql: accountSQL, arguments: [number.rawValue]) else {
                throw LedgerError(.unknownAccount, "No account \(number)")
            }
            // After a returned check an account pays cash (or money order, card) until a date.
            if takesCheck, let until = (row["cash_only_until"] as String?).flatMap({ try? BusinessDate($0) }),
               until >= day {
                throw LedgerError(.invalid, "No checks: account \(number) is cash only until \(until)")
            }
            ids[number] = row["id"]
        }
        return ids
    }

    /// Cash, checks and money orders go into a drawer: a payment taking them names the
    /// operator's open drawer session at this terminal. Card and e-check need none (phone payments).
    private static func validateDrawer(_ request: PostingRequest, _ db: Store) throws {
        let needsDrawer = request.tenders.contains { $0.kind.goesInDrawer }
        guard let session = request.drawerSession else {
            if needsDrawer {
                throw LedgerError(.noDrawer, "Cash, checks and money orders need an open drawer: open one first (F4); without a drawer only card and e-check are taken")
            }
            return
        }
        try checkOwnOpenDrawer(session, operatorID: request.operatorID, terminal: request.terminal, db)
        // A drawer over its cash limit takes no more cash until a drop, where a setting says so.
        let cash = request.tenders.filter { $0.kind == .cash }.reduce(0) { $0 + $1.amount.cents }
        if cash > 0, let (limit, refuses) = try cashLimit(db), refuses {
            let held = try cashInDrawer(session: session, db)
            if held.cents + cash > limit.cents {
                throw LedgerError(.invalid, "The drawer holds \(held.formatted) in cash and its limit is \(limit.formatted): "
                                  + "make a drop (F4 d) before taking \(Money(cents: cash).formatted) more cash; card and e-check are still taken")
            }
        }
    }

    /// The drawer session exists, is open, and is this operator's at this terminal.
    static func checkOwnOpenDrawer(_ session: Int64, operatorID: Int64, terminal: String, _ db: Store) throws {
        guard let row = try SQLRow.fetchOne(db, sql: drawerSQL, arguments: [session]) else {
            throw LedgerError(.noDrawer, "Drawer session #\(session) does not exist")
        }
        guard (row["closed_at"] as String?) == nil else {
            throw LedgerError(.noDrawer, "Drawer session #\(session) is closed: open a new drawer first")
        }
        guard row["operator_id"] == operatorID, row["terminal_id"] == terminal else {
            throw LedgerError(.noDrawer, "Drawer session #\(session) belongs to another operator or terminal")
        }
    }

    /// Debits equal credits and every tender is one the ledger can hold: for every transaction,
    /// whoever builds it. (The counter's and `till pay`'s tenders are checked whole by `post`;
    /// a bank's payment-file line or a correction's negated tender has less to check; a card
    /// number in any of them is the card-number guard's, on the writing connection.)
    static func checkBalancedAndTenders(_ request: PostingRequest) throws {
        do { try Balance.check(request.lines) } catch { throw LedgerError(domain: error) }
        for tender in request.tenders {
            guard !tender.amount.isZero else { throw LedgerError(.invalid, "A \(tender.kind.title) tender of $0.00 is not a tender") }
            if let last = tender.lastFour, !(last.count == 4 && last.allSatisfy(\.isASCIIDigit)) {
                throw LedgerError(.invalid, "A tender's last four digits must be four digits")
            }
        }
    }

    /// `terminalRecorded`: the caller has recorded the terminal in this transaction already (a
    /// payment file's lines, all from one terminal).
    func insert(_ request: PostingRequest, businessDate: BusinessDate, accountIDs: [AccountNumber: Int64],
                terminalRecorded: Bool = false, _ db: Store) throws -> PostedTransaction {
        try Self.checkBalancedAndTenders(request)
        // The statements of the write path are prepared once per connection: preparing them
        // again for every payment was a quarter of a payment file's import.
        let now = timestamp()
        var receipt: ReceiptNumber?
        var numberedByOffice = false
        if request.kind.issuesReceipt {
            // Inside BEGIN IMMEDIATE no other writer can take the same number, and a
            // rollback gives it back: receipts stay gapless. The same read says whether each
            // office counts its receipts (no statement more when it does not).
            let row = try SQLRow.fetchOne(db.cachedStatement(sql: Self.nextReceiptSQL))
            receipt = ReceiptNumber((row?[0] as Int64? ?? 0) + 1)
            numberedByOffice = row?[1] as String? == "office"
        }
        if !terminalRecorded { try Self.recordTerminal(request.terminal, at: now, db) }
        // The new id comes back with the insert, and a transaction's postings and tenders go
        // in one statement each: on PostgreSQL each statement is a round trip to the server.
        let inserted = try db.cachedStatement(sql: """
            INSERT INTO transactions(kind, business_date, posted_at, operator_id, terminal_id, receipt_number,
                idempotency_key, corrects_id, override_operator_id, drawer_session_id, due_date, memo)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """).rows(arguments: [request.kind.rawValue, businessDate.description, now, request.operatorID,
                                  request.terminal, receipt?.value, request.idempotencyKey, request.corrects,
                                  request.overrideBy, request.drawerSession, request.dueDate?.description, request.memo])
        guard let transactionID: Int64 = inserted.first?[0] else { throw LedgerError(.database, "The new transaction's id did not come back") }
        // Where each office counts its own receipts, this one takes its office's next number too.
        if numberedByOffice { try Self.numberForOffice(transactionID: transactionID, terminal: request.terminal, db) }
        try Self.insertRows(into: "postings(transaction_id, book, account_id, amount_cents)", columns: 4, request.lines.map { line in
            [transactionID, line.book.rawValue, line.account.flatMap { accountIDs[$0] }, line.amount.cents]
        }, db)
        try Self.insertRows(into: "tenders(transaction_id, kind, amount_cents, tendered_cents, reference, last_four, card_brand)", columns: 7,
                            request.tenders.map { tender in
            [transactionID, tender.kind.rawValue, tender.amount.cents, tender.tendered.cents, tender.reference, tender.lastFour, tender.brand]
        }, db)
        // A payment to SUSPENSE opens an item; voids, applies and refunds point at the item's payment.
        if request.kind == .payment && request.lines.contains(where: { $0.book == .suspense }) {
            try Self.recordSuspenseItem(request, transactionID: transactionID, db)
        }
        if request.kind == .payment, let agencyID = request.agencyID {
            try Self.recordPledgePayments(request, agencyID: agencyID, transactionID: transactionID, db)
        }
        let touched = Set(request.lines.filter { $0.book == .receivable }.compactMap { $0.account.flatMap { accountIDs[$0] } })
        // What the allocations and a payment's restore check read next, in one round trip on
        // PostgreSQL (an allocation written in between drops what is left of it).
        var reads: [(sql: String, arguments: SQLArguments)] = touched.sorted().map { (Self.openItemsSQL, [$0]) }
        if !touched.isEmpty { reads.append((Self.storedSettingSQL, [SettingKey.allocationOrder.rawValue])) }
        if request.kind == .payment {
            reads += Self.credited(request).compactMap { accountIDs[$0] }.map { (Self.restoreStatusSQL, [$0]) }
        }
        try db.readAhead(reads)
        for accountID in touched.sorted() {
            try Self.allocate(accountID: accountID, transactionID: transactionID, first: request.allocateFirst, db)
        }
        return PostedTransaction(id: transactionID, receipt: receipt, businessDate: businessDate, wasAlreadyPosted: false)
    }

    /// `rows` into `table` in as few statements as the same few shapes allow: up to 8 rows a
    /// statement, each shape prepared once per connection. Rows go in in the order given (ids
    /// follow it), and each row's triggers run as for one row at a time.
    static func insertRows(into table: String, columns: Int, _ rows: [[(any SQLBindable)?]], _ db: Store) throws {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        var start = 0
        while start < rows.count {
            let count = min(8, rows.count - start)
            let sql = "INSERT INTO \(table) VALUES " + Array(repeating: row, count: count).joined(separator: ", ")
            try db.cachedStatement(sql: sql).execute(arguments: SQLArguments(rows[start..<(start + count)].flatMap { $0 }))
            start += count
        }
    }

    static func recordTerminal(_ terminal: String, at now: String, _ db: Store) throws {
        try db.cachedStatement(sql: "INSERT INTO terminals(id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING").execute(arguments: [terminal, now])
    }

    /// A locked-off account paid up to its restore amount (the balance and the reconnect fee):
    /// the reconnect fee is charged and a restore-service work order raised, in the payment's
    /// transaction, once per lock-off (not while a restore order is open).
    func restoreIfPaidUp(_ request: PostingRequest, _ posted: PostedTransaction, accountIDs: [AccountNumber: Int64],
                         _ db: Store) throws -> [Int64] {
        var raised: [Int64] = []
        for number in Self.credited(request) {
            guard let id = accountIDs[number],
                  let row = try SQLRow.fetchOne(db.cachedStatement(sql: Self.restoreStatusSQL), arguments: [id]),
                  (row["status"] as String) == "locked-off" else { continue }
            let fee = Money(cents: try Self.intSetting(.reconnectFeeCents, db))
            guard (row["balance_cents"] as Int64) <= -fee.cents,
                  try Bool.fetchOne(db, sql: """
                      SELECT 1 FROM service_requests WHERE account_id = ? AND type = 'restore' AND status IN ('open', 'scheduled')
                      """, arguments: [id]) != true else { continue }
            if fee.isPositive {
                _ = try insert(PostingRequest(kind: .fee, lines: [PostingLine(.receivable, fee, account: number),
                                                                  PostingLine(.reconnectFee, Money(cents: -fee.cents))],
                                              operatorID: request.operatorID, terminal: request.terminal,
                                              memo: "Reconnect fee (receipt #\(Self.number(posted)))"),
                               businessDate: posted.businessDate, accountIDs: [number: id], db)
            }
            let now = timestamp()
            let order = try Self.insertServiceRequest(accountID: id, type: .restore, priority: .high,
                                                      notes: "Paid up on receipt #\(Self.number(posted)): restore service",
                                                      operatorID: request.operatorID, transactionID: posted.id, db, at: now)
            try Audit.record(db, at: now, operatorID: request.operatorID, terminal: request.terminal, event: "request.created",
                             detail: "#\(order) \(number) restore (paid up on #\(Self.number(posted)))")
            raised.append(order)
        }
        return raised
    }

    /// The accounts a request credits on the receivable book, in number order.
    static func credited(_ request: PostingRequest) -> [AccountNumber] {
        Set(request.lines.filter { $0.book == .receivable && $0.amount.isNegative }.compactMap(\.account))
            .sorted { $0.rawValue < $1.rawValue }
    }

    static let restoreStatusSQL = "SELECT status, balance_cents FROM accounts WHERE id = ?"
    static let openItemsSQL = "SELECT posting_id, remaining_cents, sort_date FROM open_items WHERE account_id = ?"
    static let nextReceiptSQL = """
        SELECT MAX(receipt_number), (SELECT n.mode FROM receipt_numbering n ORDER BY n.id DESC LIMIT 1)
        FROM transactions WHERE receipt_number IS NOT NULL
        """

    /// Matches the account's unapplied receivable credits with its open charges, oldest
    /// charge first, and records the matches as allocations of `transactionID`.
    static func allocate(accountID: Int64, transactionID: Int64, first: Int64? = nil, _ db: Store) throws {
        // The account's open items (kept by triggers, re-proved by verify): a charge has
        // something left to pay (> 0), a credit something left to apply (< 0).
        var charges: [Allocation.OpenItem] = [], credits: [Allocation.OpenItem] = []
        let rows = try SQLRow.fetchAll(db.cachedStatement(sql: openItemsSQL), arguments: [accountID])
        // Oldest first by default; where the settings give an order of revenue codes, by that
        // order and then oldest first. A directed charge (`first`) goes before all.
        let ranks = rows.count > 1 ? try allocationRanks(db) : nil
        for row in rows {
            let id: Int64 = row[0], remaining: Int64 = row[1], date: String = row[2]
            var key = date
            if id == first { key = "" } else if remaining > 0, let ranks { key = try rankedSortKey(postingID: id, date: date, ranks: ranks, db) }
            let item = Allocation.OpenItem(postingID: id, remaining: Money(cents: Int64(remaining.magnitude)), sortKey: key)
            if remaining > 0 { charges.append(item) } else { credits.append(item) }
        }
        guard !charges.isEmpty, !credits.isEmpty else { return }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO allocations(transaction_id, credit_posting_id, charge_posting_id, amount_cents) VALUES (?, ?, ?, ?)
            """)
        for match in Allocation.match(credits: credits, charges: charges) {
            try insert.execute(arguments: [transactionID, match.creditPostingID, match.chargePostingID, match.amount.cents])
        }
    }
}

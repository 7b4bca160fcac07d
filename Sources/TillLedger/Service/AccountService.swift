import GRDB
import TillCore

/// A work order as the lists show it.
public struct ServiceRequestRecord: Sendable, Equatable {
    public let id: Int64
    public let account: String
    public let customerName: String
    public let type: ServiceRequestType
    public let priority: ServiceRequestPriority
    public let status: ServiceRequestStatus
    public let notes: String
    public let scheduledFor: BusinessDate?
    public let createdAt: String
    public let createdBy: String
    /// Each change of status: when, who, to what, and the note given.
    public var history: [(at: String, by: String, status: String, note: String)] = []

    public static func == (a: Self, b: Self) -> Bool { a.id == b.id && a.status == b.status && a.history.count == b.history.count }
}

/// One change of an account's address or contact details.
public struct AccountChange: Sendable, Equatable {
    public let at: String
    public let field: String
    public let oldValue: String
    public let newValue: String
    public let by: String
}

/// The account fields a CSR may change, with the column each is kept in.
public enum ContactField: String, CaseIterable, Sendable {
    case mailingAddress = "mailing-address"
    case serviceAddress = "service-address"
    case phone
    case email
    case name

    var column: String {
        switch self {
        case .mailingAddress: "mailing_address"
        case .serviceAddress: "service_address"
        case .phone: "phone"
        case .email: "email"
        case .name: "customer_name"
        }
    }

    public var title: String {
        switch self {
        case .mailingAddress: "Mailing address"
        case .serviceAddress: "Service address"
        case .phone: "Phone"
        case .email: "Email"
        case .name: "Customer name"
        }
    }
}

extension Ledger {
    // MARK: - Payment arrangements

    /// A payment plan: the past-due amount (or the whole balance when nothing is past due) in
    /// `installments` monthly payments from `firstDue`. While its installments are paid on time it
    /// holds the shut-off; a missed one shows on the account and the delinquency list. A new plan
    /// replaces the account's active one.
    public func createPaymentPlan(account: AccountNumber, installments: Int, firstDue: BusinessDate?, actor: Actor) throws -> ServiceOutcome {
        guard (1...60).contains(installments) else { throw LedgerError(.invalid, "A plan has 1 to 60 installments") }
        return try arrange(account: account, installments: installments, firstDue: firstDue, kind: "plan", actor: actor)
    }

    /// An extension: what is past due (or the balance), paid in one installment by `date`.
    public func grantExtension(account: AccountNumber, until date: BusinessDate, actor: Actor) throws -> ServiceOutcome {
        try arrange(account: account, installments: 1, firstDue: date, kind: "extension", actor: actor)
    }

    private func arrange(account: AccountNumber, installments: Int, firstDue: BusinessDate?, kind: String, actor: Actor) throws -> ServiceOutcome {
        try writeImmediate { db in
            let day = try Self.requireOpenDay(db)
            let id = try Self.accountID(account, db)
            let auth = try Self.authorize(.paymentPlan, amount: nil, actor: actor, db)
            let charges = try Self.openCharges(accountID: id, db)
            let aging: Aging
            do throws(MoneyError) { aging = try Aging(charges: charges, today: day) } catch { throw LedgerError(.invalid, error.description) }
            let balance = Money(cents: try Int64.fetchOne(db, sql: "SELECT balance_cents FROM accounts WHERE id = ?", arguments: [id]) ?? 0)
            let owed = aging.pastDue.isPositive ? aging.pastDue : balance
            guard owed.isPositive else { throw LedgerError(.invalid, "Account \(account) owes nothing: no arrangement is needed") }
            let first = firstDue ?? day.adding(months: 1)
            guard first > day, first <= day.adding(months: 12) else {
                throw LedgerError(.invalid, "The first installment is due after today and within a year")
            }
            guard let plan = PaymentPlan.dividing(owed, into: installments, firstDue: first) else {
                throw LedgerError(.invalid, "\(owed.formatted) in \(installments) installments leaves less than a cent each: fewer installments")
            }
            let now = timestamp()
            try db.execute(sql: "UPDATE payment_plans SET status = 'cancelled' WHERE account_id = ? AND status = 'active'", arguments: [id])
            // Only payments posted after the plan count toward it.
            let after = try Chain.lastTransaction(db)
            try db.execute(sql: """
                INSERT INTO payment_plans(account_id, created_at, created_by, starts_on, installments, installment_cents, first_due, status, kind,
                                          total_cents, after_transaction_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)
                """, arguments: [id, now, actor.operatorID, day.description, installments, plan.installment.cents, first.description, kind,
                                 owed.cents, after])
            let what = kind == "extension" ? "Extension: \(owed.formatted) by \(first)" : "Plan: \(plan.terms)"
            try auth.record(db, at: now, transactionID: nil, detail: "\(account) \(what)")
            try Audit.record(db, at: now, operatorID: actor.operatorID, terminal: actor.terminal, event: "plan.created",
                             detail: "\(account) \(what)" + (auth.approver.map { " (override by \($0.login))" } ?? ""))
            return ServiceOutcome(transaction: nil, summary: "\(what) on \(account).")
        }
    }

    // MARK: - Service requests

    @discardableResult
    public func createServiceRequest(account: AccountNumber, type: ServiceRequestType, priority: ServiceRequestPriority = .normal,
                                     notes: String, actor: Actor) throws -> Int64 {
        let notes = notes.trimmingSpacesAndTabs()
        guard notes.count <= 500 else { throw LedgerError(.invalid, "Notes are at most 500 characters") }
        return try writeImmediate { db in
            let id = try Self.accountID(account, db)
            let auth = try Self.authorize(.serviceRequest, amount: nil, actor: actor, db)
            let request = try Self.insertServiceRequest(accountID: id, type: type, priority: priority, notes: notes,
                                                        operatorID: actor.operatorID, transactionID: nil, db, at: timestamp())
            try auth.record(db, at: timestamp(), transactionID: nil, detail: "\(account) work order #\(request) \(type.rawValue)")
            try Audit.record(db, at: timestamp(), operatorID: actor.operatorID, terminal: actor.terminal, event: "request.created",
                             detail: "#\(request) \(account) \(type.rawValue) \(priority.rawValue)")
            return request
        }
    }

    static func insertServiceRequest(accountID: Int64, type: ServiceRequestType, priority: ServiceRequestPriority, notes: String,
                                     operatorID: Int64, transactionID: Int64?, _ db: Store, at: String) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO service_requests(account_id, type, priority, status, notes, created_at, created_by, transaction_id)
            VALUES (?, ?, ?, 'open', ?, ?, ?, ?)
            """, arguments: [accountID, type.rawValue, priority.rawValue, notes, at, operatorID, transactionID])
        let id = db.lastInsertedRowID
        try db.execute(sql: "INSERT INTO service_request_events(request_id, at, operator_id, status, note) VALUES (?, ?, ?, 'open', ?)",
                       arguments: [id, at, operatorID, notes])
        return id
    }

    /// Moves a work order on (scheduled for a date, done, cancelled) with who and when. Done
    /// restore, turn-on, lock-off and turn-off orders set the account's status.
    public func updateServiceRequest(_ requestID: Int64, status: ServiceRequestStatus, scheduledFor: BusinessDate? = nil,
                                     note: String = "", actor: Actor) throws {
        let note = note.trimmingSpacesAndTabs()
        guard note.count <= 500 else { throw LedgerError(.invalid, "A note is at most 500 characters") }
        try writeImmediate { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT account_id, type, status FROM service_requests WHERE id = ?",
                                             arguments: [requestID]) else {
                throw LedgerError(.invalid, "No work order #\(requestID)")
            }
            let current: ServiceRequestStatus = try StoredValue.read(row["status"], as: "work order status")
            guard !current.isClosed else { throw LedgerError(.invalid, "Work order #\(requestID) is already \(current.rawValue)") }
            guard status != .open else { throw LedgerError(.invalid, "Work order #\(requestID) is already open") }
            guard status != .scheduled || scheduledFor != nil else { throw LedgerError(.invalid, "Give the date it is scheduled for") }
            _ = try Self.authorize(.serviceRequest, amount: nil, actor: actor, db)
            let now = timestamp()
            try db.execute(sql: "UPDATE service_requests SET status = ?, scheduled_for = COALESCE(?, scheduled_for) WHERE id = ?",
                           arguments: [status.rawValue, scheduledFor?.description, requestID])
            try db.execute(sql: "INSERT INTO service_request_events(request_id, at, operator_id, status, note) VALUES (?, ?, ?, ?, ?)",
                           arguments: [requestID, now, actor.operatorID,
                                       status.rawValue + (scheduledFor.map { " for \($0)" } ?? ""), note])
            if status == .done, let type = ServiceRequestType(rawValue: row["type"]), let newStatus = type.statusWhenDone {
                try db.execute(sql: "UPDATE accounts SET status = ?, shutoff_date = CASE WHEN ? = 'active' THEN NULL ELSE shutoff_date END WHERE id = ?",
                               arguments: [newStatus, newStatus, row["account_id"] as Int64])
            }
            try Audit.record(db, at: now, operatorID: actor.operatorID, terminal: actor.terminal, event: "request.updated",
                             detail: "#\(requestID) \(status.rawValue)" + (note.isEmpty ? "" : ": \(note)"))
        }
    }

    /// Work orders, newest first, filtered by status, type and account.
    public func serviceRequests(status: ServiceRequestStatus? = nil, type: ServiceRequestType? = nil, account: AccountNumber? = nil,
                                limit: Int = 500) throws -> [ServiceRequestRecord] {
        try read { db in
            var sql = """
                SELECT r.id, a.number, a.customer_name, r.type, r.priority, r.status, r.notes, r.scheduled_for, r.created_at, o.login
                FROM service_requests r JOIN accounts a ON a.id = r.account_id JOIN operators o ON o.id = r.created_by WHERE 1 = 1
                """
            var arguments: SQLArguments = []
            if let status { sql += " AND r.status = ?"; arguments += [status.rawValue] }
            if let type { sql += " AND r.type = ?"; arguments += [type.rawValue] }
            if let account { sql += " AND a.number = ?"; arguments += [account.rawValue] }
            sql += " ORDER BY r.id DESC LIMIT ?"
            arguments += [limit]
            return try SQLRow.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let id: Int64 = row["id"]
                var record = ServiceRequestRecord(
                    id: id, account: row["number"], customerName: row["customer_name"],
                    type: try StoredValue.read(row["type"], as: "work order type"),
                    priority: try StoredValue.read(row["priority"], as: "work order priority"),
                    status: try StoredValue.read(row["status"], as: "work order status"), notes: row["notes"],
                    scheduledFor: (row["scheduled_for"] as String?).flatMap { try? BusinessDate($0) },
                    createdAt: Timestamp.localMinute(row["created_at"]), createdBy: row["login"])
                record.history = try SQLRow.fetchAll(db, sql: """
                    SELECT e.at, o.login, e.status, e.note FROM service_request_events e JOIN operators o ON o.id = e.operator_id
                    WHERE e.request_id = ? ORDER BY e.id
                    """, arguments: [id]).map { (at: Timestamp.localMinute($0["at"]), by: $0["login"], status: $0["status"], note: $0["note"]) }
                return record
            }
        }
    }

    // MARK: - Address and contact details

    /// Changes one address or contact field; the old and new values are kept with who and when.
    public func updateContact(account: AccountNumber, field: ContactField, value: String, actor: Actor) throws -> ServiceOutcome {
        let value = value.trimmingSpacesAndTabs()
        guard value.count <= 200, !value.contains("\n") else { throw LedgerError(.invalid, "\(field.title) is one line of up to 200 characters") }
        guard !value.isEmpty || [.mailingAddress, .email].contains(field) else { throw LedgerError(.invalid, "\(field.title) cannot be empty") }
        return try writeImmediate { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT id, \(field.column) AS value FROM accounts WHERE number = ?",
                                             arguments: [account.rawValue]) else { throw LedgerError(.unknownAccount, "No account \(account)") }
            let old: String = row["value"]
            guard old != value else { throw LedgerError(.invalid, "\(field.title) is already \"\(value)\"") }
            let auth = try Self.authorize(.contactUpdate, amount: nil, actor: actor, db)
            let now = timestamp()
            try db.execute(sql: "UPDATE accounts SET \(field.column) = ? WHERE id = ?", arguments: [value, row["id"] as Int64])
            try db.execute(sql: """
                INSERT INTO account_changes(account_id, field, old_value, new_value, at, operator_id, terminal_id) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [row["id"] as Int64, field.rawValue, CardNumber.withheld(old), value, now, actor.operatorID, actor.terminal])
            try auth.record(db, at: now, transactionID: nil, detail: "\(account) \(field.rawValue)")
            try Audit.record(db, at: now, operatorID: actor.operatorID, terminal: actor.terminal, event: "account.changed",
                             detail: "\(account) \(field.rawValue)")
            return ServiceOutcome(transaction: nil, summary: "\(field.title) of \(account) changed.")
        }
    }

    public func accountChanges(_ account: AccountNumber) throws -> [AccountChange] {
        try read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT c.at, c.field, c.old_value, c.new_value, o.login FROM account_changes c
                JOIN accounts a ON a.id = c.account_id JOIN operators o ON o.id = c.operator_id
                WHERE a.number = ? ORDER BY c.id
                """, arguments: [account.rawValue]).map {
                AccountChange(at: Timestamp.localMinute($0["at"]), field: $0["field"], oldValue: $0["old_value"],
                              newValue: $0["new_value"], by: $0["login"])
            }
        }
    }
}

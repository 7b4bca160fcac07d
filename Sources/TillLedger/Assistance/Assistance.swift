import GRDB
import TillCore

/// An agency that pays customers' bills under an assistance program (energy assistance, a
/// church fund, a county program).
public struct Agency: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let program: String
    public let contact: String

    public var line: String { "\(name)" + (program.isEmpty ? "" : " — \(program)") + (contact.isEmpty ? "" : "  (\(contact))") }
}

/// An account enrolled in an agency's program, from a date (to a date, where one was given).
public struct Enrollment: Sendable, Equatable {
    public let agency: String
    public let program: String
    public let caseNumber: String
    public let startsOn: BusinessDate
    public let endsOn: BusinessDate?

    public func isCurrent(on day: BusinessDate) -> Bool { startsOn <= day && (endsOn.map { $0 >= day } ?? true) }

    /// "Enrolled in LIHEAP (County Energy Aid, case 55-1) since 2026-10-01 until 2027-09-30".
    public var text: String {
        "Enrolled in \(program.isEmpty ? agency : program)" + (program.isEmpty ? "" : " (\(agency)")
            + (caseNumber.isEmpty ? "" : (program.isEmpty ? " (" : ", ") + "case \(caseNumber)")
            + (program.isEmpty && caseNumber.isEmpty ? "" : ")")
            + " since \(startsOn)" + (endsOn.map { " until \($0)" } ?? "")
    }
}

/// An agency's promise to pay an amount on an account by a date. It is open until payments
/// from the agency cover it, and expires (for follow-up) if they have not by its date.
public struct Pledge: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case open, fulfilled, expired }

    public let id: Int64
    public let agency: String
    public let account: String
    public let customerName: String
    public let amount: Money
    /// What the agency's payments have paid toward it (payments since voided, reversed or returned do not count).
    public let paid: Money
    public let caseNumber: String
    public let pledgedOn: BusinessDate
    public let expiresOn: BusinessDate

    /// What is still to come from the agency.
    public var open: Money { Money(cents: max(0, amount.cents - paid.cents)) }

    public func status(on day: BusinessDate) -> Status {
        !open.isPositive ? .fulfilled : expiresOn < day ? .expired : .open
    }

    public func listLine(on day: BusinessDate) -> String {
        "#\(String(id).padded(5)) \(account.padded(10)) \(String(customerName.prefix(20)).padded(20)) \(String(agency.prefix(18)).padded(18)) "
            + "\(amount.formatted.leftPadded(11)) paid \(paid.formatted.leftPadded(11))  \(status(on: day).rawValue.padded(9)) "
            + "until \(expiresOn)" + (caseNumber.isEmpty ? "" : "  case \(caseNumber)")
    }

    public static let csvHeader = ["pledge", "agency", "account", "name", "amount", "paid", "open", "status", "pledged_on", "expires_on", "case"]

    public func csvRow(on day: BusinessDate) -> [String] {
        ["\(id)", agency, account, customerName, amount.decimalString, paid.decimalString, open.decimalString, status(on: day).rawValue, pledgedOn.description,
         expiresOn.description, caseNumber]
    }
}

/// How an open pledge counts against what is past due when a shut-off is decided (`pledge.counts`).
public enum PledgeRule: String, Sendable {
    /// The pledged amount counts as paid.
    case fully
    /// The pledge counts only once the customer has paid the rest of what is past due.
    case withRestPaid = "with-rest-paid"

    /// What is past due for the shut-off, with `pledged` open from agencies.
    public func pastDue(_ pastDue: Money, pledged: Money) -> Money {
        guard pledged.isPositive else { return pastDue }
        let rest = pastDue.cents - pledged.cents
        switch self {
        case .fully: return Money(cents: max(0, rest))
        case .withRestPaid: return rest <= 0 ? .zero : pastDue
        }
    }
}

/// What an agency's payment line for one account will do: the pledge it fulfils, or why it fulfils none.
public struct AgencyLineCheck: Sendable, Equatable {
    public let account: String
    public let amount: Money
    /// What the agency's open pledges on the account still await.
    public let pledged: Money
    public let caseNumber: String
    /// Nil when the line fulfils its pledge (in full or in part); otherwise what the screen says before posting.
    public var problem: String? {
        if !pledged.isPositive { return "no open pledge from this agency on \(account)" }
        if amount > pledged { return "\(Money(cents: amount.cents - pledged.cents).formatted) more than the \(pledged.formatted) pledged on \(account)" }
        return nil
    }

    public var note: String {
        problem ?? "fulfils pledge" + (caseNumber.isEmpty ? "" : " case \(caseNumber)") + " (\(pledged.formatted) pledged)"
    }
}

extension Ledger {
    // MARK: - Agencies and enrolments

    public func addAgency(name: String, program: String = "", contact: String = "", actor: Actor) throws -> Agency {
        let name = try Self.lineText(name, "agency name"), program = try Self.lineText(program, "program"),
            contact = try Self.lineText(contact, "contact")
        guard !name.isEmpty, name.count <= 60 else { throw LedgerError(.invalid, "An agency's name is 1 to 60 characters") }
        return try writeImmediate { db in
            _ = try Self.authorize(.pledge, amount: nil, actor: actor, db)
            if try Self.agency(named: name, db) != nil { throw LedgerError(.invalid, "There is already an agency named \(name)") }
            let now = timestamp()
            try db.execute(sql: "INSERT INTO agencies(name, program, contact, at, operator_id) VALUES (?, ?, ?, ?, ?)",
                           arguments: [name, program, contact, now, actor.operatorID])
            let agency = Agency(id: db.lastInsertedRowID, name: name, program: program, contact: contact)
            try Audit.record(db, at: now, operatorID: actor.operatorID, terminal: actor.terminal, event: "agency.added", detail: agency.line)
            return agency
        }
    }

    public func agencies() throws -> [Agency] {
        try read { db in
            try SQLRow.fetchAll(db, sql: "SELECT id, name, program, contact FROM agencies ORDER BY name").map(Self.agency(_:))
        }
    }

    static func agency(_ row: SQLRow) -> Agency { Agency(id: row["id"], name: row["name"], program: row["program"], contact: row["contact"]) }

    static func agency(named name: String, _ db: Store) throws -> Agency? {
        // Either case: SQLite's column is NOCASE, PostgreSQL's unique index is on lower(name).
        try SQLRow.fetchOne(db, sql: "SELECT id, name, program, contact FROM agencies WHERE lower(name) = lower(?)",
                         arguments: [name.trimmingSpacesAndTabs()]).map(agency(_:))
    }

    static func requireAgency(_ name: String, _ db: Store) throws -> Agency {
        guard let agency = try agency(named: name, db) else {
            throw LedgerError(.invalid, "No agency \(TextSafety.quoted(name)): add it first (till agency add)")
        }
        return agency
    }

    /// Enrols an account in an agency's program, from a date (to a date).
    public func enroll(account: AccountNumber, agency: String, caseNumber: String, from: BusinessDate, until: BusinessDate?,
                       actor: Actor) throws -> Enrollment {
        let caseNumber = try Self.caseText(caseNumber)
        if let until, until < from { throw LedgerError(.invalid, "An enrolment ends on or after it starts (\(from))") }
        return try writeImmediate { db in
            _ = try Self.authorize(.pledge, amount: nil, actor: actor, db)
            let agency = try Self.requireAgency(agency, db)
            let id = try Self.accountID(account, db)
            let now = timestamp()
            try db.execute(sql: """
                INSERT INTO program_enrollments(account_id, agency_id, case_number, starts_on, ends_on, at, operator_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, agency.id, caseNumber, from.description, until?.description, now, actor.operatorID])
            let enrollment = Enrollment(agency: agency.name, program: agency.program, caseNumber: caseNumber, startsOn: from, endsOn: until)
            try Audit.record(db, at: now, operatorID: actor.operatorID, terminal: actor.terminal, event: "program.enrolled",
                             detail: "\(account): \(enrollment.text)")
            return enrollment
        }
    }

    /// The account's enrolments current on `day`, newest first.
    static func enrollments(accountID: Int64, on day: BusinessDate, _ db: Store) throws -> [Enrollment] {
        try SQLRow.fetchAll(db.cachedStatement(sql: """
            SELECT g.name, g.program, e.case_number, e.starts_on, e.ends_on FROM program_enrollments e JOIN agencies g ON g.id = e.agency_id
            WHERE e.account_id = ? AND e.starts_on <= ? AND (e.ends_on IS NULL OR e.ends_on >= ?) ORDER BY e.id DESC
            """), arguments: [accountID, day.description, day.description]).map { row in
            Enrollment(agency: row[0], program: row[1], caseNumber: row[2], startsOn: try BusinessDate(row[3] as String),
                       endsOn: try (row[4] as String?).map(BusinessDate.init))
        }
    }

    /// The program each of these accounts is enrolled in today (lookup's marker), by account number.
    public func enrolledPrograms(accounts numbers: [String]) throws -> [String: String] {
        guard !numbers.isEmpty else { return [:] }
        return try read { db in
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM program_enrollments LIMIT 1")) == true else { return [:] }
            let day = try Self.openDay(db) ?? Timestamp.localDate(now())
            var result: [String: String] = [:]
            for row in try SQLRow.fetchAll(db, sql: """
                SELECT a.number, COALESCE(NULLIF(g.program, ''), g.name) FROM accounts a
                JOIN program_enrollments e ON e.account_id = a.id JOIN agencies g ON g.id = e.agency_id
                WHERE a.number IN (\(numbers.map { _ in "?" }.joined(separator: ","))) AND e.starts_on <= ?
                  AND (e.ends_on IS NULL OR e.ends_on >= ?) ORDER BY e.id
                """, arguments: SQLArguments(numbers + [day.description, day.description])) {
                result[row[0]] = row[1]
            }
            return result
        }
    }

    static func caseText(_ text: String) throws -> String {
        let text = try lineText(text, "case number")
        guard text.count <= 40 else { throw LedgerError(.invalid, "A case number is at most 40 characters") }
        return text
    }

    // MARK: - Pledges

    /// Records an agency's pledge to pay `amount` on an account by `expires`.
    public func pledge(account: AccountNumber, agency: String, amount: Money, caseNumber: String, expires: BusinessDate,
                       actor: Actor) throws -> Pledge {
        let caseNumber = try Self.caseText(caseNumber)
        guard amount.isPositive else { throw LedgerError(.invalid, "A pledge is more than $0.00") }
        return try writeImmediate { db in
            let day = try Self.requireOpenDay(db)
            _ = try Self.authorize(.pledge, amount: amount, actor: actor, db)
            guard amount <= (try Self.amountCeiling(db)) else { throw LedgerError(.invalid, "\(amount.formatted) is over the limit for one payment") }
            guard expires >= day else { throw LedgerError(.invalid, "A pledge expires on the open day (\(day)) or later, not \(expires)") }
            guard expires <= day.adding(days: 366) else { throw LedgerError(.invalid, "A pledge expires within a year of the open day (\(day))") }
            let agency = try Self.requireAgency(agency, db)
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT id, customer_name, status, balance_cents FROM accounts WHERE number = ?",
                                             arguments: [account.rawValue]) else {
                throw LedgerError(.unknownAccount, "No account \(account)")
            }
            guard (row["status"] as String) != "closed" else { throw LedgerError(.invalid, "Account \(account) is closed") }
            let id: Int64 = row["id"]
            let owed = Money(cents: row["balance_cents"])
            let open = try Self.openPledged(accountID: id, on: day, db)
            guard amount.cents + open.cents <= max(0, owed.cents) else {
                throw LedgerError(.invalid, "Pledges on \(account) would be \(Money(cents: amount.cents + open.cents).formatted), "
                                  + "more than the \(owed.formatted) it owes")
            }
            let now = timestamp()
            try db.execute(sql: """
                INSERT INTO pledges(agency_id, account_id, amount_cents, case_number, pledged_on, expires_on, at, operator_id, terminal_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [agency.id, id, amount.cents, caseNumber, day.description, expires.description, now, actor.operatorID,
                                 actor.terminal])
            let pledge = Pledge(id: db.lastInsertedRowID, agency: agency.name, account: account.rawValue, customerName: row["customer_name"],
                                amount: amount, paid: .zero, caseNumber: caseNumber, pledgedOn: day, expiresOn: expires)
            try Audit.record(db, at: now, operatorID: actor.operatorID, terminal: actor.terminal, event: "pledge.recorded",
                             detail: "#\(pledge.id) \(account) \(amount.formatted) from \(agency.name)"
                                + (caseNumber.isEmpty ? "" : " case \(caseNumber)") + " until \(expires)")
            return pledge
        }
    }

    /// Pledges, newest first: all of them, or those of one status as of the open day.
    public func pledges(status: Pledge.Status? = nil, account: AccountNumber? = nil) throws -> [Pledge] {
        try read { db in
            let day = try Self.openDay(db) ?? Timestamp.localDate(now())
            var sql = Self.pledgeSQL
            var arguments: [(any SQLBindable)?] = []
            if let account { sql += " WHERE a.number = ?"; arguments.append(account.rawValue) }
            return try SQLRow.fetchAll(db, sql: sql + " ORDER BY p.id DESC", arguments: SQLArguments(arguments))
                .map(Self.pledge(_:)).filter { status == nil || $0.status(on: day) == status }
        }
    }

    /// What has been paid toward the pledge `p`: the agency's payments not since voided, reversed or returned.
    static let pledgePaidSQL = """
        COALESCE((SELECT SUM(pp.amount_cents) FROM pledge_payments pp WHERE pp.pledge_id = p.id
                  AND NOT EXISTS (SELECT 1 FROM transactions c WHERE c.corrects_id = pp.transaction_id
                                  AND c.kind IN ('void', 'reversal', 'nsf'))), 0)
        """

    /// Pledges with what has been paid toward them.
    static let pledgeSQL = """
        SELECT p.id, g.name AS agency, a.number, a.customer_name, p.amount_cents, p.case_number, p.pledged_on, p.expires_on,
               \(pledgePaidSQL) AS paid
        FROM pledges p JOIN agencies g ON g.id = p.agency_id JOIN accounts a ON a.id = p.account_id
        """

    static func pledge(_ row: SQLRow) throws -> Pledge {
        Pledge(id: row["id"], agency: row["agency"], account: row["number"], customerName: row["customer_name"],
               amount: Money(cents: row["amount_cents"]), paid: Money(cents: row["paid"]), caseNumber: row["case_number"],
               pledgedOn: try BusinessDate(row["pledged_on"] as String), expiresOn: try BusinessDate(row["expires_on"] as String))
    }

    /// An account's pledges still open and unexpired on `day`.
    static func openPledges(accountID: Int64, on day: BusinessDate, _ db: Store) throws -> [Pledge] {
        try SQLRow.fetchAll(db.cachedStatement(sql: pledgeSQL + " WHERE p.account_id = ? AND p.expires_on >= ? ORDER BY p.expires_on, p.id"),
                         arguments: [accountID, day.description]).map(pledge(_:)).filter { $0.open.isPositive }
    }

    static func openPledged(accountID: Int64, on day: BusinessDate, _ db: Store) throws -> Money {
        Money(cents: try openPledges(accountID: accountID, on: day, db).reduce(0) { $0 + $1.open.cents })
    }

    /// What agencies have pledged and not yet paid, by account id, on `day` (pledges are few:
    /// read once for the whole delinquency list).
    static func openPledgedByAccount(on day: BusinessDate, _ db: Store) throws -> [Int64: Money] {
        var result: [Int64: Money] = [:]
        for row in try SQLRow.fetchAll(db, sql: """
            SELECT p.account_id, p.amount_cents - \(pledgePaidSQL) AS open FROM pledges p WHERE p.expires_on >= ?
            """, arguments: [day.description]) {
            let open: Int64 = row["open"]
            guard open > 0 else { continue }
            result[row["account_id"], default: .zero] = Money(cents: (result[row["account_id"]]?.cents ?? 0) + open)
        }
        return result
    }

    static func pledgeRule(_ db: Store) throws -> PledgeRule { PledgeRule(rawValue: try setting(.pledgeCounts, db)) ?? .fully }

    /// Whether something was posted under an idempotency key (a retried agency payment is not checked again).
    public func isPosted(key: String) throws -> Bool {
        try read { db in try Self.postedWithKey(key, db) != nil }
    }

    /// Before an agency's payment posts: what each line will do to the agency's pledges.
    public func checkAgencyPayment(agency: String, lines: [(account: AccountNumber, amount: Money)]) throws -> [AgencyLineCheck] {
        try read { db in
            let agency = try Self.requireAgency(agency, db)
            return try lines.map { line in
                let awaited = Self.awaited(try Self.agencyPledges(agencyID: agency.id, account: line.account, db))
                return AgencyLineCheck(account: line.account.rawValue, amount: line.amount, pledged: awaited.amount,
                                       caseNumber: awaited.caseNumber)
            }
        }
    }

    /// What one agency's pledges on each account still await: for the counter's cart, by account number.
    public func agencyPledges(agency: String) throws -> (agency: Agency, awaited: [String: (amount: Money, caseNumber: String)]) {
        try read { db in
            let agency = try Self.requireAgency(agency, db)
            let open = try SQLRow.fetchAll(db, sql: Self.pledgeSQL + " WHERE p.agency_id = ? ORDER BY p.expires_on, p.id", arguments: [agency.id])
                .map(Self.pledge(_:)).filter { $0.open.isPositive }
            return (agency, Dictionary(grouping: open, by: \.account).mapValues(Self.awaited))
        }
    }

    /// What some pledges still await in all, with their case numbers.
    static func awaited(_ pledges: [Pledge]) -> (amount: Money, caseNumber: String) {
        (Money(cents: pledges.reduce(0) { $0 + $1.open.cents }), pledges.map(\.caseNumber).filter { !$0.isEmpty }.joined(separator: ", "))
    }

    /// An agency's pledges on an account with something still to pay, oldest expiry first
    /// (an expired pledge the agency pays late is still fulfilled).
    static func agencyPledges(agencyID: Int64, account: AccountNumber, _ db: Store) throws -> [Pledge] {
        try SQLRow.fetchAll(db.cachedStatement(sql: pledgeSQL + " WHERE p.agency_id = ? AND a.number = ? ORDER BY p.expires_on, p.id"),
                         arguments: [agencyID, account.rawValue]).map(pledge(_:)).filter { $0.open.isPositive }
    }

    /// In a payment's transaction: each account's credit fulfils the agency's pledges on it.
    static func recordPledgePayments(_ request: PostingRequest, agencyID: Int64, transactionID: Int64, _ db: Store) throws {
        for line in request.lines where line.book == .receivable && line.amount.isNegative {
            guard let account = line.account else { continue }
            var left = -line.amount.cents
            for pledge in try agencyPledges(agencyID: agencyID, account: account, db) where left > 0 {
                let part = min(left, pledge.open.cents)
                try db.execute(sql: "INSERT INTO pledge_payments(pledge_id, transaction_id, amount_cents) VALUES (?, ?, ?)",
                               arguments: [pledge.id, transactionID, part])
                left -= part
            }
        }
    }

}

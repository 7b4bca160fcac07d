import Foundation
import GRDB
import TillCore

/// An account debited by ACH: its bank's routing number, the last four digits of its bank
/// account (the whole number is sealed under the bank-account key), since when, and whether
/// and why it stopped.
public struct AutopayEnrollment: Sendable, Equatable {
    public let id: Int64
    public let account: String
    public let customerName: String
    public let routing: String
    public let kind: BankAccountKind
    public let lastFour: String
    public let holder: String
    public let startsOn: BusinessDate
    public let stoppedAt: String?
    public let stopReason: String?

    public var isActive: Bool { stoppedAt == nil }

    public var listLine: String {
        "\(account.padded(10)) \(String(customerName.prefix(22)).padded(22)) \(routing) \(kind.rawValue.padded(8)) ****\(lastFour)  since \(startsOn)"
            + (stoppedAt.map { "  STOPPED \($0.prefix(10))" + (stopReason.map { ": \($0)" } ?? "") } ?? "")
    }

    public static let csvHeader = ["account", "name", "routing", "kind", "last_four", "holder", "since", "stopped_at", "stop_reason"]
    public var csvRow: [String] {
        [account, customerName, routing, kind.rawValue, lastFour, holder, startsOn.description, stoppedAt ?? "", stopReason ?? ""]
    }
}

/// What an autopay draft posted, and its NACHA file.
public struct AutopayDraft: Sendable {
    public struct Line: Sendable, Equatable {
        public let account: String
        public let amount: Money
        public let receipt: ReceiptNumber?
        public let traceNumber: String
    }

    public let effectiveDate: BusinessDate
    public let lines: [Line]
    /// True when the draft for this date was made before: the same file again, nothing posted.
    public let alreadyDrafted: Bool
    public let file: NachaFile

    public var total: Money { Money(cents: lines.reduce(0) { $0 + $1.amount.cents }) }

    public var summary: [String] {
        [alreadyDrafted ? "Autopay draft for \(effectiveDate) was made before: the same file again, nothing posted."
                        : "Autopay draft for \(effectiveDate): \(lines.count) debit\(lines.count == 1 ? "" : "s"), \(total.formatted), posted as e-check payments.",
         "Entry hash \(file.entryHash), \(file.records.count / 10) block\(file.records.count == 10 ? "" : "s")."]
            + (lines.compactMap(\.receipt).min().map { first in ["Receipts #\(first) to #\(lines.compactMap(\.receipt).max()!)"] } ?? [])
    }
}

/// The ACH settings a draft's file carries (`ach.*`), as they were when the draft was made.
struct ACHHeader: Sendable, Equatable {
    var destination: String, destinationName: String, origin: String, originName: String
    var companyName: String, companyID: String, odfi: String, description: String

    /// Kept on the draft, so the file made again is the same file whatever the settings say since.
    var stored: String {
        [destination, destinationName, origin, originName, companyName, companyID, odfi, description].joined(separator: "\u{1F}")
    }

    init(stored: String) throws {
        let parts = stored.components(separatedBy: "\u{1F}")
        guard parts.count == 8 else { throw LedgerError(.database, "An autopay draft's header is not Till's: run till verify") }
        (destination, destinationName, origin, originName) = (parts[0], parts[1], parts[2], parts[3])
        (companyName, companyID, odfi, description) = (parts[4], parts[5], parts[6], parts[7])
    }

    init(_ db: Store) throws {
        func value(_ key: SettingKey) throws -> String { try Ledger.setting(key, db) }
        destination = try value(.achDestinationRouting)
        destinationName = try value(.achDestinationName)
        origin = try value(.achOrigin)
        originName = try value(.achOriginName)
        companyName = try value(.achCompanyName)
        companyID = try value(.achCompanyID)
        odfi = try value(.achODFI)
        description = try value(.achEntryDescription)
        let pairs: [(SettingKey, String)] = [(.achDestinationRouting, destination), (.achDestinationName, destinationName), (.achOrigin, origin),
                                     (.achOriginName, originName), (.achCompanyName, companyName), (.achCompanyID, companyID),
                                     (.achODFI, odfi)]
        let missing = pairs.filter { $0.1.isEmpty }.map(\.0)
        guard missing.isEmpty else {
            throw LedgerError(.invalid, "The bank's ACH details are not set: a supervisor sets \(missing.map(\.rawValue).joined(separator: ", ")) "
                              + "(till settings KEY VALUE; docs/SERVICE.md)")
        }
    }
}

extension Ledger {
    var bankKeyPath: String { BankKey.file.path(forLedger: path, filesDirectory: filesDirectory) }

    func bankKey(creating: Bool) throws -> Data {
        if let key = try BankKey.file.load(bankKeyPath) { return key }
        guard creating else {
            throw LedgerError(.database, "The bank-account key \(bankKeyPath) is missing: restore it from where it is kept "
                              + "(docs/RELIABILITY.md); without it no draft can be made")
        }
        return try BankKey.file.create(bankKeyPath)
    }

    // MARK: - Enrolment

    /// Enrols an account in autopay: its bank account is debited by each draft. One active
    /// enrolment an account; the routing number's check digit must hold.
    public func enrollAutopay(account: AccountNumber, routing: RoutingNumber, bankAccount: BankAccountNumber, kind: BankAccountKind,
                              holder: String = "", from: BusinessDate? = nil, actor: Actor) throws -> AutopayEnrollment {
        let holder = try Self.lineText(holder, "account holder")
        guard holder.count <= 60 else { throw LedgerError(.invalid, "An account holder's name is at most 60 characters") }
        let key = try bankKey(creating: true)
        return try writeImmediate { db in
            let day = try Self.requireOpenDay(db)
            _ = try Self.authorize(.autopay, amount: nil, actor: actor, db)
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT id, customer_name, status FROM accounts WHERE number = ?", arguments: [account.rawValue]) else {
                throw LedgerError(.unknownAccount, "No account \(account)")
            }
            guard (row["status"] as String) != "closed" else { throw LedgerError(.invalid, "Account \(account) is closed") }
            let id: Int64 = row["id"]
            if try Self.activeAutopay(accountID: id, db) != nil {
                throw LedgerError(.invalid, "Account \(account) is already on autopay: stop it first (till autopay stop)")
            }
            let start = from ?? day
            guard start >= day else { throw LedgerError(.invalid, "Autopay starts on the open day (\(day)) or later") }
            let name = holder.isEmpty ? row["customer_name"] as String : holder
            let sealed = try BankKey.seal(bankAccount, account: account.rawValue, routing: routing.digits, key: key)
            let now = timestamp()
            try db.execute(sql: """
                INSERT INTO autopay_enrollments(account_id, routing, bank_account_kind, last_four, sealed_number, key_id, holder, starts_on,
                                                at, operator_id, terminal_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, routing.digits, kind.rawValue, bankAccount.lastFour, sealed, BankKey.id(key), name, start.description,
                                 now, actor.operatorID, actor.terminal])
            let enrollmentID = db.lastInsertedRowID
            try Audit.record(db, at: now, operatorID: actor.operatorID, terminal: actor.terminal, event: "autopay.enrolled",
                             detail: "\(account) routing \(routing) \(kind.rawValue) \(bankAccount.masked) from \(start)")
            return AutopayEnrollment(id: enrollmentID, account: account.rawValue, customerName: row["customer_name"], routing: routing.digits,
                                     kind: kind, lastFour: bankAccount.lastFour, holder: name, startsOn: start, stoppedAt: nil, stopReason: nil)
        }
    }

    /// Stops an account's autopay: no later draft debits it.
    public func stopAutopay(account: AccountNumber, reason: String, actor: Actor) throws {
        let reason = try Self.reasonText(reason)
        try writeImmediate { db in
            _ = try Self.authorize(.autopay, amount: nil, actor: actor, db)
            let id = try Self.accountID(account, db)
            guard let enrollment = try Self.activeAutopay(accountID: id, db) else {
                throw LedgerError(.invalid, "Account \(account) is not on autopay")
            }
            try Self.stopAutopay(enrollment, reason: reason, returnCode: "", operatorID: actor.operatorID, terminal: actor.terminal,
                                 at: timestamp(), db)
        }
    }

    static func stopAutopay(_ enrollmentID: Int64, reason: String, returnCode: String, operatorID: Int64?, terminal: String?, at: String,
                            _ db: Store) throws {
        try db.execute(sql: "INSERT INTO autopay_stops(enrollment_id, at, operator_id, reason, return_code) VALUES (?, ?, ?, ?, ?)",
                       arguments: [enrollmentID, at, operatorID, reason, returnCode])
        let account = try String.fetchOne(db, sql: """
            SELECT a.number FROM autopay_enrollments e JOIN accounts a ON a.id = e.account_id WHERE e.id = ?
            """, arguments: [enrollmentID]) ?? "?"
        try Audit.record(db, at: at, operatorID: operatorID, terminal: terminal, event: "autopay.stopped",
                         detail: "\(account): \(reason)" + (returnCode.isEmpty ? "" : " (\(returnCode))"))
    }

    static func activeAutopay(accountID: Int64, _ db: Store) throws -> Int64? {
        try Int64.fetchOne(db, sql: """
            SELECT e.id FROM autopay_enrollments e WHERE e.account_id = ?
              AND NOT EXISTS (SELECT 1 FROM autopay_stops s WHERE s.enrollment_id = e.id) ORDER BY e.id DESC LIMIT 1
            """, arguments: [accountID])
    }

    public func autopayEnrollments(activeOnly: Bool = true, account: AccountNumber? = nil) throws -> [AutopayEnrollment] {
        try read { db in
            var sql = """
                SELECT e.id, a.number, a.customer_name, e.routing, e.bank_account_kind, e.last_four, e.holder, e.starts_on, s.at AS stopped_at,
                       s.reason || CASE WHEN s.return_code <> '' THEN ' (' || s.return_code || ')' ELSE '' END AS stop_reason
                FROM autopay_enrollments e JOIN accounts a ON a.id = e.account_id LEFT JOIN autopay_stops s ON s.enrollment_id = e.id
                WHERE 1 = 1
                """
            var arguments: [(any SQLBindable)?] = []
            if activeOnly { sql += " AND s.id IS NULL" }
            if let account { sql += " AND a.number = ?"; arguments.append(account.rawValue) }
            return try SQLRow.fetchAll(db, sql: sql + " ORDER BY a.number, e.id", arguments: SQLArguments(arguments)).map { row in
                AutopayEnrollment(id: row["id"], account: row["number"], customerName: row["customer_name"], routing: row["routing"],
                                  kind: BankAccountKind(rawValue: row["bank_account_kind"]) ?? .checking, lastFour: row["last_four"],
                                  holder: row["holder"], startsOn: try BusinessDate(row["starts_on"] as String), stoppedAt: row["stopped_at"],
                                  stopReason: row["stop_reason"])
            }
        }
    }

    // MARK: - The draft

    /// The autopay draft for `effective` (the date the banks debit the customers): one ACH
    /// debit for each active enrolment whose account owes something due on or before that date
    /// (`autopay.draft_scope` = `due`, the default; `balance`: the whole balance), each posted on
    /// the open day as an e-check payment with its trace number. Every sealed bank account
    /// number is opened before anything posts; the debits then post in transactions of up to
    /// `slice` that give way as soon as a terminal asks for the ledger (a counter waits for one
    /// debit), each once under its key, and the draft is closed — its count and total recorded —
    /// when the last has posted. A draft cut short (a kill, a crash) is finished by running it
    /// again; a closed draft run again is the same file, and posts nothing.
    public func draftAutopay(effective: BusinessDate, actor: Actor, slice: Duration = .milliseconds(200)) throws -> AutopayDraft {
        let key = try bankKey(creating: false)
        // A closed draft is made again from its own entries alone.
        if let closed = try read({ db -> AutopayDraft? in
            _ = try Self.requireOpenDay(db)
            _ = try Self.authorize(.autopayDraft, amount: nil, actor: actor, db)
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM autopay_drafts WHERE effective_date = ?",
                                              arguments: [effective.description]) else { return nil }
            return try Self.closedDraft(id, key: key, db)
        }) { return closed }
        // Who may, the date, the bank's details, and every number that will be drafted opens
        // under this key: read without holding the ledger.
        let (existing, header, scope) = try read { db -> (Int64?, ACHHeader, String) in
            let day = try Self.requireOpenDay(db)
            _ = try Self.authorize(.autopayDraft, amount: nil, actor: actor, db)
            let existing = try Int64.fetchOne(db, sql: "SELECT id FROM autopay_drafts WHERE effective_date = ?", arguments: [effective.description])
            if existing == nil, effective < day || effective > day.adding(days: 30) {
                throw LedgerError(.invalid, "A draft's date is from the open day (\(day)) to 30 days after it, not \(effective)")
            }
            let header = try existing.map { try ACHHeader(stored: try String.fetchOne(db, sql: "SELECT header FROM autopay_drafts WHERE id = ?",
                                                                                       arguments: [$0]) ?? "") } ?? ACHHeader(db)
            for row in try SQLRow.fetchAll(db, sql: """
                SELECT a.number, e.routing, e.sealed_number, e.key_id FROM autopay_enrollments e JOIN accounts a ON a.id = e.account_id
                WHERE NOT EXISTS (SELECT 1 FROM autopay_stops s WHERE s.enrollment_id = e.id) AND e.starts_on <= ?
                """, arguments: [effective.description]) {
                _ = try Self.openSealed(row, key: key)
            }
            return (existing, header, try Self.setting(.autopayScope, db))
        }
        // The draft: made in a transaction of its own (or found, when a run was cut short).
        let draftID = try existing ?? writeImmediate { db -> Int64 in
            if let earlier = try Int64.fetchOne(db, sql: "SELECT id FROM autopay_drafts WHERE effective_date = ?", arguments: [effective.description]) {
                return earlier
            }
            let day = try Self.requireOpenDay(db)
            let created = Self.nachaCreated(now: self.now())
            let sameDay = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM autopay_drafts WHERE substr(created, 1, 6) = ?",
                                           arguments: [String(created.prefix(6))]) ?? 0
            let modifiers = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            guard sameDay < modifiers.count else { throw LedgerError(.invalid, "36 drafts were made today: the bank takes no more files today") }
            try db.execute(sql: """
                INSERT INTO autopay_drafts(effective_date, business_date, at, operator_id, created, file_id_modifier, header)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [effective.description, day.description, timestamp(), actor.operatorID, created, String(modifiers[sameDay]),
                                 header.stored])
            return db.lastInsertedRowID
        }
        // The enrolments still to debit, read once; each one's amount is asked again as it posts.
        let pending = try read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT e.id, a.id, a.number, e.last_four FROM autopay_enrollments e JOIN accounts a ON a.id = e.account_id
                WHERE NOT EXISTS (SELECT 1 FROM autopay_stops s WHERE s.enrollment_id = e.id) AND e.starts_on <= ?
                  AND a.status IN ('active', 'locked-off') AND a.balance_cents > 0
                  AND NOT EXISTS (SELECT 1 FROM autopay_entries x WHERE x.draft_id = ? AND x.enrollment_id = e.id)
                ORDER BY a.number
                """, arguments: [effective.description, draftID]).map { (enrollment: $0[0] as Int64, account: $0[1] as Int64,
                                                                         number: $0[2] as String, lastFour: $0[3] as String) }
        }
        var start = 0
        while start < pending.count {
            try writeImmediate { db, anyoneWaiting in
                let began = ContinuousClock.now
                let day = try Self.requireOpenDay(db)
                let ceiling = try Self.amountCeiling(db)
                let owed = try db.cachedStatement(sql: """
                    SELECT \(db.least("a.balance_cents", """
                        CASE WHEN ? = 'balance' THEN a.balance_cents
                           ELSE COALESCE((SELECT SUM(o.remaining_cents) FROM open_items o WHERE o.account_id = a.id AND o.remaining_cents > 0
                                          AND o.sort_date <= ?), 0) END
                        """))
                    FROM accounts a WHERE a.id = ? AND NOT EXISTS (SELECT 1 FROM autopay_stops s WHERE s.enrollment_id = ?)
                    """)
                let addEntry = try db.cachedStatement(sql: """
                    INSERT INTO autopay_entries(draft_id, enrollment_id, amount_cents, trace_number, transaction_id) VALUES (?, ?, ?, ?, ?)
                    """)
                var next = (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM autopay_entries") ?? 0) + 1
                let chunkStart = start
                for candidate in pending[start...] {
                    // At least one debit a transaction; then give way at the slice's end or to a terminal asking.
                    if start > chunkStart, ContinuousClock.now - began > slice || anyoneWaiting() { break }
                    start += 1
                    let key = "autopay:\(effective):\(candidate.enrollment)"
                    if try Self.postedWithKey(key, db) != nil { continue }
                    let amount = Money(cents: try Int64.fetchOne(owed, arguments: [scope, effective.description, candidate.account,
                                                                                   candidate.enrollment]) ?? 0)
                    guard amount.isPositive, amount <= ceiling else { continue }
                    let number = try AccountNumber(candidate.number)
                    let trace = header.odfi + String(next % 10_000_000).leftZeroPadded(7)
                    let posted = try insert(PostingRequest(
                        kind: .payment, lines: [PostingLine(.achClearing, amount), PostingLine(.receivable, Money(cents: -amount.cents), account: number)],
                        tenders: [.ach(amount, lastFour: candidate.lastFour)], operatorID: actor.operatorID, terminal: actor.terminal,
                        idempotencyKey: key,
                        // No trace number in the memo: fifteen digits can pass for a card number, which no memo holds.
                        memo: "Autopay draft for \(effective)"), businessDate: day, accountIDs: [number: candidate.account], db)
                    try addEntry.execute(arguments: [draftID, candidate.enrollment, amount.cents, trace, posted.id])
                    next += 1
                }
            }
            checkpointIfLarge()
        }
        // Closed with its count and total, and its file made, in one transaction.
        return try writeImmediate { db in
            if let closed = try Self.closedDraft(draftID, key: key, db) { return closed }
            let row = try SQLRow.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM autopay_entries WHERE draft_id = ?",
                                       arguments: [draftID])!
            let now = timestamp()
            try db.execute(sql: "INSERT INTO autopay_draft_closes(draft_id, at, entry_count, total_cents) VALUES (?, ?, ?, ?)",
                           arguments: [draftID, now, row[0] as Int, row[1] as Int64])
            try Audit.record(db, at: now, operatorID: actor.operatorID, terminal: actor.terminal, event: "autopay.drafted",
                             detail: "for \(effective): \(row[0] as Int) debits \(Money(cents: row[1]).formatted)")
            return try Self.autopayDraft(draftID, fresh: true, key: key, db)
        }
    }

    /// A closed draft as it was made, or nil while it is not closed.
    static func closedDraft(_ id: Int64, key: Data, _ db: Store) throws -> AutopayDraft? {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM autopay_draft_closes WHERE draft_id = ?", arguments: [id]) == true else { return nil }
        return try autopayDraft(id, fresh: false, key: key, db)
    }

    /// An enrolment's bank account number, opened under the key, or a refusal naming why (before
    /// anything of a new draft posts).
    static func openSealed(_ row: SQLRow, key: Data) throws -> String {
        let account: String = row["number"]
        guard (row["key_id"] as String) == BankKey.id(key) else {
            throw LedgerError(.database, "Account \(account)'s bank account was sealed under another bank-account key: restore the key "
                              + "file it was enrolled with (docs/RELIABILITY.md); nothing was drafted")
        }
        return try BankKey.open(row["sealed_number"], account: account, routing: row["routing"], key: key)
    }

    /// A draft and its file, from what the ledger kept of it.
    static func autopayDraft(_ id: Int64, fresh: Bool, key: Data, _ db: Store) throws -> AutopayDraft {
        let draft = try SQLRow.fetchOne(db, sql: "SELECT effective_date, created, file_id_modifier, header FROM autopay_drafts WHERE id = ?",
                                     arguments: [id])!
        let header = try ACHHeader(stored: draft["header"])
        let effective = try BusinessDate(draft["effective_date"] as String)
        var lines: [AutopayDraft.Line] = []
        var entries: [NachaFile.Entry] = []
        for row in try SQLRow.fetchAll(db, sql: """
            SELECT a.number, e.routing, e.bank_account_kind, e.sealed_number, e.key_id, e.holder, x.amount_cents, x.trace_number,
                   t.receipt_number
            FROM autopay_entries x JOIN autopay_enrollments e ON e.id = x.enrollment_id JOIN accounts a ON a.id = e.account_id
            JOIN transactions t ON t.id = x.transaction_id
            WHERE x.draft_id = ? ORDER BY x.id
            """, arguments: [id]) {
            let account: String = row["number"], routing: String = row["routing"]
            let digits = try openSealed(row, key: key)
            let amount = Money(cents: row["amount_cents"])
            entries.append(NachaFile.Entry(kind: BankAccountKind(rawValue: row["bank_account_kind"]) ?? .checking,
                                           routing: try RoutingNumber(routing), accountNumber: digits, amount: amount,
                                           individualID: account, name: row["holder"], traceNumber: row["trace_number"]))
            lines.append(.init(account: account, amount: amount, receipt: (row["receipt_number"] as Int64?).map(ReceiptNumber.init),
                               traceNumber: row["trace_number"]))
        }
        let created: String = draft["created"]
        let file = NachaFile(destination: try RoutingNumber(header.destination), destinationName: header.destinationName, origin: header.origin,
                             originName: header.originName, createdDate: String(created.prefix(6)), createdTime: String(created.suffix(4)),
                             fileIDModifier: (draft["file_id_modifier"] as String).first ?? "A", companyName: header.companyName,
                             companyID: header.companyID, entryDescription: header.description,
                             effectiveDate: Self.yymmdd(effective), odfi: header.odfi, entries: entries)
        return AutopayDraft(effectiveDate: effective, lines: lines, alreadyDrafted: !fresh, file: file)
    }

    static func yymmdd(_ date: BusinessDate) -> String {
        let text = date.description // YYYY-MM-DD
        return String(text.dropFirst(2)).replacingOccurrences(of: "-", with: "")
    }

    /// YYMMDDHHMM in local time: the file header's creation date and time.
    static func nachaCreated(now: Date) -> String {
        let seconds = Int(now.timeIntervalSince1970.rounded(.down)) + TimeZone.current.secondsFromGMT(for: now)
        let day = BusinessDate(dayNumber: seconds.floorDiv(86_400))
        let minute = (seconds - day.dayNumber * 86_400) / 60
        return yymmdd(day) + String(minute / 60).leftZeroPadded(2) + String(minute % 60).leftZeroPadded(2)
    }
}

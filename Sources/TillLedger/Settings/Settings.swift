import GRDB
import TillCore

/// Names of the rows of the `settings` table, and their defaults.
public enum SettingKey: String, CaseIterable, Sendable {
    case utilityName = "utility.name"
    case utilityAddress = "utility.address"
    case utilityPhone = "utility.phone"
    case receiptWidth = "receipt.width"
    case amountCeilingCents = "amount.ceiling_cents"
    case pinAttemptsBeforeLock = "signin.attempts_before_lock"
    case pinLockMinutes = "signin.lock_minutes"
    case idleLockMinutes = "signin.idle_lock_minutes"
    case standardFloat = "drawer.standard_float"
    case nsfFeeCents = "fees.nsf_cents"
    case cashOnlyMonthsAfterNSF = "nsf.cash_only_months"
    case cashierVoidOwnSession = "authority.cashier.void_own_session"
    case csrLateFeeReversalCents = "authority.csr.late_fee_reversal_cents"
    case leadAdjustmentCents = "authority.lead.adjustment_cents"
    case overShortApprovalCents = "drawer.over_short_approval_cents"
    case registerEntry = "payment.register_entry"
    case theme = "ui.theme"
    case receiptFooter = "receipt.footer"
    case printerKind = "printer.kind"
    case printerTarget = "printer.target"
    case reconnectFeeCents = "fees.reconnect_cents"
    case blindClose = "drawer.blind_close"
    case reversalRole = "authority.reversal.role"
    case nsfRole = "authority.nsf.role"
    case refundRole = "authority.refund.role"
    case transferRole = "authority.transfer.role"
    case depositRole = "authority.deposit.role"
    case planRole = "authority.plan.role"
    case contactRole = "authority.contact.role"
    case writeOffRole = "authority.writeoff.role"
    case lateFeeCents = "fees.late_cents"
    case lateFeeMinimumCents = "fees.late_minimum_cents"
    case lateFeeGraceDays = "fees.late_grace_days"
    case shutoffPastDueDays = "shutoff.past_due_days"
    case shutoffMinimumCents = "shutoff.minimum_cents"
    case shutoffNoticeDays = "shutoff.notice_days"
    case backupKeep = "backup.keep"
    case pinMinimumLength = "signin.min_pin_length"
    case anchorSigningKey = "anchor.signing_key"
    case openDayWindowDays = "day.open_window_days"
    case scanLine = "stub.scan_line"
    case drawerCashLimitCents = "drawer.cash_limit_cents"
    case drawerCashLimitRefuses = "drawer.cash_limit_refuses"
    case suspenseRole = "authority.suspense.role"
    case importUnknownToSuspense = "import.unknown_to_suspense"
    case suspenseWarnDays = "suspense.warn_days"
    case drawerOnePerOperator = "drawer.one_per_operator"
    case dropsNeedAcceptance = "drawer.drops_need_acceptance"
    case allocationOrder = "payment.allocation_order"
    /// Set when a training ledger is made (`till demo --training`, `till training copy`); never changed after.
    case training = "ledger.training"
    case trainingOpensDrawer = "training.opens_drawer"
    /// How an open assistance pledge holds a shut-off: `fully` (the pledged amount counts as
    /// paid) or `with-rest-paid` (it counts only once the rest of what is past due is paid).
    case pledgeCounts = "pledge.counts"
    case pledgeRole = "authority.pledge.role"
    /// What an autopay draft debits: `due` (charges due on or before the draft's date) or `balance`.
    case autopayScope = "autopay.draft_scope"
    case achDestinationRouting = "ach.destination_routing"
    case achDestinationName = "ach.destination_name"
    case achOrigin = "ach.origin"
    case achOriginName = "ach.origin_name"
    case achCompanyName = "ach.company_name"
    case achCompanyID = "ach.company_id"
    case achODFI = "ach.odfi"
    case achEntryDescription = "ach.entry_description"
    /// The fee each return reason code charges (`R01=2500,R09=2500,NSF=2500`); a code not named charges none.
    case returnFees = "returns.fees"
    /// Funds reasons (`R01,R09,NSF`): after `returns.cash_only_after` of them in a year the account pays cash only.
    case returnCashOnlyCodes = "returns.cash_only_codes"
    case returnCashOnlyAfter = "returns.cash_only_after"
    /// Reasons that stop an account's autopay (the bank account is closed, not there, not authorised).
    case returnStopAutopayCodes = "returns.stop_autopay_codes"
    /// `shared`: every office follows the main office's business day (the day opens and closes
    /// once); `own`: each office opens and closes its share of the day, with its own deposit.
    case officeDays = "office.days"
    /// `utility`: one gapless sequence of receipt numbers for the whole utility; `office`: each
    /// receipt also takes the next number of its office's own sequence (NORTH-17), printed on it
    /// and found by it. Every change is recorded (`receipt_numbering`) for verify.
    case receiptNumbering = "receipt.numbering"

    /// Checks a value before it is stored: a number of cents, a yes/no, a count, a width.
    public func validate(_ value: String) throws(DomainError) {
        let invalid = { (what: String) in DomainError(.invalidAmount, "\(self.rawValue) takes \(what); \"\(value)\" is not one") }
        switch self {
        case .amountCeilingCents, .nsfFeeCents, .csrLateFeeReversalCents, .leadAdjustmentCents, .overShortApprovalCents,
             .reconnectFeeCents, .lateFeeCents, .lateFeeMinimumCents, .shutoffMinimumCents, .drawerCashLimitCents:
            guard !value.isEmpty, value.count <= 12, value.allSatisfy(\.isASCIIDigit) else { throw invalid("a whole number of cents") }
        case .pinAttemptsBeforeLock, .pinLockMinutes, .idleLockMinutes, .cashOnlyMonthsAfterNSF, .lateFeeGraceDays,
             .shutoffPastDueDays, .shutoffNoticeDays, .backupKeep, .suspenseWarnDays:
            guard !value.isEmpty, value.count <= 4, value.allSatisfy(\.isASCIIDigit) else { throw invalid("a whole number") }
        case .anchorSigningKey:
            guard value.isEmpty || (value.hasPrefix("/") && value.count <= 500 && !value.contains("\n")) else {
                throw invalid("the absolute path of a private key file (`till anchor keygen`), or nothing")
            }
        case .openDayWindowDays:
            guard let days = Int(value), (0...31).contains(days) else { throw invalid("a number of days from 0 to 31") }
        case .scanLine:
            do { _ = try ScanLineFormat(spec: value) } catch { throw invalid("a scan-line layout such as \(ScanLineFormat.standard.spec)") }
        case .allocationOrder:
            let codes = Set(BookAccount.revenueCodes.map(\.rawValue) + ["OTHER"])
            let items = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard value == "oldest" || (!items.isEmpty && items.allSatisfy(codes.contains) && Set(items).count == items.count) else {
                throw invalid("oldest, or revenue codes in the order paid, such as REV_WATER,REV_SEWER,OTHER,REV_LATE_FEE")
            }
        case .pinMinimumLength:
            guard let length = Int(value), (4...12).contains(length) else { throw invalid("a length from 4 to 12") }
        case .cashierVoidOwnSession, .registerEntry, .blindClose, .drawerCashLimitRefuses, .importUnknownToSuspense, .drawerOnePerOperator, .dropsNeedAcceptance, .training, .trainingOpensDrawer:
            guard value == "true" || value == "false" else { throw invalid("true or false") }
        case .autopayScope:
            guard value == "due" || value == "balance" else { throw invalid("due or balance") }
        case .officeDays:
            guard value == "shared" || value == "own" else { throw invalid("shared (every office follows the main office's day) or own") }
        case .receiptNumbering:
            guard value == "utility" || value == "office" else {
                throw invalid("utility (one sequence for every office) or office (each office counts its own)")
            }
        case .achDestinationRouting:
            guard value.isEmpty || (try? RoutingNumber(value)) != nil else { throw invalid("a nine-digit routing number whose check digit holds") }
        case .achODFI:
            guard value.isEmpty || (value.count == 8 && value.allSatisfy(\.isASCIIDigit)) else { throw invalid("eight digits (the bank's routing number without its check digit)") }
        case .achOrigin, .achCompanyID:
            guard value.isEmpty || (value.count == 10 && value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " ") })) else {
                throw invalid("ten letters or digits, as the bank gave them (e.g. 1234567890)")
            }
        case .achDestinationName, .achOriginName:
            guard value.count <= 23, value.allSatisfy({ $0.isASCII && !$0.isNewline && $0 != "\t" }) else { throw invalid("up to 23 plain letters") }
        case .achCompanyName:
            guard value.count <= 16, value.allSatisfy({ $0.isASCII && !$0.isNewline && $0 != "\t" }) else { throw invalid("up to 16 plain letters") }
        case .achEntryDescription:
            guard !value.isEmpty, value.count <= 10, value.allSatisfy({ $0.isASCII && !$0.isNewline && $0 != "\t" }) else {
                throw invalid("1 to 10 plain letters (what the customer's statement says)")
            }
        case .returnFees:
            let ok = value.isEmpty || value.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { pair in
                let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
                return parts.count == 2 && ReturnReason.isCode(String(parts[0])) && !parts[1].isEmpty && parts[1].count <= 9
                    && parts[1].allSatisfy(\.isASCIIDigit)
            }
            guard ok else { throw invalid("reason codes and fees in cents, such as R01=2500,R09=2500,NSF=2500") }
        case .returnCashOnlyCodes, .returnStopAutopayCodes:
            guard value.isEmpty || value.split(separator: ",", omittingEmptySubsequences: false).allSatisfy({ ReturnReason.isCode(String($0)) }) else {
                throw invalid("reason codes such as R02,R03,R04")
            }
        case .returnCashOnlyAfter:
            guard let count = Int(value), (1...12).contains(count) else { throw invalid("a number of returns from 1 to 12") }
        case .pledgeCounts:
            guard value == "fully" || value == "with-rest-paid" else { throw invalid("fully or with-rest-paid") }
        case .reversalRole, .nsfRole, .refundRole, .transferRole, .depositRole, .planRole, .contactRole, .writeOffRole, .suspenseRole,
             .pledgeRole:
            guard Role(rawValue: value) != nil else { throw invalid("a role: cashier, csr, lead or supervisor") }
        case .receiptWidth:
            guard ["32", "42", "48"].contains(value) else { throw invalid("32, 42 or 48") }
        case .printerKind:
            guard ["spool", "escpos", "lp", "none"].contains(value) else { throw invalid("spool, escpos, lp or none") }
        case .standardFloat:
            guard try CashCount.parse(value).total.isPositive else { throw invalid("a count such as 20=4,10=5") }
        case .utilityName, .utilityAddress, .utilityPhone, .theme, .receiptFooter, .printerTarget:
            guard value.count <= 200, !value.contains("\n") else { throw invalid("one line of text") }
        }
    }

    public static func defaultValue(_ key: SettingKey) -> String { defaults.first { $0.0 == key }?.1 ?? "" }

    public static let defaults: [(SettingKey, String)] = [
        (.utilityName, "Union Public Utility District"),
        (.utilityAddress, "100 Main Street, Union"),
        (.utilityPhone, "(555) 010-0100"),
        (.receiptWidth, "42"),
        (.amountCeilingCents, "99999999"),
        (.pinAttemptsBeforeLock, "5"),
        (.pinLockMinutes, "15"),
        (.idleLockMinutes, "5"),
        (.standardFloat, "20=4,10=5,5=6,1=25,0.25=40,0.10=30,0.05=20,0.01=100"), // $200.00
        (.nsfFeeCents, "2500"),
        (.cashOnlyMonthsAfterNSF, "12"),
        (.cashierVoidOwnSession, "true"),
        (.csrLateFeeReversalCents, "2500"),
        (.leadAdjustmentCents, "25000"),
        (.overShortApprovalCents, "500"),
        (.registerEntry, "false"),
        (.theme, "default"),
        (.receiptFooter, "Thank you. Keep this receipt for your records."),
        (.printerKind, "spool"),
        (.printerTarget, ""),
        (.reconnectFeeCents, "5000"),
        (.blindClose, "true"),
        (.reversalRole, "lead"),
        (.nsfRole, "lead"),
        (.refundRole, "lead"),
        (.transferRole, "lead"),
        (.depositRole, "lead"),
        (.planRole, "csr"),
        (.contactRole, "csr"),
        (.writeOffRole, "supervisor"),
        (.lateFeeCents, "500"),
        (.lateFeeMinimumCents, "1000"),
        (.lateFeeGraceDays, "5"),
        (.shutoffPastDueDays, "45"),
        (.shutoffMinimumCents, "5000"),
        (.shutoffNoticeDays, "10"),
        (.backupKeep, "30"),
        (.pinMinimumLength, "4"),
        (.anchorSigningKey, ""),
        (.openDayWindowDays, "3"),
        (.scanLine, ScanLineFormat.standard.spec),
        (.drawerCashLimitCents, "0"),
        (.drawerCashLimitRefuses, "false"),
        (.suspenseRole, "csr"),
        (.importUnknownToSuspense, "true"),
        (.suspenseWarnDays, "10"),
        (.drawerOnePerOperator, "true"),
        (.dropsNeedAcceptance, "false"),
        (.allocationOrder, "oldest"),
        (.training, "false"),
        (.trainingOpensDrawer, "false"),
        (.pledgeCounts, "fully"),
        (.pledgeRole, "csr"),
        (.autopayScope, "due"),
        (.achDestinationRouting, ""),
        (.achDestinationName, ""),
        (.achOrigin, ""),
        (.achOriginName, ""),
        (.achCompanyName, ""),
        (.achCompanyID, ""),
        (.achODFI, ""),
        (.achEntryDescription, "UTIL BILL"),
        (.returnFees, "R01=2500,R09=2500,NSF=2500"),
        (.returnCashOnlyCodes, "R01,R09,NSF"),
        (.returnCashOnlyAfter, "2"),
        (.returnStopAutopayCodes, "R02,R03,R04,R07,R08,R10,R16,R20,R29"),
        (.officeDays, "shared"),
        (.receiptNumbering, "utility"),
    ]
}

extension Ledger {
    /// The stored settings that are as Till sealed them: a value changed with `sqlite3` (a CSR's
    /// limit raised, say) is not acted on — the default stands — and `till verify` names it.
    static func sealedSettingsSQL(_ db: Store) -> String {
        "SELECT key, value FROM settings s WHERE "
            + RecordSeals.isSealedSQL(RecordSeals.versioned("settings"), row: "s", postgres: db.isPostgres)
    }

    /// Every setting with its value (the default where the ledger has none stored).
    public func settings() throws -> [(SettingKey, String)] {
        try read { db in try SettingKey.allCases.map { ($0, try Self.setting($0, db)) } }
    }

    public func setting(_ key: SettingKey) throws -> String {
        try read { db in try Self.setting(key, db) }
    }

    public func setSetting(_ key: SettingKey, _ value: String, by operatorID: Int64) throws {
        do { try key.validate(value) } catch { throw LedgerError(domain: error) }
        guard key != .training else {
            throw LedgerError(.invalid, "ledger.training is set when a training ledger is made (till demo --training, till training copy) and never changed")
        }
        try writeImmediate { db in
            guard let op = try Self.fetchOperator(db, id: operatorID), op.role == .supervisor else {
                throw LedgerError(.notAuthorized, "Only a supervisor changes settings")
            }
            if key == .receiptNumbering { try Self.recordReceiptNumbering(value, by: operatorID, at: timestamp(), db) }
            try db.execute(sql: "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [key.rawValue, value])
            try Audit.record(db, at: timestamp(), operatorID: operatorID, terminal: nil,
                             event: "setting.changed", detail: "\(key.rawValue)=\(value)")
        }
    }

    static func setting(_ key: SettingKey, _ db: Store) throws -> String {
        let fallback = SettingKey.defaultValue(key)
        // Most settings keep their default, and a payment reads several: one indexed read of
        // the row says so (a row reading as the default gives the default whether Till sealed
        // it or not). Only another value is asked of the sealed read, which digests the row.
        let stored = try String.fetchOne(db.cachedStatement(sql: storedSettingSQL), arguments: [key.rawValue])
        guard let stored, stored != fallback else { return fallback }
        return try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM (\(sealedSettingsSQL(db))) AS sealed WHERE key = ?"),
                                   arguments: [key.rawValue]) ?? fallback
    }

    /// A setting's row as stored (sealed or not): what `setting` asks first.
    static let storedSettingSQL = "SELECT value FROM settings WHERE key = ?"

    static func intSetting(_ key: SettingKey, _ db: Store) throws -> Int64 {
        Int64(try setting(key, db)) ?? Int64(SettingKey.defaults.first { $0.0 == key }.flatMap { Int64($0.1) } ?? 0)
    }

    /// The standard float by denomination; a setting that does not parse falls back to the default.
    static func standardFloat(_ db: Store) throws -> CashCount {
        (try? CashCount.parse(try setting(.standardFloat, db)))
            ?? (try? CashCount.parse(SettingKey.defaultValue(.standardFloat))) ?? CashCount()
    }

    static func amountCeiling(_ db: Store) throws -> Money {
        Money(cents: try intSetting(.amountCeilingCents, db))
    }
}

enum Audit {
    /// What happened is kept even when a person typed a card number into it (an unknown
    /// sign-in id): the number itself is withheld, never written.
    static func record(_ db: Store, at: String, operatorID: Int64?, terminal: String?, event: String, detail: String) throws {
        try db.execute(sql: "INSERT INTO audit_events(at, operator_id, terminal_id, event, detail) VALUES (?, ?, ?, ?, ?)",
                       arguments: [at, operatorID, terminal, event, CardNumber.withheld(detail)])
    }
}

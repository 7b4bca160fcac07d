import Foundation
import GRDB
import TillCore

/// The letters Till writes to customers, each from an editable template in `templates/`.
public enum LetterKind: String, CaseIterable, Sendable {
    case pastDue = "past-due"
    case shutoff
    case nsf
    case depositRefund = "deposit-refund"
    case returnedPayment = "returned-payment"

    public var fileName: String { rawValue + ".txt" }

    /// The placeholders a template of this kind may use, besides the common ones.
    public var fields: [String] {
        switch self {
        case .pastDue: ["past_due", "days_past_due", "current", "days_30", "days_60", "days_90"]
        case .shutoff: ["past_due", "days_past_due", "shutoff_date"]
        case .nsf: ["receipt", "check_number", "check_amount", "fee", "cash_only_until"]
        case .depositRefund: ["amount", "payee", "refund_address", "receipt"]
        case .returnedPayment: ["receipt", "payment", "reference", "amount", "reason_code", "reason", "fee", "follow_up"]
        }
    }

    public static let commonFields = ["date", "utility_name", "utility_address", "utility_phone", "account", "name",
                                      "mailing_address", "service_address", "balance"]

    /// The template written to `templates/` the first time it is needed; the office edits it there.
    public var defaultTemplate: String {
        let head = """
            {{utility_name}}
            {{utility_address}}    {{utility_phone}}

            {{date}}

            {{name}}
            {{mailing_address}}

            Account {{account}}, service at {{service_address}}


            """
        let tail = "\n\nCustomer Service\n{{utility_name}}\n"
        // Past-due and shut-off notices end with a stub to return with the payment: its scan
        // line is what the counter's reader and a lockbox read.
        let stub = "\n\n- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -\n"
            + "Return this part with your payment. Account {{account}}\n{{scan_line}}\n"
        switch self {
        case .pastDue:
            return head + """
                PAST-DUE NOTICE

                Our records show {{past_due}} past due on your account, {{days_past_due}} days after
                its due date. Your balance is {{balance}}.

                    Current     {{current}}
                    30 days     {{days_30}}
                    60 days     {{days_60}}
                    90+ days    {{days_90}}

                Please pay the past-due amount now to avoid late fees and interruption of service.
                If you have paid in the last few days, thank you, and please disregard this notice.
                To arrange a payment plan, call us at {{utility_phone}}.
                """ + tail + stub
        case .shutoff:
            return head + """
                NOTICE OF SHUT-OFF

                Your account is {{past_due}} past due ({{days_past_due}} days). Unless the past-due
                amount is paid, or a payment arrangement is made, water service at
                {{service_address}} will be shut off on or after {{shutoff_date}}.

                Restoring service after a shut-off requires payment of the full balance and a
                reconnect fee. Call {{utility_phone}} or visit our office before {{shutoff_date}}.
                """ + tail + stub
        case .nsf:
            return head + """
                RETURNED CHECK

                Check {{check_number}} for {{check_amount}} (receipt #{{receipt}}) was returned
                unpaid by your bank. The payment has been reversed and a returned-check fee of
                {{fee}} added. Your balance is now {{balance}}.

                Until {{cash_only_until}} we accept payment on this account only in cash, money
                order, or card: no personal checks.
                """ + tail
        case .returnedPayment:
            return head + """
                RETURNED PAYMENT

                Your {{payment}} payment of {{amount}} (receipt #{{receipt}}, {{reference}}) was returned
                by your bank: {{reason}} ({{reason_code}}). The payment has been charged back to
                your account, with a returned-payment fee of {{fee}}. Your balance is now {{balance}}.

                {{follow_up}}
                Please pay the balance in cash, by money order or by card, or call us at
                {{utility_phone}}.
                """ + tail
        case .depositRefund:
            return head + """
                DEPOSIT REFUND

                Your service deposit of {{amount}} is being refunded (reference #{{receipt}}).
                A check payable to {{payee}} will be mailed to:

                    {{refund_address}}

                Thank you for being our customer.
                """ + tail
        }
    }
}

public enum LetterTemplate {
    /// Fills `{{field}}` placeholders; a placeholder the letter does not know is an error that names it.
    public static func render(_ template: String, fields: [String: String]) throws -> String {
        var out = "", rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw LedgerError(.invalid, "The template has a \"{{\" with no \"}}\" after it")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingSpacesAndTabs()
            guard let value = fields[name] else {
                throw LedgerError(.invalid, "The template uses {{\(name)}}, which this letter does not have; it has: "
                                  + fields.keys.sorted().joined(separator: ", "))
            }
            out += value
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}

extension Ledger {
    public var templatesDirectory: String { besideLedger("templates") }
    public var lettersDirectory: String { besideLedger("letters") }

    private func besideLedger(_ name: String) -> String {
        (filesDirectory as NSString).appendingPathComponent(name)
    }

    /// A file beside the ledger named from the ledger's directory (`letters/2026-11-20/nsf-100033.txt`),
    /// short enough for a message at 80 columns; anything elsewhere by its whole path.
    public func nameBesideLedger(_ file: String) -> String {
        let directory = filesDirectory + "/"
        return file.hasPrefix(directory) ? String(file.dropFirst(directory.count)) : file
    }

    /// The template of a kind of letter, written from the default the first time.
    public func letterTemplate(_ kind: LetterKind) throws -> String {
        let file = (templatesDirectory as NSString).appendingPathComponent(kind.fileName)
        if let text = try? String(contentsOfFile: file, encoding: .utf8) { return text }
        try FileManager.default.createDirectory(atPath: templatesDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try kind.defaultTemplate.write(toFile: file, atomically: true, encoding: .utf8)
        return kind.defaultTemplate
    }

    /// Renders one letter per account on the kind's list for the date and writes each to
    /// `letters/DATE/KIND-ACCOUNT.txt`: past-due (the delinquency list, 30 days and over),
    /// shutoff (the shut-off candidates; each gets its pending shut-off date, `shutoff.notice_days`
    /// ahead), nsf (checks returned that day) and deposit-refund (deposits refunded that day).
    /// `transactionID` narrows nsf and deposit-refund to one action. Returns the files written.
    @discardableResult
    public func writeLetters(_ kind: LetterKind, on date: BusinessDate, transactionID: Int64? = nil,
                             accounts: Set<String>? = nil) throws -> [String] {
        let template = try letterTemplate(kind)
        var letters = try letterFields(kind, on: date, transactionID: transactionID)
        if let accounts { letters = letters.filter { accounts.contains($0["account"] ?? "") } }
        // A template error shows before any file is written.
        let rendered = try letters.map { (account: $0["account"] ?? "", text: try LetterTemplate.render(template, fields: $0)) }
        let directory = ((lettersDirectory as NSString).appendingPathComponent(date.description))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var written: [String] = []
        for letter in rendered {
            let file = (directory as NSString).appendingPathComponent("\(kind.rawValue)-\(letter.account).txt")
            try letter.text.write(toFile: file, atomically: true, encoding: .utf8)
            written.append(file)
        }
        if kind == .shutoff, !rendered.isEmpty {
            try markShutoffPending(accounts: rendered.map(\.account), on: date)
        }
        return written
    }

    /// The fields of each letter of a kind for a date.
    public func letterFields(_ kind: LetterKind, on date: BusinessDate, transactionID: Int64? = nil) throws -> [[String: String]] {
        try read { db in
            let notice = date.adding(days: Int(try Self.intSetting(.shutoffNoticeDays, db)))
            var common: [String: String] = ["date": date.description]
            common["utility_name"] = try Self.setting(.utilityName, db)
            common["utility_address"] = try Self.setting(.utilityAddress, db)
            common["utility_phone"] = try Self.setting(.utilityPhone, db)
            func account(_ number: String) throws -> [String: String] {
                guard let row = try SQLRow.fetchOne(db, sql: """
                    SELECT number, customer_name, mailing_address, service_address, balance_cents FROM accounts WHERE number = ?
                    """, arguments: [number]) else { return common }
                var fields = common
                fields["account"] = row["number"]
                fields["name"] = row["customer_name"]
                let mailing: String = row["mailing_address"]
                fields["mailing_address"] = mailing.isEmpty ? row["service_address"] : mailing
                fields["service_address"] = row["service_address"]
                fields["balance"] = Money(cents: row["balance_cents"]).formatted
                // The newest bill's scan line, for a stub to return with the payment (empty when
                // the account has no bill or its number cannot be one).
                fields["scan_line"] = (try? AccountNumber(row["number"] as String)).flatMap { try? Self.stub(for: $0, db).line } ?? ""
                return fields
            }
            switch kind {
            case .pastDue, .shutoff:
                let list = kind == .pastDue
                    ? try Self.delinquency(asOf: date, minimumDays: 30, minimumPastDue: Money(cents: 1), status: nil, db)
                    : try Self.shutoffCandidates(on: date, db)
                return try list.map { item in
                    var fields = try account(item.number)
                    fields["past_due"] = item.aging.pastDue.formatted
                    fields["days_past_due"] = "\(item.daysPastDue)"
                    fields["current"] = item.aging.current.formatted
                    fields["days_30"] = item.aging.days30.formatted
                    fields["days_60"] = item.aging.days60.formatted
                    fields["days_90"] = item.aging.days90.formatted
                    fields["shutoff_date"] = (item.shutoffDate.map { max($0, notice) } ?? notice).description
                    return fields
                }
            case .nsf:
                return try SQLRow.fetchAll(db, sql: """
                    SELECT a.number, r.fee_cents, r.cash_only_until, r.check_number AS reference, r.amount_cents, o.receipt_number
                    FROM returned_checks r JOIN transactions t ON t.id = r.transaction_id JOIN accounts a ON a.id = r.account_id
                    JOIN transactions o ON o.id = t.corrects_id
                    WHERE \(transactionID == nil ? "t.business_date = ?" : "t.id = ?") ORDER BY r.id
                    """, arguments: [transactionID.map(SQLValue.int) ?? .text(date.description)]).map { row in
                    var fields = try account(row["number"])
                    fields["receipt"] = "\(row["receipt_number"] as Int64)"
                    fields["check_number"] = (row["reference"] as String?) ?? ""
                    fields["check_amount"] = Money(cents: row["amount_cents"]).formatted
                    fields["fee"] = Money(cents: row["fee_cents"]).formatted
                    fields["cash_only_until"] = row["cash_only_until"]
                    return fields
                }
            case .returnedPayment:
                return try SQLRow.fetchAll(db, sql: """
                    SELECT a.number, r.kind, r.reference, r.amount_cents, r.reason_code, r.fee_cents, r.follow_up, o.receipt_number
                    FROM returned_items r JOIN transactions t ON t.id = r.transaction_id JOIN accounts a ON a.id = r.account_id
                    JOIN transactions o ON o.id = r.original_transaction_id
                    WHERE \(transactionID == nil ? "t.business_date = ?" : "t.id = ?") ORDER BY r.id
                    """, arguments: [transactionID.map(SQLValue.int) ?? .text(date.description)]).map { row in
                    var fields = try account(row["number"])
                    let kind: String = row["kind"], reference: String = row["reference"], code: String = row["reason_code"]
                    fields["receipt"] = "\((row["receipt_number"] as Int64?) ?? 0)"
                    fields["payment"] = kind == "ach" ? "automatic (ACH)" : "check"
                    fields["reference"] = kind == "ach" ? "trace \(reference)" : "check \(reference)"
                    fields["amount"] = Money(cents: row["amount_cents"]).formatted
                    fields["reason_code"] = code
                    fields["reason"] = ReturnReason.name(code)
                    fields["fee"] = Money(cents: row["fee_cents"]).formatted
                    fields["follow_up"] = row["follow_up"]
                    return fields
                }
            case .depositRefund:
                return try SQLRow.fetchAll(db, sql: """
                    SELECT a.number, r.payee, r.address, r.amount_cents, t.receipt_number
                    FROM refund_requests r JOIN transactions t ON t.id = r.transaction_id JOIN accounts a ON a.id = r.account_id
                    WHERE r.source = 'deposit' AND \(transactionID == nil ? "t.business_date = ?" : "t.id = ?") ORDER BY r.id
                    """, arguments: [transactionID.map(SQLValue.int) ?? .text(date.description)]).map { row in
                    var fields = try account(row["number"])
                    fields["amount"] = Money(cents: row["amount_cents"]).formatted
                    fields["payee"] = row["payee"]
                    fields["refund_address"] = row["address"]
                    fields["receipt"] = "\((row["receipt_number"] as Int64?) ?? 0)"
                    return fields
                }
            }
        }
    }

    /// A lock-off notice sets the account's pending shut-off date (the counter shows it).
    private func markShutoffPending(accounts: [String], on date: BusinessDate) throws {
        try writeImmediate { db in
            let notice = date.adding(days: Int(try Self.intSetting(.shutoffNoticeDays, db)))
            for number in accounts {
                try db.execute(sql: """
                    UPDATE accounts SET shutoff_date = ? WHERE number = ? AND (shutoff_date IS NULL OR shutoff_date < ?)
                    """, arguments: [notice.description, number, notice.description])
            }
            try Audit.record(db, at: timestamp(), operatorID: nil, terminal: nil, event: "shutoff.noticed",
                             detail: "\(accounts.count) accounts, shut-off on or after \(notice)")
        }
    }
}

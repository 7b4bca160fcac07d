import Foundation
import GRDB
import TillCore

/// A bank's reason for returning a payment: the NACHA return codes (R01…R99) and, for checks
/// returned by a lockbox, NSF, STOP and CLOSED.
public enum ReturnReason {
    static let names: [String: String] = [
        "R01": "insufficient funds", "R02": "account closed", "R03": "no account, unable to locate account",
        "R04": "invalid account number", "R05": "unauthorized debit to consumer account", "R06": "returned at the originator's request",
        "R07": "authorization revoked by customer", "R08": "payment stopped", "R09": "uncollected funds",
        "R10": "customer advises not authorized", "R11": "check truncation entry return", "R12": "account sold to another bank",
        "R14": "account holder deceased", "R15": "beneficiary deceased", "R16": "account frozen", "R20": "non-transaction account",
        "R29": "corporate customer advises not authorized",
        "NSF": "insufficient funds", "STOP": "payment stopped", "CLOSED": "account closed",
    ]

    /// R followed by two digits, or one of the check reasons.
    public static func isCode(_ text: String) -> Bool {
        let chars = Array(text)
        return ["NSF", "STOP", "CLOSED"].contains(text)
            || (chars.count == 3 && chars[0] == "R" && chars[1].isASCIIDigit && chars[2].isASCIIDigit)
    }

    public static func name(_ code: String) -> String { names[code] ?? "returned by the bank" }
}

/// One returned payment as the bank's file names it.
public struct ReturnItem: Sendable, Equatable {
    public enum Kind: String, Sendable { case ach, check }
    /// The file's own line (its record, for a NACHA file).
    public let line: Int
    public let kind: Kind
    public let reasonCode: String
    /// The original entry's trace number, or the check number.
    public let reference: String
    public let account: String
    public let amount: Money
}

/// What a returns file did.
public struct ReturnLot: Sendable {
    public struct Posted: Sendable, Equatable {
        public let line: Int
        public let account: String
        public let amount: Money
        public let reasonCode: String
        public let receipt: ReceiptNumber?
        public let returnedReceipt: ReceiptNumber
        public let fee: Money
        public let followUp: String
        /// The return's own posting (its letter is written from it).
        let transactionID: Int64
    }

    public var lotID: Int64?
    public var posted: [Posted] = []
    /// Items of the file posted before (the same file, or an item in an earlier one): nothing posted twice.
    public var alreadyReturned: [(line: Int, reference: String)] = []
    public var letters: [String] = []

    public var total: Money { Money(cents: posted.reduce(0) { $0 + $1.amount.cents }) }
    public var fees: Money { Money(cents: posted.reduce(0) { $0 + $1.fee.cents }) }

    public var report: [String] {
        var lines = ["RETURNS LOT \(lotID.map { "#\($0)" } ?? "(nothing new)")"]
        for item in posted {
            lines.append("\(String(item.line).leftPadded(4))  \(item.reasonCode.padded(6)) \(item.account.padded(10)) \(item.amount.formatted.leftPadded(11))"
                         + "  #\(item.returnedReceipt) returned by #\(item.receipt.map { "\($0)" } ?? "-")"
                         + (item.fee.isPositive ? ", fee \(item.fee.formatted)" : "") + (item.followUp.isEmpty ? "" : "; \(item.followUp)"))
        }
        for item in alreadyReturned { lines.append("\(String(item.line).leftPadded(4))  \(item.reference): returned before, skipped") }
        lines.append("\(posted.count) returned, \(total.formatted), fees \(fees.formatted); \(alreadyReturned.count) returned before")
        return lines
    }
}

extension Ledger {
    // MARK: - Reading the file

    /// The items of a returns file: a NACHA return file (its entries with their R-code addenda),
    /// or a CSV of checks returned to the lockbox (`account,check_number,amount,reason`).
    /// Anything it cannot read whole refuses the file, naming the line.
    public static func returnItems(_ bytes: [UInt8], fileName: String) throws -> [ReturnItem] {
        if bytes.starts(with: Array("101".utf8)) { return try nachaReturns(bytes, fileName: fileName) }
        let file = try ImportFile(bytes: bytes, name: fileName, required: ["account", "check_number", "amount", "reason"],
                                  allowed: ["account", "check_number", "amount", "reason", "returned_on"])
        return try file.rows(noun: "returned check", parse: { row in
            let account = try AccountNumber(file.field("account", in: row))
            let number = file.field("check_number", in: row).trimmingSpacesAndTabs()
            guard !number.isEmpty, number.count <= 20, number.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw DomainError(.csv, "check_number: give the check's number (letters, digits, -)")
            }
            let amount = try Money.parse(file.field("amount", in: row))
            guard amount.isPositive else { throw DomainError(.csv, "amount: more than $0.00") }
            let reason = file.field("reason", in: row).trimmingSpacesAndTabs().uppercased()
            guard ReturnReason.isCode(reason) else { throw DomainError(.csv, "reason: a return code such as NSF, STOP, CLOSED or R01") }
            return ReturnItem(line: row.line, kind: .check, reasonCode: reason, reference: number, account: account.rawValue, amount: amount)
        }, identity: { "\($0.account)|\($0.reference)" }, duplicate: { item, first in "check \(item.reference) of \(item.account) is on line \(first) too" })
    }

    static func nachaReturns(_ bytes: [UInt8], fileName: String) throws -> [ReturnItem] {
        func refuse(_ line: Int, _ reason: String) -> ImportError { ImportError(file: fileName, problems: [.init(line: line, reason: reason)]) }
        // Plain ASCII records of 94 characters, one a line (a CR before the LF is taken).
        if let bad = bytes.firstIndex(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x0D) || $0 >= 0x7F }) {
            throw refuse(bytes[..<bad].filter { $0 == 0x0A }.count + 1, String(format: "byte 0x%02X: a NACHA file is plain ASCII text", bytes[bad]))
        }
        let records = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        var items: [ReturnItem] = []
        var entry: (line: Int, amount: Money, id: String, code: String)?
        var batchAmounts: Int64 = 0, batchCount = 0, fileCount = 0
        for (index, record) in records.enumerated() {
            let line = index + 1
            if record.isEmpty && index == records.count - 1 { break }
            guard record.count == 94 else { throw refuse(line, "a record is 94 characters; this one is \(record.count)") }
            let chars = Array(record)
            func field(_ from: Int, _ to: Int) -> String { String(chars[(from - 1)..<to]) }
            switch chars[0] {
            case "1", "5": if chars[0] == "5" { batchAmounts = 0; batchCount = 0 }
            case "6":
                if let open = entry { throw refuse(open.line, "an entry without its return addenda (type 99)") }
                guard ["26", "36", "21", "31"].contains(field(2, 3)) else {
                    throw refuse(line, "transaction code \(field(2, 3)) is not a returned entry (26 or 36 for a returned debit)")
                }
                guard let cents = Int64(field(30, 39)), cents > 0 else { throw refuse(line, "the amount is not a number of cents") }
                guard chars[78] == "1" else { throw refuse(line, "a returned entry carries a return addenda (indicator 1)") }
                entry = (line, Money(cents: cents), field(40, 54).trimmingSpacesAndTabs(), field(2, 3))
                batchAmounts += cents; batchCount += 1; fileCount += 1
            case "7":
                guard let open = entry else { throw refuse(line, "an addenda record with no entry before it") }
                guard field(2, 3) == "99" else { throw refuse(line, "addenda type \(field(2, 3)) is not a return (99)") }
                let code = field(4, 6), trace = field(7, 21)
                guard ReturnReason.isCode(code), code.hasPrefix("R") else { throw refuse(line, "return reason \(code) is not an R code") }
                guard trace.allSatisfy(\.isASCIIDigit) else { throw refuse(line, "the original trace number is not 15 digits") }
                guard !open.id.isEmpty, (try? AccountNumber(open.id)) != nil else {
                    throw refuse(open.line, "the individual id \(TextSafety.quoted(open.id)) is not one of our account numbers")
                }
                items.append(ReturnItem(line: open.line, kind: .ach, reasonCode: code, reference: trace, account: open.id, amount: open.amount))
                entry = nil
            case "8":
                if let open = entry { throw refuse(open.line, "an entry without its return addenda (type 99)") }
                guard Int(field(5, 10)) == batchCount * 2 || Int(field(5, 10)) == batchCount else {
                    throw refuse(line, "the batch control counts \(field(5, 10)) entries and addenda; the batch has \(batchCount) entries")
                }
                guard (Int64(field(21, 32)) ?? -1) + (Int64(field(33, 44)) ?? -1) == batchAmounts else {
                    throw refuse(line, "the batch control's totals do not add up to its entries (\(Money(cents: batchAmounts).formatted))")
                }
            case "9":
                if chars.allSatisfy({ $0 == "9" }) { continue }
                guard let count = Int(field(14, 21)), count == fileCount * 2 || count == fileCount else {
                    throw refuse(line, "the file control counts \(field(14, 21)) entries and addenda; the file has \(fileCount) entries")
                }
            default:
                throw refuse(line, "record type \(TextSafety.quoted(String(chars[0]))) is not a NACHA record")
            }
        }
        if let open = entry { throw refuse(open.line, "an entry without its return addenda (type 99)") }
        guard !items.isEmpty else { throw refuse(1, "the file holds no returned entries") }
        var seen: [String: Int] = [:]
        for item in items {
            if let first = seen[item.reference] { throw refuse(item.line, "trace \(item.reference) is returned on line \(first) too") }
            seen[item.reference] = item.line
        }
        return items
    }

    // MARK: - Posting the lot

    /// Posts a returns file as one lot, all or nothing: each item reverses its payment like a
    /// returned check (charged back to the accounts it paid, out of where its money went), with
    /// the fee `returns.fees` gives its reason, the follow-ups its reason calls for (cash only
    /// after `returns.cash_only_after` funds returns in a year; autopay stopped for a closed or
    /// unknown bank account), and a letter each. An item returned before is skipped; run again,
    /// the same file posts nothing.
    public func importReturns(_ bytes: [UInt8], fileName: String, actor: Actor) throws -> ReturnLot {
        let items = try Self.returnItems(bytes, fileName: fileName)
        let digest = Self.fileDigest(bytes)
        var lot = try writeImmediate { db -> ReturnLot in
            let day = try Self.requireOpenDay(db)
            let auth = try Self.authorize(.returnsImport, amount: nil, actor: actor, db)
            var lot = ReturnLot()
            var problems: [String] = []
            var planned: [(item: ReturnItem, original: OriginalPayment, key: String, book: BookAccount)] = []
            for item in items {
                do {
                    let (original, key, book) = try Self.returnedPayment(item, db)
                    if try Self.postedWithKey(key, db) != nil { lot.alreadyReturned.append((item.line, item.reference)); continue }
                    try Self.checkUndoable(original, verb: "returned")
                    try Self.checkSuspenseUntouched(original, verb: "returned", db)
                    planned.append((item, original, key, book))
                } catch let error as LedgerError {
                    problems.append("line \(item.line): \(error.message)")
                }
            }
            guard problems.isEmpty else {
                throw LedgerError(.invalid, "\(fileName): nothing posted: \(problems.count) item\(problems.count == 1 ? "" : "s") not returned: "
                                  + problems.prefix(20).joined(separator: "; "))
            }
            guard !planned.isEmpty else { return lot }
            let now = timestamp()
            try db.execute(sql: """
                INSERT INTO return_lots(business_date, at, operator_id, file_name, sha256, item_count, total_cents) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [day.description, now, actor.operatorID, String(fileName.suffix(200)), digest, planned.count,
                                 planned.reduce(0) { $0 + $1.item.amount.cents }])
            let lotID = db.lastInsertedRowID
            lot.lotID = lotID
            let fees = try Self.returnFees(db)
            let cashOnlyCodes = Set(try Self.setting(.returnCashOnlyCodes, db).split(separator: ",").map(String.init))
            let cashOnlyAfter = Int(try Self.intSetting(.returnCashOnlyAfter, db))
            let stopCodes = Set(try Self.setting(.returnStopAutopayCodes, db).split(separator: ",").map(String.init))
            let months = Int(try Self.intSetting(.cashOnlyMonthsAfterNSF, db))
            for (item, original, key, book) in planned {
                let account = try AccountNumber(item.account)
                let accountID = try Self.accountID(account, db)
                let fee = Money(cents: fees[item.reasonCode] ?? 0)
                let posted = try insert(PostingRequest(
                    kind: .nsf, lines: Self.merged(Self.chargeBack(item.amount, of: original, from: book, fee: fee, feeTo: account)),
                    operatorID: actor.operatorID, terminal: actor.terminal, idempotencyKey: key, corrects: original.id,
                    overrideBy: auth.approver?.id,
                    memo: "Returned \(item.kind == .ach ? "ACH" : "check \(item.reference)") on #\(original.receipt): "
                        + "\(item.reasonCode) \(ReturnReason.name(item.reasonCode))"),
                    businessDate: day, accountIDs: original.accountIDs.merging([account: accountID]) { first, _ in first }, db)
                var followUps: [String] = []
                if cashOnlyCodes.contains(item.reasonCode) {
                    let codes = cashOnlyCodes.sorted()
                    let earlier = try Int.fetchOne(db, sql: """
                        SELECT COUNT(*) FROM returned_items r JOIN transactions t ON t.id = r.transaction_id
                        WHERE r.account_id = ? AND t.business_date > ? AND r.reason_code IN (\(codes.map { _ in "?" }.joined(separator: ",")))
                        """, arguments: [accountID, day.adding(months: -12).description] + SQLArguments(codes)) ?? 0
                    if earlier + 1 >= cashOnlyAfter {
                        let until = day.adding(months: months)
                        try db.execute(sql: "UPDATE accounts SET cash_only_until = \(db.greatest("COALESCE(cash_only_until, '')", "?")) WHERE id = ?",
                                       arguments: [until.description, accountID])
                        followUps.append("Until \(until) we accept only cash, money order or card on this account (\(earlier + 1) returned payments in a year).")
                    }
                }
                if stopCodes.contains(item.reasonCode), let enrollment = try Self.activeAutopay(accountID: accountID, db) {
                    try Self.stopAutopay(enrollment, reason: "returned \(item.reasonCode): \(ReturnReason.name(item.reasonCode))",
                                         returnCode: item.reasonCode, operatorID: actor.operatorID, terminal: actor.terminal, at: now, db)
                    followUps.append("Automatic payment has been stopped: enrol again with an open bank account.")
                }
                let followUp = followUps.joined(separator: " ")
                try db.execute(sql: """
                    INSERT INTO returned_items(lot_id, line, kind, reason_code, reference, original_transaction_id, transaction_id, account_id,
                                               amount_cents, fee_cents, follow_up) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [lotID, item.line, item.kind.rawValue, item.reasonCode, item.reference, original.id, posted.id, accountID,
                                     item.amount.cents, fee.cents, followUp])
                lot.posted.append(.init(line: item.line, account: item.account, amount: item.amount, reasonCode: item.reasonCode,
                                        receipt: posted.receipt, returnedReceipt: original.receipt, fee: fee, followUp: followUp,
                                        transactionID: posted.id))
            }
            let detail = "#\(lotID) \(lot.posted.count) items \(lot.total.formatted) fees \(lot.fees.formatted) from \(fileName.suffix(120))"
            try auth.record(db, at: now, transactionID: nil, detail: detail)
            try Audit.record(db, at: now, operatorID: actor.operatorID, terminal: actor.terminal, event: "returns.imported", detail: detail)
            return lot
        }
        checkpointIfLarge()
        let day = try today()
        for item in lot.posted {
            if let file = try? writeLetters(.returnedPayment, on: day, transactionID: item.transactionID).first { lot.letters.append(file) }
        }
        return lot
    }

    /// The payment an item returns, its idempotency key and the book its money went to.
    static func returnedPayment(_ item: ReturnItem, _ db: Store) throws -> (OriginalPayment, String, BookAccount) {
        switch item.kind {
        case .ach:
            guard let row = try SQLRow.fetchOne(db, sql: """
                SELECT t.receipt_number, a.number, x.amount_cents FROM autopay_entries x JOIN transactions t ON t.id = x.transaction_id
                JOIN autopay_enrollments e ON e.id = x.enrollment_id JOIN accounts a ON a.id = e.account_id WHERE x.trace_number = ?
                """, arguments: [item.reference]) else {
                throw LedgerError(.invalid, "trace \(item.reference) is none of our autopay debits")
            }
            let number: String = row["number"], cents: Int64 = row["amount_cents"]
            guard number == item.account, cents == item.amount.cents else {
                throw LedgerError(.invalid, "trace \(item.reference) debited \(Money(cents: cents).formatted) from \(number), "
                                  + "not \(item.amount.formatted) from \(item.account)")
            }
            return (try originalPayment(ReceiptNumber(row["receipt_number"]), db), "return:ach:\(item.reference)", .achClearing)
        case .check:
            // A counter check (a tender) or a lockbox check (a payment file's line) paid to the account.
            let receipts = try Int64.fetchAll(db, sql: """
                SELECT DISTINCT t.receipt_number FROM transactions t JOIN tenders d ON d.transaction_id = t.id
                JOIN postings p ON p.transaction_id = t.id AND p.book = 'AR' JOIN accounts a ON a.id = p.account_id
                WHERE t.kind = 'payment' AND d.kind = 'check' AND d.reference = ? AND d.amount_cents = ? AND a.number = ?
                UNION
                SELECT DISTINCT t.receipt_number FROM batch_lines l JOIN transactions t ON t.id = l.transaction_id
                JOIN postings p ON p.transaction_id = t.id AND p.book = 'AR' JOIN accounts a ON a.id = p.account_id
                WHERE l.tender = 'check' AND l.reference = ? AND p.amount_cents = ? AND a.number = ?
                  AND NOT EXISTS (SELECT 1 FROM tenders d WHERE d.transaction_id = t.id)
                """, arguments: [item.reference, item.amount.cents, item.account, item.reference, -item.amount.cents, item.account])
            guard let receipt = receipts.first else {
                throw LedgerError(.invalid, "no check \(item.reference) of \(item.amount.formatted) was paid to \(item.account)")
            }
            guard receipts.count == 1 else {
                throw LedgerError(.invalid, "check \(item.reference) of \(item.amount.formatted) paid \(item.account) on receipts "
                                  + receipts.map { "#\($0)" }.joined(separator: ", ") + ": return it with till account nsf RECEIPT")
            }
            let original = try originalPayment(ReceiptNumber(receipt), db)
            guard !(original.drawerSession != nil && original.drawerOpen) else {
                throw LedgerError(.invalid, "receipt #\(receipt) is still in an open drawer: hand the check back and void it")
            }
            return (original, "return:check:\(original.id):\(item.reference)", .bank)
        }
    }

    static func returnFees(_ db: Store) throws -> [String: Int64] {
        var fees: [String: Int64] = [:]
        for pair in try setting(.returnFees, db).split(separator: ",") {
            let parts = pair.split(separator: "=")
            if parts.count == 2, let cents = Int64(parts[1]) { fees[String(parts[0])] = cents }
        }
        return fees
    }
}

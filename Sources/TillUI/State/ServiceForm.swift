import TillCore

/// An account action being entered on the service pane (F6): its fields one at a time, a
/// last look, and (when the ledger says it is beyond the operator's authority) a lead's or
/// supervisor's id and PIN for this one action.
public struct ServiceForm: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable, CaseIterable {
        case void, reversal, nsf, transfer, lateFee, leak, refund, depositApply, depositRefund, plan, `extension`,
             request, requestUpdate, contact, writeOff, suspenseApply, suspenseRefund, pledge, autopay, autopayStop

        public var title: String {
            switch self {
            case .void: "Void a payment (drawer still open)"
            case .reversal: "Reverse a payment (drawer closed)"
            case .nsf: "Returned check (NSF)"
            case .transfer: "Transfer a payment to another account"
            case .lateFee: "Reverse a late, NSF or reconnect fee"
            case .leak: "Leak adjustment"
            case .refund: "Refund the credit balance"
            case .depositApply: "Apply the deposit to the balance"
            case .depositRefund: "Refund the deposit"
            case .plan: "Payment plan"
            case .extension: "Extension"
            case .request: "New service request"
            case .requestUpdate: "Update a work order"
            case .contact: "Change address or contact"
            case .writeOff: "Write off as bad debt"
            case .suspenseApply: "Apply a payment held in suspense"
            case .suspenseRefund: "Refund a payment held in suspense"
            case .pledge: "Record an assistance agency's pledge"
            case .autopay: "Enrol in autopay (ACH debit)"
            case .autopayStop: "Stop autopay"
            }
        }

        /// Actions on the open account; the others start from a receipt or a work order.
        var needsAccount: Bool { ![.void, .reversal, .nsf, .requestUpdate, .suspenseApply, .suspenseRefund].contains(self) }
        /// Works without an account, and on the open one when there is one.
        var usesOpenAccount: Bool { needsAccount || self == .suspenseApply }
    }

    public enum FieldKind: Equatable, Sendable {
        case text, money, date, digits
        /// A receipt: its number (1042) or its office's (NORTH-17).
        case receipt
    }

    public struct Field: Equatable, Sendable {
        public let name: String
        public let label: String
        public let kind: FieldKind
        public let optional: Bool
        public let hint: String
        public var value = ""
    }

    public enum Step: Equatable, Sendable { case fields, confirm, approverLogin, approverPIN }

    public var kind: Kind
    public var account: String?
    public var fields: [Field]
    public var index = 0
    public var step: Step = .fields
    public var approverLogin = ""
    public var approverPIN = ""
    /// Why the ledger wants an override, shown while the approver signs.
    public var overrideReason: String?
    /// The action's idempotency key: submitted twice, it posts once.
    public var key = ""
    /// What an optional field left empty stands for, by value where the screen knows it (the
    /// credit to refund, the deposit held, the customer's name): shown on the last look.
    public var defaults: [String: String] = [:]

    public init(_ kind: Kind, account: String?, key: String = "") {
        self.kind = kind
        self.account = account
        self.key = key
        self.fields = Self.fields(for: kind)
    }

    static func fields(for kind: Kind) -> [Field] {
        func f(_ name: String, _ label: String, _ kind: FieldKind, optional: Bool = false, _ hint: String = "") -> Field {
            Field(name: name, label: label, kind: kind, optional: optional, hint: hint)
        }
        let reason = f("reason", "Reason", .text, "why, for the audit trail")
        switch kind {
        case .void, .reversal: return [f("receipt", "Receipt no.", .receipt), reason]
        case .nsf: return [f("receipt", "Receipt no.", .receipt), f("check", "Check no.", .text, optional: true, "only if it took several"), reason]
        case .transfer: return [f("receipt", "Receipt no.", .receipt), f("to", "To account", .text),
                                f("amount", "Amount", .money, optional: true, "Enter: all of it"), reason]
        case .lateFee: return [f("fee", "Fee", .text, optional: true, "Enter: late; or nsf, reconnect"),
                               f("amount", "Amount", .money, optional: true, "Enter: the whole fee"), reason]
        case .leak: return [f("amount", "Credit", .money), f("from", "Leak from", .date, "YYYY-MM-DD"), f("to", "Repaired", .date, "YYYY-MM-DD"), reason]
        case .refund, .depositRefund:
            return [f("amount", "Amount", .money, optional: true, "Enter: all of it"), f("payee", "Pay to", .text, optional: true, "Enter: the customer"),
                    f("address", "Mail to", .text, optional: true, "Enter: the mailing address"), reason]
        case .depositApply: return [f("amount", "Amount", .money, optional: true, "Enter: all of it"), reason]
        case .plan: return [f("installments", "Installments", .digits, "1 to 60"), f("first", "First due", .date, optional: true, "Enter: a month from today")]
        case .extension: return [f("until", "Pay by", .date, "YYYY-MM-DD")]
        case .request:
            return [f("type", "Type", .text, ServiceRequestType.allCases.map(\.rawValue).joined(separator: " ")),
                    f("priority", "Priority", .text, optional: true, "low normal high emergency"), f("notes", "Notes", .text, optional: true)]
        case .requestUpdate:
            return [f("id", "Work order #", .digits), f("status", "Status", .text, "scheduled done cancelled"),
                    f("date", "Date", .date, optional: true, "for scheduled"), f("note", "Note", .text, optional: true)]
        case .contact:
            return [f("field", "Field", .text, "mailing-address service-address phone email name"), f("value", "New value", .text)]
        case .suspenseApply:
            return [f("item", "Suspense no.", .digits), f("to", "To account", .text, optional: true, "Enter: the open account"),
                    f("amount", "Amount", .money, optional: true, "Enter: all that is left"), reason]
        case .suspenseRefund:
            return [f("item", "Suspense no.", .digits), f("amount", "Amount", .money, optional: true, "Enter: all that is left"),
                    f("payee", "Pay to", .text, optional: true, "Enter: the item's payer"),
                    f("address", "Mail to", .text, optional: true, "Enter: the item's address"), reason]
        case .pledge:
            return [f("agency", "Agency", .text, "its name, as till agency list shows it"), f("amount", "Pledged", .money),
                    f("case", "Case no.", .text, optional: true, "the agency's case number"), f("expires", "Expires", .date, "YYYY-MM-DD")]
        case .autopay:
            return [f("routing", "Routing no.", .digits, "nine digits, from the check's lower left"),
                    f("bank", "Bank account", .digits, "4 to 17 digits; only the last four are kept in view"),
                    f("bankKind", "Kind", .text, optional: true, "Enter: checking; or savings"),
                    f("holder", "Holder", .text, optional: true, "Enter: the customer's name")]
        case .autopayStop: return [reason]
        case .writeOff:
            return [f("amount", "Amount", .money, optional: true, "Enter: the whole balance"),
                    f("collections", "To collections", .text, optional: true, "y: referred to the agency today"), reason]
        }
    }

    /// The values an empty optional field takes, as the ledger will take them.
    static func defaults(_ kind: Kind, _ account: AccountView) -> [String: String] {
        let credit = account.line.balance.isNegative ? Money(cents: -account.line.balance.cents) : .zero
        switch kind {
        case .refund:
            return ["amount": credit.formatted, "payee": account.line.name, "address": account.mailingAddress]
        case .depositRefund:
            return ["amount": account.depositHeld.formatted, "payee": account.line.name, "address": account.mailingAddress]
        case .depositApply:
            return ["amount": account.depositHeld.formatted]
        case .writeOff:
            return ["amount": account.line.balance.formatted, "collections": "no"]
        case .suspenseApply:
            return ["to": account.line.number]
        case .autopay:
            return ["bankKind": "checking", "holder": account.line.name]
        default:
            return [:]
        }
    }

    public func value(_ name: String) -> String { fields.first { $0.name == name }?.value ?? "" }

    /// A field as the screen shows it: a bank account number only by its last four digits.
    public static func shown(_ field: Field) -> String {
        guard field.name == "bank", field.value.count > 4 else { return CardNumber.masked(field.value) }
        return String(repeating: "*", count: field.value.count - 4) + field.value.suffix(4)
    }

    /// Checks the field being left; nil when it is good.
    func problem(with field: Field) -> String? {
        let value = field.value.trimmingSpacesAndTabs()
        if value.isEmpty { return field.optional ? nil : "\(field.label) is needed" }
        switch field.kind {
        case .money:
            do { _ = try Money.parse(value) } catch { return "\(field.label): \(error.description)" }
        case .date:
            do { _ = try BusinessDate(value) } catch { return "\(field.label): \(error.message)" }
        case .digits, .text, .receipt:
            break
        }
        // Each number checked as it is left, not after the last look.
        if field.name == "installments", !(Int(value).map { (1...60).contains($0) } ?? false) {
            return "Installments is a number from 1 to 60"
        }
        if field.name == "item", !(Int64(value).map { $0 > 0 } ?? false) {
            return "\(field.label) is the number in the suspense list below"
        }
        if field.kind == .receipt, (try? ReceiptReference(value)) == nil {
            return "\(field.label) is the number on the receipt: 1042, or an office's such as NORTH-17"
        }
        if field.name == "id", !(Int64(value).map { $0 > 0 } ?? false) {
            return "\(field.label) is a number from the work order"
        }
        if field.kind == .money, let amount = try? Money.parse(value), !amount.isPositive {
            return "\(field.label) must be more than $0.00"
        }
        if field.name == "type", (try? ServiceRequestType.named(value)) == nil {
            return "Type is one of " + ServiceRequestType.allCases.map(\.rawValue).joined(separator: ", ")
        }
        if field.name == "fee", !["late", "nsf", "reconnect"].contains(value) { return "Fee is late, nsf or reconnect" }
        if field.name == "routing" {
            do { _ = try RoutingNumber(value) } catch { return "Routing no.: \(error.message)" }
        }
        if field.name == "bank" {
            do { _ = try BankAccountNumber(value) } catch { return "Bank account: \(error.message)" }
        }
        if field.name == "bankKind", BankAccountKind(rawValue: value) == nil { return "Kind is checking or savings" }
        if field.name == "priority", ServiceRequestPriority(rawValue: value) == nil { return "Priority is low, normal, high or emergency" }
        if field.name == "status", ![ServiceRequestStatus.scheduled, .done, .cancelled].map(\.rawValue).contains(value) {
            return "Status is scheduled, done or cancelled"
        }
        if field.name == "field", !ServiceSubmission.contactFields.contains(value) {
            return "Field is one of " + ServiceSubmission.contactFields.joined(separator: ", ")
        }
        return nil
    }

    var submission: ServiceSubmission {
        var values: [String: String] = [:]
        for field in fields { values[field.name] = field.value.trimmingSpacesAndTabs() }
        return ServiceSubmission(kind: kind, account: account, values: values, key: key.isEmpty ? nil : key,
                                 approverLogin: step == .approverPIN ? approverLogin : nil,
                                 approverPIN: step == .approverPIN ? approverPIN : nil)
    }
}

/// A finished service form for the runtime: the values as typed (already checked for form),
/// and an approver's credentials for this one action when an override was asked for.
public struct ServiceSubmission: Equatable, Sendable {
    public let kind: ServiceForm.Kind
    public let account: String?
    public let values: [String: String]
    public let key: String?
    public let approverLogin: String?
    public let approverPIN: String?

    public static let contactFields = ["mailing-address", "service-address", "phone", "email", "name"]

    public init(kind: ServiceForm.Kind, account: String?, values: [String: String], key: String? = nil,
                approverLogin: String?, approverPIN: String?) {
        self.kind = kind
        self.account = account
        self.values = values
        self.key = key
        self.approverLogin = approverLogin
        self.approverPIN = approverPIN
    }
}

/// The service pane's facts for the open account: its work orders and address history.
public struct ServiceView: Equatable, Sendable {
    public var account: String
    public var requests: [String]
    public var changes: [String]

    public init(account: String, requests: [String], changes: [String]) {
        self.account = account
        self.requests = requests
        self.changes = changes
    }
}

/// The service pane's keys: one letter starts each action.
func serviceKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    if state.batch != nil { return batchKey(key, &state) }
    if state.serviceForm != nil { return serviceFormKey(key, &state) }
    switch KeyMap.action(for: key, in: KeyMap.pane(.service)) {
    case .batchEntry:
        state.batch = BatchEntry(key: "\(state.nonce)-\(state.draftSerial + 1)")
        state.draftSerial += 1
        return []
    case .collectDeposit:
        guard let account = state.account else {
            state.message = AppState.Message("Open the account first (F2 Lookup)", .warning)
            return []
        }
        startCartLine(.deposit(account.line), message: "Type the deposit amount, Enter, then the tender as for any payment", &state)
        return []
    case .serviceAction:
        guard case .character(let c) = key, let kind = KeyMap.serviceActions.first(where: { $0.key == c })?.kind else { return nil }
        if kind.needsAccount && state.account == nil {
            state.message = AppState.Message("Open the account first (F2 Lookup), then F6 \(c)", .warning)
            return []
        }
        state.draftSerial += 1
        state.serviceForm = ServiceForm(kind, account: kind.usesOpenAccount ? state.account?.line.number : nil,
                                        key: "\(state.nonce)-service-\(state.draftSerial)")
        if kind.usesOpenAccount, let account = state.account { state.serviceForm?.defaults = ServiceForm.defaults(kind, account) }
        return []
    case .scroll: state.serviceScroll = max(0, state.serviceScroll + key.step); return []
    default: return nil
    }
}

private func serviceFormKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    guard var form = state.serviceForm else { return nil }
    defer { if state.serviceForm != nil { state.serviceForm = form } }
    switch form.step {
    case .fields:
        switch key {
        case .character(let c):
            let field = form.fields[form.index]
            // Only what the field can hold: digits for numbers, money and dates as they are written.
            switch field.kind {
            case .digits where !c.isASCIIDigit:
                state.message = AppState.Message("\(field.label) is digits only", .warning); return []
            case .money where !(c.isASCIIDigit || ".,$".contains(c)):
                state.message = AppState.Message("\(field.label) is an amount: digits and a point", .warning); return []
            case .date where !(c.isASCIIDigit || c == "-"):
                state.message = AppState.Message("\(field.label) is a date: YYYY-MM-DD", .warning); return []
            case .receipt where !(c.isASCIIDigit || c == "-" || c == "#" || (c.isASCII && c.isLetter)):
                state.message = AppState.Message("\(field.label) is a receipt's number: 1042, or an office's such as NORTH-17", .warning)
                return []
            default: break
            }
            Typing.type(field.kind == .receipt ? Character(c.uppercased()) : c, into: &form.fields[form.index].value,
                        limit: field.kind == .text ? 120 : field.kind == .receipt ? 24 : 12,
                        field: field.label, &state)
        case .backspace: _ = form.fields[form.index].value.popLast()
        case .enter:
            if let problem = form.problem(with: form.fields[form.index]) {
                state.message = AppState.Message(problem, .warning)
                return []
            }
            if form.index + 1 < form.fields.count { form.index += 1 } else { form.step = .confirm }
        case .up, .backTab:
            form.index = max(0, form.index - 1)
        case .escape:
            if form.index > 0 { form.index -= 1 } else {
                state.serviceForm = nil
                state.message = AppState.Message("\(form.kind.title): nothing done")
            }
        default: return nil
        }
    case .confirm:
        switch key {
        case .enter, .character("y"):
            return [.service(form.submission)]
        case .escape, .up, .character("n"):
            form.step = .fields
            form.index = form.fields.count - 1
        default: return []
        }
    case .approverLogin:
        switch key {
        case .character(let c): Typing.type(c, into: &form.approverLogin, limit: 32, field: "an operator id", &state)
        case .backspace: _ = form.approverLogin.popLast()
        case .enter:
            guard !form.approverLogin.isEmpty else { return [] }
            if let problem = approverProblem(form.approverLogin, state) {
                state.message = AppState.Message(problem, .warning)
                form.approverLogin = ""
                return []
            }
            form.step = .approverPIN
        case .escape:
            form.approverLogin = ""
            form.step = .confirm
            state.message = AppState.Message("No override: nothing done", .warning)
        default: return []
        }
    case .approverPIN:
        switch key {
        case .character(let c) where c.isASCIIDigit: Typing.type(c, into: &form.approverPIN, limit: 12, field: "a PIN", &state)
        case .backspace: _ = form.approverPIN.popLast()
        case .enter:
            guard !form.approverPIN.isEmpty else { return [] }
            let submission = form.submission
            // The PIN is used for this one action and not kept.
            form.approverPIN = ""
            return [.service(submission)]
        case .escape:
            form.approverPIN = ""
            form.step = .approverLogin
        default: return []
        }
    }
    return []
}

// MARK: - Mail batch entry

/// A mail batch being keyed from the envelopes: the adding-machine tape's control total, then
/// account, amount and check number per line, each checked against the ledger as entered.
public struct BatchEntry: Equatable, Sendable {
    public enum Field: Equatable, Sendable { case control, account, amount, check, reason, approverLogin, approverPIN }

    public struct Line: Equatable, Sendable {
        public let account: String
        public let name: String
        public let amount: Money
        public let tender: TenderKind
        public let reference: String

        public init(account: String, name: String, amount: Money, tender: TenderKind, reference: String) {
            self.account = account
            self.name = name
            self.amount = amount
            self.tender = tender
            self.reference = reference
        }
    }

    public var field: Field = .control
    public var control: Money?
    public var lines: [Line] = []
    public var entry = ""
    public var account = ""
    public var amount: Money?
    public var reason = ""
    public var approverLogin = ""
    public var approverPIN = ""
    /// Makes the lines' idempotency keys: posting the same batch twice posts it once.
    public let key: String
    public var scroll = 0
    /// See `Typing.typeScanning`.
    var heldScanDigits = ""

    public init(key: String) { self.key = key }

    public var total: Money { Money(cents: lines.reduce(0) { $0 + $1.amount.cents }) }
    public var difference: Money { Money(cents: total.cents - (control?.cents ?? 0)) }

    /// A check number, `c` for cash or `m` and a number for a money order (the keyer's
    /// shorthand); or a tender spelled as everywhere else ("cash", "money-order 77", "check 2041").
    static func tender(_ text: String) -> (TenderKind, String) {
        let text = text.trimmingSpacesAndTabs()
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        if let first = words.first, let kind = TenderKind(spelling: first), kind.goesInDrawer {
            return (kind, words.count > 1 ? words[1].trimmingSpacesAndTabs() : "")
        }
        if text.lowercased() == "c" { return (.cash, "") }
        if text.lowercased().hasPrefix("m") { return (.moneyOrder, String(text.dropFirst()).trimmingSpacesAndTabs()) }
        return (.check, text)
    }

    func submission(withApprover: Bool) -> BatchSubmission {
        BatchSubmission(key: key, control: control ?? .zero, lines: lines, reason: reason,
                        approverLogin: withApprover ? approverLogin : nil, approverPIN: withApprover ? approverPIN : nil)
    }
}

public struct BatchSubmission: Equatable, Sendable {
    public let key: String
    public let control: Money
    public let lines: [BatchEntry.Line]
    public let reason: String
    public let approverLogin: String?
    public let approverPIN: String?
}

private func batchKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    guard var batch = state.batch else { return nil }
    defer { if state.batch != nil { state.batch = batch } }
    func fail(_ text: String) -> [Effect] { state.message = AppState.Message(text, .warning); return [] }
    // A stub's scan line on its way into the account field: its held digits last only to the
    // next digit or Enter.
    var heldDigits = batch.heldScanDigits
    batch.heldScanDigits = ""
    switch key {
    case .escape:
        switch batch.field {
        case .reason, .approverLogin, .approverPIN:
            batch.field = .account
            batch.entry = ""
            batch.approverPIN = ""
        case .amount, .check:
            batch.field = .account
            batch.entry = ""
        case .control, .account:
            if batch.lines.isEmpty && batch.field == .control || batch.lines.isEmpty && batch.entry.isEmpty {
                state.batch = nil
                state.message = AppState.Message("Batch entry left: nothing posted")
            } else {
                state.confirmation = .init(question: "Discard the batch of \(batch.lines.count) lines? Nothing was posted (y/n)",
                                           outcome: .discardBatch)
            }
        }
        return []
    case .backspace:
        switch batch.field {
        case .approverLogin: _ = batch.approverLogin.popLast()
        case .approverPIN: _ = batch.approverPIN.popLast()
        case .reason: _ = batch.reason.popLast()
        default: _ = batch.entry.popLast()
        }
        return []
    case .down: batch.scroll += 1; return []
    case .up: batch.scroll = max(0, batch.scroll - 1); return []
    case .character(let c):
        switch batch.field {
        case .approverLogin: Typing.type(c, into: &batch.approverLogin, limit: 32, field: "an operator id", &state)
        case .approverPIN: if c.isASCIIDigit { Typing.type(c, into: &batch.approverPIN, limit: 12, field: "a PIN", &state) }
        case .reason: Typing.type(c, into: &batch.reason, limit: 120, field: "the reason", &state)
        case .account where c == "-" && batch.entry.isEmpty:
            guard let last = batch.lines.popLast() else { return fail("No line to take off") }
            state.message = AppState.Message("Line \(batch.lines.count + 1) (\(last.account) \(last.amount.formatted)) taken off")
        case .account:
            Typing.typeScanning(c, into: &batch.entry, held: &heldDigits, limit: 20, field: "a batch line's field",
                                format: state.scanLine, &state)
            batch.heldScanDigits = heldDigits
        default: Typing.type(c, into: &batch.entry, limit: 20, field: "a batch line's field", &state)
        }
        return []
    case .enter:
        let text = batch.entry.trimmingSpacesAndTabs()
        switch batch.field {
        case .control:
            do { batch.control = try Money.parse(text) } catch { return fail("Control total: \(error.description)") }
            batch.entry = ""
            batch.field = .account
        case .account:
            // A stub scanned into the account field fills the account and the amount.
            if state.scanLine.hasShape(heldDigits + text) {
                let stub: ScanLine
                do { stub = try state.scanLine.parse(heldDigits + text) } catch {
                    batch.entry = ""
                    return fail(error.message)
                }
                batch.account = stub.account.rawValue
                batch.entry = ""
                guard stub.amount.isPositive else {
                    batch.field = .amount
                    return fail("The stub for \(stub.account) asks nothing: type the amount of the check")
                }
                batch.amount = stub.amount
                batch.field = .check
                state.message = AppState.Message("Stub for \(stub.account): \(stub.amount.formatted). The check number (or c, m123)")
                return []
            }
            if text.isEmpty {
                guard !batch.lines.isEmpty else { return fail("Type the first account number (Esc leaves)") }
                if batch.difference.isZero { return [.postBatch(batch.submission(withApprover: false))] }
                batch.field = .reason
                return fail("Out of balance by \(batch.difference.formatted): find it, or type a reason for a supervisor's override (Esc back)")
            }
            do { _ = try AccountNumber(text) } catch { return fail(error.message) }
            batch.account = text
            batch.entry = ""
            batch.field = .amount
        case .amount:
            do { batch.amount = try Money.parse(text) } catch { return fail("Amount: \(error.description)") }
            guard batch.amount?.isPositive == true else { return fail("The amount must be more than $0.00") }
            batch.entry = ""
            batch.field = .check
        case .check:
            guard let amount = batch.amount else { return [] }
            let (tender, reference) = BatchEntry.tender(text)
            return [.checkBatchLine(BatchEntry.Line(account: batch.account, name: "", amount: amount, tender: tender, reference: reference))]
        case .reason:
            guard !batch.reason.trimmingSpacesAndTabs().isEmpty else { return fail("Type the reason, or Esc to go on entering") }
            batch.field = .approverLogin
        case .approverLogin:
            guard !batch.approverLogin.isEmpty else { return [] }
            if let problem = approverProblem(batch.approverLogin, state) {
                batch.approverLogin = ""
                return fail(problem)
            }
            batch.field = .approverPIN
        case .approverPIN:
            guard !batch.approverPIN.isEmpty else { return [] }
            let submission = batch.submission(withApprover: true)
            batch.approverPIN = ""
            return [.postBatch(submission)]
        }
        return []
    default:
        return nil
    }
}

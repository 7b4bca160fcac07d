import TillCore

/// Keys of the payment pane, step by step. Returns nil to let the global table have the key.
func paymentKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    switch state.payment.step {
    case .done:
        guard key == .enter || key == .escape else { return nil }
        nextCustomer(&state)
        return []
    case .cart: return cartKey(key, &state)
    case .confirm:
        switch key {
        case .enter: return submit(&state)
        case .escape: state.payment.step = .cart; return []
        default: return nil
        }
    case .miscCode:
        if key == .escape { state.payment.step = .cart; return [] }
        guard case .character(let c) = key else { return nil }
        guard let digit = c.wholeNumberValue, PaymentDraft.revenueCodes.indices.contains(digit - 1) else {
            state.message = AppState.Message("Pick a revenue code by its number, 1 to \(PaymentDraft.revenueCodes.count)", .warning)
            return []
        }
        state.payment.step = .miscDescription(PaymentDraft.revenueCodes[digit - 1])
        state.payment.entry = ""
        return []
    case .tenderDetail(.brand):
        if key == .escape { cancelTender(&state); return [] }
        guard case .character(let c) = key else { return nil }
        guard let brand = PaymentDraft.brandKeys.first(where: { $0.key == Character(c.lowercased()) }) else {
            state.message = AppState.Message("Card brand: " + brandMenu, .warning)
            return []
        }
        state.payment.pending?.brand = brand.brand
        state.payment.step = .tenderDetail(.lastFour)
        return []
    case .lineAmount, .tenderAmount:
        // An amount has no ':': typed first into an empty amount, it opens the command line
        // (`:to`, `:suspense`), and the amount is asked again after.
        if key == .character(":") && state.payment.entry.isEmpty {
            state.command = ""
            return []
        }
        return entryKey(key, &state)
    case .miscDescription, .tenderDetail:
        return entryKey(key, &state)
    }
}

let brandMenu = PaymentDraft.brandKeys.map { "\($0.key) \($0.name)" }.joined(separator: " · ")

/// Adds a line to the cart (a deposit, a suspense line) and asks its amount on the payment pane;
/// a new payment takes a new serial for its key.
func startCartLine(_ kind: CartLine.Kind, message: String, _ state: inout AppState) {
    if state.payment.lines.isEmpty && state.payment.tenders.isEmpty {
        state.draftSerial += 1
        state.payment.serial = state.draftSerial
    }
    state.payment.lines.append(CartLine(kind: kind, amount: nil))
    state.payment.selected = state.payment.lines.count - 1
    state.payment.step = .lineAmount(state.payment.selected)
    state.payment.entry = ""
    focus(.payment, &state)
    state.message = AppState.Message(message)
}

/// Puts the open account in the cart (or selects it if it is there) and asks for its amount.
func addOpenAccountToCart(_ state: inout AppState) {
    if case .done = state.payment.step { state.payment = PaymentDraft() }
    focus(.payment, &state)
    guard let account = state.account else {
        if state.payment.lines.isEmpty {
            state.message = AppState.Message("Find the account first (F2), then F3; x adds a miscellaneous receipt", .warning)
        }
        return
    }
    startDraftIfNew(&state)
    if let index = state.payment.lines.firstIndex(where: { $0.accountNumber == account.line.number }) {
        state.payment.selected = index
        return
    }
    state.payment.lines.append(CartLine(kind: .account(account.line, cashOnlyUntil: account.cashOnlyUntil), amount: nil))
    state.payment.selected = state.payment.lines.count - 1
    state.payment.step = .lineAmount(state.payment.selected)
    state.payment.entry = ""
}

private func startDraftIfNew(_ state: inout AppState) {
    guard state.payment.lines.isEmpty, state.payment.tenders.isEmpty else { return }
    state.draftSerial += 1
    state.payment.serial = state.draftSerial
}

private func nextCustomer(_ state: inout AppState) {
    state.payment = PaymentDraft()
    state.account = nil
    state.query = ""
    state.searched = nil
    state.results = []
    state.selected = 0
    focus(.lookup, &state)
    state.detail = .account
}

private func cartKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    switch KeyMap.action(for: key, in: KeyMap.pane(.payment)) {
    case .tender:
        guard case .character(let c) = key, let kind = TenderKind.allCases.first(where: { $0.key == c }) else { return nil }
        startTender(kind, &state)
        return []
    case .addLine:
        startDraftIfNew(&state)
        state.payment.step = .miscCode
        return []
    case .editAmount:
        guard state.payment.lines.indices.contains(state.payment.selected) else { return [] }
        state.payment.step = .lineAmount(state.payment.selected)
        state.payment.entry = ""
        return []
    case .select:
        state.payment.selected = max(0, min(max(0, state.payment.lines.count - 1), state.payment.selected + key.step))
        return []
    case .removeLine:
        guard state.payment.lines.indices.contains(state.payment.selected) else { return [] }
        guard state.payment.tenders.isEmpty else {
            state.message = AppState.Message("Tenders are taken: remove them first (Backspace removes the last)", .warning)
            return []
        }
        state.payment.lines.remove(at: state.payment.selected)
        state.payment.selected = max(0, min(state.payment.selected, state.payment.lines.count - 1))
        return []
    case .removeTender:
        guard let last = state.payment.tenders.popLast() else { return [] }
        state.message = AppState.Message("Removed the \(last.kind.title) tender of \(last.amount.formatted)")
        return []
    case .submit:
        if let missing = state.payment.lines.firstIndex(where: { $0.amount == nil }) {
            state.payment.step = .lineAmount(missing)
            state.payment.entry = ""
        } else if state.payment.isCovered {
            state.payment.step = .confirm
        } else if state.payment.lines.isEmpty {
            state.message = AppState.Message("The cart is empty: find an account (F2) and press F3, or x for a receipt line", .warning)
        } else {
            state.message = AppState.Message("Still to pay \(state.payment.remaining.formatted): " + KeyMap.tenderNames(), .warning)
        }
        return []
    default:
        return nil
    }
}


private func startTender(_ kind: TenderKind, _ state: inout AppState) {
    let draft = state.payment
    guard !draft.lines.isEmpty else {
        state.message = AppState.Message("The cart is empty: find an account (F2) and press F3 first", .warning)
        return
    }
    if let missing = draft.lines.firstIndex(where: { $0.amount == nil }) {
        state.payment.step = .lineAmount(missing)
        state.message = AppState.Message("First the amount for \(draft.lines[missing].label)", .warning)
        return
    }
    guard draft.remaining.isPositive else {
        state.message = AppState.Message("The tenders cover the cart: Enter to confirm", .warning)
        return
    }
    if kind.goesInDrawer && state.status.drawerSession == nil {
        state.message = AppState.Message("No open drawer: only card (d) and e-check (e) until a drawer is opened (F4, then o)", .error)
        return
    }
    if kind == .check, draft.agency == nil, let today = state.status.businessDate { // an agency's check is the agency's
        for line in draft.lines {
            if case .account(let account, let until?) = line.kind, until >= today {
                state.message = AppState.Message("No checks: account \(account.number) is cash only until \(until) after a returned check", .error)
                return
            }
        }
    }
    state.payment.step = .tenderAmount(kind)
    state.payment.entry = ""
}

func cancelTender(_ state: inout AppState) {
    state.payment.pending = nil
    state.payment.entry = ""
    state.payment.step = .cart
}

/// Typing into the pane's input line: an amount, a number, a description.
private func entryKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    switch key {
    case .character(let c):
        Typing.type(c, at: \.payment.entry, limit: 30, name: "this field", &state)
        return []
    case .backspace:
        _ = state.payment.entry.popLast()
        return []
    case .escape:
        // Never lose what was typed without asking.
        if !state.payment.entry.isEmpty {
            state.confirmation = .init(question: "Discard \(TextSafety.quoted(state.payment.entry))? (y/n)", outcome: .discardEntry)
            return []
        }
        leaveEntryStep(&state)
        return []
    case .enter:
        commitEntry(&state)
        return []
    default:
        return nil
    }
}

private func commitEntry(_ state: inout AppState) {
    let text = state.payment.entry.trimmingSpacesAndTabs()
    switch state.payment.step {
    case .lineAmount(let index):
        commitLineAmount(index, text, &state)
    case .miscDescription(let book):
        state.payment.lines.append(CartLine(kind: .miscellaneous(book, description: String(text.prefix(30))), amount: nil))
        state.payment.selected = state.payment.lines.count - 1
        state.payment.step = .lineAmount(state.payment.selected)
        state.payment.entry = ""
    case .tenderAmount(let kind):
        commitTenderAmount(kind, text, &state)
    case .tenderDetail(let field):
        commitTenderDetail(field, text, &state)
    default:
        break
    }
}

/// Back from a typed step to the cart; a half-entered tender is dropped.
func leaveEntryStep(_ state: inout AppState) {
    if case .tenderDetail = state.payment.step { cancelTender(&state) } else {
        state.payment.entry = ""
        state.payment.step = .cart
    }
}

/// Parses a typed amount: `45.5`, `$45.50`, or with cash-register entry on, `4550`.
func parseAmount(_ text: String, _ state: AppState) -> Result<Money, AppState.Message> {
    let amount: Money
    do throws(MoneyError) {
        if state.registerEntry && text.allSatisfy(\.isASCIIDigit) {
            amount = try Money.parseRegisterDigits(text)
        } else {
            amount = try Money.parse(text)
        }
    } catch {
        return .failure(AppState.Message("\(error.description): type e.g. 45.50", .error))
    }
    guard amount.isPositive else { return .failure(AppState.Message("The amount must be more than $0.00", .error)) }
    return .success(amount)
}

private func commitLineAmount(_ index: Int, _ text: String, _ state: inout AppState) {
    guard state.payment.lines.indices.contains(index) else { state.payment.step = .cart; return }
    let line = state.payment.lines[index]
    let amount: Money
    if text.isEmpty {
        guard let due = line.balanceDue, due.isPositive else {
            state.message = AppState.Message(line.balanceDue == nil ? "Type the amount of the receipt"
                                             : "Nothing is due on \(line.accountNumber ?? ""): type the amount to pay", .warning)
            return
        }
        amount = due
    } else {
        switch parseAmount(text, state) {
        case .failure(let message): state.message = message; state.payment.entry = ""; return
        case .success(let parsed): amount = parsed
        }
    }
    if let due = line.balanceDue, amount > Money.max(due, .zero) {
        let credit = (try? amount - Money.max(due, .zero)) ?? amount
        state.confirmation = .init(
            question: "\(amount.formatted) is more than the \(Money.max(due, .zero).formatted) due: leave a credit of \(credit.formatted)? (y/n)",
            outcome: .acceptLineAmount(line: index, amount: amount))
        return
    }
    setLineAmount(index, amount, &state)
}

func setLineAmount(_ index: Int, _ amount: Money, _ state: inout AppState) {
    var lines = state.payment.lines
    lines[index].amount = amount
    let total = (try? Money.sum(lines.compactMap(\.amount))) ?? .zero
    guard total >= state.payment.tendered else {
        state.message = AppState.Message("Tenders already total \(state.payment.tendered.formatted): remove one first (Backspace)", .error)
        return
    }
    state.payment.lines = lines
    state.payment.entry = ""
    if let missing = lines.firstIndex(where: { $0.amount == nil }) {
        state.payment.step = .lineAmount(missing)
        state.payment.selected = missing
    } else {
        state.payment.step = state.payment.isCovered ? .confirm : .cart
    }
}

private func commitTenderAmount(_ kind: TenderKind, _ text: String, _ state: inout AppState) {
    let remaining = state.payment.remaining
    let amount: Money
    if text.isEmpty {
        amount = remaining
    } else {
        switch parseAmount(text, state) {
        case .failure(let message): state.message = message; state.payment.entry = ""; return
        case .success(let parsed): amount = parsed
        }
    }
    state.payment.entry = ""
    if kind == .cash {
        // Change comes only from cash, and never more than the cash handed over.
        state.payment.tenders.append(.cash(Money.min(amount, remaining), tendered: amount))
        afterTender(&state)
        return
    }
    if amount > remaining {
        guard let index = state.payment.lines.lastIndex(where: { $0.accountNumber != nil }) else {
            state.message = AppState.Message("\(amount.formatted) is more than the \(remaining.formatted) still due; change is given only for cash", .error)
            return
        }
        let extra = (try? amount - remaining) ?? .zero
        state.confirmation = .init(
            question: "The \(kind.title) is \(extra.formatted) more than still due: leave it as a credit on \(state.payment.lines[index].accountNumber ?? "")? (y/n)",
            outcome: .acceptTenderOverage(kind: kind, amount: amount))
        return
    }
    beginTenderDetails(kind, amount, &state)
}

/// After an overpaying tender is accepted: the last account line grows by the extra.
func acceptTenderOverage(_ kind: TenderKind, _ amount: Money, _ state: inout AppState) {
    guard let index = state.payment.lines.lastIndex(where: { $0.accountNumber != nil }),
          let current = state.payment.lines[index].amount,
          let extra = try? amount - state.payment.remaining,
          let grown = try? current + extra else { return }
    state.payment.lines[index].amount = grown
    beginTenderDetails(kind, amount, &state)
}

private func beginTenderDetails(_ kind: TenderKind, _ amount: Money, _ state: inout AppState) {
    state.payment.pending = Tender(kind: kind, amount: amount)
    switch kind {
    case .check, .moneyOrder: state.payment.step = .tenderDetail(.number)
    case .card: state.payment.step = .tenderDetail(.brand)
    case .ach: state.payment.step = .tenderDetail(.lastFour)
    case .cash: afterTender(&state)
    }
}

private func commitTenderDetail(_ field: PaymentDraft.TenderField, _ text: String, _ state: inout AppState) {
    state.payment.entry = ""
    let compact = text.filter { $0 != " " && $0 != "-" }
    // A full card number is refused on sight and forgotten: it is never stored or logged.
    if CardNumber.looksLikeFullCardNumber(compact) {
        state.message = AppState.Message("That looks like a full card number: Till never keeps one. Type only what is asked.", .error)
        return
    }
    guard var tender = state.payment.pending else { state.payment.step = .cart; return }
    switch field {
    case .number:
        guard (1...20).contains(compact.count), compact.allSatisfy(\.isASCIIDigit) else {
            state.message = AppState.Message("Type the \(tender.kind.title) number (digits only)", .error)
            return
        }
        tender.reference = compact
    case .lastFour:
        guard compact.count == 4, compact.allSatisfy(\.isASCIIDigit) else {
            state.message = AppState.Message("Type exactly the last four digits", .error)
            return
        }
        tender.lastFour = compact
        if tender.kind == .card {
            state.payment.pending = tender
            state.payment.step = .tenderDetail(.authorization)
            return
        }
    case .authorization:
        guard (1...12).contains(compact.count), compact.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter }) else {
            state.message = AppState.Message("Type the card terminal's authorisation code (letters and digits)", .error)
            return
        }
        tender.reference = compact.uppercased()
    case .brand:
        return
    }
    do { try tender.validate() } catch {
        state.message = AppState.Message(error.message, .error)
        return
    }
    state.payment.tenders.append(tender)
    state.payment.pending = nil
    afterTender(&state)
}

private func afterTender(_ state: inout AppState) {
    state.payment.entry = ""
    state.payment.step = state.payment.isCovered ? .confirm : .cart
}

private func submit(_ state: inout AppState) -> [Effect] {
    guard state.payment.isCovered else {
        state.payment.step = .cart
        state.message = AppState.Message("Tenders \(state.payment.tendered.formatted) are short of the cart total \(state.payment.cartTotal.formatted)", .error)
        return []
    }
    let payment: Payment
    do { payment = try state.payment.payment() } catch {
        state.message = AppState.Message(error.message, .error)
        return []
    }
    var submission = PaymentSubmission(lines: payment.lines, tenders: payment.tenders,
                                           idempotencyKey: "\(state.nonce)-\(state.payment.serial)",
                                           drawerSession: state.status.drawerSession,
                                           accounts: state.payment.lines.compactMap(\.accountNumber),
                                           memo: state.payment.lines.compactMap { line in
                                               if case .miscellaneous(_, let text) = line.kind, !text.isEmpty { return text }
                                               return nil
                                           }.joined(separator: "; "))
    submission.suspensePayer = state.payment.lines.lazy.compactMap { line -> String? in
        if case .suspense(let payer) = line.kind { return payer }
        return nil
    }.first
    submission.direction = state.payment.direction
    submission.agency = state.payment.agency
    return [.postPayment(submission)]
}

extension TenderKind {
    /// The key that starts a tender of this kind on the payment pane.
    public var key: Character {
        switch self {
        case .cash: "c"
        case .check: "k"
        case .moneyOrder: "m"
        case .card: "d"
        case .ach: "e"
        }
    }
}

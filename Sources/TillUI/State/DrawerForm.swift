import TillCore

/// A count being entered on the drawer pane: a float, a drop, or the blind closing count
/// with its checks, card batch, the reveal, and (beyond the limit) reason and approval.
public struct DrawerForm: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable { case float, drop, close }
    public enum Step: Equatable, Sendable { case count, reason, bag, checks, cardBatch, reveal, approverLogin, approverPIN }

    public var purpose: Purpose
    public var step: Step = .count
    public var count: CashCount
    /// The selected row of the count: an index into `Denomination.allCases`; one past the end is "Done".
    public var row = 0
    /// What is being typed on the current row or line.
    public var entry = ""
    public var standardFloat: CashCount
    public var checks: [DrawerCheck] = []
    public var found: Set<Int64> = []
    public var checkRow = 0
    public var cardBatch: Money = .zero
    public var balance: DrawerBalance?
    public var needsApproval = false
    public var reason = ""
    public var bag = ""
    public var approverLogin = ""
    public var approverPIN = ""
    /// Shown during a closing count only when closes are not blind.
    public var expectedCash: Money?

    public init(purpose: Purpose, standardFloat: CashCount, checks: [DrawerCheck] = []) {
        self.purpose = purpose
        self.standardFloat = standardFloat
        self.count = purpose == .float ? standardFloat : CashCount()
        self.checks = checks
    }

    static let doneRow = Denomination.allCases.count

    var title: String {
        switch purpose {
        case .float: "Count the opening float"
        case .drop: "Count the drop to the safe"
        case .close: expectedCash == nil ? "Blind count: count the drawer" : "Count the drawer"
        }
    }
}

/// Keys of the drawer pane.
func drawerKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    if state.drawerForm != nil { return drawerFormKey(key, &state) }
    let session = state.status.drawerSession
    let action = KeyMap.action(for: key, in: KeyMap.pane(.drawer))
    switch action {
    case .openDrawer:
        guard session == nil else {
            state.message = AppState.Message("Your drawer is already open (\(state.status.drawer))", .warning)
            return []
        }
        state.drawerForm = DrawerForm(purpose: .float, standardFloat: state.drawer?.standardFloat ?? CashCount())
        return []
    case .dropCash, .noSale, .closeDrawer:
        guard session != nil else {
            state.message = AppState.Message("No drawer open for you here: o opens one", .warning)
            return []
        }
        if action == .noSale { return [.noSale] }
        if action == .dropCash {
            state.drawerForm = DrawerForm(purpose: .drop, standardFloat: state.drawer?.standardFloat ?? CashCount())
        } else {
            state.drawerForm = DrawerForm(purpose: .close, standardFloat: state.drawer?.standardFloat ?? CashCount(),
                                          checks: state.drawer?.checks ?? [])
            state.drawerForm?.expectedCash = state.drawer?.expectedCash
        }
        return []
    case .refresh: return [.loadDrawer]
    case .scroll: state.drawerScroll = max(0, state.drawerScroll + key.step); return []
    default: return nil
    }
}

private func drawerFormKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    guard var form = state.drawerForm else { return nil }
    defer { if state.drawerForm != nil { state.drawerForm = form } }
    if key == .escape {
        state.confirmation = .init(question: form.purpose == .close && form.balance != nil
                                       ? "Leave the close? The count you made stays in the audit trail. (y/n)"
                                       : "Discard this count? (y/n)", outcome: .discardDrawerForm)
        return []
    }
    switch form.step {
    case .count:
        switch key {
        case .character(let c) where c.isASCIIDigit:
            guard form.row < DrawerForm.doneRow, form.entry.count < 6 else { return [] }
            form.entry.append(c)
        case .backspace:
            if form.entry.isEmpty, form.row < DrawerForm.doneRow {
                try? form.count.set(Denomination.allCases[form.row], 0)
            } else {
                _ = form.entry.popLast()
            }
        case .up:
            commitRow(&form)
            form.row = max(0, form.row - 1)
        case .down, .tab:
            commitRow(&form)
            form.row = min(DrawerForm.doneRow, form.row + 1)
        case .end, .pageDown:
            commitRow(&form)
            form.row = DrawerForm.doneRow
        case .home, .pageUp:
            commitRow(&form)
            form.row = 0
        case .enter:
            commitRow(&form)
            if form.row < DrawerForm.doneRow { form.row += 1; return [] }
            return countDone(&form, &state)
        default: return []
        }
    case .reason, .bag, .approverLogin, .approverPIN:
        switch key {
        case .character(let c) where form.step == .approverPIN && !c.isASCIIDigit:
            state.message = AppState.Message("A PIN is digits only", .warning)
        case .character(let c):
            let (limit, field) = form.step == .reason ? (120, "the reason") : form.step == .approverPIN ? (12, "a PIN")
                : form.step == .bag ? (20, "the bag number") : (32, "an operator id")
            Typing.type(c, into: &form.entry, limit: limit, field: field, &state)
        case .backspace: _ = form.entry.popLast()
        case .enter: return textDone(&form, &state)
        default: return []
        }
    case .checks:
        switch key {
        case .up: form.checkRow = max(0, form.checkRow - 1)
        case .down: form.checkRow = min(max(0, form.checks.count - 1), form.checkRow + 1)
        case .character(" "):
            guard form.checks.indices.contains(form.checkRow) else { return [] }
            let id = form.checks[form.checkRow].tenderID
            if form.found.contains(id) { form.found.remove(id) } else { form.found.insert(id) }
            form.checkRow = min(max(0, form.checks.count - 1), form.checkRow + 1)
        case .character("a"):
            form.found = Set(form.checks.map(\.tenderID))
        case .enter:
            form.step = .cardBatch
        default: return []
        }
    case .cardBatch:
        switch key {
        case .character(let c) where c.isASCIIDigit || c == "." || c == "$" || c == ",":
            Typing.type(c, into: &form.entry, limit: 12, field: "the card batch total", &state)
        case .character:
            state.message = AppState.Message("The card batch total is an amount: digits and a point", .warning)
        case .backspace: _ = form.entry.popLast()
        case .enter:
            do {
                form.cardBatch = form.entry.isEmpty ? .zero : try Money.parse(form.entry)
            } catch {
                state.message = AppState.Message("Card batch: \(error)", .error)
                return []
            }
            form.entry = ""
            return [.previewClose(form.count, found: form.found, cardBatch: form.cardBatch)]
        default: return []
        }
    case .reveal:
        guard key == .enter else { return [] }
        if form.needsApproval {
            form.step = .reason
            return []
        }
        return [.closeDrawer(submission(form))]
    }
    return []
}

private func commitRow(_ form: inout DrawerForm) {
    defer { form.entry = "" }
    guard !form.entry.isEmpty, form.row < DrawerForm.doneRow, let quantity = Int64(form.entry) else { return }
    try? form.count.set(Denomination.allCases[form.row], quantity)
}

/// The count is in: what comes next depends on what it is for.
private func countDone(_ form: inout DrawerForm, _ state: inout AppState) -> [Effect] {
    switch form.purpose {
    case .float:
        guard form.count.total.isPositive else {
            state.message = AppState.Message("Count the float first", .warning)
            return []
        }
        if form.count.total != form.standardFloat.total {
            form.step = .reason
            state.message = AppState.Message("The float \(form.count.total.formatted) differs from the standard \(form.standardFloat.total.formatted): say why", .warning)
            return []
        }
        return [.openDrawer(float: form.count, reason: "")]
    case .drop:
        guard form.count.total.isPositive else {
            state.message = AppState.Message("Count the cash being dropped first", .warning)
            return []
        }
        form.step = .bag
        return []
    case .close:
        form.step = form.checks.isEmpty ? .cardBatch : .checks
        return []
    }
}

private func textDone(_ form: inout DrawerForm, _ state: inout AppState) -> [Effect] {
    let text = form.entry.trimmingSpacesAndTabs()
    guard !text.isEmpty else {
        state.message = AppState.Message("Type it, then Enter (Esc leaves)", .warning)
        return []
    }
    form.entry = ""
    switch form.step {
    case .reason:
        form.reason = text
        if form.purpose == .float { return [.openDrawer(float: form.count, reason: text)] }
        form.step = .approverLogin
    case .bag:
        form.bag = text
        return [.drop(form.count, bag: text)]
    case .approverLogin:
        if let problem = approverProblem(text, state) {
            state.message = AppState.Message(problem, .warning)
            return []
        }
        form.approverLogin = text
        form.step = .approverPIN
    case .approverPIN:
        form.approverPIN = text
        return [.closeDrawer(submission(form))]
    default: break
    }
    return []
}

/// An approver must be a lead or supervisor other than the operator: said before a PIN is asked.
func approverProblem(_ login: String, _ state: AppState) -> String? {
    let id = login.lowercased()
    if id == state.session?.login.lowercased() { return "Another lead or supervisor approves: not the operator themself" }
    guard !state.status.approvers.isEmpty, !state.status.approvers.contains(id) else { return nil }
    return "\(TextSafety.quoted(login)) is not an active lead or supervisor: type the approver's id (Esc leaves)"
}

private func submission(_ form: DrawerForm) -> DrawerCloseSubmission {
    DrawerCloseSubmission(count: form.count, found: form.found, cardBatch: form.cardBatch, reason: form.reason,
                          approverLogin: form.needsApproval ? form.approverLogin : nil,
                          approverPIN: form.needsApproval ? form.approverPIN : nil)
}

/// One line typed at the foot of a pane (a bag number, a reason): characters type through the
/// one typing path, Backspace takes one back, Esc drops the line, Enter asks the question
/// `confirm` makes of the trimmed text (or says what to type).
func lineEntryKey(_ key: Key, _ entry: WritableKeyPath<AppState, String?>, limit: Int, field: String, whenEmpty: String,
                  _ state: inout AppState, confirm: (String) -> AppState.Confirmation) -> [Effect]? {
    guard key == .enter else { return editEntry(key, entry, limit: limit, field: field, &state) }
    let text = (state[keyPath: entry] ?? "").trimmingSpacesAndTabs()
    guard !text.isEmpty else {
        state.message = AppState.Message(whenEmpty, .warning)
        return []
    }
    state.confirmation = confirm(text)
    return []
}

/// Typing, Backspace and Esc (which drops the entry) on a one-line entry; nil for other keys.
func editEntry(_ key: Key, _ entry: WritableKeyPath<AppState, String?>, limit: Int, field: String,
               _ state: inout AppState) -> [Effect]? {
    let current = state[keyPath: entry] ?? ""
    switch key {
    case .character(let c):
        var text = current
        Typing.type(c, into: &text, limit: limit, field: field, &state)
        state[keyPath: entry] = text
    case .backspace: state[keyPath: entry] = String(current.dropLast())
    case .escape: state[keyPath: entry] = nil
    default: return nil
    }
    return []
}

/// Keys of the settle pane.
func settleKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    let date = state.settle?.date.map { "\($0)" } ?? ""
    let office = state.settle?.office
    if state.depositBag != nil {
        return lineEntryKey(key, \.depositBag, limit: 20, field: "the deposit bag number",
                            whenEmpty: "Type the deposit bag number, then Enter", &state) { bag in
            .init(question: office.map { "Close \($0)'s day \(date) with deposit bag \(bag)? Nothing posts there after. (y/n)" }
                      ?? "Close business day \(date) with deposit bag \(bag)? Nothing posts to it after. (y/n)",
                  outcome: .closeDay(bag: bag))
        }
    }
    if state.cancelReason != nil {
        return lineEntryKey(key, \.cancelReason, limit: 200, field: "the reason",
                            whenEmpty: "Type why the day is cancelled, then Enter", &state) { reason in
            .init(question: "Cancel business day \(date) (\(reason))? It may open again when it comes. (y/n)",
                  outcome: .cancelDay(reason: reason))
        }
    }
    if let entry = state.dropAcceptance {
        if key == .enter {
            let words = entry.split(separator: " ").map(String.init)
            guard let bag = words.first else {
                state.message = AppState.Message("Type the bag number (and, when the bag holds other than the drop said, the amount and why)", .warning)
                return []
            }
            var counted: Money?
            if words.count > 1 {
                do { counted = try Money.parse(words[1]) } catch {
                    state.message = AppState.Message("Amount \(TextSafety.quoted(words[1])): \(error.description)", .error)
                    return []
                }
            }
            let reason = words.dropFirst(2).joined(separator: " ")
            state.confirmation = .init(question: "Accept bag \(bag)" + (counted.map { " as holding \($0.formatted)" + (reason.isEmpty ? "" : " (\(reason))") } ?? " as dropped")
                                       + "? (y/n)", outcome: .acceptDrop(bag: bag, counted: counted, reason: reason))
            return []
        }
        return editEntry(key, \.dropAcceptance, limit: 200, field: "the bag", &state)
    }
    let action = KeyMap.action(for: key, in: KeyMap.pane(.settle))
    if action == .acceptDrop {
        guard let role = state.session?.role, role >= .lead else {
            state.message = AppState.Message("A lead or supervisor counts and accepts a drop's bag", .warning)
            return []
        }
        guard state.settle?.dayOpen == true else {
            state.message = AppState.Message("No business day is open", .warning)
            return []
        }
        state.dropAcceptance = ""
        return []
    }
    if action == .cancelDay {
        guard state.session?.role == .supervisor else {
            state.message = AppState.Message("Only a supervisor cancels a business day: ask one to sign in here", .warning)
            return []
        }
        guard let settle = state.settle, settle.dayOpen else {
            state.message = AppState.Message("No business day is open", .warning)
            return []
        }
        state.cancelReason = ""
        return []
    }
    // Authority first, before anything is asked: only a lead or supervisor opens or closes the day.
    if action == .openDay || action == .closeDay, let role = state.session?.role, role < .lead {
        state.message = AppState.Message("Only a lead or supervisor \(action == .openDay ? "opens" : "closes") the business day: "
                                         + "ask one to sign in here or at their terminal", .warning)
        return []
    }
    switch action {
    case .openDay:
        guard state.settle?.dayOpen != true else {
            state.message = AppState.Message("Business day \(state.status.businessDate.map { "\($0)" } ?? "") is open already", .warning)
            return []
        }
        if let settle = state.settle, !settle.canOpen {
            state.message = AppState.Message("\(settle.office ?? "This office") closed its day: it opens again on the next business day", .warning)
            return []
        }
        return [.openDay]
    case .closeDay:
        guard let settle = state.settle, settle.dayOpen else {
            state.message = AppState.Message("No business day is open", .warning)
            return []
        }
        guard settle.openDrawers == 0 else {
            state.message = AppState.Message("\(settle.openDrawers) drawer(s) still open: each cashier counts and closes theirs (F4 c) first", .warning)
            return []
        }
        state.depositBag = ""
        return []
    case .printReport: return [.printSettlement]
    case .refresh: return [.loadSettlement]
    case .scroll: state.settleScroll = max(0, state.settleScroll + key.step); return []
    default: return nil
    }
}

import TillCore

/// The UI's one state transition: pure, so any screen can be reached in a test
/// and any bug replayed from a key log.
public func update(_ state: inout AppState, _ event: Event) -> [Effect] {
    switch event {
    case .key(let key):
        return handle(key, &state)
    case .resize(let size):
        state.size = size
        return []
    case .tick(let clock, let idleSeconds):
        state.status.clock = clock
        if state.screen == .main, state.lock == nil, state.idleLockMinutes > 0, idleSeconds >= state.idleLockMinutes * 60 {
            return lock(&state, reason: "idle \(state.idleLockMinutes) min")
        }
        return []
    case .signedIn(let op):
        state.session = op
        state.screen = .main
        state.credentials = AppState.Credentials()
        state.focus = .lookup
        state.message = AppState.Message("Signed in as \(op.name) (\(op.role.rawValue)). F1 or ? for help.")
        // The status (is a drawer open?) and this terminal's reprint queue (did a crash leave
        // receipts unprinted?) both speak up in the sign-in message.
        return [.refreshStatus]
    case .signInFailed(let reason):
        state.credentials.pin = ""
        state.credentials.field = .pin
        state.credentials.error = reason
        return []
    case .unlocked(let op):
        state.lock = nil
        state.message = AppState.Message("Unlocked by \(op.name).")
        return []
    case .unlockFailed(let reason):
        state.lock?.pin = ""
        state.lock?.field = .pin
        state.lock?.error = reason
        return []
    case .status(let status):
        state.status = status
        // Right after sign-in, say how to open the drawer if there is none — to those who keep
        // one: a CSR takes phone payments (card and e-check) without a drawer.
        if status.drawerSession == nil, state.session?.role != .csr, let message = state.message,
           message.text.hasPrefix("Signed in as"), !message.text.contains("drawer") {
            state.message = AppState.Message(message.text + " F4 o: open drawer.")
        }
        return []
    case .searchResults(let query, let lines):
        guard query == state.query else { return [] } // a newer search is on its way
        state.results = lines
        state.selected = 0
        // A result list read again after a posting keeps the posting's message.
        if lines.isEmpty {
            state.message = AppState.Message("No account matches \(TextSafety.quoted(query))", .warning)
        } else if state.message?.text.hasPrefix("No account matches") == true {
            state.message = nil
        }
        return []
    case .accountLoaded(let view):
        state.account = view
        state.accountScroll = 0
        focus(.account, &state)
        return []
    case .stubLoaded(let view, let amount, let warning):
        // The stub's account in the cart with the stub's amount: Enter takes exactly that.
        state.account = view
        state.accountScroll = 0
        state.query = ""
        state.searched = nil
        state.results = []
        addOpenAccountToCart(&state)
        if case .lineAmount = state.payment.step { state.payment.entry = amount.formatted }
        state.message = warning.map { AppState.Message("Stub: \($0)", .warning) }
            ?? AppState.Message("Stub for \(view.line.number): \(amount.formatted) due. Enter takes it; type another amount to change it", .info)
        return []
    case .accountRefreshed(let view):
        if state.account?.line.number == view.line.number { state.account = view }
        for index in state.payment.lines.indices {
            if case .account(let line, _) = state.payment.lines[index].kind, line.number == view.line.number,
               case .cart = state.payment.step {
                state.payment.lines[index].kind = .account(view.line, cashOnlyUntil: view.cashOnlyUntil)
            }
        }
        return []
    case .paymentPosted(let posted):
        let accounts = state.payment.lines.compactMap(\.touchedAccount)
        state.payment.step = .done(posted)
        var text = posted.wasAlreadyPosted ? "Receipt \(posted.name) was already posted: nothing posted twice."
                                           : "Receipt \(posted.name) posted."
        if posted.change.isPositive { text += " Change due \(posted.change.formatted)." }
        if !posted.restoreRequests.isEmpty {
            text += " Paid up: service restore requested (work order #\(posted.restoreRequests.map(String.init).joined(separator: ", #")))."
        }
        if let failure = posted.printFailure {
            state.message = AppState.Message(text + " Printer: \(failure) — the receipt waits in the reprint queue (F5).", .warning)
        } else {
            state.message = AppState.Message(text + " Enter: next customer.", posted.restoreRequests.isEmpty ? .info : .warning)
        }
        // The lookup's balances are read again: a result list must not show what was owed before.
        return accounts.map { .refreshAccount($0) } + (state.query.isEmpty ? [] : [.search(state.query)]) + [.refreshStatus]
    case .paymentFailed(let reason):
        state.payment.step = .confirm
        state.message = AppState.Message("Not posted: \(reason)", .error)
        return []
    case .receiptLoaded(let preview, let queue):
        if let preview {
            if preview.number != state.receipt?.number { state.receiptScroll = 0 }
            state.receipt = preview
        }
        state.reprintQueue = queue
        if !queue.isEmpty, let message = state.message, message.text.hasPrefix("Signed in as"), !message.text.contains("wait") {
            state.message = AppState.Message(message.text + " \(queue.count) receipt\(queue.count == 1 ? "" : "s") of today "
                                             + "wait\(queue.count == 1 ? "s" : "") to print: F5, then w.", .warning)
        }
        return []
    case .notice(let message):
        state.message = message
        return []
    case .drawerLoaded(let view):
        state.drawer = view
        state.drawerScroll = 0
        return []
    case .closePreview(let balance, let needsApproval):
        guard state.drawerForm?.purpose == .close else { return [] }
        state.drawerForm?.balance = balance
        state.drawerForm?.needsApproval = needsApproval
        state.drawerForm?.step = .reveal
        return []
    case .drawerDone(let message):
        state.drawerForm = nil
        state.message = message
        return [.refreshStatus, .loadDrawer]
    case .drawerFailed(let reason):
        // An approval refused: ask for it again; anything else leaves the form as it was.
        if state.drawerForm?.step == .approverPIN {
            state.drawerForm?.approverPIN = ""
            state.drawerForm?.step = .approverLogin
        }
        state.message = AppState.Message(reason, .error)
        return []
    case .settlementLoaded(let view):
        state.settle = view
        return []
    case .serviceLoaded(let view):
        state.service = view
        return []
    case .suspenseLoaded(let lines):
        state.suspense = lines
        return []
    case .pledgesLoaded(let agency, let pledges):
        state.payment.agency = agency
        state.payment.pledges = pledges
        let awaited = Money(cents: pledges.values.reduce(0) { $0 + $1.amount.cents })
        state.message = AppState.Message("\(agency)'s payment: \(pledges.count) account\(pledges.count == 1 ? "" : "s") with pledges awaiting "
                                         + "\(awaited.formatted); each line shows its pledge")
        return []
    case .reportsLoaded(let view):
        state.reports = view
        state.reportsRow = min(state.reportsRow, max(0, view.settings.count - 1))
        return []
    case .serviceDone(let message):
        let account = state.serviceForm?.account ?? state.account?.line.number
        state.serviceForm = nil
        state.message = message
        return (account.map { [.refreshAccount($0), .loadService(account: $0)] } ?? []) + [.loadSuspense]
    case .serviceNeedsOverride(let reason):
        guard state.serviceForm != nil else { return [] }
        state.serviceForm?.step = .approverLogin
        state.serviceForm?.approverLogin = ""
        state.serviceForm?.overrideReason = reason
        state.message = AppState.Message("Needs an override: a lead or supervisor types their id and PIN (Esc: cancel)", .warning)
        return []
    case .serviceFailed(let reason):
        if let step = state.serviceForm?.step, step == .approverPIN || step == .approverLogin {
            // A refused approval (a wrong PIN): the approver signs again from the start.
            state.serviceForm?.step = .approverLogin
            state.serviceForm?.approverLogin = ""
        }
        state.message = AppState.Message(reason, .error)
        return []
    case .batchLineChecked(let line):
        state.batch?.lines.append(line)
        state.batch?.entry = ""
        state.batch?.amount = nil
        state.batch?.field = .account
        return []
    case .batchLineRefused(let reason):
        state.batch?.field = .account
        let typed = state.batch?.account ?? ""
        state.batch?.entry = typed
        state.message = AppState.Message("Line not added: \(reason)", .error)
        return []
    case .batchPosted(let message):
        state.batch = nil
        state.message = message
        return state.account.map { [.refreshAccount($0.line.number)] } ?? []
    case .batchFailed(let reason):
        if state.batch?.field == .approverPIN {
            state.batch?.field = .approverLogin
            state.batch?.approverLogin = ""
        }
        state.message = AppState.Message(reason, .error)
        return []
    }
}

private func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
    if case .unrecognised(let sequence) = key {
        // Never typed, never an answer: a key Till cannot name changes nothing.
        state.message = AppState.Message("This terminal sent a key Till does not know (\(sequence)): nothing was typed. "
                                         + "Ctrl-F then a digit is an F-key on any terminal.", .warning)
        return []
    }
    if key == .control("l") { return [.repaint] }
    if state.functionPrefix { return functionPrefixKey(key, &state) }
    if key == .control("f") {
        state.functionPrefix = true
        state.message = AppState.Message("F-key: type its number (1–9, 0 for F10); Esc: none")
        return []
    }
    if let confirmation = state.confirmation { return answer(key, confirmation, &state) }
    if state.isTooSmall {
        // Only quitting works on a screen too small to show anything else.
        if key == .function(10) || key == .alt("0") || key == .control("c") { return requestQuit(&state) }
        return []
    }
    if state.helpOpen { return helpKey(key, &state) }
    if state.lock != nil { return lockedKey(key, &state) }
    switch state.screen {
    case .signIn: return signInKey(key, &state)
    case .main: break
    }
    if !(state.message?.staysWhileTyping == true && key.printable != nil) { state.message = nil }
    if state.command != nil { return commandKey(key, &state) }
    if let effects = paneKey(key, &state) { return effects }
    guard let action = KeyMap.action(for: key, in: KeyMap.global) else {
        state.message = AppState.Message("\(key.name) does nothing here. F1 or ? lists the keys of this pane.", .warning)
        return []
    }
    return perform(action, &state)
}

func perform(_ action: Action, _ state: inout AppState) -> [Effect] {
    switch action {
    case .help: state.helpOpen = true; state.helpScroll = 0
    case .lookup:
        // F2 starts a fresh search, also from Lookup itself; Tab into Lookup keeps the last one.
        state.query = ""
        state.searched = nil
        state.results = []
        state.selected = 0
        focus(.lookup, &state)
    case .pay:
        addOpenAccountToCart(&state)
    case .drawer:
        focus(.drawer, &state)
        return [.loadDrawer]
    case .reprint:
        if state.focus == .receipt, let shown = state.receipt?.number { return [.printReceipt(shown)] }
        focus(.receipt, &state)
        return [.loadReceipt(nil)]
    case .service:
        focus(.service, &state)
        return (state.account.map { [.loadService(account: $0.line.number)] } ?? []) + [.loadSuspense]
    case .settle:
        focus(.settle, &state)
        return [.loadSettlement]
    case .reports:
        focus(.reports, &state)
        return [.loadReports]
    case .lock: return lock(&state, reason: "F9")
    case .quit, .interrupt: return requestQuit(&state)
    case .nextPane, .previousPane:
        focus(action == .nextPane ? state.focus.next : state.focus.previous, &state)
        // Panes that show the ledger's figures read them fresh when they come into view.
        if state.focus == .drawer { return [.loadDrawer] }
        if state.focus == .settle { return [.loadSettlement] }
        if state.focus == .service { return (state.account.map { [.loadService(account: $0.line.number)] } ?? []) + [.loadSuspense] }
        if state.focus == .reports { return [.loadReports] }
    case .commandLine: state.command = ""
    case .back:
        if state.focus != .lookup { focus(.lookup, &state) }
    default:
        break
    }
    return []
}

func focus(_ pane: Pane, _ state: inout AppState) {
    state.focus = pane
    if pane != .lookup { state.detail = pane }
}

private func lock(_ state: inout AppState, reason: String) -> [Effect] {
    guard let session = state.session else { return [] }
    state.lock = AppState.Credentials(login: session.login, pin: "", field: .pin, error: nil)
    state.helpOpen = false
    return [.audit(event: "screen.locked", detail: reason)]
}

func requestQuit(_ state: inout AppState) -> [Effect] {
    if !state.payment.isEmpty {
        state.confirmation = .init(question: "A payment is being entered. Quit and discard it? (y/n)", outcome: .quit)
        return []
    }
    return state.session == nil ? [.quit] : [.signOut, .quit]
}

private func answer(_ key: Key, _ confirmation: AppState.Confirmation, _ state: inout AppState) -> [Effect] {
    switch key {
    case .character("y"), .character("Y"):
        state.confirmation = nil
        switch confirmation.outcome {
        case .quit: return state.session == nil ? [.quit] : [.signOut, .quit]
        case .clearSignIn: state.credentials = AppState.Credentials()
        case .discardCommand: state.command = nil
        case .discardPayment:
            state.payment = PaymentDraft()
            focus(.lookup, &state)
        case .discardNote:
            state.noteDraft = nil
        case .discardEntry:
            leaveEntryStep(&state)
        case .discardDrawerForm:
            state.drawerForm = nil
        case .discardBatch:
            state.batch = nil
            state.message = AppState.Message("Batch discarded: nothing posted")
        case .closeDay(let bag):
            state.depositBag = nil
            return [.closeDay(bag: bag)]
        case .addOffice(let code, let name, let address, let bankAccount):
            state.officeForm = nil
            return [.addOffice(code: code, name: name, address: address, bankAccount: bankAccount)]
        case .cancelDay(let reason):
            state.cancelReason = nil
            return [.cancelDay(reason: reason)]
        case .acceptDrop(let bag, let counted, let reason):
            state.dropAcceptance = nil
            return [.acceptDrop(bag: bag, counted: counted, reason: reason)]
        case .acceptLineAmount(let line, let amount):
            setLineAmount(line, amount, &state)
        case .acceptTenderOverage(let kind, let amount):
            acceptTenderOverage(kind, amount, &state)
        }
        return []
    case .character("n"), .character("N"), .escape:
        state.confirmation = nil
        return []
    default:
        return []
    }
}

/// Ctrl-F then a digit is that F-key: the way to F1–F10 at human speed on any terminal,
/// without making Esc alone wait to see whether a digit follows.
private func functionPrefixKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    state.functionPrefix = false
    state.message = nil
    switch key {
    case .character(let c) where c.isASCIIDigit:
        let number = c == "0" ? 10 : Int(String(c)) ?? 10
        return handle(.function(number), &state)
    case .escape:
        return []
    default:
        state.message = AppState.Message("Ctrl-F takes a digit: 1–9 for F1–F9, 0 for F10. Nothing done.", .warning)
        return []
    }
}

private func helpKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    switch key {
    case .escape, .function(1), .alt("1"), .character("q"), .character("?"), .enter: state.helpOpen = false
    case .down: state.helpScroll += 1
    case .up: state.helpScroll = max(0, state.helpScroll - 1)
    case .pageDown: state.helpScroll += 10
    case .pageUp: state.helpScroll = max(0, state.helpScroll - 10)
    case .function(10), .alt("0"), .control("c"): state.helpOpen = false; return requestQuit(&state)
    default: break
    }
    return []
}

import TillCore

/// Keys the focused pane handles itself; nil lets the global table have the key.
func paneKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    switch state.focus {
    case .lookup: return lookupKey(key, &state)
    case .payment:
        if let effects = paymentKey(key, &state) { return effects }
        if key == .escape, !state.payment.isEmpty {
            state.confirmation = .init(question: "Discard the payment being entered? (y/n)", outcome: .discardPayment)
            return []
        }
        return nil
    case .account: return accountKey(key, &state)
    case .receipt: return receiptKey(key, &state)
    case .drawer: return drawerKey(key, &state)
    case .settle: return settleKey(key, &state)
    case .service: return serviceKey(key, &state)
    case .reports: return reportsKey(key, &state)
    }
}

private func accountKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    if let draft = state.noteDraft {
        switch key {
        case .character(let c):
            var text = draft
            Typing.type(c, into: &text, limit: 200, field: "a note", &state)
            state.noteDraft = text
        case .backspace: state.noteDraft = String(draft.dropLast())
        case .escape:
            if draft.isEmpty { state.noteDraft = nil } else {
                state.confirmation = .init(question: "Discard the note being typed? (y/n)", outcome: .discardNote)
            }
        case .enter:
            guard let account = state.account, !draft.trimmingSpacesAndTabs().isEmpty else {
                state.message = AppState.Message("Type the note, then Enter (Esc to leave)", .warning)
                return []
            }
            state.noteDraft = nil
            return [.addNote(account: account.line.number, text: draft)]
        default: return nil
        }
        return []
    }
    switch KeyMap.action(for: key, in: KeyMap.pane(.account)) {
    case .addNote:
        guard state.account != nil else { return nil }
        state.noteDraft = ""
        return []
    case .scroll: state.accountScroll = max(0, state.accountScroll + key.step); return []
    default: return nil
    }
}

private func receiptKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    // Typing the number: digits, or an office's number (NORTH-17: a capital letter starts it,
    // so p and w stay keys; once it is started, letters in any case go on with it),
    // Backspace, Esc to clear it.
    let typing = !state.receiptEntry.isEmpty
    let officeNumber = state.receiptEntry.first.map { $0.isASCII && $0.isLetter } ?? false
    switch key {
    case .character(let c) where c.isASCIIDigit || (c == "#" && !typing) || (c == "-" && officeNumber)
                                || (c.isASCII && c.isLetter && (officeNumber || (!typing && c.isUppercase))):
        Typing.type(Character(c.uppercased()), at: \.receiptEntry, limit: 24, name: "a receipt number", &state)
        return []
    case .backspace:
        _ = state.receiptEntry.popLast()
        return []
    case .escape where !state.receiptEntry.isEmpty:
        state.receiptEntry = ""
        return []
    default: break
    }
    switch KeyMap.action(for: key, in: KeyMap.pane(.receipt)) {
    case .open:
        guard (try? ReceiptReference(state.receiptEntry)) != nil else {
            state.message = AppState.Message("Type a receipt number (1042) or an office's (NORTH-17), then Enter", .warning)
            return []
        }
        let typed = state.receiptEntry
        state.receiptEntry = ""
        return [.findReceipt(typed)]
    case .scroll: state.receiptScroll = max(0, state.receiptScroll + key.step); return []
    case .printReceipt:
        guard let shown = state.receipt?.number else {
            state.message = AppState.Message("No receipt shown: type its number and Enter", .warning)
            return []
        }
        return [.printReceipt(shown)]
    case .printQueue:
        guard !state.reprintQueue.isEmpty else {
            state.message = AppState.Message("No receipt is waiting to print")
            return []
        }
        return [.printQueue]
    default:
        return nil
    }
}

private func lookupKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    // Held digits of a scan line on its way last only to the next digit or Enter.
    var heldDigits = state.heldScanDigits
    state.heldScanDigits = ""
    switch key {
    case .character(let c):
        // `:` is the command line even after a search (`:find X` leaves one typed): the search
        // reads only letters and digits, so it could never be part of one. `?` is help while
        // the search is empty.
        if c == ":" || (c == "?" && state.query.isEmpty) { return nil }
        var query = state.query
        let typed = Typing.typeScanning(c, into: &query, held: &heldDigits, limit: 60, field: "the search", format: state.scanLine, &state)
        state.query = query
        state.heldScanDigits = heldDigits
        // Digits held for a scan line are not searched, nor is a search they were taken from.
        return typed && heldDigits.isEmpty ? searchAsTyped(&state) : []
    case .backspace:
        _ = state.query.popLast()
        return searchAsTyped(&state)
    default: break
    }
    switch KeyMap.action(for: key, in: KeyMap.pane(.lookup)) {
    case .back:
        guard !state.query.isEmpty || !state.results.isEmpty else { return nil }
        clearSearch(&state)
        return []
    case .open:
        // A bill stub's scan line (a barcode or OCR reader types it, then Enter): no search is
        // that long and all digits.
        let typed = heldDigits + state.query.trimmingSpacesAndTabs()
        if state.scanLine.hasShape(typed) { return [.readStub(typed)] }
        guard !state.query.trimmingSpacesAndTabs().isEmpty else {
            state.message = AppState.Message("Type an account number, meter number, phone, address or name", .warning)
            return []
        }
        guard state.searched == state.query, state.results.indices.contains(state.selected) else {
            return searchAsTyped(&state)
        }
        return [.loadAccount(state.results[state.selected].number)]
    case .select:
        state.selected = max(0, min(max(0, state.results.count - 1), state.selected + key.step))
        return []
    default: return nil
    }
}

/// Every key narrows the results: the search runs on what is typed so far.
private func searchAsTyped(_ state: inout AppState) -> [Effect] {
    let query = state.query.trimmingSpacesAndTabs()
    guard !query.isEmpty else {
        clearSearch(&state)
        return []
    }
    state.searched = state.query
    return [.search(state.query)]
}

private func clearSearch(_ state: inout AppState) {
    state.query = ""
    state.searched = nil
    state.results = []
    state.selected = 0
}

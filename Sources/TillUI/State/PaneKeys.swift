/// Keys the focused pane handles itself; nil lets the global table have the key.
func paneKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    switch state.focus {
    case .lookup: return lookupKey(key, &state)
    case .payment:
        if key == .escape, !state.payment.isEmpty {
            state.confirmation = .init(question: "Discard the payment being entered? (y/n)", outcome: .discardPayment)
            return []
        }
        return nil
    case .account:
        return nil
    case .receipt, .drawer, .reports, .service:
        return nil
    }
}

private func lookupKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    switch key {
    case .character(let c):
        // `?` and `:` are help and the command line while the search box is empty.
        if state.query.isEmpty && (c == "?" || c == ":") { return nil }
        guard state.query.count < 60 else { return [] }
        state.query.append(c)
        return searchAsTyped(&state)
    case .backspace:
        _ = state.query.popLast()
        return searchAsTyped(&state)
    case .escape:
        guard !state.query.isEmpty || !state.results.isEmpty else { return nil }
        clearSearch(&state)
        return []
    case .enter:
        guard !state.query.trimmingSpacesAndTabs().isEmpty else {
            state.message = AppState.Message("Type an account number, meter number, phone, address or name", .warning)
            return []
        }
        guard state.searched == state.query, state.results.indices.contains(state.selected) else {
            return searchAsTyped(&state)
        }
        return [.loadAccount(state.results[state.selected].number)]
    case .up: state.selected = max(0, state.selected - 1); return []
    case .down: state.selected = min(max(0, state.results.count - 1), state.selected + 1); return []
    case .pageUp: state.selected = max(0, state.selected - 10); return []
    case .pageDown: state.selected = min(max(0, state.results.count - 1), state.selected + 10); return []
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

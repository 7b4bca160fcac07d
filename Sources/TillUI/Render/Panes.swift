import TillCore

func renderLookup(_ state: AppState, _ grid: inout Grid, x: Int, y: Int, width: Int, height: Int) {
    grid.put("Find", x: x, y: y)
    let inputWidth = width - 5
    let shown = state.query.count >= inputWidth ? String(state.query.suffix(inputWidth - 1)) : state.query
    grid.put(DisplayWidth.pad(shown + (state.focus == .lookup ? "_" : ""), to: inputWidth), x: x + 5, y: y, role: .input)
    guard !state.results.isEmpty else {
        let hint = state.searched == nil ? "Account, meter, phone, address or name: matches show as you type" : ""
        var row = y + 2
        for line in DisplayWidth.wrap(hint, to: width) {
            grid.put(line, x: x, y: row, role: .dim)
            row += 1
        }
        return
    }
    // Two rows a result: number, name and balance; then service address and status.
    let shownResults = max(1, (height - 2) / 2)
    let first = max(0, min(state.selected - shownResults + 1, state.results.count - shownResults))
    for (offset, line) in state.results.dropFirst(first).prefix(shownResults).enumerated() {
        let index = first + offset
        let balance = line.balance.formatted
        let top = DisplayWidth.pad(line.number, to: 8) + " "
            + DisplayWidth.pad(line.name, to: max(4, width - 10 - DisplayWidth.of(balance))) + " " + balance
        let status = line.status == "active" ? "" : " " + line.status
        let bottom = "  " + DisplayWidth.pad(line.serviceAddress, to: max(4, width - 2 - DisplayWidth.of(status))) + status
        let selected = index == state.selected
        let role: Role = selected ? .selection : (line.balance.isNegative ? .moneyNegative : .normal)
        grid.put(DisplayWidth.pad(top, to: width), x: x, y: y + 2 + offset * 2, role: role)
        grid.put(DisplayWidth.pad(DisplayWidth.truncate(bottom, to: width), to: width), x: x, y: y + 3 + offset * 2,
                 role: selected ? .selection : (status.isEmpty ? .dim : .warning))
    }
    if state.results.count > shownResults {
        let more = " \(state.selected + 1)/\(state.results.count) "
        grid.put(more, x: x + width - DisplayWidth.of(more), y: y + 1, role: .dim)
    }
}

func renderDetail(_ pane: Pane, _ state: AppState, _ canvas: inout PaneCanvas) {
    switch pane {
    case .lookup, .account: renderAccount(state, &canvas)
    case .payment: renderPayment(state, &canvas)
    case .receipt:
        canvas.line("No receipt at this terminal yet.", .dim)
        canvas.line("Receipts appear here as they print; F5 reprints, marked REPRINT.", .dim)
    case .drawer:
        canvas.field("Drawer", state.status.drawer)
        canvas.gap()
        canvas.line("Float, takes by tender, drops and the expected cash show here.", .dim)
    case .reports:
        canvas.field("Business day", state.status.businessDate.map { "\($0) open" } ?? "not open",
                     state.status.businessDate == nil ? .warning : .normal)
        canvas.gap()
        canvas.line("Drawer counts, the deposit slip and day close show here.", .dim)
    case .service:
        if let account = state.account {
            canvas.field("Account", "\(account.line.number) \(account.line.name)")
        } else {
            canvas.line("Open an account first (F2 Lookup).", .dim)
        }
    }
}

private func renderAccount(_ state: AppState, _ canvas: inout PaneCanvas) {
    guard let account = state.account else {
        canvas.line("No account open.", .dim)
        canvas.line("F2 or Tab to Lookup, type, Enter; or :acct NUMBER.", .dim)
        return
    }
    let line = account.line
    canvas.field("Account \(line.number)", line.status, line.status == "active" ? .normal : .warning)
    canvas.line(line.name, .title)
    canvas.line("Service  \(line.serviceAddress)")
    if !account.mailingAddress.isEmpty { canvas.line("Mailing  \(account.mailingAddress)") }
    canvas.line("Phone    \(account.phone)    Meter \(account.meter)")
    canvas.gap()
    canvas.field("Balance due", line.balance.formatted, line.balance.isNegative ? .moneyNegative : .moneyPositive)
    if line.balance.isNegative { canvas.line("Credit balance of \(Money(cents: -line.balance.cents).formatted)", .warning) }
    if account.depositHeld.isPositive { canvas.field("Deposit held", account.depositHeld.formatted) }
    if let until = account.cashOnlyUntil {
        canvas.line("Cash only until \(until): no checks", .warning)
    }
    if line.status == "locked-off" { canvas.line("Service is locked off", .warning) }
}

private func renderPayment(_ state: AppState, _ canvas: inout PaneCanvas) {
    let draft = state.payment
    guard !draft.isEmpty else {
        canvas.line("No payment in progress.", .dim)
        canvas.line("F3 on an open account starts one; :pay 45.00 cash too.", .dim)
        return
    }
    canvas.field("Account", draft.account ?? "none yet — open one with F2")
    canvas.field("Amount", draft.amount?.formatted ?? "—", .moneyPositive)
    canvas.field("Tender", draft.tender?.rawValue ?? "—")
    canvas.gap()
    canvas.line("Esc discards the draft (asks first).", .dim)
}

import TillCore

func renderLookup(_ state: AppState, _ grid: inout Grid, x: Int, y: Int, width: Int, height: Int) {
    grid.put("Find", x: x, y: y)
    let inputWidth = width - 5
    let shown = Typing.shown(state.query, room: inputWidth - 1)
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
    case .receipt: renderReceipt(state, &canvas)
    case .drawer: renderDrawer(state, &canvas)
    case .settle: renderSettle(state, &canvas)
    case .reports: renderReports(state, &canvas)
    case .service: renderService(state, &canvas)
    }
}

private func renderAccount(_ state: AppState, _ canvas: inout PaneCanvas) {
    guard let account = state.account else {
        canvas.line("No account open.", .dim)
        canvas.line("F2 or Tab to Lookup and type; or :acct NUMBER.", .dim)
        return
    }
    canvas.skip = state.focus == .account ? state.accountScroll : 0
    canvas.reserved = state.focus == .account ? 1 : 0
    let line = account.line
    canvas.field("Account \(line.number)", line.status, line.status == "active" ? .normal : .warning, labelRole: .title)
    canvas.line(line.name, .title)
    canvas.line("Service  \(line.serviceAddress)")
    if !account.mailingAddress.isEmpty { canvas.line("Mailing  \(account.mailingAddress)") }
    canvas.line("Phone    \(account.phone)    Meter \(account.meter)")
    for alert in account.alerts { canvas.wrapped("! " + alert.text, .warning) }
    canvas.field("Balance due", line.balance.formatted, line.balance.isNegative ? .moneyNegative : .moneyPositive, labelRole: .title)
    if let aging = account.aging {
        let columns = [("Current", aging.current), ("30 days", aging.days30), ("60 days", aging.days60), ("90+", aging.days90)]
        let cell = max(8, canvas.width / 4)
        canvas.line(columns.map { DisplayWidth.pad($0.0, to: cell, alignRight: true) }.joined(), .dim)
        canvas.line(columns.map { DisplayWidth.pad($0.1.formatted, to: cell, alignRight: true) }.joined())
    }
    if account.depositHeld.isPositive { canvas.field("Deposit held", account.depositHeld.formatted) }
    canvas.line("Notes (n adds one)" + (account.notes.count > 3 ? ", newest 3 of \(account.notes.count)" : ""), .title)
    if account.notes.isEmpty { canvas.line("  none", .dim) }
    for note in account.notes.prefix(3) {
        let stamp = String(note.at.prefix(16).map { $0 == "T" ? " " : $0 })
        for text in DisplayWidth.wrap("\(stamp) \(note.operatorLogin): \(note.text)", to: canvas.width - 2) {
            canvas.line("  " + text)
        }
    }
    canvas.gap()
    canvas.line("Open charges", .title)
    if account.openCharges.isEmpty { canvas.line("  none", .dim) }
    for charge in account.openCharges {
        let what = charge.description.isEmpty ? charge.book.name : charge.description
        canvas.field("  due \(charge.dueDate) \(what)", charge.remaining.formatted)
    }
    canvas.gap()
    canvas.line("Payments and corrections", .title)
    if account.payments.isEmpty { canvas.line("  none", .dim) }
    for payment in account.payments {
        let receipt = payment.receipt.map { "#\($0)" } ?? ""
        canvas.field("  \(payment.businessDate) \(receipt) \(payment.tenders)", payment.amount.formatted)
        if !payment.paidTo.isEmpty { canvas.wrapped("    paid " + payment.paidTo, .dim, hang: 4) }
    }
    if state.focus == .account {
        canvas.bottom([((canvas.overflows ? "↓ more · " : "") + KeyMap.hint(.account, only: [.addNote, .pay]), .dim)])
    }
}

private func renderPayment(_ state: AppState, _ canvas: inout PaneCanvas) {
    let draft = state.payment
    if case .done(let posted) = draft.step {
        canvas.line("Receipt \(posted.name) posted", .title)
        canvas.gap()
        canvas.field("Paid", draft.cartTotal.formatted, .moneyPositive)
        for tender in draft.tenders { canvas.field("  " + tenderText(tender), tender.tendered.formatted) }
        canvas.gap()
        // Change is only ever given in cash: a card or e-check payment has no change line.
        if draft.change.isPositive || draft.tenders.contains(where: { $0.kind == .cash }) {
            canvas.field("CHANGE DUE", draft.change.formatted, .focusedTitle, labelRole: .focusedTitle)
            canvas.gap()
        }
        if let failure = posted.printFailure {
            canvas.wrapped("Receipt not printed: \(failure)", .error)
            canvas.wrapped("It waits in the reprint queue: F5, then w.", .warning)
        } else {
            canvas.line("Receipt printed.", .dim)
        }
        canvas.bottom([("Enter: next customer", .dim)])
        return
    }
    guard !draft.lines.isEmpty || draft.step != .cart else {
        canvas.line("No payment in progress.", .dim)
        canvas.wrapped("Find the account (F2), then F3 puts it in the cart.", .dim)
        canvas.wrapped("x adds a miscellaneous receipt (permit, copy fee).", .dim)
        return
    }
    let (prompt, hint) = paymentPrompt(state)
    let promptLines = DisplayWidth.wrap(prompt, to: canvas.width), hintLines = DisplayWidth.wrap(hint, to: canvas.width)
    canvas.reserved = promptLines.count + hintLines.count + 1
    canvas.line("Cart", .title)
    for (index, line) in draft.lines.enumerated() {
        let amount = line.amount?.formatted ?? "—"
        let selected = index == draft.selected && draft.step == .cart
        canvas.field((selected ? "> " : "  ") + line.label, amount, .moneyPositive, labelRole: selected ? .selection : .normal)
        if let due = line.balanceDue {
            canvas.line("    due \(due.formatted)" + (line.amount.map { amount in
                let after = (try? due - amount) ?? due
                return after.isNegative ? ", leaves a credit of \(Money(cents: -after.cents).formatted)" : ""
            } ?? ""), .dim)
        }
        if let note = draft.pledgeNote(line) { canvas.wrapped("    " + (note.problem ? "! " : "") + note.text, note.problem ? .warning : .dim) }
    }
    if let agency = draft.agency { canvas.wrapped("Paid by \(agency) (:agency)", .warning) }
    if let direction = draft.direction { canvas.wrapped("Pays \(direction) first (:to)", .warning) }
    canvas.field("Cart total", draft.cartTotal.formatted, .moneyPositive, labelRole: .title)
    if !draft.tenders.isEmpty {
        canvas.line("Tenders", .title)
        for tender in draft.tenders { canvas.field("  " + tenderText(tender), tender.tendered.formatted) }
    }
    canvas.field("Still to pay", draft.remaining.formatted, draft.remaining.isPositive ? .warning : .normal)
    if draft.change.isPositive { canvas.field("CHANGE DUE", draft.change.formatted, .focusedTitle, labelRole: .focusedTitle) }
    canvas.bottom(promptLines.map { ($0, .input) } + hintLines.map { ($0, .dim) })
}

/// The question the payment pane is asking, and what keys answer it.
private func paymentPrompt(_ state: AppState) -> (String, String) {
    let draft = state.payment
    let typed = CardNumber.masked(draft.entry) + "_"
    switch draft.step {
    case .cart:
        return (draft.isCovered ? "Paid in full: Enter to confirm" : "Tender: " + KeyMap.tenderNames(),
                KeyMap.hint(.payment, only: [.addLine, .editAmount, .removeLine, .removeTender, .submit]))
    case .lineAmount(let index):
        var due = ""
        if index < draft.lines.count, let owed = draft.lines[index].balanceDue, owed.isPositive {
            due = " (Enter = \(owed.formatted) due)"
        }
        return ("Amount\(due): \(typed)", state.registerEntry ? "Digits fill from the cents: 4550 is $45.50" : "e.g. 45.50 or $45.50 · Esc back")
    case .miscCode:
        let codes = PaymentDraft.revenueCodes.enumerated().map { "\($0.offset + 1) \($0.element.name)" }
        return ("Revenue code: " + codes.joined(separator: " · "), "Press its number · Esc back")
    case .miscDescription(let book):
        return ("What for (\(book.name)): \(typed)", "e.g. Permit 2291 · Enter to go on")
    case .tenderAmount(let kind):
        let what = kind == .cash ? "Cash tendered" : "\(kind.title.capitalizedFirst) amount"
        return ("\(what) (Enter = \(draft.remaining.formatted)): \(typed)", kind == .cash ? "Type what the customer hands over: change is worked out" : "Esc back")
    case .tenderDetail(let field):
        let kind = draft.pending?.kind ?? .check
        switch field {
        case .number: return ("\(kind.title.capitalizedFirst) number: \(typed)", "Digits only · Esc back")
        case .brand: return ("Card brand: " + brandMenu, "From the card terminal's slip · Esc back")
        case .lastFour: return ("Last four digits\(kind == .ach ? " of the bank account" : " of the card"): \(typed)",
                                "Never the full number · Esc back")
        case .authorization: return ("Authorisation code: \(typed)", "From the card terminal's slip · Esc back")
        }
    case .confirm:
        let unpledged = draft.pledgeProblems
        return ((unpledged > 0 ? "\(unpledged) line\(unpledged == 1 ? "" : "s") without a pledge or beyond it. " : "")
                + "Post \(draft.cartTotal.formatted)\(draft.change.isPositive ? ", change \(draft.change.formatted)" : "")? Enter posts",
                "Esc goes back to change something")
    case .done:
        return ("", "")
    }
}

func tenderText(_ tender: Tender) -> String {
    tender.kind == .cash && tender.change.isPositive ? "Cash (change \(tender.change.formatted))" : tender.label
}

private func renderReceipt(_ state: AppState, _ canvas: inout PaneCanvas) {
    canvas.reserved = 2
    if !state.reprintQueue.isEmpty {
        let numbers = state.reprintQueue.prefix(6).joined(separator: " ")
        canvas.line("\(state.reprintQueue.count) waiting to print: \(numbers) (w prints)", .warning)
    }
    if let receipt = state.receipt {
        canvas.skip = state.receiptScroll
        for line in receipt.lines { canvas.line(line) }
        canvas.skip = 0
    } else {
        canvas.line("No receipt at this terminal yet.", .dim)
    }
    canvas.bottom([canvas.input("Receipt #: ", state.receiptEntry),
                   ((canvas.overflows ? "↑↓ scroll · " : "") + "number, then " + KeyMap.hint(.receipt, only: [.open, .printReceipt]), .dim)])
}

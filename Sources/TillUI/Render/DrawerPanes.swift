import TillCore

func renderDrawer(_ state: AppState, _ canvas: inout PaneCanvas) {
    if let form = state.drawerForm {
        renderDrawerForm(form, state, &canvas)
        return
    }
    canvas.field("Drawer", state.status.drawer)
    if state.status.drawerSession == nil {
        canvas.line("No drawer open for you at \(state.status.terminal).", .warning)
        canvas.line("o opens one: count the float.", .dim)
        canvas.line("Without a drawer only card and e-check are taken.", .dim)
    }
    canvas.gap()
    canvas.reserved = 1
    canvas.skip = state.drawerScroll
    for line in state.drawer?.report ?? [] { canvas.line(line) }
    canvas.skip = 0
    let keys = KeyMap.hint(.drawer, only: state.status.drawerSession == nil ? [.openDrawer] : [.dropCash, .noSale, .closeDrawer, .refresh])
    canvas.bottom([((canvas.overflows ? "↑↓ scroll · " : "") + keys, .dim)])
}

private func renderDrawerForm(_ form: DrawerForm, _ state: AppState, _ canvas: inout PaneCanvas) {
    canvas.line(form.balance == nil ? form.title : "Counted against expected", .title)
    switch form.step {
    case .count:
        canvas.reserved = 2
        // Keep the selected row in view: the count has more rows than a small pane.
        let rows = DrawerForm.doneRow + 1
        let visible = max(1, canvas.height - canvas.reserved - 1)
        let first = max(0, min(form.row - visible / 2, rows - visible))
        for index in first..<min(rows, first + visible) {
            let selected = index == form.row
            guard index < DrawerForm.doneRow else {
                canvas.line(selected ? "> Done: Enter" : "  Done", selected ? .selection : .dim)
                continue
            }
            let denomination = Denomination.allCases[index]
            let quantity = selected && !form.entry.isEmpty ? form.entry + "_" : "\(form.count[denomination])" + (selected ? "_" : "")
            let amount = Money(cents: denomination.value.cents * form.count[denomination])
            let label = DisplayWidth.pad((selected ? "> " : "  ") + denomination.label, to: 22) + DisplayWidth.pad(quantity, to: 7, alignRight: true)
            canvas.field(label, amount.isZero ? "" : amount.formatted, .normal, labelRole: selected ? .selection : .normal)
        }
        // The total counts the row being typed too: what the cashier sees is what Enter keeps.
        var counted = form.count
        if form.row < DrawerForm.doneRow, let typed = Int64(form.entry) { try? counted.set(Denomination.allCases[form.row], typed) }
        let total = counted.total.formatted
        canvas.bottom([(DisplayWidth.pad("Counted", to: canvas.width - total.count) + total, .title),
                       (form.purpose == .float ? "Standard \(form.standardFloat.total.formatted) · digits ↑↓ · End: Done"
                            : form.expectedCash.map { "Should hold \($0.formatted) · digits ↑↓ · End: Done" }
                            ?? "Digits ↑↓ · End: Done · Esc", .dim)])
    case .checks:
        canvas.line("Tick each check and money order you find (\(form.found.count) of \(form.checks.count)):", .dim)
        canvas.reserved = 1
        // A long list scrolls with the selection.
        let visible = max(1, canvas.height - canvas.reserved - 2)
        let first = max(0, min(form.checkRow - visible / 2, form.checks.count - visible))
        for (index, check) in form.checks.enumerated().dropFirst(first).prefix(visible) {
            let tick = form.found.contains(check.tenderID) ? "[x]" : "[ ]"
            let what = "\(tick) \(check.kind == .check ? "Check" : "M.O.") #\(check.number) \(check.account)"
            canvas.field((index == form.checkRow ? "> " : "  ") + what, check.amount.formatted, .normal,
                         labelRole: index == form.checkRow ? .selection : .normal)
        }
        canvas.bottom([("Space ticks · a all · Enter next", .dim)])
    case .cardBatch:
        canvas.field("Cash counted", form.count.total.formatted)
        canvas.field("Checks found", "\(form.found.count) of \(form.checks.count)")
        canvas.gap()
        canvas.line("The card terminal's batch total:")
        canvas.bottom([canvas.input("Card batch: ", form.entry), ("From the terminal's settlement slip · Enter", .dim)])
    case .reveal, .reason, .approverLogin, .approverPIN, .bag:
        if let b = form.balance {
            canvas.field("Cash expected", b.expectedCash.formatted)
            canvas.field("Cash counted", b.countedCash.formatted)
            canvas.field("Cash over/short", b.cash.formatted, b.cash.isZero ? .normal : .warning)
            canvas.field("Checks over/short", b.checks.formatted, b.checks.isZero ? .normal : .warning)
            canvas.field("Money orders over/short", b.moneyOrders.formatted, b.moneyOrders.isZero ? .normal : .warning)
            canvas.field("Card expected / batch", "\(b.expectedCard.formatted) / \(b.cardBatch.formatted)")
            canvas.field("Card over/short", b.card.formatted, b.card.isZero ? .normal : .warning)
            for check in b.missing { canvas.line("  not found: #\(check.number) \(check.amount.formatted)", .warning) }
            canvas.field("OVER/SHORT", b.total.formatted, b.isBalanced ? .title : .error, labelRole: .title)
        } else {
            canvas.field("Counted", form.count.total.formatted)
        }
        switch form.step {
        case .reveal:
            canvas.bottom([(form.needsApproval ? "Over the limit: Enter, then a reason and a lead's id and PIN · Esc"
                                               : "Enter closes the drawer and prints the Z report · Esc", .dim)])
        case .reason: canvas.bottom([canvas.input("Reason: ", form.entry)])
        case .bag: canvas.bottom([canvas.input("Drop bag number: ", form.entry)])
        case .approverLogin:
            canvas.bottom([("Approved by a lead or supervisor: their id", .dim), canvas.input("Approver id: ", form.entry)])
        case .approverPIN:
            canvas.bottom([("\(form.approverLogin)'s PIN: \(String(repeating: state.glyphs.pinDot, count: form.entry.count))_", .input)])
        default: break
        }
    }
}

func renderSettle(_ state: AppState, _ canvas: inout PaneCanvas) {
    guard let settle = state.settle else {
        canvas.line("Reading the day…", .dim)
        return
    }
    canvas.reserved = 1
    if settle.date == nil {
        canvas.line("No business day is open.", .warning)
        canvas.line("o opens today (a lead or supervisor).", .dim)
    }
    canvas.skip = state.settleScroll
    for line in settle.lines { canvas.line(line) }
    canvas.skip = 0
    if let bag = state.depositBag {
        canvas.bottom([canvas.input("Deposit bag number: ", bag)])
        return
    }
    if let entry = state.dropAcceptance {
        canvas.bottom([("BAG, or BAG AMOUNT WHY when it differs", .dim), canvas.input("Accept bag: ", entry)])
        return
    }
    if let reason = state.cancelReason {
        canvas.bottom([("Cancel the day: only a day with no drawer and no transaction is cancelled.", .dim),
                       canvas.input("Why: ", reason)])
        return
    }
    var keys = settle.dayOpen ? (settle.openDrawers == 0 ? KeyMap.hint(.settle, only: [.closeDay, .acceptDrop, .printReport])
                                                         : "\(settle.openDrawers) drawer(s) open · " + KeyMap.hint(.settle, only: [.acceptDrop, .printReport]))
                              : KeyMap.hint(.settle, only: settle.canOpen ? [.openDay, .printReport] : [.printReport])
    if canvas.overflows { keys = "↑↓ scroll · " + keys }
    canvas.bottom([(keys, .dim)])
}

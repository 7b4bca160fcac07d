import TillCore

func renderService(_ state: AppState, _ canvas: inout PaneCanvas) {
    if let batch = state.batch {
        renderBatch(batch, state.glyphs, &canvas)
        return
    }
    if let form = state.serviceForm {
        renderServiceForm(form, state.glyphs, &canvas)
        return
    }
    if let account = state.account {
        canvas.field("Account \(account.line.number)", account.line.status, account.line.status == "active" ? .normal : .warning,
                     labelRole: .title)
        canvas.field(account.line.name, account.line.balance.formatted)
        if account.depositHeld.isPositive { canvas.field("Deposit held", account.depositHeld.formatted) }
    } else {
        canvas.line("No account open: F2 Lookup first.", .warning)
        canvas.line("Without one: v void, r reverse, n NSF (by receipt),", .dim)
        canvas.line("w work order update, b mail batch.", .dim)
    }
    canvas.gap()
    canvas.reserved = 1
    canvas.skip = state.serviceScroll
    // The actions, two to a line where the pane is wide enough.
    let items = serviceActionKeys.map { "\($0.key) \(menuName($0.kind))" } + ["$ collect deposit", "b mail batch"]
    let columns = max(1, canvas.width / 21)
    let columnWidth = canvas.width / columns
    stride(from: 0, to: items.count, by: columns).forEach { start in
        let row = items[start..<min(items.count, start + columns)].map { DisplayWidth.pad($0, to: columnWidth) }.joined()
        canvas.line(row)
    }
    if let view = state.service, view.account == state.account?.line.number {
        if !view.requests.isEmpty {
            canvas.gap()
            canvas.line("Work orders", .title)
            for line in view.requests { canvas.line(line) }
        }
        if !view.changes.isEmpty {
            canvas.gap()
            canvas.line("Address and contact changes", .title)
            for line in view.changes { canvas.line(line, .dim) }
        }
    }
    canvas.skip = 0
    canvas.bottomLine(0, (canvas.overflows ? "↑↓ scroll · " : "") + "a letter starts an action · F1 help", .dim)
}

private func menuName(_ kind: ServiceForm.Kind) -> String {
    switch kind {
    case .void: "void"
    case .reversal: "reverse"
    case .nsf: "NSF (returned)"
    case .transfer: "transfer"
    case .lateFee: "late-fee reversal"
    case .leak: "leak adjustment"
    case .refund: "refund credit"
    case .depositApply: "apply deposit"
    case .depositRefund: "refund deposit"
    case .plan: "payment plan"
    case .extension: "extension"
    case .request: "service request"
    case .requestUpdate: "update work order"
    case .contact: "address, contact"
    case .writeOff: "write off"
    }
}

private func renderServiceForm(_ form: ServiceForm, _ glyphs: Glyphs, _ canvas: inout PaneCanvas) {
    canvas.line(form.kind.title, .title)
    if let account = form.account { canvas.line("Account \(account)", .dim) }
    canvas.gap()
    for (index, field) in form.fields.enumerated() {
        let current = form.step == .fields && index == form.index
        let value = current ? Typing.shown(field.value, room: max(2, canvas.width - 17)) + "_" : CardNumber.masked(field.value)
        let shown = !current && field.value.isEmpty && index < form.index ? "(none)" : value
        canvas.line(DisplayWidth.pad((current ? "> " : "  ") + field.label, to: 16) + shown, current ? .selection : .normal)
        if current, !field.hint.isEmpty { canvas.line("                " + field.hint, .dim) }
    }
    canvas.gap()
    switch form.step {
    case .fields:
        canvas.bottomLine(0, "Enter next · ↑ back · Esc " + (form.index == 0 ? "cancel" : "back"), .dim)
    case .confirm:
        canvas.line("Enter or y posts it · Esc goes back to change it", .warning)
        canvas.bottomLine(0, "Enter post · Esc back", .dim)
    case .approverLogin, .approverPIN:
        if let reason = form.overrideReason {
            for line in DisplayWidth.wrap(reason, to: canvas.width) { canvas.line(line, .warning) }
        }
        canvas.line("Override for this one action:", .title)
        let cursorLogin = form.step == .approverLogin ? "_" : ""
        canvas.line("  Approver id  " + form.approverLogin + cursorLogin, form.step == .approverLogin ? .selection : .normal)
        if form.step == .approverPIN {
            canvas.line("  PIN          " + String(repeating: glyphs.pinDot, count: form.approverPIN.count) + "_", .selection)
        }
        canvas.bottomLine(0, "Enter next · Esc cancel the override", .dim)
    }
}

private func renderBatch(_ batch: BatchEntry, _ glyphs: Glyphs, _ canvas: inout PaneCanvas) {
    canvas.line("Mail batch entry", .title)
    canvas.reserved = 4
    let visible = max(1, canvas.height - canvas.reserved - 1)
    // Keep the newest lines in view.
    let first = max(0, batch.lines.count - visible - batch.scroll)
    for (index, line) in batch.lines.enumerated().dropFirst(first).prefix(visible) {
        let tender = line.tender == .check ? "#\(line.reference)" : line.tender == .cash ? "cash" : "MO\(line.reference)"
        let label = DisplayWidth.pad("\(index + 1)", to: 4) + DisplayWidth.pad(line.account, to: 8)
            + DisplayWidth.pad(String(line.name.prefix(13)), to: 14) + tender
        canvas.field(label, line.amount.formatted)
    }
    if batch.lines.isEmpty { canvas.line("Lines appear here as each is checked.", .dim) }
    let control = batch.control?.formatted ?? "—"
    canvas.bottomLine(3, "Control \(control) · Entered \(batch.total.formatted) (\(batch.lines.count))", .title)
    canvas.bottomLine(2, "Difference \(batch.control == nil ? "—" : batch.difference.formatted)"
                      + (batch.control != nil && batch.difference.isZero && !batch.lines.isEmpty ? " · balanced: Enter on an empty account posts" : ""),
                      batch.difference.isZero ? .normal : .warning)
    let prompt: (String, String)
    switch batch.field {
    case .control: prompt = ("Control total (the tape): ", batch.entry)
    case .account: prompt = ("Account: ", batch.entry)
    case .amount: prompt = ("\(batch.account) amount: ", batch.entry)
    case .check: prompt = ("\(batch.account) \(batch.amount?.formatted ?? "") check no.: ", batch.entry)
    case .reason: prompt = ("Reason for posting out of balance: ", batch.reason)
    case .approverLogin: prompt = ("Supervisor id: ", batch.approverLogin)
    case .approverPIN: prompt = ("Supervisor PIN: " + String(repeating: glyphs.pinDot, count: batch.approverPIN.count), "")
    }
    canvas.inputLine(1, prompt.0, prompt.1)
    canvas.bottomLine(0, batch.field == .check ? "c cash · m123 money order · Enter adds"
                         : batch.field == .account ? "Enter on none: post · - takes off the last · Esc" : "Enter next · Esc back", .dim)
}

func renderReports(_ state: AppState, _ canvas: inout PaneCanvas) {
    canvas.field("Business day", state.status.businessDate.map { "\($0) open" } ?? "not open",
                 state.status.businessDate == nil ? .warning : .normal)
    canvas.line("X report: F4 · settlement and day close: F8", .dim)
    guard let view = state.reports else { return }
    canvas.gap()
    canvas.line("Actions under override today", .title)
    if view.overrides.isEmpty { canvas.line("  none", .dim) }
    for line in view.overrides.prefix(6) { canvas.line(line) }
    if view.overrides.count > 6 { canvas.line("  … \(view.overrides.count - 6) more: till report overrides", .dim) }
    canvas.gap()
    canvas.line("Settings" + (state.session?.role == .supervisor ? " (Enter changes one)" : ""), .title)
    canvas.reserved = 1
    // Keep the chosen setting in view.
    let visible = max(1, canvas.height - canvas.row - canvas.reserved)
    let first = max(0, min(state.reportsRow - visible / 2, view.settings.count - visible))
    for (index, setting) in view.settings.enumerated().dropFirst(first).prefix(visible) {
        let chosen = index == state.reportsRow
        let label = (chosen ? "> " : "  ") + setting.key
        var value = chosen ? (state.settingEdit.map { $0 + "_" } ?? setting.value) : setting.value
        // The key stays whole; a long value is cut (an edit shows its end, where the typing is).
        let room = max(6, canvas.width - DisplayWidth.of(label) - 1)
        if DisplayWidth.of(value) > room {
            value = chosen && state.settingEdit != nil ? "…" + String(value.suffix(room - 1)) : DisplayWidth.truncate(value, to: room)
        }
        canvas.field(label, value, chosen && state.settingEdit != nil ? .input : .normal, labelRole: chosen ? .selection : .normal)
    }
    canvas.bottomLine(0, state.settingEdit != nil ? "Enter saves · Esc leaves it" : "↑↓ choose · Enter change · r refresh", .dim)
}

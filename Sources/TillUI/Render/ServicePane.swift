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
        canvas.wrapped("Without one: v void, r reverse, n NSF (by receipt), w work order update, b mail batch, u apply or i refund "
                       + "a payment in suspense.", .dim)
    }
    canvas.gap()
    canvas.reserved = 1
    canvas.skip = state.serviceScroll
    // With no customer at the counter, the worklist comes first: it is the work to do.
    if state.account == nil { renderSuspense(state, &canvas) }
    // The actions, two to a line where the pane is wide enough.
    let items = KeyMap.serviceActions.map { "\($0.key) \(menuName($0.kind))" } + ["$ collect deposit", "b mail batch"]
    let columns = max(1, canvas.width / 21)
    let columnWidth = canvas.width / columns
    stride(from: 0, to: items.count, by: columns).forEach { start in
        let row = items[start..<min(items.count, start + columns)].map { DisplayWidth.pad($0, to: columnWidth) }.joined()
        canvas.line(row)
    }
    if state.account != nil { renderSuspense(state, &canvas) }
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
    canvas.bottom([((canvas.overflows ? "↑↓ scroll · " : "") + "a letter starts an action · F1 help", .dim)])
}

/// The clarification worklist: the payments held in suspense, oldest first, old ones marked.
private func renderSuspense(_ state: AppState, _ canvas: inout PaneCanvas) {
    if state.suspense.isEmpty {
        canvas.line("Nothing in suspense.", .dim)
    } else {
        canvas.line("In suspense: \(state.suspense.count) (u apply · i refund)", .title)
        for line in state.suspense { canvas.line(line, line.hasSuffix(" OLD") ? .warning : .normal) }
    }
    canvas.gap()
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
    case .suspenseApply: "apply suspense"
    case .suspenseRefund: "refund suspense"
    case .pledge: "agency pledge"
    case .autopay: "autopay enrol"
    case .autopayStop: "autopay stop"
    }
}

/// Text after a 16-column label, wrapped under itself so nothing is cut.
private func hanging(_ text: String, _ role: Role, _ canvas: inout PaneCanvas, first: String = "") {
    guard !text.isEmpty else { if !first.isEmpty { canvas.line(first, role) }; return }
    let indent = String(repeating: " ", count: 16)
    for (index, part) in text.wrapped(max(8, canvas.width - 16)).enumerated() {
        canvas.line((index == 0 && !first.isEmpty ? first : indent) + part, role)
    }
}

private func renderServiceForm(_ form: ServiceForm, _ glyphs: Glyphs, _ canvas: inout PaneCanvas) {
    canvas.line(form.kind.title, .title)
    if let account = form.account { canvas.line("Account \(account)", .dim) }
    canvas.gap()
    for (index, field) in form.fields.enumerated() {
        let current = form.step == .fields && index == form.index
        let label = DisplayWidth.pad((current ? "> " : "  ") + field.label, to: 16)
        if current {
            canvas.line(label + Typing.shown(ServiceForm.shown(field), room: max(2, canvas.width - 17)) + "_", .selection)
            hanging(field.hint, .dim, &canvas)
        } else if field.value.isEmpty && index < form.index {
            // What Enter took, by value where the screen knows it: the last look hides nothing.
            let described = field.hint.hasPrefix("Enter: ") ? String(field.hint.dropFirst(7)) : field.hint
            canvas.line(label + (form.defaults[field.name] ?? (described.isEmpty ? "(none)" : "(\(described))")), .dim)
        } else {
            hanging(ServiceForm.shown(field), .normal, &canvas, first: label)
        }
    }
    canvas.gap()
    switch form.step {
    case .fields:
        canvas.bottom([("Enter next · ↑ back · Esc " + (form.index == 0 ? "cancel" : "back"), .dim)])
    case .confirm:
        canvas.wrapped("Enter or y posts it · Esc goes back to change it", .warning)
        canvas.bottom([("Enter post · Esc back", .dim)])
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
        canvas.bottom([("Enter next · Esc cancel the override", .dim)])
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
    canvas.bottom([
        ("Control \(control) · Entered \(batch.total.formatted) (\(batch.lines.count))", .title),
        ("Difference \(batch.control == nil ? "—" : batch.difference.formatted)"
            + (batch.control != nil && batch.difference.isZero && !batch.lines.isEmpty ? " · balanced: Enter on an empty account posts" : ""),
         batch.difference.isZero ? .normal : .warning),
        canvas.input(prompt.0, prompt.1),
        (batch.field == .check ? "c cash · m123 money order · Enter adds"
            : batch.field == .account ? "Enter on none: post · - takes off the last · Esc" : "Enter next · Esc back", .dim),
    ])
}

func renderReports(_ state: AppState, _ canvas: inout PaneCanvas) {
    canvas.field("Business day", state.status.businessDate.map { "\($0) open" } ?? "not open",
                 state.status.businessDate == nil ? .warning : .normal)
    canvas.line("X report F4 · settlement, day close F8", .dim)
    guard let view = state.reports else { return }
    canvas.gap()
    canvas.line("Actions under override today", .title)
    if view.overrides.isEmpty { canvas.line("  none", .dim) }
    for line in view.overrides.prefix(6) { canvas.line(line) }
    if view.overrides.count > 6 { canvas.line("  … \(view.overrides.count - 6) more: till report overrides", .dim) }
    if let form = state.officeForm {
        canvas.gap()
        canvas.line("New office", .title)
        for (index, label) in OfficeForm.labels.enumerated() {
            let typing = index == form.field
            canvas.field((typing ? "> " : "  ") + label, typing ? Typing.shown(form.values[index], room: canvas.width - 18) + "_" : form.values[index],
                         typing ? .input : .normal, labelRole: typing ? .selection : .normal)
        }
        canvas.bottom([("Enter goes on · ↑↓ another field · Esc leaves", .dim)])
        return
    }
    if !view.offices.isEmpty {
        canvas.gap()
        canvas.line("Offices" + (state.session?.role == .supervisor ? " (n adds one)" : ""), .title)
        for line in view.offices.prefix(4) { canvas.line("  " + line) }
        if view.offices.count > 4 { canvas.line("  … \(view.offices.count - 4) more: till office list", .dim) }
    }
    canvas.gap()
    canvas.line("Settings" + (state.session?.role == .supervisor ? " (Enter changes one)" : ""), .title)
    canvas.reserved = 1
    // Keep the chosen setting in view.
    let visible = max(1, canvas.height - canvas.row - canvas.reserved)
    let first = max(0, min(state.reportsRow - visible / 2, view.settings.count - visible))
    for (index, setting) in view.settings.enumerated().dropFirst(first).prefix(visible) {
        let chosen = index == state.reportsRow
        let label = (chosen ? "> " : "  ") + setting.key
        let editing = chosen && state.settingEdit != nil
        var value = editing ? Typing.shown(state.settingEdit ?? "", room: canvas.width - 5) + "_" : setting.value
        // The key stays whole: a value that does not fit beside it goes on the next line,
        // whole when chosen (an edit shows its end, where the typing is).
        if DisplayWidth.of(label) + 1 + DisplayWidth.of(value) > canvas.width {
            canvas.line(label, chosen ? .selection : .normal)
            if !chosen { value = DisplayWidth.truncate(value, to: canvas.width - 4) }
            for part in (editing ? [value] : value.wrapped(canvas.width - 4)) {
                canvas.field("", part, editing ? .input : .normal)
            }
        } else {
            canvas.field(label, value, editing ? .input : .normal, labelRole: chosen ? .selection : .normal)
        }
    }
    canvas.bottom([(state.settingEdit != nil ? "Enter saves · Esc leaves it" : "↑↓ choose · " + KeyMap.hint(.reports), .dim)])
}

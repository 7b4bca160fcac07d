import TillCore

private func centeredBox(_ grid: inout Grid, width: Int, height: Int, title: String, glyphs: Glyphs) -> (x: Int, y: Int) {
    let x = max(0, (grid.size.width - width) / 2), y = max(1, (grid.size.height - height) / 2)
    grid.fill(x: x, y: y, width: width, height: height, role: .normal)
    grid.box(x: x, y: y, width: width, height: height, title: title, focused: true, glyphs: glyphs)
    return (x, y)
}

private func credentialRows(_ form: AppState.Credentials, _ grid: inout Grid, x: Int, y: Int, glyphs: Glyphs) {
    let loginText = CardNumber.masked(form.login) + (form.field == .login ? "_" : "")
    let pinText = String(repeating: glyphs.pinDot, count: form.pin.count) + (form.field == .pin ? "_" : "")
    grid.put("Operator id", x: x, y: y, role: form.field == .login ? .title : .normal)
    grid.put(DisplayWidth.pad(loginText, to: 20), x: x + 13, y: y, role: .input)
    grid.put("PIN", x: x, y: y + 2, role: form.field == .pin ? .title : .normal)
    grid.put(DisplayWidth.pad(pinText, to: 20), x: x + 13, y: y + 2, role: .input)
    if let error = form.error {
        for (offset, line) in DisplayWidth.wrap(error, to: 56).prefix(2).enumerated() {
            grid.put(line, x: x, y: y + 4 + offset, role: error == "Checking…" ? .dim : .error)
        }
    }
}

func renderSignIn(_ state: AppState, _ grid: inout Grid) {
    let origin = centeredBox(&grid, width: 62, height: 12, title: "Sign in", glyphs: state.glyphs)
    credentialRows(state.credentials, &grid, x: origin.x + 3, y: origin.y + 2, glyphs: state.glyphs)
    grid.put("Enter: next / sign in   F1 help   F10 quit", x: origin.x + 3, y: origin.y + 9, role: .dim)
}

func renderLock(_ state: AppState, _ grid: inout Grid) {
    guard let form = state.lock, let session = state.session else { return }
    let origin = centeredBox(&grid, width: 62, height: 14, title: "Screen locked", glyphs: state.glyphs)
    grid.put(DisplayWidth.truncate("\(session.name) (\(session.login)) is signed in.", to: 48), x: origin.x + 3, y: origin.y + 2)
    credentialRows(form, &grid, x: origin.x + 3, y: origin.y + 4, glyphs: state.glyphs)
    grid.put("Your PIN unlocks, or a supervisor's id and PIN.", x: origin.x + 3, y: origin.y + 11, role: .dim)
}

/// Help, generated from the same key tables that drive dispatch and the key bar.
func helpLines(_ state: AppState, width: Int = 200) -> [(String, Role)] {
    /// A key column and its description, wrapped under itself when the screen is narrow.
    func row(_ keys: String, _ description: String) -> [(String, Role)] {
        DisplayWidth.wrap(description, to: max(10, width - 22)).enumerated().map { index, text in
            (DisplayWidth.pad(index == 0 ? keys : "", to: 22) + text, .normal)
        }
    }
    func rows(_ bindings: [KeyBinding]) -> [(String, Role)] {
        bindings.flatMap { binding in row(binding.keys.isEmpty ? "(type)" : binding.keyNames, binding.description) }
    }
    if state.lock != nil { return [("Screen locked", .title)] + rows(KeyMap.locked) }
    if state.screen == .signIn { return [("Sign in", .title)] + rows(KeyMap.signIn) }
    var lines: [(String, Role)] = []
    let paneKeys = KeyMap.pane(state.focus)
    lines.append(("\(state.focus.title) pane", .title))
    lines += paneKeys.isEmpty ? [("(no keys of its own yet: the keys below work here)", .dim)] : rows(paneKeys)
    lines.append(("", .normal))
    lines.append(("Everywhere", .title))
    lines += rows(KeyMap.global)
    lines.append(("", .normal))
    lines.append(("Commands (type : first)", .title))
    lines += Command.summaries.flatMap { row($0.usage, $0.description) }
    lines.append(("", .normal))
    lines += DisplayWidth.wrap("Ctrl-F then a digit works for any F-key on any terminal (Ctrl-F 4 = F4, Ctrl-F 0 = F10); "
                               + "so does Alt-digit.", to: width).map { ($0, .dim) }
    return lines
}

func renderHelp(_ state: AppState, _ grid: inout Grid) {
    let width = grid.size.width - 6, height = grid.size.height - 4
    let title = state.lock != nil ? "Help — locked" : state.screen == .signIn ? "Help — Sign in" : "Help — \(state.focus.title)"
    let origin = centeredBox(&grid, width: width, height: height, title: title, glyphs: state.glyphs)
    let lines = helpLines(state, width: width - 4)
    let rows = height - 3
    let first = min(state.helpScroll, max(0, lines.count - rows))
    for (offset, line) in lines.dropFirst(first).prefix(rows).enumerated() {
        grid.put(DisplayWidth.truncate(line.0, to: width - 4), x: origin.x + 2, y: origin.y + 1 + offset, role: line.1)
    }
    let footer = lines.count > rows ? "↑/↓ scroll · Esc closes" : "Esc closes"
    grid.put(footer, x: origin.x + 2, y: origin.y + height - 2, role: .dim)
}

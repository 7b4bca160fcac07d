import TillCore

/// Draws the whole screen for `state`. Pure: the same state gives the same grid.
public func render(_ state: AppState) -> Grid {
    var grid = Grid(state.size)
    let size = state.size
    if state.isTooSmall {
        let text = "Terminal too small: need \(AppState.minimumSize), have \(size)"
        let lines = size.width >= DisplayWidth.of(text) ? [text] : ["Terminal too small:", "need \(AppState.minimumSize)", "have \(size)"]
        for (offset, line) in lines.enumerated() {
            grid.put(line, x: max(0, (size.width - DisplayWidth.of(line)) / 2), y: max(0, size.height / 2 - 1) + offset, role: .warning)
        }
        return grid
    }
    renderStatusLine(state, &grid)
    if state.lock != nil {
        renderLock(state, &grid)
    } else if state.screen == .signIn {
        renderSignIn(state, &grid)
    } else {
        renderPaneTabs(state, &grid)
        renderPanes(state, &grid)
    }
    renderMessageLine(state, &grid)
    renderKeyBar(activeBindings(state), &grid)
    if state.helpOpen { renderHelp(state, &grid) }
    return grid
}

func activeBindings(_ state: AppState) -> [KeyBinding] {
    if state.lock != nil { return KeyMap.locked }
    return state.screen == .signIn ? KeyMap.signIn : KeyMap.global
}

private func renderStatusLine(_ state: AppState, _ grid: inout Grid) {
    let s = state.status
    let sep = " \(state.glyphs.separator) "
    var facts = [s.businessDate.map { "\($0)" } ?? "day not open", s.terminal]
    if let op = state.session {
        facts += ["\(op.login) (\(op.role.rawValue))", "drawer \(s.drawer)"]
    } else {
        facts.append("not signed in")
    }
    let right = sep + facts.joined(separator: sep) + sep + s.clock + " "
    let width = state.size.width
    // The utility's name gives way first: the facts a cashier needs stay whole. In training the
    // word TRAINING comes before all, on every screen.
    let label = s.training ? "TRAINING " + s.utilityName : s.utilityName
    let name = " " + DisplayWidth.truncate(label, to: max(1, width - DisplayWidth.of(right) - 1))
    grid.fill(x: 0, y: 0, width: width, role: .statusLine)
    grid.put(name, x: 0, y: 0, role: .statusLine)
    grid.put(DisplayWidth.truncate(right, to: width), x: max(0, width - DisplayWidth.of(right)), y: 0, role: .statusLine)
}

/// The F-key bar: each key's number and label whole, at least one space between them, the
/// spare columns spread between the keys (at 80 columns "5Reprint 6Service 7Reports", never
/// run together). Only on a screen too narrow for that are the labels shortened, each alike.
private func renderKeyBar(_ bindings: [KeyBinding], _ grid: inout Grid) {
    let y = grid.size.height - 1
    let width = grid.size.width
    let keys = (1...10).map { number in
        (number: String(number), label: bindings.first { $0.keys.contains(.function(number)) }?.label ?? "")
    }
    let needed = keys.reduce(0) { $0 + $1.number.count + DisplayWidth.of($1.label) }
    let gaps = keys.count - 1
    var labels = keys.map(\.label)
    var spare = width - needed
    if spare < gaps {
        // Too narrow for whole labels: each key gets the same slot, its label cut to fit.
        let slot = max(1, width / keys.count)
        labels = keys.map { DisplayWidth.truncate($0.label, to: max(0, slot - $0.number.count - 1)) }
        spare = width - zip(keys, labels).reduce(0) { $0 + $1.0.number.count + DisplayWidth.of($1.1) }
    }
    var x = 0
    for (index, key) in keys.enumerated() {
        guard x < width else { break }
        grid.put(key.number, x: x, y: y, role: .fkeyNumber)
        x += key.number.count
        let gap = index == gaps ? max(0, width - x - DisplayWidth.of(labels[index]))
            : max(1, spare / gaps + (index < spare % gaps ? 1 : 0))
        grid.put(DisplayWidth.pad(labels[index], to: DisplayWidth.of(labels[index]) + gap), x: x, y: y, role: .fkeyLabel)
        x += DisplayWidth.of(labels[index]) + gap
    }
}

private func renderMessageLine(_ state: AppState, _ grid: inout Grid) {
    let y = grid.size.height - 2
    let width = grid.size.width
    if let confirmation = state.confirmation {
        putMessage(confirmation.question, role: .warning, filled: true, &grid)
    } else if state.noteDraft != nil || state.command != nil {
        // A refusal while typing (too long, a card number) shows above the line being typed.
        if let message = state.message {
            let role: Role = message.kind == .error ? .error : message.kind == .warning ? .warning : .normal
            putMessage(message.text, role: role, filled: true, above: 1, &grid)
        }
        grid.fill(x: 0, y: y, width: width, role: .input)
        let line = state.noteDraft.map { Typing.line("Note: ", $0, width: width) } ?? Typing.line(":", state.command ?? "", width: width)
        grid.put(line, x: 0, y: y, role: .input)
    } else if let message = state.message {
        let role: Role = message.kind == .error ? .error : message.kind == .warning ? .warning : .normal
        putMessage(message.text, role: role, filled: false, &grid)
    } else if state.screen == .main && state.lock == nil {
        // The focused pane's own keys where they fit, from the same table as its help.
        let general = "Tab next pane · : command line · F1 or ? help"
        let own = KeyMap.hint(state.focus)
        let line = !own.isEmpty && DisplayWidth.of(own + " · " + general) + 1 <= width ? own + " · " + general : general
        grid.put(" " + line, x: 0, y: y, role: .dim)
    }
}

/// A message or question on the message line; one too long for it takes the lines above it
/// too (up to three, over the panes' bottom edge), so a question's "(y/n)", a refusal's last
/// words or a figure at its end are never cut. Only what would need a fourth line is shortened.
private func putMessage(_ text: String, role: Role, filled: Bool, above: Int = 0, _ grid: inout Grid) {
    let width = grid.size.width, bottom = grid.size.height - 2 - above
    var lines = DisplayWidth.of(text) + 2 <= width ? [text] : text.wrapped(max(1, width - 2))
    if lines.count > 3 { lines = Array(lines.prefix(2)) + [DisplayWidth.truncate(lines.dropFirst(2).joined(separator: " "), to: width - 2)] }
    for (index, line) in lines.enumerated() {
        let y = bottom - (lines.count - 1) + index
        if filled || lines.count > 1 { grid.fill(x: 0, y: y, width: width, role: role) }
        grid.put(" " + DisplayWidth.truncate(line, to: width - 2), x: 0, y: y, role: role)
    }
}

private func renderPaneTabs(_ state: AppState, _ grid: inout Grid) {
    var x = 1
    for pane in Pane.allCases {
        let focused = pane == state.focus
        let text = focused ? "[\(pane.title)]" : " \(pane.title) "
        x += grid.put(text, x: x, y: 1, role: focused ? .focusedTitle : .title) + 1
    }
}

private func renderPanes(_ state: AppState, _ grid: inout Grid) {
    let top = 2, height = grid.size.height - 4
    let leftWidth = max(34, grid.size.width * 2 / 5)
    grid.box(x: 0, y: top, width: leftWidth, height: height, title: Pane.lookup.title,
             focused: state.focus == .lookup, glyphs: state.glyphs)
    renderLookup(state, &grid, x: 2, y: top + 1, width: leftWidth - 4, height: height - 2)
    let detail = state.focus == .lookup ? state.detail : state.focus
    let rightWidth = grid.size.width - leftWidth
    grid.box(x: leftWidth, y: top, width: rightWidth, height: height, title: detail.title,
             focused: state.focus == detail, glyphs: state.glyphs)
    var pane = PaneCanvas(grid: grid, x: leftWidth + 2, y: top + 1, width: rightWidth - 4, height: height - 2)
    renderDetail(detail, state, &pane)
    grid = pane.grid
}

/// A pane's inside: lines written top to bottom, clipped to the pane.
struct PaneCanvas {
    var grid: Grid
    let x: Int, y: Int, width: Int, height: Int
    private(set) var row = 0 // the next line written
    /// Rows scrolled off the top; lines written before them are skipped.
    var skip = 0
    /// Rows kept free at the bottom (for an input line).
    var reserved = 0

    init(grid: Grid, x: Int, y: Int, width: Int, height: Int) {
        self.grid = grid
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    private var visibleRow: Int? {
        let shown = row - skip
        return shown >= 0 && shown < height - reserved ? shown : nil
    }

    mutating func line(_ text: String = "", _ role: Role = .normal) {
        defer { row += 1 }
        guard let shown = visibleRow else { return }
        grid.put(DisplayWidth.truncate(text, to: width), x: x, y: y + shown, role: role, limit: width)
    }

    /// Text that may be longer than the pane is wide, on as many lines as it needs, broken at
    /// spaces and the lines after the first indented by `hang` columns: an alert's amount or
    /// date at its end is never cut.
    mutating func wrapped(_ text: String, _ role: Role = .normal, hang: Int = 2) {
        guard DisplayWidth.of(text) > width, width > hang + 8 else { return line(text, role) }
        for (index, part) in text.wrapped(width - hang).enumerated() {
            line((index == 0 ? "" : String(repeating: " ", count: hang)) + part, role)
        }
    }

    /// A line at a fixed row counted from the bottom of the pane (0 is the last row).
    mutating func bottomLine(_ offset: Int, _ text: String, _ role: Role = .normal) {
        guard offset < height else { return }
        let rowY = y + height - 1 - offset
        // The row is cleared first: a footer that wraps onto more rows than the pane reserved
        // must not leave the ends of the lines beneath it showing.
        grid.fill(x: x, y: rowY, width: width, role: role == .input ? .input : .normal)
        grid.put(DisplayWidth.truncate(text, to: width), x: x, y: rowY, role: role, limit: width)
    }

    /// An input line: the prompt, then what is being typed — its tail when it is longer than
    /// the room, any long run of digits masked — and the cursor. Always one line.
    func input(_ prompt: String, _ typed: String) -> (String, Role) {
        (Typing.line(prompt, typed, width: width), .input)
    }

    /// The lines pinned to the pane's bottom, in reading order (the last is the pane's last
    /// row). Each is wrapped at spaces onto as many rows as it needs, never cut: a hint's last
    /// key and a question's answer keys stay on screen at 80x24. Input lines are one row.
    mutating func bottom(_ entries: [(String, Role)]) {
        var rows: [(String, Role)] = []
        for (text, role) in entries {
            if role == .input || DisplayWidth.of(text) <= width {
                rows.append((text, role))
            } else {
                rows += DisplayWidth.wrap(text, to: width).map { ($0, role) }
            }
        }
        for (offset, row) in rows.reversed().enumerated() { bottomLine(offset, row.0, row.1) }
    }

    /// Lines written so far that did not fit.
    var overflows: Bool { row - skip > height - reserved }

    /// A label and a value, the value right-aligned at the pane's edge.
    mutating func field(_ label: String, _ value: String, _ role: Role = .normal, labelRole: Role = .normal) {
        defer { row += 1 }
        guard let shown = visibleRow else { return }
        let valueWidth = DisplayWidth.of(value)
        let labelText = DisplayWidth.truncate(label, to: max(1, width - valueWidth - 1))
        grid.put(labelText, x: x, y: y + shown, role: labelRole, limit: width)
        // A value wider than the pane is cut at its edge, never drawn over the border.
        let start = max(DisplayWidth.of(labelText) + 1, width - valueWidth)
        guard start < width else { return }
        grid.put(DisplayWidth.truncate(value, to: width - start), x: x + start, y: y + shown, role: role, limit: width - start)
    }

    mutating func gap() { row += 1 }
}

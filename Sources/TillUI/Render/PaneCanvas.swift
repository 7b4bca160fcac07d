/// A pane's inside: lines written top to bottom, clipped to the pane.
struct PaneCanvas {
    var grid: Grid
    let x: Int, y: Int, width: Int, height: Int
    private(set) var row = 0

    init(grid: Grid, x: Int, y: Int, width: Int, height: Int) {
        self.grid = grid
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    mutating func line(_ text: String = "", _ role: Role = .normal) {
        guard row < height else { return }
        grid.put(DisplayWidth.truncate(text, to: width), x: x, y: y + row, role: role, limit: width)
        row += 1
    }

    /// A label and a value, the value right-aligned at the pane's edge.
    mutating func field(_ label: String, _ value: String, _ role: Role = .normal) {
        guard row < height else { return }
        grid.put(DisplayWidth.truncate(label, to: width), x: x, y: y + row, limit: width)
        let valueWidth = DisplayWidth.of(value)
        grid.put(value, x: x + max(DisplayWidth.of(label) + 1, width - valueWidth), y: y + row, role: role, limit: width)
        row += 1
    }

    mutating func gap() { row += 1 }
}

/// The screen as a grid of cells: what `render` produces and what the terminal
/// backend copies to the screen (changed cells only). Tests read its text.
public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
    public var description: String { "\(width)x\(height)" }
}

public struct Cell: Hashable, Sendable {
    /// One grapheme; empty for the right half of a double-width character.
    public var text: String
    public var role: Role

    public init(_ text: String = " ", _ role: Role = .normal) {
        self.text = text
        self.role = role
    }

    public static let blank = Cell()
    var isContinuation: Bool { text.isEmpty }
}

public struct Grid: Equatable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]

    public init(_ size: Size, fill: Cell = .blank) {
        self.size = size
        cells = Array(repeating: fill, count: max(0, size.width * size.height))
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * size.width + x] }
        set { cells[y * size.width + x] = newValue }
    }

    /// Writes `text` from column `x` on row `y`, clipped at `limit` columns (default: the
    /// right edge). Double-width characters take two cells. Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role = .normal, limit: Int? = nil) -> Int {
        guard y >= 0, y < size.height else { return 0 }
        let end = min(size.width, limit.map { x + $0 } ?? size.width)
        var column = x
        for character in text {
            let width = DisplayWidth.of(character)
            if width == 0 { continue }
            if column + width > end { break }
            if column >= 0 {
                self[column, y] = Cell(String(character), role)
                if width == 2 { self[column + 1, y] = Cell("", role) }
            }
            column += width
        }
        return column - x
    }

    public mutating func fill(x: Int, y: Int, width: Int, height: Int = 1, role: Role) {
        for row in max(0, y)..<min(size.height, y + height) {
            for column in max(0, x)..<min(size.width, x + width) { self[column, row] = Cell(" ", role) }
        }
    }

    /// The text of row `y`, without trailing spaces.
    public func line(_ y: Int) -> String {
        var text = ""
        for x in 0..<size.width { text += self[x, y].text }
        while text.last == " " { text.removeLast() }
        return text
    }

    /// The whole screen's text, one line per row.
    public var text: String { (0..<size.height).map(line).joined(separator: "\n") }

    public func contains(_ text: String) -> Bool { (0..<size.height).contains { line($0).contains(text) } }

    /// Roles of the cells where `text` first appears, for checking emphasis.
    public func role(of text: String) -> Role? {
        for y in 0..<size.height {
            let row = (0..<size.width).map { self[$0, y] }
            var columns: [Int] = [], joined = ""
            for (x, cell) in row.enumerated() where !cell.isContinuation { columns.append(x); joined += cell.text }
            if let range = joined.firstRange(of: text) {
                let offset = joined.distance(from: joined.startIndex, to: range.lowerBound)
                return row[columns[offset]].role
            }
        }
        return nil
    }
}

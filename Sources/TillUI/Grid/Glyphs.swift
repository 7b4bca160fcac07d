/// Box-drawing characters: Unicode on UTF-8 terminals, ASCII where the locale is not UTF-8.
public struct Glyphs: Sendable, Equatable {
    public let horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: String
    public let focusedHorizontal, focusedVertical, focusedTopLeft, focusedTopRight, focusedBottomLeft, focusedBottomRight: String
    public let pinDot: String
    public let separator: String

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        focusedHorizontal: "═", focusedVertical: "║", focusedTopLeft: "╔", focusedTopRight: "╗",
        focusedBottomLeft: "╚", focusedBottomRight: "╝", pinDot: "•", separator: "│")

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        focusedHorizontal: "=", focusedVertical: "#", focusedTopLeft: "#", focusedTopRight: "#",
        focusedBottomLeft: "#", focusedBottomRight: "#", pinDot: "*", separator: "|")
}

extension Grid {
    /// Draws a box; a focused box has a double border so focus shows without colour.
    public mutating func box(x: Int, y: Int, width: Int, height: Int, title: String?, focused: Bool, glyphs: Glyphs) {
        guard width >= 2, height >= 2 else { return }
        let role: Role = focused ? .focusedBorder : .paneBorder
        let h = focused ? glyphs.focusedHorizontal : glyphs.horizontal
        let v = focused ? glyphs.focusedVertical : glyphs.vertical
        put((focused ? glyphs.focusedTopLeft : glyphs.topLeft) + String(repeating: h, count: width - 2)
            + (focused ? glyphs.focusedTopRight : glyphs.topRight), x: x, y: y, role: role)
        for row in (y + 1)..<(y + height - 1) {
            put(v, x: x, y: row, role: role)
            put(v, x: x + width - 1, y: row, role: role)
        }
        put((focused ? glyphs.focusedBottomLeft : glyphs.bottomLeft) + String(repeating: h, count: width - 2)
            + (focused ? glyphs.focusedBottomRight : glyphs.bottomRight), x: x, y: y + height - 1, role: role)
        if let title {
            put(" \(DisplayWidth.truncate(title, to: width - 6)) ", x: x + 2, y: y, role: focused ? .focusedTitle : .title)
        }
    }
}

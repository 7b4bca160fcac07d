/// What a cell is, not how it looks: a theme maps each role to colours and attributes.
public enum Role: String, CaseIterable, Sendable, Hashable {
    case normal
    case statusLine = "status_line"
    case paneBorder = "pane_border"
    case focusedBorder = "focused_border"
    case title
    case focusedTitle = "focused_title"
    case selection
    case input
    case warning
    case error
    case moneyPositive = "money_positive"
    case moneyNegative = "money_negative"
    case fkeyNumber = "fkey_number"
    case fkeyLabel = "fkey_label"
    case dim
}

public enum Color: Hashable, Sendable {
    case terminalDefault
    /// 0–7 standard, 8–15 bright, 16–255 the 256-colour palette.
    case index(Int)

    public static let names: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "gray": 8, "grey": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15, "amber": 214,
    ]
}

public enum Attribute: String, CaseIterable, Sendable, Hashable {
    case bold, dim, underline, reverse, standout, blink
}

public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var attributes: Set<Attribute>

    public init(_ foreground: Color = .terminalDefault, _ background: Color = .terminalDefault, _ attributes: Set<Attribute> = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

public struct Theme: Equatable, Sendable {
    public var name: String
    /// False for a theme of attributes only (monochrome).
    public var usesColor: Bool
    public var styles: [Role: Style]

    public func style(_ role: Role) -> Style { styles[role] ?? styles[.normal] ?? Style() }
}

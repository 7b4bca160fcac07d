import TillUI

/// The one key code ncurses still makes with keypad off: the terminal changed size.
enum CursesKey {
    static let resize: UInt32 = 0o632
}

/// ncurses attribute bits (NCURSES_BITS(1, n) = 1 << (n + 8)).
enum CursesAttribute {
    static let standout: UInt32 = 1 << 16, underline: UInt32 = 1 << 17, reverse: UInt32 = 1 << 18
    static let blink: UInt32 = 1 << 19, dim: UInt32 = 1 << 20, bold: UInt32 = 1 << 21

    static func bits(_ attributes: Set<Attribute>) -> UInt32 {
        attributes.reduce(0) { bits, attribute in
            switch attribute {
            case .bold: bits | bold
            case .dim: bits | dim
            case .underline: bits | underline
            case .reverse: bits | reverse
            case .standout: bits | standout
            case .blink: bits | blink
            }
        }
    }
}

import TillUI

/// ncurses key codes (from curses.h; its macros do not import into Swift).
enum CursesKey {
    static let codeYes: Int32 = 0o400
    static let down: UInt32 = 0o402, up: UInt32 = 0o403, left: UInt32 = 0o404, right: UInt32 = 0o405
    static let home: UInt32 = 0o406, backspace: UInt32 = 0o407, f0: UInt32 = 0o410
    static let delete: UInt32 = 0o512, pageDown: UInt32 = 0o522, pageUp: UInt32 = 0o523, enter: UInt32 = 0o527
    static let backTab: UInt32 = 0o541, end: UInt32 = 0o550, resize: UInt32 = 0o632

    /// A function-key code (get_wch returned KEY_CODE_YES) as a Key.
    static func special(_ code: UInt32) -> Key? {
        switch code {
        case down: .down
        case up: .up
        case left: .left
        case right: .right
        case home: .home
        case end: .end
        case backspace: .backspace
        case delete: .delete
        case pageDown: .pageDown
        case pageUp: .pageUp
        case enter: .enter
        case backTab: .backTab
        case (f0 + 1)...(f0 + 12): .function(Int(code - f0))
        // Shift-F1…F10 on many terminals: treat as the plain F-key.
        case (f0 + 13)...(f0 + 22): .function(Int(code - f0 - 12))
        default: nil
        }
    }

    /// An ordinary character code as a Key (control characters become named keys).
    static func character(_ code: UInt32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 27: return .escape
        case 1...26: return .control(Character(UnicodeScalar(code + 96)!))
        default:
            guard code >= 32, let scalar = UnicodeScalar(code) else { return nil }
            return .character(Character(scalar))
        }
    }
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

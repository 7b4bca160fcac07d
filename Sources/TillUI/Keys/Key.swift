/// A key press as the UI sees it, whatever the terminal sent.
public enum Key: Hashable, Sendable {
    case character(Character)
    case function(Int)
    /// Alt (or Esc then) a key: the fallback for terminals whose function keys send odd sequences.
    case alt(Character)
    /// Ctrl with a letter, lower case: `.control("c")` is Ctrl-C.
    case control(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, home, end, pageUp, pageDown
    /// An escape sequence no terminal Till knows sends for a key it uses, swallowed whole
    /// (described as `ESC [ 9 9 ~`) so that none of it is ever typed into a field.
    case unrecognised(String)

    /// How help and the key bar name the key.
    public var name: String {
        switch self {
        case .character(" "): "Space"
        case .character(let c): String(c)
        case .function(let n): "F\(n)"
        case .alt(let c): "Alt-\(c)"
        case .control(let c): "Ctrl-\(c.uppercased())"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .unrecognised(let sequence): "A key this terminal sent (\(sequence))"
        }
    }

    /// How far a moving key moves: ↑ ↓ by one, PgUp PgDn by ten.
    var step: Int {
        switch self {
        case .up: -1
        case .down: 1
        case .pageUp: -10
        case .pageDown: 10
        default: 0
        }
    }

    var printable: Character? {
        if case .character(let c) = self { return c }
        return nil
    }
}

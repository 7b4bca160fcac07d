import CNCurses
import Glibc
import TillUI

/// The only code that touches ncursesw: starts and restores the terminal, copies
/// changed cells of a `Grid` to the screen, and reads keys.
public final class CursesScreen {
    public enum Input: Equatable {
        case key(Key)
        case resize(Size)
        case timeout
    }

    public private(set) var hasColors = false
    public private(set) var isUTF8 = true
    private var previous: Grid?
    private var styles: [Role: (attributes: UInt32, pair: Int16)] = [:]
    private var open = false
    /// Input read while telling Esc from Alt-key, kept for the next `read`.
    private var pending: [Input] = []

    public init() {}

    /// Takes over the terminal. Call `restore()` on every way out.
    public func start() {
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        isUTF8 = codeset.uppercased().filter { $0 != "-" } == "UTF8"
        // Alt-key sequences arrive as Esc + key; wait only briefly to tell them from a lone Esc.
        setenv("ESCDELAY", "25", 0)
        initscr()
        open = true
        raw()
        noecho()
        nonl()
        keypad(till_stdscr(), true)
        curs_set(0)
        hasColors = has_colors()
        if hasColors {
            start_color()
            use_default_colors()
        }
    }

    /// Gives the terminal back as it was: cooked mode, echo, a visible cursor.
    public func restore() {
        guard open else { return }
        open = false
        curs_set(1)
        endwin()
    }

    public var size: Size { Size(width: Int(getmaxx(till_stdscr())), height: Int(getmaxy(till_stdscr()))) }

    public func apply(_ theme: Theme) {
        styles = [:]
        for (index, role) in Role.allCases.enumerated() {
            let style = theme.style(role)
            var pair: Int16 = 0
            if hasColors && theme.usesColor {
                pair = Int16(index + 1)
                init_pair(pair, color(style.foreground), color(style.background))
            }
            styles[role] = (CursesAttribute.bits(style.attributes), pair)
        }
        previous = nil
    }

    private func color(_ color: Color) -> Int16 {
        guard case .index(let value) = color else { return -1 }
        if value < Int(till_colors()) { return Int16(value) }
        if value == 214 { return 3 } // amber without 256 colours: yellow
        return Int16(value % 8)
    }

    /// Copies the cells that changed since the last frame, then updates the screen once.
    public func draw(_ grid: Grid) {
        let full = previous?.size != grid.size
        if full { erase() }
        var cell = cchar_t()
        for y in 0..<grid.size.height {
            for x in 0..<grid.size.width {
                let new = grid[x, y]
                if !full, let old = previous?[x, y], old == new { continue }
                if new.text.isEmpty { continue } // right half of a wide character
                let style = styles[new.role] ?? (0, 0)
                var wide = new.text.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) } + [0]
                setcchar(&cell, &wide, attr_t(style.attributes), style.pair, nil)
                mvadd_wch(Int32(y), Int32(x), &cell)
            }
        }
        previous = grid
        wnoutrefresh(till_stdscr())
        doupdate()
    }

    /// Forces the next `draw` to repaint everything (after a resize or a theme change).
    public func invalidate() { previous = nil }

    /// Waits up to `milliseconds` for a key.
    public func read(milliseconds: Int32) -> Input {
        if !pending.isEmpty { return pending.removeFirst() }
        timeout(milliseconds)
        var value: wint_t = 0
        let result = get_wch(&value)
        if result == ERR { return .timeout }
        if result == CursesKey.codeYes {
            if value == CursesKey.resize { return .resize(size) }
            return CursesKey.special(value).map(Input.key) ?? .timeout
        }
        if value == 27 {
            // Esc then a key within ESCDELAY: Alt-key (also how odd F-key sequences can be typed).
            timeout(0)
            var next: wint_t = 0
            let second = get_wch(&next)
            if second == OK, next >= 32, next != 127, let scalar = UnicodeScalar(next) { return .key(.alt(Character(scalar))) }
            // Anything else that arrived meanwhile (a resize, a special key) is not lost.
            if second == CursesKey.codeYes {
                if next == CursesKey.resize {
                    pending.append(.resize(size))
                } else if let key = CursesKey.special(next) {
                    pending.append(.key(key))
                }
            } else if second == OK, let key = CursesKey.character(next) {
                pending.append(.key(key))
            }
            return .key(.escape)
        }
        return CursesKey.character(value).map(Input.key) ?? .timeout
    }
}

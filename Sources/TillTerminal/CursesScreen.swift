import CNCurses
import Foundation
import Glibc
import TillCore
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
    private var styles: [TillUI.Role: (attributes: UInt32, pair: Int16)] = [:]
    private var open = false
    /// Keys decoded but not yet handed out (one read can complete several).
    private var pending: [Input] = []
    private var decoder = KeyDecoder()
    private var asciiCells: [String: String] = [:]

    public init() {}

    /// Takes over the terminal. Call `restore()` on every way out.
    public func start() {
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        isUTF8 = codeset.uppercased().filter { $0 != "-" } == "UTF8"
        initscr()
        open = true
        raw()
        noecho()
        nonl()
        // Keys are decoded by `KeyDecoder` from the bytes themselves: ncurses' terminfo key
        // table is only as right as TERM, so it is switched off (ncurses still draws).
        keypad(till_stdscr(), false)
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
        for (index, role) in TillUI.Role.allCases.enumerated() {
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
                // The right half of a wide character: ncurses draws it with the left, except in
                // ASCII, where the left became one narrow character and this cell a space.
                if new.text.isEmpty && isUTF8 { continue }
                let style = styles[new.role] ?? (0, 0)
                let text = isUTF8 ? new.text : ascii(new.text)
                var wide = text.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) } + [0]
                setcchar(&cell, &wide, attr_t(style.attributes), style.pair, nil)
                mvadd_wch(Int32(y), Int32(x), &cell)
            }
        }
        previous = grid
        wnoutrefresh(till_stdscr())
        doupdate()
    }

    /// Without a UTF-8 locale the terminal cannot be trusted with anything but ASCII (LANG=C
    /// drew Núñez one cell wide in the grid and two on the screen, shifting the rest of the
    /// row): each cell becomes one ASCII character, folded as receipts fold (é → e, Ø → O),
    /// or `?`.
    private func ascii(_ cell: String) -> String {
        if cell.isEmpty { return " " }
        if cell.utf8.count == 1 { return cell }
        if let known = asciiCells[cell] { return known }
        if let mark = Self.asciiMarks[cell] { return mark }
        let folded = LatinLetters.spelledPlain(cell)
            .folding(options: [.diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        let first = folded.unicodeScalars.first.flatMap { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? String($0) : nil } ?? "?"
        asciiCells[cell] = first
        return first
    }

    /// The screen's own marks, in ASCII.
    private static let asciiMarks: [String: String] = [
        "…": ".", "·": "-", "—": "-", "–": "-", "→": ">", "←": "<", "↑": "^", "↓": "v", "×": "x", "•": "*",
        "✓": "v", "“": "\"", "”": "\"", "‘": "'", "’": "'", "≥": ">", "≤": "<", "€": "E", "£": "L",
    ]

    /// Forces the next `draw` to repaint everything (after a resize or a theme change).
    public func invalidate() { previous = nil }

    /// Waits up to `milliseconds` for a key. Keys are decoded from the terminal's bytes by
    /// `KeyDecoder`, not by ncurses' terminfo table, so a TERM that does not match the
    /// terminal can never type part of an escape sequence into a field.
    public func read(milliseconds: Int32) -> Input {
        if !pending.isEmpty { return pending.removeFirst() }
        var wait = milliseconds
        while true {
            timeout(wait)
            let byte = wgetch(till_stdscr())
            if byte == ERR {
                guard decoder.isHolding else { return resized() ?? .timeout }
                pending += decoder.flush().map(Input.key)
                return pending.isEmpty ? .timeout : pending.removeFirst()
            }
            if byte == Int32(CursesKey.resize) {
                pending += decoder.flush().map(Input.key)
                pending.append(.resize(size))
                return pending.removeFirst()
            }
            guard (0...255).contains(byte) else { continue } // a key code ncurses made: keypad is off, so none
            pending += decoder.feed([UInt8(byte)]).map(Input.key)
            if decoder.isHolding {
                wait = decoder.waitMilliseconds
            } else if !pending.isEmpty {
                return pending.removeFirst()
            } else {
                wait = milliseconds // bytes swallowed whole (a paste marker): wait on
            }
        }
    }

    /// Draws everything again from nothing (Ctrl-L): another program may have written over it.
    public func repaint() {
        clearok(till_curscr(), true)
        previous = nil
    }

    /// A size change ncurses has not reported as a key (some terminals deliver none).
    private func resized() -> Input? {
        guard let shown = previous?.size, shown != size else { return nil }
        return .resize(size)
    }
}

/// Turns the bytes a terminal sends into keys, whatever TERM claims the terminal is.
///
/// Terminfo describes one terminal; the counter meets many (PuTTY in its several keyboard
/// modes, tmux and screen, the Linux console, rxvt, xterm with and without application
/// mode), and a TERM that does not match made ncurses type the tail of an escape sequence
/// ("4" from End's `ESC [ 4 ~`) into a money count. So every form real terminals send is
/// recognised here, and any other escape sequence is swallowed whole as an
/// `.unrecognised` key: it never reaches a field as characters.
///
/// Pure and byte-at-a-time, so a sequence split across reads decodes the same. The caller
/// asks `waitMilliseconds` how long to wait for the rest of a held sequence, and calls
/// `flush()` when that time passes with nothing more (a lone Esc is then the Esc key).
public struct KeyDecoder: Sendable {
    private var held: [UInt8] = []

    public init() {}

    /// Whether bytes are held waiting for the rest of a sequence.
    public var isHolding: Bool { !held.isEmpty }

    /// How long to wait for more before `flush()`: a lone Esc is decided quickly, so Esc
    /// never feels slow; a sequence already begun (`ESC [`) gets longer, for slow links.
    public var waitMilliseconds: Int32 {
        if held == [0x1B] { return Self.escapeWait }
        if held.first == 0x1B || held.first == 0x9B || held.first == 0x8F { return Self.sequenceWait }
        return Self.sequenceWait // the rest of a UTF-8 character
    }

    public static let escapeWait: Int32 = 30
    public static let sequenceWait: Int32 = 400

    /// Feeds bytes as they were read; returns every key they complete.
    public mutating func feed(_ bytes: [UInt8]) -> [Key] {
        var keys: [Key] = []
        for byte in bytes {
            held.append(byte)
            keys += decodeHeld(final: false)
        }
        return keys
    }

    /// Nothing more came: what is held is decided as it stands (Esc alone is Esc; a
    /// sequence cut short is unrecognised; half a UTF-8 character is dropped with a note).
    public mutating func flush() -> [Key] {
        guard !held.isEmpty else { return [] }
        return decodeHeld(final: true)
    }

    // MARK: - Decoding

    private mutating func decodeHeld(final: Bool) -> [Key] {
        var keys: [Key] = []
        while !held.isEmpty {
            switch Self.parse(held, final: final) {
            case .needMore:
                return keys
            case .key(let key, let length):
                if let key { keys.append(key) }
                held.removeFirst(length)
            }
        }
        return keys
    }

    private enum Parse {
        case needMore
        /// A key (nil: consumed silently) and how many bytes it took.
        case key(Key?, Int)
    }

    private static func parse(_ bytes: [UInt8], final: Bool) -> Parse {
        let first = bytes[0]
        switch first {
        case 0x1B: return escape(bytes, final: final)
        case 0x9B: return controlSequence(bytes, start: 1, final: final)
        case 0x8F: return singleShift(bytes, start: 1, final: final)
        case 0x00..<0x80: return .key(control(first), 1)
        default: return utf8(bytes, final: final)
        }
    }

    private static func control(_ byte: UInt8) -> Key? {
        switch byte {
        case 0x09: .tab
        case 0x0A, 0x0D: .enter
        case 0x08, 0x7F: .backspace
        case 0x01...0x1A: .control(Character(UnicodeScalar(byte + 0x60)))
        case 0x00, 0x1C...0x1F: nil // Ctrl-Space, Ctrl-\ and the like: nothing at the counter
        default: .character(Character(UnicodeScalar(byte)))
        }
    }

    private static func escape(_ bytes: [UInt8], final: Bool) -> Parse {
        guard bytes.count > 1 else { return final ? .key(.escape, 1) : .needMore }
        switch bytes[1] {
        case UInt8(ascii: "["): return controlSequence(bytes, start: 2, final: final)
        case UInt8(ascii: "O"): return singleShift(bytes, start: 2, final: final)
        case 0x1B:
            // Esc Esc: the first is Esc; the second may begin a sequence (Alt with an F-key on rxvt).
            return .key(.escape, 1)
        case 0x20..<0x7F:
            return .key(.alt(Character(UnicodeScalar(bytes[1]))), 2)
        default:
            // Esc then a control key or a non-ASCII byte: Esc, and the rest decoded on its own.
            return .key(.escape, 1)
        }
    }

    /// `CSI` parameters, intermediates, final — `ESC [ 1 5 ~`, `ESC [ 1 ; 5 A`, rxvt's
    /// `ESC [ 1 1 $`, and the Linux console's `ESC [ [ A`.
    private static func controlSequence(_ bytes: [UInt8], start: Int, final: Bool) -> Parse {
        var index = start
        if bytes.count > index, bytes[index] == UInt8(ascii: "["), index == start {
            // Linux console F1–F5: ESC [ [ A … E.
            guard bytes.count > index + 1 else { return final ? .key(unrecognised(bytes), bytes.count) : .needMore }
            let letter = bytes[index + 1]
            let key: Key? = (UInt8(ascii: "A")...UInt8(ascii: "E")).contains(letter)
                ? .function(Int(letter - UInt8(ascii: "A")) + 1) : unrecognised(Array(bytes[0...(index + 1)]))
            return .key(key, index + 2)
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x30...0x3F, 0x20...0x23, 0x25...0x2F:
                index += 1
            case 0x24 where index > start && bytes[index - 1] != UInt8(ascii: ";") && isDigits(bytes[start..<index]):
                // rxvt's Shift form ends in `$` (`ESC [ 2 3 $` is Shift-F11).
                return .key(csiKey(bytes, start: start, end: index), index + 1)
            case 0x24:
                index += 1
            case 0x40...0x7E:
                return .key(csiKey(bytes, start: start, end: index), index + 1)
            default:
                // Not part of a sequence (a control byte, text): what came so far is one unknown key.
                return .key(unrecognised(Array(bytes[0..<index])), index)
            }
            if index - start > 32 { return .key(unrecognised(Array(bytes[0..<index])), index) }
        }
        return final ? .key(unrecognised(bytes), bytes.count) : .needMore
    }

    /// `SS3` then one letter (`ESC O P` F1, `ESC O A` up, `ESC O q` keypad 1), with an
    /// optional modifier before it on some xterms (`ESC O 2 P`).
    private static func singleShift(_ bytes: [UInt8], start: Int, final: Bool) -> Parse {
        var index = start
        while index < bytes.count, (0x30...0x3B).contains(bytes[index]) { index += 1 }
        guard index < bytes.count else {
            if final {
                // ESC O alone: Alt-O typed (Alt with a capital O).
                if bytes.count == start, start == 2 { return .key(.alt("O"), 2) }
                return .key(unrecognised(bytes), bytes.count)
            }
            return .needMore
        }
        let letter = bytes[index]
        guard (0x40...0x7E).contains(letter) else {
            if index == start, start == 2 { return .key(.alt("O"), 2) }
            return .key(unrecognised(Array(bytes[0..<index])), index)
        }
        return .key(ss3Key(letter) ?? unrecognised(Array(bytes[0...index])), index + 1)
    }

    private static func ss3Key(_ letter: UInt8) -> Key? {
        switch Character(UnicodeScalar(letter)) {
        case "A": .up
        case "B": .down
        case "C": .right
        case "D": .left
        case "H": .home
        case "F": .end
        case "P": .function(1)
        case "Q": .function(2)
        case "R": .function(3)
        case "S": .function(4)
        // PuTTY's VT100+ keyboard: F5–F12 go on after F4 (ESC O T … ESC O [).
        case "T": .function(5)
        case "U": .function(6)
        case "V": .function(7)
        case "W": .function(8)
        case "X": .function(9)
        case "Y": .function(10)
        case "Z": .function(11)
        case "[": .function(12)
        // The numeric keypad in application mode: the cashier's digits must still be digits.
        case "M": .enter
        case "j": .character("*")
        case "k": .character("+")
        case "l": .character(",")
        case "m": .character("-")
        case "n": .character(".")
        case "o": .character("/")
        case "p"..."y": .character(Character(UnicodeScalar(letter - UInt8(ascii: "p") + UInt8(ascii: "0"))))
        // rxvt's Ctrl-arrows.
        case "a": .up
        case "b": .down
        case "c": .right
        case "d": .left
        default: nil
        }
    }

    private static func csiKey(_ bytes: [UInt8], start: Int, end: Int) -> Key? {
        let final = bytes[end]
        let parameterText = String(decoding: bytes[start..<end], as: UTF8.self)
        let parameters = parameterText.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        let first = parameters.first.flatMap { $0 }
        let isPlain = parameterText.isEmpty
        // xterm's modified forms (`1;5A` Ctrl-up, `1;2P` Shift-F1) carry 1 then a modifier.
        let isModifiedPlain = parameters.count == 2 && first == 1 && parameters[1] != nil
        let letterForm = isPlain || isModifiedPlain
        switch Character(UnicodeScalar(final)) {
        case "A" where letterForm: return .up
        case "B" where letterForm: return .down
        case "C" where letterForm: return .right
        case "D" where letterForm: return .left
        case "H" where letterForm: return .home
        case "F" where letterForm: return .end
        case "Z" where isPlain: return .backTab
        case "P" where isModifiedPlain: return .function(1)
        case "Q" where isModifiedPlain: return .function(2)
        case "R" where isModifiedPlain: return .function(3)
        case "S" where isModifiedPlain: return .function(4)
        // PuTTY's SCO keyboard: F1–F12 are ESC [ M … ESC [ X.
        case "M"..."X" where isPlain: return .function(Int(final - UInt8(ascii: "M")) + 1)
        // rxvt's Shift-arrows.
        case "a" where isPlain: return .up
        case "b" where isPlain: return .down
        case "c" where isPlain: return .right
        case "d" where isPlain: return .left
        case "~", "^", "$", "@":
            guard let number = first, parameters.count <= 2 else { break }
            return tildeKey(number) ?? (number == 200 || number == 201 ? nil : unrecognised(Array(bytes[0...end])))
        default: break
        }
        return unrecognised(Array(bytes[0...end]))
    }

    /// The VT220 numbered keys, as xterm, rxvt, PuTTY, screen, tmux and the Linux console send them.
    private static func tildeKey(_ number: Int) -> Key? {
        switch number {
        case 1, 7: .home // 1: Find on a VT220 (Home on PuTTY, screen, the Linux console); 7: rxvt
        case 4, 8: .end // 4: Select on a VT220 (End elsewhere); 8: rxvt
        case 3: .delete
        case 5: .pageUp
        case 6: .pageDown
        case 11...15: .function(number - 10)
        case 17...21: .function(number - 11)
        case 23, 24: .function(number - 12)
        // A VT220's F11–F14 and rxvt's Shift-F1…: the same F-keys plain, as ncurses' Shift-F is.
        case 25, 26: .function(number - 22)
        case 28, 29: .function(number - 23)
        case 31...34: .function(number - 24)
        default: nil // 2 Insert has no use at the counter: swallowed with the others
        }
    }

    private static func isDigits(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { (0x30...0x39).contains($0) || $0 == UInt8(ascii: ";") }
    }

    private static func utf8(_ bytes: [UInt8], final: Bool) -> Parse {
        let first = bytes[0]
        let length: Int
        switch first {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default:
            // Not the start of a UTF-8 character (a Latin-1 terminal): take it as that letter.
            return .key(latin1(first), 1)
        }
        for index in 1..<min(length, bytes.count) where bytes[index] & 0xC0 != 0x80 {
            return .key(latin1(first), 1)
        }
        guard bytes.count >= length else { return final ? .key(latin1(first), 1) : .needMore }
        var decoder = UTF8()
        var iterator = bytes[0..<length].makeIterator()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return .key(.character(Character(scalar)), length) }
        return .key(latin1(first), 1)
    }

    private static func latin1(_ byte: UInt8) -> Key? {
        byte >= 0xA0 ? .character(Character(UnicodeScalar(byte))) : nil
    }

    private static func unrecognised(_ bytes: [UInt8]) -> Key {
        .unrecognised(describe(bytes))
    }

    /// `ESC [ 9 9 ~` as a person reads it, never the raw bytes.
    public static func describe(_ bytes: [UInt8]) -> String {
        bytes.map { byte -> String in
            switch byte {
            case 0x1B: "ESC"
            case 0x9B: "CSI"
            case 0x8F: "SS3"
            case 0x21...0x7E: String(UnicodeScalar(byte))
            default: "0x" + String(byte, radix: 16, uppercase: true)
            }
        }.joined(separator: " ")
    }
}

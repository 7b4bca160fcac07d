import Testing
@testable import TillUI

/// What real terminals send for the keys the counter uses, whatever TERM says, fed to the
/// decoder as raw bytes: whole, split at every point across two reads, and byte by byte.
@Suite("Key decoding whatever TERM says")
struct KeyDecoderTests {
    struct Row: CustomStringConvertible, Sendable {
        let terminal: String
        let bytes: [UInt8]
        let key: Key
        var description: String { "\(terminal): \(KeyDecoder.describe(bytes)) → \(key.name)" }
    }

    static func seq(_ text: String) -> [UInt8] { [0x1B] + Array(text.utf8) }

    static let table: [Row] = {
        var rows: [Row] = []
        func add(_ terminal: String, _ text: String, _ key: Key) { rows.append(Row(terminal: terminal, bytes: seq(text), key: key)) }
        // xterm, VTE, iTerm2, Windows Terminal, tmux and screen: SS3 F1–F4, CSI for the rest.
        for (n, letter) in ["P", "Q", "R", "S"].enumerated() {
            add("xterm", "O" + letter, .function(n + 1))
            add("xterm Shift/Ctrl", "[1;2" + letter, .function(n + 1))
            add("xterm Ctrl", "[1;5" + letter, .function(n + 1))
            add("xterm old modifier", "O2" + letter, .function(n + 1))
        }
        for (n, code) in [15, 17, 18, 19, 20, 21, 23, 24].enumerated() {
            add("xterm", "[\(code)~", .function(n + 5))
            add("xterm Shift", "[\(code);2~", .function(n + 5))
        }
        // VT220, rxvt, PuTTY's default (ESC [ n ~) keyboard: F1–F4 as 11–14.
        for n in 1...4 { add("rxvt/PuTTY", "[\(10 + n)~", .function(n)) }
        add("rxvt Shift-F1", "[11$", .function(1))
        add("rxvt Ctrl-F5", "[15^", .function(5))
        add("rxvt Ctrl-Shift-F5", "[15@", .function(5))
        // The Linux console: F1–F5 as ESC [ [ A … E.
        for (n, letter) in ["A", "B", "C", "D", "E"].enumerated() { add("linux", "[[" + letter, .function(n + 1)) }
        // PuTTY's VT100+ keyboard: ESC O P … ESC O [.
        for (n, letter) in ["T", "U", "V", "W", "X", "Y", "Z", "["].enumerated() { add("PuTTY VT100+", "O" + letter, .function(n + 5)) }
        // PuTTY's SCO keyboard: ESC [ M … ESC [ X.
        for (n, letter) in "MNOPQRSTUVWX".enumerated() { add("PuTTY SCO", "[" + String(letter), .function(n + 1)) }
        // Arrows in normal and application mode, with modifiers.
        for (letter, key) in [("A", Key.up), ("B", .down), ("C", .right), ("D", .left)] {
            add("normal", "[" + letter, key)
            add("application", "O" + letter, key)
            add("xterm Ctrl", "[1;5" + letter, key)
        }
        // Home and End: every form.
        for (text, key) in [("[H", Key.home), ("OH", .home), ("[1~", .home), ("[7~", .home), ("[1;5H", .home),
                            ("[F", .end), ("OF", .end), ("[4~", .end), ("[8~", .end), ("[1;2F", .end)] {
            add("home/end", text, key)
        }
        add("vt220", "[5~", .pageUp)
        add("vt220", "[6~", .pageDown)
        add("vt220", "[3~", .delete)
        add("xterm", "[3;5~", .delete)
        add("xterm", "[Z", .backTab)
        // The numeric keypad in application mode: digits stay digits.
        for digit in 0...9 { add("keypad", "O" + String(Character(UnicodeScalar(UInt8(ascii: "p") + UInt8(digit)))), .character(Character("\(digit)"))) }
        add("keypad", "On", .character("."))
        add("keypad", "OM", .enter)
        add("keypad", "Om", .character("-"))
        add("keypad", "Ok", .character("+"))
        // Alt (or Esc quickly) then a key.
        add("alt", "4", .alt("4"))
        add("alt", "0", .alt("0"))
        return rows
    }()

    @Test("each sequence whole", arguments: table)
    func whole(row: Row) {
        var decoder = KeyDecoder()
        let keys = decoder.feed(row.bytes) + decoder.flush()
        #expect(keys == [row.key], "\(row)")
    }

    @Test("each sequence split across two reads at every point, and byte by byte", arguments: table)
    func split(row: Row) {
        for cut in 1..<row.bytes.count {
            var decoder = KeyDecoder()
            var keys = decoder.feed(Array(row.bytes[..<cut]))
            #expect(keys.isEmpty || cut == row.bytes.count, "\(row) cut at \(cut) gave \(keys)")
            #expect(decoder.isHolding)
            keys += decoder.feed(Array(row.bytes[cut...]))
            #expect(keys == [row.key], "\(row) cut at \(cut)")
            #expect(!decoder.isHolding)
        }
        var decoder = KeyDecoder()
        let keys = row.bytes.flatMap { decoder.feed([$0]) }
        #expect(keys == [row.key], "\(row) byte by byte")
    }

    @Test func aSequenceNeverTypesItsTailIntoAField() {
        // The first-round failure: End (ESC [ 4 ~) typed "4" into the $100 row.
        var decoder = KeyDecoder()
        let keys = decoder.feed(Self.seq("[4~") + Array("12".utf8) + Self.seq("[[E") + Self.seq("[17~") + Array("3".utf8))
        #expect(keys == [.end, .character("1"), .character("2"), .function(5), .function(6), .character("3")])
    }

    @Test func unknownSequencesAreSwallowedWholeAsOneKey() {
        var decoder = KeyDecoder()
        let keys = decoder.feed(Self.seq("[99~") + Array("7".utf8) + Self.seq("[2;3;4q") + Self.seq("O~") + Self.seq("[?1;2c"))
        #expect(keys == [.unrecognised("ESC [ 9 9 ~"), .character("7"), .unrecognised("ESC [ 2 ; 3 ; 4 q"),
                         .unrecognised("ESC O ~"), .unrecognised("ESC [ ? 1 ; 2 c")])
        // Insert has no use at the counter: nothing typed either.
        #expect(decoder.feed(Self.seq("[2~")) == [.unrecognised("ESC [ 2 ~")])
        // Bracketed-paste markers are dropped silently; the text between them is typed.
        #expect(decoder.feed(Self.seq("[200~") + Array("ab".utf8) + Self.seq("[201~")) == [.character("a"), .character("b")])
    }

    @Test func aSequenceCutShortIsUnrecognisedNotTyped() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(Self.seq("[1")).isEmpty)
        #expect(decoder.waitMilliseconds == KeyDecoder.sequenceWait)
        #expect(decoder.flush() == [.unrecognised("ESC [ 1")])
        // A sequence broken by a control byte: the part so far is one unknown key, the rest decoded.
        #expect(decoder.feed(Self.seq("[1") + [0x0D]) == [.unrecognised("ESC [ 1"), .enter])
    }

    @Test func escAloneIsEscAfterAShortWaitAndEscEscIsTwo() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x1B]).isEmpty)
        #expect(decoder.waitMilliseconds == KeyDecoder.escapeWait)
        #expect(decoder.flush() == [.escape])
        #expect(decoder.feed([0x1B, 0x1B]) == [.escape])
        #expect(decoder.flush() == [.escape])
        // Esc then Esc-sequence (rxvt's Alt-F-key): Esc, then the F-key.
        #expect(decoder.feed([0x1B] + Self.seq("[15~")) == [.escape, .function(5)])
        // ESC O with nothing after it in time is Alt-O, not a lost key.
        #expect(decoder.feed(Self.seq("O")).isEmpty)
        #expect(decoder.flush() == [.alt("O")])
    }

    @Test func controlBytesAndTextDecode() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x0D, 0x0A, 0x09, 0x7F, 0x08, 0x03, 0x06, 0x0C, 0x00]) ==
                [.enter, .enter, .tab, .backspace, .backspace, .control("c"), .control("f"), .control("l")])
        #expect(decoder.feed(Array("Ødegaard Łukasz €5 ✓".utf8)) == "Ødegaard Łukasz €5 ✓".map(Key.character))
        // A UTF-8 character split across reads.
        let euro = Array("€".utf8)
        #expect(decoder.feed([euro[0]]).isEmpty)
        #expect(decoder.feed(Array(euro[1...])) == [.character("€")])
        // A Latin-1 terminal's é (0xE9 then a space) is é, not a lost byte.
        #expect(decoder.feed([0xE9, 0x20]) == [.character("é"), .character(" ")])
        // Eight-bit CSI.
        #expect(decoder.feed([0x9B] + Array("15~".utf8)) == [.function(5)])
    }
}

@Suite("Keys that reach the screen from any terminal")
struct TerminalKeysUITests {
    @Test func ctrlFThenADigitIsThatFunctionKeyEverywhere() throws {
        let f = try UIFixture()
        f.press(.control("f"), .character("1"))
        #expect(f.screen.contains("Help"))
        f.press(.escape)
        f.signIn()
        f.press(.control("f"))
        #expect(f.screen.contains("F-key: type its number"))
        f.press(.character("4"))
        #expect(f.runtime.state.focus == .drawer)
        f.press(.control("f"), .character("8"))
        #expect(f.runtime.state.focus == .settle)
        // Anything but a digit does nothing and says how it works.
        f.press(.control("f"), .character("x"))
        #expect(f.runtime.state.focus == .settle)
        #expect(f.screen.contains("Ctrl-F takes a digit"))
        f.press(.control("f"), .escape)
        #expect(f.runtime.state.focus == .settle)
    }

    @Test func anUnrecognisedKeyTypesNothingIntoACountAndAnswersNoQuestion() throws {
        let f = try UIFixture()
        f.signIn()
        f.press(.function(4), .character("o"), .home)
        f.press(.unrecognised("ESC [ 9 9 ~"))
        #expect(f.runtime.state.drawerForm?.entry == "")
        #expect(f.screen.contains("a key Till does not know (ESC [ 9 9 ~): nothing was typed"))
        f.press(.escape)
        #expect(f.runtime.state.confirmation != nil)
        f.press(.unrecognised("ESC [ 2 ~"))
        #expect(f.runtime.state.confirmation != nil)
        #expect(f.runtime.state.drawerForm != nil)
    }
}

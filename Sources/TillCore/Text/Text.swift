/// Small text helpers shared by the screen, the reports and the command line.
extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and carriage returns.
    public func trimmingSpacesAndTabs() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" || first == "\r" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return String(text)
    }

    /// "money order" → "Money order".
    public var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

extension String {
    /// The text in lines of at most `width` characters, broken at spaces; a word longer than
    /// the line goes on in the next (paper never cuts what it cannot fit).
    public func wrapped(_ width: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in split(separator: " ") {
            var word = String(word)
            while word.count > width {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if current.isEmpty { current = word } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// Padded with spaces on the right (or, `leftPadded`, on the left) to at least `width` characters.
    public func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    public func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
    /// Digits padded with zeros on the left to at least `width` characters.
    public func leftZeroPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}

/// Characters that must not enter the ledger from a file or a field: they cut text short (NUL),
/// move the cursor or change colours on a terminal (ESC and the other controls), or make text
/// read in another order than it is stored (bidirectional overrides and isolates).
public enum TextSafety {
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Text a person typed or a file held, as a message may quote it: in quotes, each unsafe
    /// character named by its code point (`<U+001B>`), and a full card number withheld.
    public static func quoted(_ text: String) -> String {
        if CardNumber.looksLikeFullCardNumber(text) { return "(a full card number, withheld)" }
        var shown = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) { shown += "<" + describe(scalar).prefix { $0 != " " } + ">" } else { shown.unicodeScalars.append(scalar) }
        }
        return "\"" + shown + "\""
    }

    public static func firstUnsafe(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first(where: isUnsafe)
    }

    /// "U+0000 (NUL)": the character named, never written out.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let names: [UInt32: String] = [0x00: "NUL", 0x09: "a tab", 0x0A: "a line break", 0x0D: "a carriage return",
                                       0x1B: "ESC", 0x7F: "DEL", 0x202E: "a right-to-left override",
                                       0x202D: "a left-to-right override"]
        if let name = names[scalar.value] { return "\(code) (\(name))" }
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return "\(code) (a control character)"
        default: return "\(code) (a bidirectional control)"
        }
    }
}

/// Latin letters that have no decomposition into a base letter and an accent, so folding
/// accents away (é → e) leaves them as they are: Ø, Ł, Æ, Œ, ß, Đ, Þ and the rest. Lookup and
/// the receipt printer's ASCII both spell them this way, so "odegaard" finds Ødegaard and a
/// receipt prints ODEGAARD rather than ?DEGAARD.
public enum LatinLetters {
    public static let plain: [Character: String] = [
        "Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe",
        "ß": "ss", "ẞ": "SS", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "TH", "þ": "th",
        "Ħ": "H", "ħ": "h", "ı": "i", "Ŋ": "N", "ŋ": "n", "Ŧ": "T", "ŧ": "t", "ĸ": "k", "ſ": "s",
        "Ĳ": "IJ", "ĳ": "ij", "Ŀ": "L", "ŀ": "l", "Ə": "E", "ə": "e", "Ƒ": "F", "ƒ": "f",
    ]

    /// The text with each of those letters spelled in plain Latin; everything else as it was.
    public static func spelledPlain(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return text }
        var out = ""
        for character in text {
            if let plain = plain[character] { out += plain } else { out.append(character) }
        }
        return out
    }
}

import Synchronization

/// Where PostgreSQL spells the ledger's SQL differently, in one place.
enum PGDialect {
    /// Statements translated already: a payment asks for the same few dozen every time, and
    /// translating each again, character by character, was a tenth of its time in Till.
    private static let translations = Mutex<[String: String]>([:])
    /// SQL built with values in it is translated each time rather than kept past this many.
    private static let translationsKept = 4_000

    /// The ledger's SQL as PostgreSQL takes it: `?` parameters (SQLite's spelling) numbered
    /// `$1`, `$2`…, and `?3` (SQLite's numbered parameter) as `$3`; SQLite's planner hints,
    /// which PostgreSQL's planner does without, left out: `INDEXED BY name`, `NOT INDEXED` and
    /// the unary `+` that keeps a column's index out (`+business_date`). Inside a string
    /// literal, a quoted name or a comment nothing changes.
    static func translated(_ sql: String) -> String {
        if let known = translations.withLock({ $0[sql] }) { return known }
        let translated = translating(sql)
        translations.withLock { if $0.count < translationsKept { $0[sql] = translated } }
        return translated
    }

    private static func translating(_ sql: String) -> String {
        let characters = Array(sql)
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        var lineComment = false, blockComment = false
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let previous: Character? = index > 0 ? characters[index - 1] : nil
            index += 1
            if lineComment {
                if character == "\n" { lineComment = false }
            } else if blockComment {
                if previous == "*" && character == "/" { blockComment = false }
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if previous == "-" && character == "-" {
                lineComment = true
            } else if previous == "/" && character == "*" {
                blockComment = true
            } else if character == "I" || character == "N", let hint = plannerHint(characters, at: index - 1) {
                index = hint
                continue
            } else if character == "+", previous.map({ $0 == " " || $0 == "(" || $0 == "\n" }) ?? true,
                      index < characters.count, characters[index].isLetter {
                continue // `+column`: the column itself
            } else if character == "?" {
                out += "$"
                if index < characters.count, characters[index].isASCII, characters[index].isNumber {
                    // `?3`: its own number follows.
                    while index < characters.count, characters[index].isASCII, characters[index].isNumber {
                        out.append(characters[index])
                        index += 1
                    }
                } else {
                    number += 1
                    out += String(number)
                }
                continue
            }
            out.append(character)
        }
        return out
    }

    /// Where `INDEXED BY name` or `NOT INDEXED` starts at `start` (a word on its own), the index
    /// just after it; otherwise nil.
    private static func plannerHint(_ characters: [Character], at start: Int) -> Int? {
        if start > 0, characters[start - 1].isLetter || characters[start - 1].isNumber || characters[start - 1] == "_" { return nil }
        func word(_ text: String, at position: Int) -> Int? {
            let letters = Array(text)
            guard position + letters.count <= characters.count,
                  zip(letters, characters[position...]).allSatisfy({ $0 == $1 }) else { return nil }
            let end = position + letters.count
            if end < characters.count, characters[end].isLetter || characters[end] == "_" { return nil }
            return end
        }
        func spaces(from position: Int) -> Int {
            var position = position
            while position < characters.count, characters[position].isWhitespace { position += 1 }
            return position
        }
        if let afterIndexed = word("INDEXED", at: start), let afterBy = word("BY", at: spaces(from: afterIndexed)) {
            var end = spaces(from: afterBy)
            while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" { end += 1 }
            return end
        }
        if let afterNot = word("NOT", at: start), let afterIndexed = word("INDEXED", at: spaces(from: afterNot)) {
            return afterIndexed
        }
        return nil
    }
}

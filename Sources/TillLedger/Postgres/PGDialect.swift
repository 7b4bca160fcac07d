/// Where PostgreSQL spells the ledger's SQL differently, in one place.
enum PGDialect {
    /// The ledger's SQL with `?` parameters (SQLite's spelling) numbered `$1`, `$2`… as
    /// PostgreSQL spells them. A `?` inside a string literal, a quoted name or a comment is text
    /// and stays as it is.
    static func numbered(_ sql: String) -> String {
        guard sql.utf8.contains(UInt8(ascii: "?")) else { return sql }
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        var lineComment = false, blockComment = false
        var previous: Character?
        for character in sql {
            defer { previous = character }
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
            } else if character == "?" {
                number += 1
                out += "$\(number)"
                continue
            }
            out.append(character)
        }
        return out
    }
}

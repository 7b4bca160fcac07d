/// RFC 4180 CSV reading: quoted fields, doubled quotes, commas and line breaks
/// inside quotes, CRLF or LF line ends, an optional UTF-8 byte-order mark.
public enum CSV {
    public struct Row: Sendable {
        /// 1-based line on which the row starts, for error messages.
        public var line: Int
        public var fields: [String]
    }

    public struct Table: Sendable {
        public var header: [String]
        public var rows: [Row]

        /// Field of `row` under the column named `name` (header names are case-insensitive).
        public func value(_ name: String, in row: Row) -> String? {
            guard let index = header.firstIndex(where: { $0.lowercased() == name.lowercased() }),
                  index < row.fields.count else { return nil }
            return row.fields[index]
        }

        public func hasColumn(_ name: String) -> Bool {
            header.contains { $0.lowercased() == name.lowercased() }
        }

        /// Header names that appear more than once (case-insensitive): which value counts would be a guess.
        public var repeatedColumns: [String] {
            var seen = Set<String>(), repeated: [String] = []
            for name in header.map({ $0.lowercased() }) where !seen.insert(name).inserted && !repeated.contains(name) {
                repeated.append(name)
            }
            return repeated
        }

        /// Every field (the header too) holding a character no import takes: a control character
        /// (C0, DEL, C1 — tabs and line breaks included) or a bidirectional override. Each names its
        /// line and column, and the character by its code point, never the raw byte.
        public var unsafeText: [(line: Int, message: String)] {
            var faults: [(line: Int, message: String)] = []
            for row in [Row(line: 1, fields: header)] + rows {
                for (index, field) in row.fields.enumerated() {
                    let column = row.line == 1 ? "the header" : index < header.count ? "column \(header[index])" : "field \(index + 1)"
                    if let scalar = TextSafety.firstUnsafe(in: field) {
                        faults.append((row.line, "\(column) holds \(TextSafety.describe(scalar)); save the file without it"))
                    } else if CardNumber.containsFullCardNumber(field) {
                        // Named, never echoed: the file is refused whole and nothing of it is kept.
                        faults.append((row.line, "\(column) holds what looks like a full card number; Till never keeps one: "
                                       + "take it out of the file"))
                    }
                }
            }
            return faults
        }
    }

    public static let maximumFieldLength = 4096

    /// Reads a whole file. Text must be valid UTF-8.
    public static func parse(bytes: [UInt8]) throws(DomainError) -> Table {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            throw DomainError(.csv, "The file is not UTF-8 text; save it as CSV UTF-8")
        }
        return try parse(text)
    }

    public static func parse(_ text: String) throws(DomainError) -> Table {
        var rows: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var afterQuote = false
        var line = 1
        var rowLine = 1
        let bytes = Array(text.utf8)
        var index = 0

        func finishField() throws(DomainError) {
            guard field.count <= maximumFieldLength else {
                throw DomainError(.csv, "Line \(rowLine): a field is longer than \(maximumFieldLength) characters", line: rowLine)
            }
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        func finishRow() {
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                    if field.count > maximumFieldLength {
                        throw DomainError(.csv, "Line \(rowLine): a field is longer than \(maximumFieldLength) characters", line: rowLine)
                    }
                }
            } else {
                switch byte {
                case UInt8(ascii: ","):
                    try finishField()
                case UInt8(ascii: "\r"):
                    break
                case UInt8(ascii: "\n"):
                    try finishField()
                    finishRow()
                    line += 1
                    rowLine = line
                case UInt8(ascii: "\""):
                    guard field.isEmpty && !afterQuote else {
                        throw DomainError(.csv, "Line \(line): a quote inside an unquoted field", line: line)
                    }
                    inQuotes = true
                default:
                    if afterQuote {
                        throw DomainError(.csv, "Line \(line): text after a closing quote", line: line)
                    }
                    field.append(byte)
                    if field.count > maximumFieldLength {
                        throw DomainError(.csv, "Line \(rowLine): a field is longer than \(maximumFieldLength) characters", line: rowLine)
                    }
                }
            }
            index += 1
        }
        if inQuotes { throw DomainError(.csv, "Line \(rowLine): a quoted field is never closed", line: rowLine) }
        if !field.isEmpty || !fields.isEmpty || afterQuote {
            try finishField()
            finishRow()
        }
        guard let first = rows.first else { throw DomainError(.csv, "The file is empty: it needs a header line") }
        let header = first.fields.map { $0.trimmingSpaces() }
        return Table(header: header, rows: Array(rows.dropFirst()))
    }

    /// Quotes a field for writing when it holds a comma, quote or line break.
    public static func escape(_ field: String) -> String {
        // By bytes: the four are ASCII, and walking characters was most of a 66,000-row list's CSV.
        if field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
        }
        return field
    }

    public static func line(_ fields: [String]) -> String {
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 { line += "," }
            line += escape(field)
        }
        return line
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}

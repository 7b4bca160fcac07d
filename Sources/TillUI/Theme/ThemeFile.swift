/// Theme files: a small, readable subset of TOML. One table per role, with `fg`,
/// `bg` (colour names or 0–255) and `attrs` (a list of attribute names):
///
///     name = "default"
///     [status_line]
///     fg = "black"
///     bg = "cyan"
///     attrs = ["bold"]
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let reason: String
    public var description: String { "\(file):\(line): \(reason)" }
}

public enum ThemeFile {
    public static func parse(_ text: String, file: String) throws(ThemeError) -> Theme {
        var name = file
        var styles: [Role: Style] = [:]
        var role: Role?
        var usesColor = false
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            func fail(_ reason: String) -> ThemeError { ThemeError(file: file, line: lineNumber, reason: reason) }
            let line = stripComment(String(rawLine)).trimmingSpacesAndTabs()
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw fail("a table header must end with ]") }
                let tableName = String(line.dropFirst().dropLast()).trimmingSpacesAndTabs()
                guard let found = Role(rawValue: tableName) else {
                    throw fail("unknown role [\(tableName)]; roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                role = found
                styles[found] = styles[found] ?? Style()
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { throw fail("expected key = value") }
            let key = String(line[..<equals]).trimmingSpacesAndTabs()
            let value = String(line[line.index(after: equals)...]).trimmingSpacesAndTabs()
            guard let role else {
                guard key == "name" else { throw fail("\(key) must be inside a [role] table") }
                name = try string(value, fail)
                continue
            }
            switch key {
            case "fg", "bg":
                let color = try self.color(try string(value, fail), fail)
                if color != .terminalDefault { usesColor = true }
                if key == "fg" { styles[role]?.foreground = color } else { styles[role]?.background = color }
            case "attrs":
                styles[role]?.attributes = Set(try list(value, fail).map { text throws(ThemeError) in
                    guard let attribute = Attribute(rawValue: text) else {
                        throw fail("unknown attribute \"\(text)\"; use \(Attribute.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return attribute
                })
            default:
                throw fail("unknown key \(key); use fg, bg or attrs")
            }
        }
        if styles[.normal] == nil { styles[.normal] = Style() }
        return Theme(name: name, usesColor: usesColor, styles: styles)
    }

    private static func stripComment(_ line: String) -> String {
        var inString = false
        var out = ""
        for character in line {
            if character == "\"" { inString.toggle() }
            if character == "#" && !inString { break }
            out.append(character)
        }
        return out
    }

    private static func string(_ value: String, _ fail: (String) -> ThemeError) throws(ThemeError) -> String {
        guard value.count >= 2, value.first == "\"", value.last == "\"" else { throw fail("expected a quoted string, got \(value)") }
        return String(value.dropFirst().dropLast())
    }

    private static func list(_ value: String, _ fail: (String) -> ThemeError) throws(ThemeError) -> [String] {
        guard value.first == "[", value.last == "]" else { throw fail("expected a list such as [\"bold\"]") }
        let inner = String(value.dropFirst().dropLast()).trimmingSpacesAndTabs()
        if inner.isEmpty { return [] }
        var items: [String] = []
        for item in inner.split(separator: ",") {
            items.append(try string(String(item).trimmingSpacesAndTabs(), fail))
        }
        return items
    }

    private static func color(_ text: String, _ fail: (String) -> ThemeError) throws(ThemeError) -> Color {
        if text == "default" { return .terminalDefault }
        if let index = Color.names[text] { return .index(index) }
        if let number = Int(text), (0...255).contains(number) { return .index(number) }
        throw fail("unknown colour \"\(text)\"; use a name (black, red, green, yellow, blue, magenta, cyan, white, bright-…), default, or 0–255")
    }
}

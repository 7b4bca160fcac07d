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
    /// Padded with spaces on the right (or, `leftPadded`, on the left) to at least `width` characters.
    public func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    public func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

extension Money {
    /// The largest amount Till accepts from a keyboard or file unless a setting says otherwise.
    public static let defaultCeiling = Money(cents: 99_999_999) // $999,999.99

    /// Parses what a person types: `12.34`, `$1,234.56`, `0.5`, `.75`, `45.`, and with
    /// `allowNegative`, `-5.00` or `($5.00)`.
    ///
    /// Commas are accepted only as thousands separators in their proper places.
    /// The value is built digit by digit in `Int64` with overflow checks.
    public static func parse(
        _ text: String,
        ceiling: Money = Money.defaultCeiling,
        allowNegative: Bool = false
    ) throws(MoneyError) -> Money {
        var body = Substring(text.trimmingSpaces())
        if body.isEmpty { throw .empty }

        var negative = false
        if body.first == "(" && body.last == ")" && body.count >= 2 {
            negative = true
            body = body.dropFirst().dropLast()
        }
        if body.first == "-" {
            // "(-9)" is not a way of writing $9.00: a sign inside parentheses is refused.
            if negative { throw .malformed("a minus sign inside parentheses") }
            negative = true
            body = body.dropFirst()
        }
        if body.first == "$" { body = body.dropFirst() }
        if body.first == "-" && !negative { negative = true; body = body.dropFirst() }
        if body.isEmpty { throw .empty }

        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count > 2 { throw .malformed("more than one decimal point") }
        let wholeText = parts[0]
        let fractionText = parts.count == 2 ? parts[1] : ""
        if wholeText.isEmpty && fractionText.isEmpty { throw .malformed("no digits") }

        for character in body where !(character.isASCIIDigit || character == "," || character == ".") {
            throw .invalidCharacter(character)
        }
        if fractionText.contains(",") { throw .malformed("comma after the decimal point") }
        if fractionText.count > 2 { throw .tooManyDecimals }
        try checkThousandsGrouping(wholeText)

        var cents: Int64 = 0
        for character in wholeText where character != "," {
            cents = try appendDigit(character, to: cents)
        }
        var fractionDigits = 0
        for character in fractionText {
            cents = try appendDigit(character, to: cents)
            fractionDigits += 1
        }
        for _ in fractionDigits..<2 {
            cents = try appendDigit("0", to: cents)
        }

        let magnitude = Money(cents: cents)
        if magnitude > ceiling { throw .overCeiling(ceiling) }
        if negative {
            if !allowNegative && cents != 0 { throw .negativeNotAllowed }
            return Money(cents: -cents)
        }
        return magnitude
    }

    /// Cash-register entry: typed digits fill from the cents, `4550` → $45.50.
    public static func parseRegisterDigits(_ digits: String, ceiling: Money = Money.defaultCeiling) throws(MoneyError) -> Money {
        if digits.isEmpty { throw .empty }
        var cents: Int64 = 0
        for character in digits {
            cents = try appendDigit(character, to: cents)
        }
        let amount = Money(cents: cents)
        if amount > ceiling { throw .overCeiling(ceiling) }
        return amount
    }

    private static func appendDigit(_ character: Character, to value: Int64) throws(MoneyError) -> Int64 {
        guard let digit = character.asciiDigitValue else { throw .invalidCharacter(character) }
        let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
        let (result, overflowB) = shifted.addingReportingOverflow(Int64(digit))
        if overflowA || overflowB { throw .overflow }
        return result
    }

    /// `1,234,567` is fine; `12,34` and `1,2345` are not.
    private static func checkThousandsGrouping(_ whole: Substring) throws(MoneyError) {
        guard whole.contains(",") else { return }
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count) else {
            throw .malformed("commas must separate thousands, as in 1,234.56")
        }
        for group in groups.dropFirst() where group.count != 3 {
            throw .malformed("commas must separate thousands, as in 1,234.56")
        }
    }
}

extension Character {
    public var isASCIIDigit: Bool { asciiDigitValue != nil }
    var asciiDigitValue: Int? {
        guard let ascii = asciiValue, ascii >= 48, ascii <= 57 else { return nil }
        return Int(ascii - 48)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

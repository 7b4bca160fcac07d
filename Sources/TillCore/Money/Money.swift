/// An amount of money in whole cents.
///
/// Money never touches floating point: it is parsed from text digit by digit,
/// stored as `Int64` cents (SQLite `INTEGER`), and formatted by integer division.
/// Arithmetic is checked: an overflow throws ``MoneyError/overflow`` rather than
/// wrapping or trapping.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let cents: Int64

    public init(cents: Int64) { self.cents = cents }

    public static let zero = Money(cents: 0)

    /// Whole dollars, for constants in code and tests: `Money(dollars: 45)`.
    public init(dollars: Int64) { self.cents = dollars * 100 }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }

    public var isZero: Bool { cents == 0 }
    public var isNegative: Bool { cents < 0 }
    public var isPositive: Bool { cents > 0 }

    public var description: String { formatted }

    // MARK: Checked arithmetic

    public static func + (lhs: Money, rhs: Money) throws(MoneyError) -> Money {
        let (sum, overflow) = lhs.cents.addingReportingOverflow(rhs.cents)
        if overflow { throw .overflow }
        return Money(cents: sum)
    }

    public static func - (lhs: Money, rhs: Money) throws(MoneyError) -> Money {
        let (difference, overflow) = lhs.cents.subtractingReportingOverflow(rhs.cents)
        if overflow { throw .overflow }
        return Money(cents: difference)
    }

    public static func * (lhs: Money, rhs: Int64) throws(MoneyError) -> Money {
        let (product, overflow) = lhs.cents.multipliedReportingOverflow(by: rhs)
        if overflow { throw .overflow }
        return Money(cents: product)
    }

    public func negated() throws(MoneyError) -> Money {
        if cents == Int64.min { throw .overflow }
        return Money(cents: -cents)
    }

    /// The absolute value; `Int64.min` cents has none and throws.
    public func magnitude() throws(MoneyError) -> Money {
        cents < 0 ? try negated() : self
    }

    /// Sum of a sequence, checked.
    public static func sum<S: Sequence>(_ amounts: S) throws(MoneyError) -> Money where S.Element == Money {
        var total = Money.zero
        for amount in amounts { total = try total + amount }
        return total
    }

    public static func min(_ a: Money, _ b: Money) -> Money { a < b ? a : b }
    public static func max(_ a: Money, _ b: Money) -> Money { a < b ? b : a }
}

public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case invalidCharacter(Character)
    case tooManyDecimals
    case malformed(String)
    case negativeNotAllowed
    case overCeiling(Money)
    case overflow

    public var code: String {
        switch self {
        case .empty: "money.empty"
        case .invalidCharacter: "money.invalid-character"
        case .tooManyDecimals: "money.too-many-decimals"
        case .malformed: "money.malformed"
        case .negativeNotAllowed: "money.negative"
        case .overCeiling: "money.over-ceiling"
        case .overflow: "money.overflow"
        }
    }

    public var description: String {
        switch self {
        case .empty: "Amount is empty: type an amount such as 45.00"
        case .invalidCharacter(let c): "Amount has a character that is not a digit: \"\(c)\""
        case .tooManyDecimals: "Amount has more than two decimal places"
        case .malformed(let why): "Amount is not valid: \(why)"
        case .negativeNotAllowed: "Amount may not be negative here"
        case .overCeiling(let ceiling): "Amount is over the limit of \(ceiling.formatted)"
        case .overflow: "Amount is too large to calculate with"
        }
    }
}

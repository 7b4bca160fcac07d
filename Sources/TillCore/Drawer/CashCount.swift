/// One kind of cash a drawer holds: a note, a coin, or a wrapped roll of coins.
/// The raw value is how settings, the command line and CSV name it.
public enum Denomination: String, CaseIterable, Sendable, Codable {
    case note100 = "100", note50 = "50", note20 = "20", note10 = "10", note5 = "5", note2 = "2", note1 = "1"
    case coin100 = "1.00", coin50 = "0.50", coin25 = "0.25", coin10 = "0.10", coin5 = "0.05", coin1 = "0.01"
    case roll25 = "roll-0.25", roll10 = "roll-0.10", roll5 = "roll-0.05", roll1 = "roll-0.01"

    /// What one piece (or one roll) is worth.
    public var value: Money {
        switch self {
        case .note100: Money(cents: 10_000)
        case .note50: Money(cents: 5_000)
        case .note20: Money(cents: 2_000)
        case .note10, .roll25: Money(cents: 1_000)
        case .note5, .roll10: Money(cents: 500)
        case .note2, .roll5: Money(cents: 200)
        case .note1, .coin100: Money(cents: 100)
        case .coin50, .roll1: Money(cents: 50)
        case .coin25: Money(cents: 25)
        case .coin10: Money(cents: 10)
        case .coin5: Money(cents: 5)
        case .coin1: Money(cents: 1)
        }
    }

    public var isNote: Bool { rawValue.allSatisfy(\.isASCIIDigit) }
    public var isRoll: Bool { rawValue.hasPrefix("roll-") }

    /// How a count form and a deposit slip name it: `$20 notes`, `0.25 coins`, `0.25 rolls ($10)`.
    public var label: String {
        if isNote { return "$\(rawValue) notes" }
        if isRoll { return "\(rawValue.dropFirst(5)) rolls (\(value.formatted))" }
        return "\(rawValue) coins"
    }
}

/// Pieces counted by denomination: a float, a drop to the safe, a closing count.
public struct CashCount: Hashable, Sendable {
    /// The most pieces of one denomination a count accepts (a typo guard, not a policy).
    public static let maximumQuantity: Int64 = 100_000

    public private(set) var quantities: [Denomination: Int64] = [:]

    public init() {}

    public init(_ quantities: [Denomination: Int64]) throws(DomainError) {
        for (denomination, quantity) in quantities { try set(denomination, quantity) }
    }

    /// Counts pooled from several drawers: no per-denomination ceiling; negatives are dropped.
    public init(pooling quantities: [Denomination: Int64]) {
        self.quantities = quantities.filter { $0.value > 0 }
    }

    public subscript(_ denomination: Denomination) -> Int64 { quantities[denomination] ?? 0 }

    public mutating func set(_ denomination: Denomination, _ quantity: Int64) throws(DomainError) {
        guard quantity >= 0, quantity <= Self.maximumQuantity else {
            throw DomainError(.invalidAmount, "\(quantity) × \(denomination.label) is not a count (0 to \(Self.maximumQuantity))")
        }
        quantities[denomination] = quantity == 0 ? nil : quantity
    }

    public var isEmpty: Bool { quantities.isEmpty }

    /// Denominations with a quantity, largest first, in the order of a count form.
    public var lines: [(denomination: Denomination, quantity: Int64, amount: Money)] {
        Denomination.allCases.compactMap { d in
            quantities[d].map { (d, $0, Money(cents: d.value.cents * $0)) }
        }
    }

    /// The sum of the pieces. Cannot overflow: at most 17 × 100,000 pieces of $100.
    public var total: Money {
        Money(cents: quantities.reduce(0) { $0 + $1.key.value.cents * $1.value })
    }

    /// Adds another count piece by piece (drops and closing counts pooled on a deposit slip).
    public func adding(_ other: CashCount) -> CashCount {
        var result = self
        for (denomination, quantity) in other.quantities {
            result.quantities[denomination, default: 0] += quantity
        }
        return result
    }

    /// `20=4,10=5,0.25=40`: how settings and the command line write a count.
    public var spec: String {
        lines.map { "\($0.denomination.rawValue)=\($0.quantity)" }.joined(separator: ",")
    }

    /// Parses `20=4,10=5,0.25=40` (spaces allowed, empty is an empty count). A denomination
    /// named twice, an unknown one or a quantity that is not a whole number is refused.
    public static func parse(_ text: String) throws(DomainError) -> CashCount {
        var count = CashCount()
        var seen: Set<Denomination> = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", omittingEmptySubsequences: false)
                .map { $0.trimmingSpacesAndTabs() }
            guard parts.count == 2 else {
                throw DomainError(.invalidAmount, "\"\(item)\" is not DENOMINATION=QUANTITY (e.g. 20=4)")
            }
            guard let denomination = Denomination(rawValue: parts[0]) else {
                let known = Denomination.allCases.map(\.rawValue).joined(separator: " ")
                throw DomainError(.invalidAmount, "Unknown denomination \"\(parts[0])\": one of \(known)")
            }
            guard !parts[1].isEmpty, parts[1].count <= 6, parts[1].allSatisfy(\.isASCIIDigit), let quantity = Int64(parts[1]) else {
                throw DomainError(.invalidAmount, "\"\(parts[1])\" is not a number of \(denomination.label)")
            }
            guard seen.insert(denomination).inserted else {
                throw DomainError(.invalidAmount, "\(denomination.label) named twice")
            }
            try count.set(denomination, quantity)
        }
        return count
    }
}

extension CashCount {
    /// The fewest notes and coins that make `amount` (notes of 100, 50, 20, 10, 5, 1 and coins of
    /// 25, 10, 5, 1 cents): how a simulated drawer counts exactly what it should hold.
    public static func making(_ amount: Money) -> CashCount {
        var left = max(0, amount.cents)
        var quantities: [Denomination: Int64] = [:]
        for d in [Denomination.note100, .note50, .note20, .note10, .note5, .note1, .coin25, .coin10, .coin5, .coin1] {
            let n = left / d.value.cents
            if n > 0 { quantities[d] = n }
            left -= n * d.value.cents
        }
        return CashCount(pooling: quantities)
    }
}

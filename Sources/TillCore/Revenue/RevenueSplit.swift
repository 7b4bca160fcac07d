/// How an amount paid on a charge is shared among the charge's revenue lines.
///
/// The rule (documented in docs/DAY.md): walk the lines in the order they were posted and give
/// line *i* `floor(amount × cumulative_i ÷ total) − floor(amount × cumulative_(i−1) ÷ total)`,
/// where `cumulative_i` is the sum of the weights of lines 1…i. The parts are never negative and
/// always add up to the amount exactly: the last line's cumulative is the total, so the last floor
/// is the amount itself. A payment of the whole charge gives each line its own amount.
public enum RevenueSplit {
    /// Splits `amount` (either sign) over positive `weights`; an empty or all-zero weight list
    /// gives an empty result (the amount has no revenue line to go to).
    public static func split(_ amount: Money, weights: [Int64]) -> [Money] {
        let total = weights.reduce(0) { $0 + max(0, $1) }
        guard total > 0 else { return [] }
        let magnitude = amount.cents.magnitude
        let sign: Int64 = amount.cents < 0 ? -1 : 1
        var parts: [Money] = []
        var cumulative: UInt64 = 0
        var given: UInt64 = 0
        for weight in weights {
            cumulative += UInt64(max(0, weight))
            // amount and weights are each under the posting ceiling, so the product fits in 64 bits;
            // multipliedFullWidth keeps it exact whatever the ceiling becomes.
            let product = magnitude.multipliedFullWidth(by: cumulative)
            let upTo = UInt64(total).dividingFullWidth(product).quotient
            parts.append(Money(cents: sign * Int64(upTo - given)))
            given = upTo
        }
        return parts
    }
}

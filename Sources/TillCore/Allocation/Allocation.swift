/// Matching of a customer's credits (payments, adjustments) against open charges,
/// oldest charge first. Pure: the store loads what is open, asks for the
/// allocations, and records them in the same write transaction as the posting.
public enum Allocation {
    public struct OpenItem: Hashable, Sendable {
        /// The receivable posting (charge or credit) this item stands for.
        public var postingID: Int64
        /// What is still unmatched, always positive.
        public var remaining: Money
        /// Oldest first: due date for charges, posting order for credits.
        public var sortKey: String

        public init(postingID: Int64, remaining: Money, sortKey: String) {
            self.postingID = postingID
            self.remaining = remaining
            self.sortKey = sortKey
        }
    }

    public struct Match: Hashable, Sendable {
        public var creditPostingID: Int64
        public var chargePostingID: Int64
        public var amount: Money
    }

    /// Pairs credits with charges, each list taken oldest first, until one runs out.
    public static func match(credits: [OpenItem], charges: [OpenItem]) -> [Match] {
        let credits = credits.filter { $0.remaining.isPositive }.sorted(by: oldestFirst)
        let charges = charges.filter { $0.remaining.isPositive }.sorted(by: oldestFirst)
        var matches: [Match] = []
        var creditIndex = 0, chargeIndex = 0
        var creditLeft = credits.first?.remaining ?? .zero
        var chargeLeft = charges.first?.remaining ?? .zero
        while creditIndex < credits.count && chargeIndex < charges.count {
            let amount = Money.min(creditLeft, chargeLeft)
            matches.append(Match(creditPostingID: credits[creditIndex].postingID,
                                 chargePostingID: charges[chargeIndex].postingID,
                                 amount: amount))
            // Both are positive and amount ≤ each, so these cannot overflow.
            creditLeft = Money(cents: creditLeft.cents - amount.cents)
            chargeLeft = Money(cents: chargeLeft.cents - amount.cents)
            if creditLeft.isZero {
                creditIndex += 1
                if creditIndex < credits.count { creditLeft = credits[creditIndex].remaining }
            }
            if chargeLeft.isZero {
                chargeIndex += 1
                if chargeIndex < charges.count { chargeLeft = charges[chargeIndex].remaining }
            }
        }
        return matches
    }

    private static func oldestFirst(_ a: OpenItem, _ b: OpenItem) -> Bool {
        a.sortKey == b.sortKey ? a.postingID < b.postingID : a.sortKey < b.sortKey
    }
}

/// A bank's ABA routing transit number: nine digits whose check digit (the ninth) makes
/// 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) a multiple of ten.
public struct RoutingNumber: Hashable, Sendable, CustomStringConvertible {
    public let digits: String

    public init(_ text: String) throws(DomainError) {
        let text = text.trimmingSpacesAndTabs()
        guard text.count == 9, text.allSatisfy(\.isASCIIDigit) else {
            throw DomainError(.invalidAmount, "A routing number is nine digits")
        }
        guard Self.checkDigitHolds(text) else {
            throw DomainError(.invalidAmount, "\(text) is not a routing number: its check digit does not match (mistyped?)")
        }
        digits = text
    }

    static func checkDigitHolds(_ digits: String) -> Bool {
        let d = digits.compactMap(\.wholeNumberValue)
        guard d.count == 9 else { return false }
        return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 == 0
    }

    /// The receiving bank's identification in an entry: the first eight digits.
    public var dfi: String { String(digits.prefix(8)) }
    public var checkDigit: String { String(digits.suffix(1)) }
    public var description: String { digits }
}

/// A bank account number as an ACH entry carries it: 4 to 17 digits. Only its last four are
/// ever shown or printed.
public struct BankAccountNumber: Sendable, Equatable {
    public let digits: String

    public init(_ text: String) throws(DomainError) {
        let text = text.filter { $0 != " " && $0 != "-" }.trimmingSpacesAndTabs()
        guard (4...17).contains(text.count), text.allSatisfy(\.isASCIIDigit) else {
            throw DomainError(.invalidAmount, "A bank account number is 4 to 17 digits")
        }
        // A card number typed where the bank account goes is refused, never sealed and kept.
        guard !CardNumber.looksLikeFullCardNumber(text) else {
            throw DomainError(.invalidAmount, "That looks like a card number, not a bank account number: Till never keeps one")
        }
        digits = text
    }

    public var lastFour: String { String(digits.suffix(4)) }
    public var masked: String { "****" + lastFour }
}

/// What kind of bank account an autopay customer is debited from.
public enum BankAccountKind: String, Sendable, CaseIterable {
    case checking, savings
    /// The entry's transaction code for a debit.
    public var debitCode: String { self == .checking ? "27" : "37" }
}

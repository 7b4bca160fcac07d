/// Who an operator is at the counter; authority limits per role are settings.
public enum Role: String, CaseIterable, Sendable, Codable, Comparable {
    case cashier
    case csr
    case lead
    case supervisor

    /// Higher ranks may approve what lower ranks may not.
    public var rank: Int {
        switch self {
        case .cashier: 0
        case .csr: 1
        case .lead: 2
        case .supervisor: 3
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// An operator's sign-in id, e.g. `cashier` or `jsmith`.
public struct OperatorLogin: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ text: String) throws(DomainError) {
        let trimmed = text.trimmingSpaces().lowercased()
        guard (1...32).contains(trimmed.count) else {
            throw DomainError(.invalidOperator, "Operator id must be 1 to 32 characters")
        }
        for character in trimmed where !(character.isASCIIDigit || character.isASCIILetter || character == "." || character == "_" || character == "-") {
            throw DomainError(.invalidOperator, "Operator id may hold only letters, digits, '.', '_' and '-'")
        }
        rawValue = trimmed
    }

    public var description: String { rawValue }
}

public enum PINRule {
    /// PINs are 4 to 12 digits.
    public static func validate(_ pin: String) throws(DomainError) {
        guard (4...12).contains(pin.count), pin.allSatisfy(\.isASCIIDigit) else {
            throw DomainError(.invalidPIN, "A PIN is 4 to 12 digits")
        }
    }
}

/// A customer's account number as the billing system issues it: 1 to 20 digits or
/// letters and dashes, no spaces. Kept as text so leading zeros survive.
public struct AccountNumber: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ text: String) throws(DomainError) {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else { throw DomainError(.invalidAccountNumber, "Account number is empty") }
        guard trimmed.count <= 20 else {
            throw DomainError(.invalidAccountNumber, "Account number \(TextSafety.quoted(trimmed)) is longer than 20 characters")
        }
        for character in trimmed where !(character.isASCIIDigit || character.isASCIILetter || character == "-") {
            throw DomainError(.invalidAccountNumber, "Account number \(TextSafety.quoted(trimmed)) may hold only digits, letters and dashes")
        }
        rawValue = trimmed
    }

    public var description: String { rawValue }
    public static func < (lhs: AccountNumber, rhs: AccountNumber) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum AccountStatus: String, CaseIterable, Sendable, Codable {
    case active
    case lockedOff = "locked-off"
    case final
    case closed
}

public enum AccountClass: String, CaseIterable, Sendable, Codable {
    case residential
    case commercial
}

extension Character {
    public var isASCIILetter: Bool {
        guard let ascii = asciiValue else { return false }
        return (65...90).contains(ascii) || (97...122).contains(ascii)
    }
}

/// An error a person can act on, with a stable code tests can match.
public struct DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidAccountNumber = "account.invalid-number"
        case invalidAmount = "amount.invalid"
        case invalidDate = "date.invalid"
        case invalidPosting = "posting.invalid"
        case unbalanced = "posting.unbalanced"
        case invalidTender = "tender.invalid"
        case invalidPIN = "operator.invalid-pin"
        case invalidOperator = "operator.invalid"
        case csv = "csv.invalid"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

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
        case scanLine = "stub.invalid"
    }

    public let code: Code
    public let message: String
    /// The line of a file the error is about, when it is about one.
    public var line: Int?

    public init(_ code: Code, _ message: String, line: Int? = nil) {
        self.code = code
        self.message = message
        self.line = line
    }

    public var description: String { message }

    /// Two errors are the same when they say the same; the line is where, not what.
    public static func == (a: Self, b: Self) -> Bool { a.code == b.code && a.message == b.message }
}

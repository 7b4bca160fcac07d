/// Receipt numbers run 1, 2, 3… across the whole ledger with no gap and no duplicate.
public struct ReceiptNumber: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let value: Int64
    public init(_ value: Int64) { self.value = value }
    public var description: String { String(value) }
    public var next: ReceiptNumber { ReceiptNumber(value + 1) }
    public static func < (lhs: ReceiptNumber, rhs: ReceiptNumber) -> Bool { lhs.value < rhs.value }
}

/// What a person types or reads to find a receipt: the utility's number (`1042`, `#1042`) or,
/// where receipts are numbered per office, the office's code and its number there (`NORTH-17`).
public enum ReceiptReference: Hashable, Sendable, CustomStringConvertible {
    case utility(ReceiptNumber)
    case office(code: String, number: Int64)

    /// Parses what was typed: spaces around it and a leading `#` are dropped, an office code is
    /// taken in any case. A card number is refused without being repeated.
    public init(_ text: String) throws(DomainError) {
        let typed = text.trimmingSpacesAndTabs()
        let invalid = DomainError(.invalidPosting, "A receipt is found by its number (1042) or its office's number (NORTH-17)")
        guard !CardNumber.looksLikeFullCardNumber(typed), !typed.isEmpty, typed.count <= 32 else { throw invalid }
        let bare = typed.hasPrefix("#") ? String(typed.dropFirst()) : typed
        if bare.allSatisfy(\.isASCIIDigit) {
            guard bare.count <= 18, let value = Int64(bare), value > 0 else { throw invalid }
            self = .utility(ReceiptNumber(value))
            return
        }
        // An office's code may hold dashes itself (DRIVE-UP-3): the number follows the last one.
        guard let dash = bare.lastIndex(of: "-") else { throw invalid }
        let code = bare[..<dash].uppercased(), digits = bare[bare.index(after: dash)...]
        guard (1...12).contains(code.count), code.first.map({ $0.isASCII && $0.isLetter }) == true,
              code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }),
              (1...18).contains(digits.count), digits.allSatisfy(\.isASCIIDigit), let number = Int64(digits), number > 0 else {
            throw invalid
        }
        self = .office(code: code, number: number)
    }

    public var description: String {
        switch self {
        case .utility(let number): "#\(number)"
        case .office(let code, let number): "\(code)-\(number)"
        }
    }
}

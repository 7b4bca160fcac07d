/// Receipt numbers run 1, 2, 3… across the whole ledger with no gap and no duplicate.
public struct ReceiptNumber: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let value: Int64
    public init(_ value: Int64) { self.value = value }
    public var description: String { String(value) }
    public var next: ReceiptNumber { ReceiptNumber(value + 1) }
    public static func < (lhs: ReceiptNumber, rhs: ReceiptNumber) -> Bool { lhs.value < rhs.value }
}

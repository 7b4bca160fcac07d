/// A bill stub's scan line: the digits a keyboard-wedge barcode or OCR reader types, then
/// Enter. Fixed-width fields, each zero-padded on the left: the account number, the amount due
/// in cents, the bill date (YYYYMMDD), and one check digit over everything before it.
///
/// The layout is a setting (`stub.scan_line`), written as its fields in order, for example the
/// default `account=10,amount=10,bill=8,check=mod10` (29 digits).
public struct ScanLineFormat: Equatable, Sendable {
    public enum CheckDigit: String, Sendable, CaseIterable {
        /// Luhn: the whole line, check digit included, passes the Luhn test.
        case mod10
        /// Weights 2, 3, 4, 5, 6, 7, 2, … from the rightmost digit before the check; the check is
        /// (11 − sum mod 11) mod 11, and a check of 10 is written 0.
        case mod11
    }

    public var accountDigits: Int
    public var amountDigits: Int
    public var billDigits: Int { 8 }
    public var check: CheckDigit

    public static let standard = ScanLineFormat(accountDigits: 10, amountDigits: 10, check: .mod10)

    public init(accountDigits: Int, amountDigits: Int, check: CheckDigit) {
        self.accountDigits = accountDigits
        self.amountDigits = amountDigits
        self.check = check
    }

    /// All the digits of a scan line, the check digit included.
    public var length: Int { accountDigits + amountDigits + billDigits + 1 }

    public var spec: String { "account=\(accountDigits),amount=\(amountDigits),bill=\(billDigits),check=\(check.rawValue)" }

    /// Reads a layout written as `account=N,amount=N,bill=8,check=mod10|mod11`.
    public init(spec: String) throws(DomainError) {
        let bad = { (why: String) in DomainError(.scanLine, "Scan-line layout \(TextSafety.quoted(spec)): \(why)") }
        let parts = spec.split(separator: ",", omittingEmptySubsequences: false).map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
        let names = parts.map { $0.first ?? "" }
        guard names == ["account", "amount", "bill", "check"], parts.allSatisfy({ $0.count == 2 }) else {
            throw bad("write account=N,amount=N,bill=8,check=mod10 (or mod11), in that order")
        }
        guard let account = Int(parts[0][1]), (6...20).contains(account) else { throw bad("account takes 6 to 20 digits") }
        guard let amount = Int(parts[1][1]), (6...12).contains(amount) else { throw bad("amount takes 6 to 12 digits (cents)") }
        guard parts[2][1] == "8" else { throw bad("bill is the bill date, 8 digits (YYYYMMDD)") }
        guard let check = CheckDigit(rawValue: parts[3][1]) else { throw bad("check is mod10 or mod11") }
        self.init(accountDigits: account, amountDigits: amount, check: check)
    }

    /// Whether typed text has a scan line's shape: exactly `length` ASCII digits. (A person types
    /// an account number, a name or a phone number; none is this long and all digits.)
    public func hasShape(_ text: String) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// The scan line for a bill. An account number that is not all digits, or too long, or an
    /// amount that does not fit, has no scan line.
    public func line(account: AccountNumber, amount: Money, billDate: BusinessDate) throws(DomainError) -> String {
        guard account.rawValue.allSatisfy(\.isASCIIDigit), account.rawValue.count <= accountDigits else {
            throw DomainError(.scanLine, "Account \(account) has no scan line: the layout takes up to \(accountDigits) digits")
        }
        guard !amount.isNegative, String(amount.cents).count <= amountDigits else {
            throw DomainError(.scanLine, "\(amount.formatted) does not fit a scan line's \(amountDigits)-digit amount")
        }
        let date = billDate.description.filter(\.isASCIIDigit)
        let body = Self.padded(account.rawValue, accountDigits) + Self.padded(String(amount.cents), amountDigits) + date
        return body + String(Self.checkDigit(of: Array(body.utf8).map { Int($0) - 48 }, check))
    }

    /// Reads a scan line: its shape, its check digit, then its fields.
    public func parse(_ text: String) throws(DomainError) -> ScanLine {
        guard hasShape(text) else {
            throw DomainError(.scanLine, "Not a scan line: a stub's line is \(length) digits")
        }
        let digits = Array(text.utf8).map { Int($0) - 48 }
        guard Self.checkDigit(of: Array(digits.dropLast()), check) == digits.last! else {
            throw DomainError(.scanLine, "The scan line's check digit is wrong: scan the stub again or type the account number")
        }
        let account = String(text.prefix(accountDigits)).drop { $0 == "0" }
        let cents = Int64(String(text.dropFirst(accountDigits).prefix(amountDigits)))!
        let date = String(text.dropFirst(accountDigits + amountDigits).prefix(billDigits))
        guard !account.isEmpty, let number = try? AccountNumber(String(account)) else {
            throw DomainError(.scanLine, "The scan line names no account")
        }
        let iso = "\(date.prefix(4))-\(date.dropFirst(4).prefix(2))-\(date.suffix(2))"
        guard let billDate = try? BusinessDate(iso) else {
            throw DomainError(.scanLine, "The scan line's bill date \(date) is not a date")
        }
        return ScanLine(account: number, amount: Money(cents: cents), billDate: billDate)
    }

    static func padded(_ digits: String, _ width: Int) -> String {
        String(repeating: "0", count: width - digits.count) + digits
    }

    /// The check digit over `digits` (each 0–9).
    public static func checkDigit(of digits: [Int], _ check: CheckDigit) -> Int {
        switch check {
        case .mod10:
            // The digit that makes the whole line pass the Luhn test, as a card number does.
            return (0...9).first { CardNumber.passesLuhn((digits + [$0])[...]) }!
        case .mod11:
            var sum = 0
            for (index, digit) in digits.reversed().enumerated() { sum += digit * (2 + index % 6) }
            return (11 - sum % 11) % 11 % 10
        }
    }
}

/// What a scan line says: whose bill, how much was due, and the bill's date.
public struct ScanLine: Equatable, Sendable {
    public let account: AccountNumber
    public let amount: Money
    public let billDate: BusinessDate
}

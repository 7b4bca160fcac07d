import Testing
@testable import TillCore

/// Bill-stub scan lines: the layout, the check digits re-derived the plain way, and a misread
/// digit refused.
@Suite("Bill-stub scan lines")
struct ScanLineTests {
    /// Luhn written out as a person would on paper: from the right, every second digit doubled.
    static func plainLuhnPasses(_ line: String) -> Bool {
        var sum = 0
        for (place, character) in line.reversed().enumerated() {
            var digit = Int(String(character))!
            if place % 2 == 1 { digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2 }
            sum += digit
        }
        return sum % 10 == 0
    }

    /// Mod 11 written out: weights 2…7 from the right of the body, check (11 − sum mod 11) mod 11, 10 as 0.
    static func plainMod11(_ body: String) -> Int {
        let weights = [2, 3, 4, 5, 6, 7]
        var sum = 0
        for (place, character) in body.reversed().enumerated() { sum += Int(String(character))! * weights[place % 6] }
        let check = (11 - sum % 11) % 11
        return check == 10 ? 0 : check
    }

    @Test func theStandardLayoutWritesAndReadsALine() throws {
        let format = ScanLineFormat.standard
        #expect(format.spec == "account=10,amount=10,bill=8,check=mod10" && format.length == 29)
        let line = try format.line(account: AccountNumber("100001"), amount: Money(cents: 9_000), billDate: BusinessDate("2026-10-05"))
        #expect(line.prefix(28) == "0000100001000000900020261005")
        #expect(Self.plainLuhnPasses(line))
        let read = try format.parse(line)
        #expect(read == ScanLine(account: try AccountNumber("100001"), amount: Money(cents: 9_000), billDate: try BusinessDate("2026-10-05")))
        #expect(try ScanLineFormat(spec: format.spec) == format)
    }

    @Test func mod11MatchesThePlainCalculation() throws {
        let format = try ScanLineFormat(spec: "account=8,amount=9,bill=8,check=mod11")
        #expect(format.length == 26)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let account = String(Int.random(in: 1...99_999_999, using: &generator))
            let cents = Int64.random(in: 0...999_999_999, using: &generator)
            let line = try format.line(account: AccountNumber(account), amount: Money(cents: cents), billDate: BusinessDate("2026-11-05"))
            #expect(Int(String(line.last!))! == Self.plainMod11(String(line.dropLast())))
            #expect(try format.parse(line).amount == Money(cents: cents))
        }
    }

    @Test func aMisreadDigitIsRefused() throws {
        for spec in ["account=10,amount=10,bill=8,check=mod10", "account=10,amount=10,bill=8,check=mod11"] {
            let format = try ScanLineFormat(spec: spec)
            let line = try format.line(account: AccountNumber("4820017"), amount: Money(cents: 15_455), billDate: BusinessDate("2026-11-05"))
            var caught = 0, tried = 0
            let digits = Array(line)
            for place in digits.indices {
                for replacement in "0123456789" where replacement != digits[place] {
                    var changed = digits
                    changed[place] = replacement
                    tried += 1
                    if (try? format.parse(String(changed))) == nil { caught += 1 }
                }
            }
            // Luhn catches every single wrong digit; mod 11 all but those whose check would be 10 (written 0).
            if format.check == .mod10 { #expect(caught == tried) } else { #expect(caught * 100 >= tried * 90, "\(caught)/\(tried)") }
        }
    }

    @Test func badLinesAndLayoutsSayWhy() throws {
        let format = ScanLineFormat.standard
        #expect(throws: DomainError(.scanLine, "Not a scan line: a stub's line is 29 digits")) { try format.parse("12345") }
        #expect(!format.hasShape("0000100001000000900020261005X") && !format.hasShape("١٢٣") && !format.hasShape(""))
        #expect(throws: DomainError(.scanLine, "Account AB-12 has no scan line: the layout takes up to 10 digits")) {
            try format.line(account: AccountNumber("AB-12"), amount: Money(cents: 1), billDate: BusinessDate("2026-11-05"))
        }
        for spec in ["account=10,amount=10,check=mod10", "account=3,amount=10,bill=8,check=mod10", "account=10,amount=10,bill=6,check=mod10",
                     "account=10,amount=10,bill=8,check=mod97", "amount=10,account=10,bill=8,check=mod10", ""] {
            #expect(throws: DomainError.self) { try ScanLineFormat(spec: spec) }
        }
        // A date that is no date.
        let body = "0000100001000000900020261345"
        let line = body + String(ScanLineFormat.checkDigit(of: body.map { Int(String($0))! }, .mod10))
        #expect(throws: DomainError(.scanLine, "The scan line's bill date 20261345 is not a date")) { try format.parse(line) }
    }
}

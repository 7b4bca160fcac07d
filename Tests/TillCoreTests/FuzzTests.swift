import Testing
@testable import TillCore

/// Random input never crashes the parsers, and what they accept they read exactly.
@Suite struct FuzzTests {
    /// A small deterministic generator, so a failure replays from its seed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
            z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
            return z ^ (z >> 31)
        }
    }

    /// What a money string is worth, read the slow way: nil unless it is plain dollars and
    /// cents (optional `$`, digits with or without correct thousands commas, up to two decimals).
    static func reference(_ text: String) -> Int64? {
        var body = Substring(text.trimmingSpaces())
        // A minus (before or after the $) or parentheses make it negative: only zero is accepted then.
        var negative = false
        if body.first == "(" && body.last == ")" && body.count >= 2 { negative = true; body = body.dropFirst().dropLast() }
        if body.first == "-" { if negative { return nil }; negative = true; body = body.dropFirst() }
        if body.first == "$" { body = body.dropFirst() }
        if body.first == "-" && !negative { negative = true; body = body.dropFirst() }
        guard let value = unsigned(body) else { return nil }
        return negative && value != 0 ? nil : value
    }

    static func unsigned(_ body: Substring) -> Int64? {
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return nil }
        let whole = parts[0], fraction = parts.count == 2 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty), fraction.count <= 2, fraction.allSatisfy(\.isASCIIDigit) else { return nil }
        if whole.contains(",") {
            let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        }
        let digits = whole.filter { $0 != "," }
        guard digits.allSatisfy(\.isASCIIDigit), digits.count <= 15 else { return nil }
        let dollars = Int64(digits.isEmpty ? "0" : String(digits))!
        let cents = Int64(fraction.isEmpty ? "0" : String(fraction))! * (fraction.count == 1 ? 10 : 1)
        return dollars * 100 + cents
    }

    @Test func randomStringsNeverCrashAndNeverReadWrong() {
        var random = Generator(state: 20261123)
        let alphabet = Array("0123456789012345678901234567890.,.,$- ()abcE+٣１\u{0}\u{7F}é")
        var accepted = 0
        for _ in 0..<200_000 {
            let length = Int(random.next() % 14)
            let text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            let expected = Self.reference(text)
            do {
                let money = try Money.parse(text, ceiling: Money(cents: Int64.max / 1000))
                accepted += 1
                #expect(money.cents == expected, "\"\(text)\" read as \(money.cents) cents")
            } catch {
                // Refused: then it must not be a plain amount the reference reads, unless it is too large.
                if let expected { #expect(expected > Int64.max / 1000, "\"\(text)\" refused: \(error)") }
            }
        }
        #expect(accepted > 1_000)
    }

    @Test func everyAmountFormatsAndReadsBackTheSame() throws {
        var random = Generator(state: 7)
        for _ in 0..<100_000 {
            let cents = Int64(random.next() % 100_000_000_000)
            let money = Money(cents: cents)
            #expect(try Money.parse(money.formatted, ceiling: Money(cents: 100_000_000_000)) == money, "\(money.formatted)")
        }
    }

    @Test func randomBytesNeverCrashTheCSVReader() {
        var random = Generator(state: 99)
        let pieces: [[UInt8]] = [Array("a,b".utf8), [0x22], [0x22, 0x22], [0x0D, 0x0A], [0x0A], [0x0D], [0x2C], [0xEF, 0xBB, 0xBF],
                                 [0xFF, 0xFE], [0xC3], [0xA9], [0x00], Array("x".utf8)]
        var parsed = 0
        for round in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<(random.next() % 40) {
                if random.next() % 3 == 0 { bytes.append(UInt8(truncatingIfNeeded: random.next())) } else {
                    bytes += pieces[Int(random.next() % UInt64(pieces.count))]
                }
            }
            if round % 1000 == 0 { bytes += [UInt8](repeating: 0x61, count: CSV.maximumFieldLength + 1) } // a huge field
            do {
                let table = try CSV.parse(bytes: bytes)
                parsed += 1
                for row in table.rows { #expect(row.fields.allSatisfy { $0.count <= CSV.maximumFieldLength }) }
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
        #expect(parsed > 100)
    }
}

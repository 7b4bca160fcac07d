import Testing
@testable import TillCore

@Suite("Money")
struct MoneyTests {
    @Test("parses what a cashier types", arguments: [
        ("12.34", 1_234), ("$1,234.56", 123_456), ("0.5", 50), ("45", 4_500), ("45.", 4_500), (".75", 75),
        ("  $45.50 ", 4_550), ("1,000,000.00", 100_000_000), ("0", 0), ("$0.01", 1),
    ] as [(String, Int64)])
    func parsesGoodAmounts(text: String, cents: Int64) throws {
        #expect(try Money.parse(text, ceiling: Money(cents: 1_000_000_000)) == Money(cents: cents))
    }

    @Test("rejects bad amounts saying which problem", arguments: [
        ("12.345", MoneyError.tooManyDecimals),
        ("", .empty), ("   ", .empty), ("$", .empty),
        ("12a", .invalidCharacter("a")), ("abc", .invalidCharacter("a")), ("1 000", .invalidCharacter(" ")),
        ("1.2.3", .malformed("more than one decimal point")),
        ("12,34", .malformed("commas must separate thousands, as in 1,234.56")),
        ("-5.00", .negativeNotAllowed),
        ("1000000.00", .overCeiling(Money.defaultCeiling)),
        ("99999999999999999999", .overflow),
    ] as [(String, MoneyError)])
    func rejectsBadAmounts(text: String, error: MoneyError) {
        #expect(throws: error) { try Money.parse(text) }
    }

    @Test func errorMessagesSayWhatIsWrong() {
        #expect(MoneyError.tooManyDecimals.description == "Amount has more than two decimal places")
        #expect(MoneyError.overCeiling(Money(cents: 99_999_999)).description == "Amount is over the limit of $999,999.99")
        #expect(MoneyError.invalidCharacter("x").description.contains("\"x\""))
    }

    @Test func negativeAmountsWhenAllowed() throws {
        #expect(try Money.parse("-5.00", allowNegative: true) == Money(cents: -500))
        #expect(try Money.parse("-$5.00", allowNegative: true) == Money(cents: -500))
        #expect(try Money.parse("($12.00)", allowNegative: true) == Money(cents: -1_200))
    }

    @Test func cashRegisterEntryFillsFromTheCents() throws {
        #expect(try Money.parseRegisterDigits("4550") == Money(cents: 4_550))
        #expect(try Money.parseRegisterDigits("5") == Money(cents: 5))
        #expect(throws: MoneyError.invalidCharacter(".")) { try Money.parseRegisterDigits("45.50") }
    }

    @Test("formats as dollars and cents", arguments: [
        (123_456, "$1,234.56"), (-500, "-$5.00"), (0, "$0.00"), (5, "$0.05"), (100_000_000, "$1,000,000.00"),
        (Int64.min, "-$92,233,720,368,547,758.08"),
    ] as [(Int64, String)])
    func formats(cents: Int64, text: String) {
        #expect(Money(cents: cents).formatted == text)
    }

    @Test func decimalStringForFiles() {
        #expect(Money(cents: 123_456).decimalString == "1234.56")
        #expect(Money(cents: -7).decimalString == "-0.07")
    }

    @Test func arithmeticOverflowIsAnErrorNotAWrap() throws {
        let big = Money(cents: Int64.max)
        #expect(throws: MoneyError.overflow) { try big + Money(cents: 1) }
        #expect(throws: MoneyError.overflow) { try Money(cents: Int64.min) - Money(cents: 1) }
        #expect(throws: MoneyError.overflow) { try big * 2 }
        #expect(throws: MoneyError.overflow) { try Money(cents: Int64.min).negated() }
        #expect(try Money(cents: 1_999) + Money(cents: 1) == Money(dollars: 20))
        #expect(try Money.sum([Money(cents: 10), Money(cents: 20), Money(cents: -5)]) == Money(cents: 25))
    }

    @Test func formattingRoundTripsThroughParsing() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let cents = Int64.random(in: 0...99_999_999, using: &random)
            #expect(try Money.parse(Money(cents: cents).formatted) == Money(cents: cents))
        }
    }
}

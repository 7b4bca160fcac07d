import Testing
@testable import TillCore

@Suite("Dates, tenders, allocation and balance rules")
struct DomainRulesTests {
    @Test func businessDatesParseAndCount() throws {
        let day = try BusinessDate("2026-11-22")
        #expect(day.description == "2026-11-22")
        #expect(day.weekday == 0) // a Sunday
        #expect(BusinessDate(dayNumber: day.dayNumber) == day)
        #expect(day.adding(days: 10).description == "2026-12-02")
        #expect(try BusinessDate("2026-01-31").adding(months: 1).description == "2026-02-28")
        #expect(try BusinessDate("2024-03-01").adding(days: -1).description == "2024-02-29")
        #expect(try BusinessDate("1970-01-01").dayNumber == 0)
        #expect(throws: DomainError.self) { try BusinessDate("2026-02-30") }
        #expect(throws: DomainError.self) { try BusinessDate("22/11/2026") }
    }

    @Test func aPaymentIsSharedAmongABillsRevenueLinesExactly() {
        let cents = { (parts: [Money]) in parts.map(\.cents) }
        #expect(cents(RevenueSplit.split(Money(cents: 4_500), weights: [6_000, 3_000])) == [3_000, 1_500])
        #expect(cents(RevenueSplit.split(Money(cents: 1_000), weights: [100, 100, 100])) == [333, 333, 334])
        #expect(cents(RevenueSplit.split(Money(cents: -1_000), weights: [100, 100, 100])) == [-333, -333, -334])
        #expect(cents(RevenueSplit.split(Money(cents: 9_000), weights: [6_000, 3_000])) == [6_000, 3_000])
        #expect(RevenueSplit.split(Money(cents: 5), weights: []).isEmpty)
        // Whatever the amounts, the parts add up and none is negative.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let weights = (0..<Int.random(in: 1...4, using: &generator)).map { _ in Int64.random(in: 1...10_000_000, using: &generator) }
            let amount = Int64.random(in: 0...100_000_000, using: &generator)
            let parts = RevenueSplit.split(Money(cents: amount), weights: weights)
            #expect(parts.reduce(0) { $0 + $1.cents } == amount && parts.allSatisfy { $0.cents >= 0 })
        }
    }

    @Test func fullCardNumbersAreRecognised() {
        #expect(CardNumber.looksLikeFullCardNumber("4111111111111111"))
        #expect(CardNumber.looksLikeFullCardNumber("4111 1111 1111 1111"))
        #expect(!CardNumber.looksLikeFullCardNumber("4111111111111112")) // fails Luhn
        #expect(!CardNumber.looksLikeFullCardNumber("1234"))
    }

    @Test func tenderRules() throws {
        try Tender.cash(Money(cents: 4_550), tendered: Money(dollars: 50)).validate()
        #expect(Tender.cash(Money(cents: 4_550), tendered: Money(dollars: 50)).change == Money(cents: 450))
        #expect(throws: DomainError.self) { try Tender(kind: .check, amount: Money(dollars: 5)).validate() }
        #expect(throws: DomainError.self) {
            try Tender(kind: .check, amount: Money(dollars: 5), tendered: Money(dollars: 10), reference: "1001").validate()
        }
        #expect(throws: DomainError.self) {
            try Tender.card(Money(dollars: 5), lastFour: "1111", authorization: "4111111111111111").validate()
        }
        try Tender.card(Money(dollars: 5), lastFour: "1111", authorization: "A1B2C3").validate()
        #expect(throws: DomainError.self) { try Tender.cash(Money(cents: 0)).validate() }
    }

    @Test func paymentTurnsIntoBalancedPostings() throws {
        let home = try AccountNumber("100001"), rental = try AccountNumber("100002")
        let payment = PaymentFixture.cart([(home, 4_550), (rental, 2_000)],
                                          tenders: [.cash(Money(cents: 2_550), tendered: Money(dollars: 30)),
                                                    .check(Money(dollars: 40), number: "1234")])
        let lines = try payment.postingLines()
        try Balance.check(lines)
        #expect(lines.contains(PostingLine(.drawerCash, Money(cents: 2_550))))
        #expect(lines.contains(PostingLine(.checksOnHand, Money(dollars: 40))))
        #expect(lines.contains(PostingLine(.receivable, Money(cents: -4_550), account: home)))
    }

    @Test func tendersShortOfTheCartAreRefused() throws {
        let payment = PaymentFixture.cart([(try AccountNumber("100001"), 4_550)], tenders: [.cash(Money(dollars: 40))])
        #expect(throws: DomainError(.unbalanced, "Tenders $40.00 are short of the cart total $45.50")) {
            try payment.postingLines()
        }
    }

    @Test func unbalancedLinesAreRefused() throws {
        #expect(throws: DomainError(.unbalanced, "Debits and credits differ by $0.01")) {
            try Balance.check([PostingLine(.drawerCash, Money(cents: 101)),
                               PostingLine(.water, Money(cents: -100))])
        }
        #expect(throws: DomainError.self) {
            try Balance.check([PostingLine(.drawerCash, Money(cents: 100)), PostingLine(.receivable, Money(cents: -100))])
        }
    }

    @Test func allocationPaysTheOldestChargeFirst() {
        let charges = [
            Allocation.OpenItem(postingID: 20, remaining: Money(cents: 3_000), sortKey: "2026-10-26"),
            Allocation.OpenItem(postingID: 10, remaining: Money(cents: 5_000), sortKey: "2026-09-26"),
        ]
        let credits = [Allocation.OpenItem(postingID: 30, remaining: Money(cents: 6_000), sortKey: "2026-11-02")]
        let matches = Allocation.match(credits: credits, charges: charges)
        #expect(matches.map(\.chargePostingID) == [10, 20])
        #expect(matches.map(\.amount) == [Money(cents: 5_000), Money(cents: 1_000)])
    }

    @Test func accountNumbersAndLogins() throws {
        #expect(try AccountNumber(" 100234 ").rawValue == "100234")
        #expect(throws: DomainError.self) { try AccountNumber("12 34") }
        #expect(try OperatorLogin("Cashier").rawValue == "cashier")
        #expect(throws: DomainError.self) { try PINRule.validate("12") }
        #expect(throws: DomainError.self) { try PINRule.validate("12ab") }
    }
}

enum PaymentFixture {
    static func cart(_ lines: [(AccountNumber, Int64)], tenders: [Tender]) -> Payment {
        Payment(lines: lines.map { .account($0.0, Money(cents: $0.1)) }, tenders: tenders)
    }
}

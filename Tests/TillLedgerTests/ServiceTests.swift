import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

/// Account service: every action as a scenario on a real ledger file, asserting the books,
/// the audit trail and the authority check.
@Suite struct ServiceTests {
    /// The counter fixture plus a CSR and a lead, and helpers to close the cashier's drawer.
    struct Office {
        let f: CounterFixture
        let csr: Operator
        let lead: Operator
        var ledger: Ledger { f.ledger }

        init(_ fixture: CounterFixture) throws {
            f = fixture
            csr = try f.ledger.addOperator(login: try OperatorLogin("csr"), displayName: "Chris CSR", role: .csr, pin: "2222", by: f.supervisor.id)
            lead = try f.ledger.addOperator(login: try OperatorLogin("lead"), displayName: "Lee Lead", role: .lead, pin: "4444", by: f.supervisor.id)
        }

        /// `body` with a fresh office on `engine` (`CounterFixture.on`).
        static func on(_ engine: Engine, _ body: (Office) throws -> Void) throws {
            try CounterFixture.on(engine) { f throws in try body(try Office(f)) }
        }

        func actor(_ op: Operator, approver: Operator? = nil) -> Actor { Actor(operatorID: op.id, terminal: "T2", approverID: approver?.id) }

        /// Pays by check on one account in the cashier's drawer.
        func payCheck(_ number: String, cents: Int64, checkNumber: String) throws -> PostedTransaction {
            try ledger.post(Payment(lines: [.account(try f.account(number), Money(cents: cents))],
                                    tenders: [.check(Money(cents: cents), number: checkNumber)]),
                            operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer)
        }

        /// Closes the cashier's drawer balanced: every check found, the cash as expected.
        func closeDrawer() throws {
            let x = try ledger.expectation(session: f.drawer)
            _ = try ledger.closeDrawer(session: f.drawer, count: DrawerCount(
                cash: CashCount.making(x.expectedCash), checksFound: Set(x.checks.map(\.tenderID)), cardBatch: x.card),
                operatorID: f.cashier.id, terminal: "T1")
        }

        func book(_ book: BookAccount) throws -> Money {
            try ledger.read { db in
                Money(cents: try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount_cents), 0) FROM postings WHERE book = ?",
                                                arguments: [book.rawValue])!)
            }
        }

        func audit(_ event: String) throws -> [String] {
            try ledger.read { db in try String.fetchAll(db, sql: "SELECT detail FROM audit_events WHERE event = ? ORDER BY id", arguments: [event]) }
        }

        func expectSound() throws {
            let report = try ledger.verify()
            #expect(report.isSound, "\(report.firstFault ?? "")")
        }
    }

    @Test(arguments: Engine.all) func aReversalNeedsALeadAndTheOverrideIsNotSticky(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            let paid = try o.f.payCash("100001", cents: 5_000)
            // Still in an open drawer: voided, not reversed.
            #expect(throws: LedgerError.self) { try o.ledger.reverse(receipt: paid.receipt!, reason: "keyed twice", actor: o.actor(o.lead)) }
            try o.closeDrawer()
            // A CSR alone is refused and told an override can be given; nothing is written.
            let before = try o.f.count("transactions")
            do {
                _ = try o.ledger.reverse(receipt: paid.receipt!, reason: "keyed twice", actor: o.actor(o.csr))
                Issue.record("a CSR reversed a payment alone")
            } catch let error as LedgerError {
                #expect(error.code == .needsOverride)
            }
            #expect(try o.f.count("transactions") == before)
            // Nor may the CSR approve themselves, nor a cashier approve.
            #expect(throws: LedgerError.self) { try o.ledger.reverse(receipt: paid.receipt!, reason: "x", actor: o.actor(o.csr, approver: o.csr)) }
            #expect(throws: LedgerError.self) { try o.ledger.reverse(receipt: paid.receipt!, reason: "x", actor: o.actor(o.csr, approver: o.f.cashier)) }
            // With a lead's override it posts, recording both people.
            let outcome = try o.ledger.reverse(receipt: paid.receipt!, reason: "keyed twice", actor: o.actor(o.csr, approver: o.lead))
            #expect(try o.f.balance("100001") == Money(cents: 9_000))
            #expect(try o.book(.bank) == Money(cents: 15_000 - 5_000)) // the closed drawer's takings went to the bank (the $150 is 100002's deposit)
            let row = try o.ledger.read { db in
                try SQLRow.fetchOne(db, sql: "SELECT kind, corrects_id, override_operator_id, operator_id FROM transactions WHERE id = ?",
                                 arguments: [outcome.transaction!.id])!
            }
            #expect(row["kind"] as String == "reversal")
            #expect(row["corrects_id"] as Int64 == paid.id)
            #expect(row["override_operator_id"] as Int64 == o.lead.id)
            #expect(row["operator_id"] as Int64 == o.csr.id)
            let overrides = try o.ledger.overrides(from: CounterFixture.today.adding(days: -400), to: CounterFixture.today.adding(days: 400))
            #expect(overrides.map(\.action) == ["reversal"])
            #expect(overrides.first?.approverLogin == "lead" && overrides.first?.operatorLogin == "csr")
            // Twice is refused; the next action by the CSR alone is refused again (not sticky).
            #expect(throws: LedgerError.self) { try o.ledger.reverse(receipt: paid.receipt!, reason: "again", actor: o.actor(o.lead)) }
            #expect(throws: LedgerError.self) { try o.ledger.reverseLateFee(account: try o.f.account("100003"), amount: nil, reason: "x", actor: o.actor(o.f.cashier)) }
            try o.expectSound()
            // Someone rewriting the approver to the operator is found.
            try o.f.tamper("UPDATE transactions SET override_operator_id = operator_id WHERE kind = 'reversal'")
            #expect(try o.ledger.verify().firstFault?.contains("approved by its own operator") == true)
        }
    }

    @Test(arguments: Engine.all) func aReturnedCheckChargesBackAddsTheFeeMakesTheAccountCashOnlyAndWritesTheLetter(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            let paid = try o.payCheck("100001", cents: 9_000, checkNumber: "1234")
            #expect(try o.f.balance("100001") == .zero)
            try o.closeDrawer()
            #expect(throws: LedgerError.self) { try o.ledger.returnCheck(receipt: paid.receipt!, reason: "NSF", actor: o.actor(o.csr)) }
            let outcome = try o.ledger.returnCheck(receipt: paid.receipt!, reason: "bank returned NSF", actor: o.actor(o.csr, approver: o.lead))
            #expect(try o.f.balance("100001") == Money(cents: 11_500)) // $90 back + $25 fee
            #expect(try o.book(.nsfFee) == Money(cents: -2_500))
            #expect(try o.book(.bank) == Money(cents: 15_000 - 9_000))
            let until = try o.ledger.account("100001")?.cashOnlyUntil
            #expect(until == CounterFixture.today.adding(months: 12))
            // The letter is written from the template.
            let letter = try #require(outcome.files.first)
            let text = try String(contentsOfFile: letter, encoding: .utf8)
            #expect(text.contains("Check 1234 for $90.00"))
            #expect(text.contains("Smith, Jane"))
            #expect(text.contains("$115.00"))
            // The account now pays no checks; the same check cannot be returned twice.
            #expect(throws: LedgerError.self) {
                try o.ledger.post(Payment(lines: [.account(try o.f.account("100001"), Money(cents: 100))],
                                          tenders: [.check(Money(cents: 100), number: "55")]),
                                  operatorID: o.f.cashier.id, terminal: "T1", drawerSession: try o.ledger.openDrawer(operatorID: o.f.cashier.id, terminal: "T1").id)
            }
            #expect(throws: LedgerError.self) { try o.ledger.returnCheck(receipt: paid.receipt!, reason: "again", actor: o.actor(o.lead)) }
            // The NSF fee (not the check's amount) may be reversed, within a CSR's limit.
            #expect(throws: LedgerError.self) { try o.ledger.reverseFee(.nsfFee, account: try o.f.account("100001"), amount: Money(cents: 2_501),
                                                                        reason: "bank error", actor: o.actor(o.lead)) }
            _ = try o.ledger.reverseFee(.nsfFee, account: try o.f.account("100001"), amount: nil, reason: "bank's error", actor: o.actor(o.csr))
            #expect(try o.book(.nsfFee) == .zero)
            #expect(try o.f.balance("100001") == Money(cents: 9_000))
            #expect(try o.audit("check.returned").first?.contains("override by lead") == true)
            try o.expectSound()
        }
    }

    @Test(arguments: Engine.all) func aTransferShowsOnBothAccountsAgainstTheReceipt(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            let paid = try o.f.payCash("100001", cents: 5_000)
            #expect(throws: LedgerError.self) {
                try o.ledger.transfer(receipt: paid.receipt!, from: try o.f.account("100001"), to: try o.f.account("100002"),
                                      amount: Money(cents: 6_000), reason: "wrong account", actor: o.actor(o.lead))
            }
            let moved = try o.ledger.transfer(receipt: paid.receipt!, from: try o.f.account("100001"), to: try o.f.account("100002"),
                                              amount: nil, reason: "wrong account", actor: o.actor(o.lead), idempotencyKey: "T-1")
            // Submitted again (a retry): nothing posts twice.
            let again = try o.ledger.transfer(receipt: paid.receipt!, from: try o.f.account("100001"), to: try o.f.account("100002"),
                                              amount: nil, reason: "wrong account", actor: o.actor(o.lead), idempotencyKey: "T-1")
            #expect(again.transaction?.id == moved.transaction?.id && again.transaction?.wasAlreadyPosted == true)
            #expect(try o.f.balance("100001") == Money(cents: 9_000))
            #expect(try o.f.balance("100002") == Money(cents: 525))
            let history1 = try o.ledger.accountDetail("100001")!.payments.map(\.tenders)
            let history2 = try o.ledger.accountDetail("100002")!.payments.map(\.tenders)
            #expect(history1.contains { $0.contains("transfer") })
            #expect(history2.contains { $0.contains("transfer") })
            // Nothing left on 100001 to move again.
            #expect(throws: LedgerError.self) {
                try o.ledger.transfer(receipt: paid.receipt!, from: try o.f.account("100001"), to: try o.f.account("100003"),
                                      amount: nil, reason: "x", actor: o.actor(o.lead))
            }
            try o.expectSound()
        }
    }

    @Test(arguments: Engine.all) func lateFeeReversalIsWithinTheCSRLimitAndPaysTheFeeItReverses(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            try o.ledger.setSetting(.csrLateFeeReversalCents, "500", by: o.f.supervisor.id)
            let account = try o.f.account("100003")
            do {
                _ = try o.ledger.reverseLateFee(account: account, amount: nil, reason: "first time", actor: o.actor(o.csr))
                Issue.record("a CSR reversed $10.00 over a $5.00 limit")
            } catch let error as LedgerError { #expect(error.code == .needsOverride && error.message.contains("$5.00")) }
            _ = try o.ledger.reverseLateFee(account: account, amount: Money(cents: 400), reason: "goodwill", actor: o.actor(o.csr))
            #expect(try o.f.balance("100003") == Money(cents: 20_600))
            let open = try o.ledger.accountDetail("100003")!.openCharges
            #expect(open.first { $0.book == .lateFee }?.remaining == Money(cents: 600))
            _ = try o.ledger.reverseLateFee(account: account, amount: nil, reason: "rest", actor: o.actor(o.lead))
            #expect(throws: LedgerError.self) { try o.ledger.reverseLateFee(account: account, amount: nil, reason: "x", actor: o.actor(o.lead)) }
            #expect(try o.book(.lateFee) == .zero)
            try o.expectSound()
        }
    }

    @Test(arguments: Engine.all) func leakAdjustmentCreditsWaterWithinTheLeadLimitAndRecordsTheDates(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            let account = try o.f.account("100001")
            let from = try BusinessDate("2026-09-01"), to = try BusinessDate("2026-10-15")
            #expect(throws: LedgerError.self) { try o.ledger.adjustForLeak(account: account, amount: Money(cents: 2_000), from: from, to: to, reason: "leak", actor: o.actor(o.csr)) }
            // More than the water billed since the leak began is refused.
            #expect(throws: LedgerError.self) { try o.ledger.adjustForLeak(account: account, amount: Money(cents: 7_001), from: from, to: to, reason: "leak", actor: o.actor(o.lead)) }
            _ = try o.ledger.adjustForLeak(account: account, amount: Money(cents: 2_000), from: from, to: to, reason: "repaired leak", actor: o.actor(o.lead))
            #expect(try o.f.balance("100001") == Money(cents: 7_000))
            #expect(try o.book(.water) == Money(cents: -32_525 + 2_000))
            let period = try o.ledger.read { db in try SQLRow.fetchOne(db, sql: "SELECT period_from, period_to FROM adjustments WHERE kind = 'leak'")! }
            #expect(period["period_from"] as String == "2026-09-01" && period["period_to"] as String == "2026-10-15")
            try o.expectSound()
        }
    }

    @Test(arguments: Engine.all) func refundsOfCreditAndDepositGoToAccountsPayableWithARequest(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            _ = try o.f.payCash("100001", cents: 12_000) // $30.00 credit
            let outcome = try o.ledger.refundCredit(account: try o.f.account("100001"), amount: nil, payee: nil, address: nil,
                                                    reason: "moved away", actor: o.actor(o.lead))
            #expect(try o.f.balance("100001") == .zero)
            #expect(try o.book(.refundsPayable) == Money(cents: -3_000))
            let request = try String(contentsOfFile: try #require(outcome.files.first), encoding: .utf8)
            #expect(request.contains("Pay to:   Smith, Jane") && request.contains("$30.00"))
            #expect(throws: LedgerError.self) { try o.ledger.refundCredit(account: try o.f.account("100001"), amount: nil, payee: nil, address: nil, reason: "x", actor: o.actor(o.lead)) }
            // 100002 holds a $150 deposit: apply $55.25 to the final bill, refund the rest.
            let account = try o.f.account("100002")
            _ = try o.ledger.applyDeposit(account: account, amount: Money(cents: 5_525), reason: "final bill", actor: o.actor(o.lead))
            #expect(try o.f.balance("100002") == .zero)
            let refund = try o.ledger.refundDeposit(account: account, amount: nil, payee: nil, address: nil, reason: "final bill", actor: o.actor(o.lead))
            #expect(try o.ledger.account("100002")?.depositHeld == .zero)
            #expect(try o.book(.refundsPayable) == Money(cents: -3_000 - 9_475))
            #expect(refund.files.contains { $0.contains("deposit-refund-100002") })
            try o.expectSound()
        }
    }

    @Test(arguments: Engine.all) func aDepositIsCollectedAsPartOfAPayment(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            let posted = try o.ledger.post(Payment(lines: [.deposit(try o.f.account("100001"), Money(dollars: 100))], tenders: [.cash(Money(dollars: 100))]),
                                           operatorID: o.f.cashier.id, terminal: "T1", drawerSession: o.f.drawer)
            #expect(try o.ledger.account("100001")?.depositHeld == Money(dollars: 100))
            // The receipt shows the deposit held, not a payment on the balance, and adds up.
            let number = try #require(posted.receipt)
            let receipt = try #require(try o.ledger.receipt(number))
            #expect(receipt.lines.map(\.title) == ["Deposit for new service (held)"] && receipt.total == Money(dollars: 100))
            #expect(receipt.lines.first?.previousBalance == nil && receipt.lines.first?.account == "100001")
            #expect(try o.f.balance("100001") == Money(cents: 9_000))
            try o.expectSound()
        }
    }

    @Test(arguments: Engine.all) func aPaymentPlanHoldsTheShutoffUntilAnInstallmentIsMissed(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            let date = CounterFixture.today
            #expect(try o.ledger.shutoffCandidates(on: date).map(\.number) == ["100001"])
            #expect(throws: LedgerError.self) { try o.ledger.createPaymentPlan(account: try o.f.account("100001"), installments: 3, firstDue: nil, actor: o.actor(o.f.cashier)) }
            _ = try o.ledger.createPaymentPlan(account: try o.f.account("100001"), installments: 3, firstDue: date.adding(days: 10), actor: o.actor(o.csr))
            #expect(try o.ledger.shutoffCandidates(on: date).isEmpty)
            let listed = try o.ledger.delinquency(asOf: date).first { $0.number == "100001" }
            #expect(listed?.plan == .current)
            // Twenty days on, the first installment ($30.00 of $90.00) is missed.
            let later = date.adding(days: 20)
            #expect(try o.ledger.delinquency(asOf: later).first { $0.number == "100001" }?.plan == .missed)
            #expect(try o.ledger.shutoffCandidates(on: later).map(\.number) == ["100001", "100002"])
            // An extension is a one-installment arrangement.
            _ = try o.ledger.grantExtension(account: try o.f.account("100002"), until: date.adding(days: 14), actor: o.actor(o.csr))
            #expect(try o.ledger.accountDetail("100002")?.plan?.installment == Money(cents: 5_525))
            #expect(try o.audit("plan.created").count == 2)
            try o.expectSound()
        }
    }

    @Test(arguments: Engine.all) func workOrdersAndTheAutomaticRestoreWhenALockedOffAccountPaysUp(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            let id = try o.ledger.createServiceRequest(account: try o.f.account("100001"), type: .leakCheck, priority: .high,
                                                       notes: "water at the curb", actor: o.actor(o.f.cashier))
            try o.ledger.updateServiceRequest(id, status: .scheduled, scheduledFor: CounterFixture.today.adding(days: 2), note: "crew B", actor: o.actor(o.csr))
            try o.ledger.updateServiceRequest(id, status: .done, note: "meter seal leak fixed", actor: o.actor(o.csr))
            #expect(throws: LedgerError.self) { try o.ledger.updateServiceRequest(id, status: .cancelled, actor: o.actor(o.csr)) }
            let done = try o.ledger.serviceRequests(status: .done)
            #expect(done.map(\.id) == [id])
            #expect(done.first?.history.map(\.by) == ["cashier", "csr", "csr"])
            // 100003 is locked off owing $210.00; the reconnect fee is $50.00. $259.99 is short of the restore amount.
            let short = try o.f.payCash("100003", cents: 25_999)
            #expect(short.restoreRequests.isEmpty)
            let paid = try o.f.payCash("100003", cents: 1)
            #expect(paid.restoreRequests.count == 1)
            let restore = try o.ledger.serviceRequests(status: .open, type: .restore)
            #expect(restore.map(\.account) == ["100003"])
            #expect(try o.f.balance("100003") == .zero) // $210 + $50 fee − $260
            #expect(try o.book(.reconnectFee) == Money(cents: -5_000))
            try o.ledger.updateServiceRequest(restore[0].id, status: .done, note: "restored", actor: o.actor(o.csr))
            #expect(try o.ledger.account("100003")?.status == "active")
            try o.expectSound()
        }
    }

    @Test(arguments: Engine.all) func contactChangesKeepTheirHistory(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            let account = try o.f.account("100001")
            #expect(throws: LedgerError.self) { try o.ledger.updateContact(account: account, field: .phone, value: "(555) 999-0000", actor: o.actor(o.f.cashier)) }
            _ = try o.ledger.updateContact(account: account, field: .phone, value: "(555) 999-0000", actor: o.actor(o.csr))
            _ = try o.ledger.updateContact(account: account, field: .mailingAddress, value: "PO Box 12, Union", actor: o.actor(o.csr))
            let changes = try o.ledger.accountChanges(account)
            #expect(changes.map(\.field) == ["phone", "mailing-address"])
            #expect(changes[0].oldValue == "(555) 201-0001" && changes[0].newValue == "(555) 999-0000")
            #expect(try o.ledger.searchAccounts("999-0000").map(\.number) == ["100001"])
            #expect(try o.audit("account.changed") == ["100001 phone", "100001 mailing-address"])
            try o.expectSound()
        }
    }

    @Test(arguments: Engine.all) func aMailBatchPostsOnlyWhenItBalances(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            let lines = [BatchLine(account: try o.f.account("100001"), amount: Money(cents: 9_000), reference: "501"),
                         BatchLine(account: try o.f.account("100003"), amount: Money(cents: 5_000), reference: "502")]
            let actor = Actor(operatorID: o.f.cashier.id, terminal: "T1")
            let before = try o.f.count("transactions")
            #expect(throws: LedgerError.self) { try o.ledger.postBatch(kind: .mail, controlTotal: Money(cents: 14_100), lines: lines, actor: actor, drawerSession: o.f.drawer) }
            // With a reason it still needs a supervisor.
            #expect(throws: LedgerError.self) { try o.ledger.postBatch(kind: .mail, controlTotal: Money(cents: 14_100), lines: lines, reason: "tape misadded", actor: actor, drawerSession: o.f.drawer) }
            // A cash-only account's check is refused as typed, naming the line.
            let bad = lines + [BatchLine(account: try o.f.account("100002"), amount: Money(cents: 100), reference: "503")]
            do {
                _ = try o.ledger.postBatch(kind: .mail, controlTotal: Money(cents: 14_100), lines: bad, actor: actor, drawerSession: o.f.drawer)
            } catch let error as LedgerError { #expect(error.message.contains("line 3") && error.message.contains("cash only")) }
            // A check without its number is refused as typed.
            #expect(throws: LedgerError.self) { try o.ledger.checkBatchLine(BatchLine(account: try o.f.account("100001"), amount: Money(cents: 100))) }
            #expect(try o.ledger.checkBatchLine(lines[0]).name == "Smith, Jane")
            #expect(try o.f.count("transactions") == before)
            let result = try o.ledger.postBatch(kind: .mail, controlTotal: Money(cents: 14_000), lines: lines, actor: actor,
                                                drawerSession: o.f.drawer, keyPrefix: "tape-1")
            #expect(result.posted.count == 2 && result.total == Money(cents: 14_000))
            #expect(result.report.contains { $0.contains("Difference") && $0.contains("$0.00") })
            // Posted again (a retry after a crash): nothing twice.
            let again = try o.ledger.postBatch(kind: .mail, controlTotal: Money(cents: 14_000), lines: lines, actor: actor,
                                               drawerSession: o.f.drawer, keyPrefix: "tape-1")
            #expect(again.posted.isEmpty && again.alreadyPosted.count == 2)
            // The batch's checks are in the drawer, listed for the close.
            #expect(try o.ledger.expectation(session: o.f.drawer).checks.count == 2)
            // Out of balance with a supervisor's override and a reason.
            let over = try o.ledger.postBatch(kind: .dropBox, controlTotal: Money(cents: 1_000),
                                              lines: [BatchLine(account: try o.f.account("100002"), amount: Money(cents: 1_100), tender: .cash)],
                                              reason: "tape short by $1", actor: Actor(operatorID: o.f.cashier.id, terminal: "T1", approverID: o.f.supervisor.id),
                                              drawerSession: o.f.drawer)
            #expect(over.posted.count == 1)
            #expect(try o.ledger.overrides(from: CounterFixture.today.adding(days: -400), to: CounterFixture.today.adding(days: 400)).map(\.action) == ["batch-out-of-balance"])
            try o.expectSound()
        }
    }

    @Test(arguments: Engine.all) func aPaymentFileImportsAllOrNothingAndOnce(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            let file = """
                account,amount,tender,reference,date
                100001,90.00,ach,WEB-1001,2026-11-19
                100002,20.00,card,WEB-1002,2026-11-19
                100003,100.00,lockbox,LBX-77,2026-11-18
                """
            let actor = o.actor(o.lead)
            #expect(throws: LedgerError.self) { try o.ledger.importPayments(csv: Array(file.utf8), fileName: "p.csv", actor: o.actor(o.csr)) }
            let bad = file + "\n999999,5.00,ach,WEB-1003,\n100001,abc,ach,WEB-1004,"
            #expect(throws: ImportError.self) { try o.ledger.importPayments(csv: Array(bad.utf8), fileName: "p.csv", actor: actor) }
            #expect(try o.f.balance("100001") == Money(cents: 9_000))
            let result = try o.ledger.importPayments(csv: Array(file.utf8), fileName: "p.csv", actor: actor)
            #expect(result.posted.count == 3 && result.total == Money(cents: 21_000))
            #expect(try o.book(.achClearing) == Money(cents: 9_000))
            #expect(try o.book(.cardClearing) == Money(cents: 2_000))
            #expect(try o.book(.bank) == Money(cents: 15_000 + 10_000))
            let again = try o.ledger.importPayments(csv: Array(file.utf8), fileName: "p.csv", actor: actor)
            #expect(again.posted.isEmpty && again.alreadyPosted.count == 3)
            #expect(try o.f.balance("100001") == .zero)
            // The lockbox check comes back unpaid: charged back from the bank, with the fee and the letter.
            let lockbox = try #require(result.posted.first { $0.account == "100003" }?.receipt)
            let returned = try o.ledger.returnCheck(receipt: lockbox, reason: "bank returned: account closed", actor: actor)
            #expect(try o.book(.bank) == Money(cents: 15_000))
            #expect(try o.f.balance("100003") == Money(cents: 21_000 + 2_500))
            let letter = try String(contentsOfFile: try #require(returned.files.first), encoding: .utf8)
            #expect(letter.contains("Check LBX-77 for $100.00"))
            try o.expectSound()
        }
    }

    @Test(arguments: Engine.all) func theLateFeeRunIsIdempotent(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            let date = CounterFixture.today
            #expect(throws: LedgerError.self) { try o.ledger.assessLateFees(asOf: date, actor: o.actor(o.csr)) }
            let run = try o.ledger.assessLateFees(asOf: date, actor: o.actor(o.lead))
            // 100001: bills due 09-26 ($60) and 10-26 ($30); 100002: due 10-26 ($55.25). 100003's bill
            // due 08-26 ($200) already carries the late fee the billing system charged on 08-27: none again.
            #expect(run.assessed.map(\.account) == ["100001", "100001", "100002"])
            #expect(run.alreadyAssessed == 1)
            #expect(run.total == Money(cents: 1_500))
            let again = try o.ledger.assessLateFees(asOf: date, actor: o.actor(o.lead))
            #expect(again.assessed.isEmpty && again.alreadyAssessed == 4)
            #expect(try o.book(.lateFee) == Money(cents: -1_000 - 1_500))
            try o.expectSound()
        }
    }

    @Test(arguments: Engine.all) func lettersRenderFromEditableTemplatesAndABadPlaceholderIsNamed(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            let date = CounterFixture.today
            let files = try o.ledger.writeLetters(.pastDue, on: date)
            #expect(files.count == 2) // 100002's bill is only 25 days past due
            let text = try String(contentsOfFile: files[0], encoding: .utf8)
            #expect(text.contains("PAST-DUE NOTICE") && text.contains("Union Public Utility District"))
            // Each notice ends with a stub whose scan line the counter's reader reads back.
            let line = try #require(text.split(separator: "\n").last.map(String.init))
            #expect(text.contains("Return this part with your payment. Account "))
            let stub = try o.ledger.readStub(line)
            #expect(text.contains("Account \(stub.stub.account)") && stub.standing == .current)
            let shutoff = try o.ledger.writeLetters(.shutoff, on: date)
            #expect(shutoff.count == 1)
            #expect(try String(contentsOfFile: shutoff[0], encoding: .utf8).contains("Return this part with your payment"))
            #expect(try o.ledger.accountDetail("100001")?.shutoffDate == date.adding(days: 10))
            let template = (o.ledger.templatesDirectory as NSString).appendingPathComponent("past-due.txt")
            try "Dear {{name}}, you owe {{amount_owed}}.".write(toFile: template, atomically: true, encoding: .utf8)
            do {
                _ = try o.ledger.writeLetters(.pastDue, on: date)
                Issue.record("an unknown placeholder rendered")
            } catch let error as LedgerError { #expect(error.message.contains("amount_owed")) }
            try o.expectSound()
        }
    }

    @Test(arguments: Engine.all) func aWriteOffIsASupervisorsAndMayReferTheAccountToCollections(_ engine: Engine) throws {
        try Office.on(engine) { o throws in
            let account = try o.f.account("100003")
            do {
                _ = try o.ledger.writeOff(account: account, amount: nil, reason: "discharged in bankruptcy", actor: o.actor(o.lead))
                Issue.record("a lead wrote off alone")
            } catch let error as LedgerError { #expect(error.code == .needsOverride) }
            #expect(throws: LedgerError.self) { try o.ledger.writeOff(account: account, amount: nil, reason: "x", actor: o.actor(o.csr, approver: o.lead)) }
            _ = try o.ledger.writeOff(account: account, amount: nil, reason: "discharged in bankruptcy, case 26-1044", referToCollections: true,
                                      actor: o.actor(o.lead, approver: o.f.supervisor))
            #expect(try o.f.balance("100003") == .zero)
            #expect(try o.book(.badDebt) == Money(cents: 21_000))
            let referred = try o.ledger.read { db in try String.fetchOne(db, sql: "SELECT collections_on FROM accounts WHERE number = '100003'") }
            #expect(referred == CounterFixture.today.description)
            #expect(throws: LedgerError.self) { try o.ledger.writeOff(account: account, amount: nil, reason: "again", actor: o.actor(o.f.supervisor)) }
            var journal = ""
            _ = try o.ledger.exportJournal(from: nil, to: nil) { journal += $0 }
            #expect(journal.contains("expenses:bad debt"))
            try o.expectSound()
        }
    }
}

@Suite struct LedgerWaitTests {
    /// Another connection holds the write lock for a second and a half: the posting waits (it is
    /// not refused), the listener hears of the wait past a second and of its end, and it posts.
    @Test func aPostWaitsForAnotherWriterAndSaysSoPastASecond() throws {
        let f = try CounterFixture()
        final class Heard: @unchecked Sendable { var events: [Bool] = []; let lock = NSLock() }
        let heard = Heard()
        f.ledger.waits.onLongWait { waiting in heard.lock.withLock { heard.events.append(waiting) } }
        let other = try DatabaseQueue(path: f.ledger.path)
        let locked = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? other.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                Thread.sleep(forTimeInterval: 1.5)
                try db.execute(sql: "COMMIT")
            }
            done.signal()
        }
        locked.wait()
        let start = Date()
        let posted = try f.payCash("100001", cents: 1_000)
        #expect(posted.receipt != nil)
        #expect(Date().timeIntervalSince(start) >= 1.0)
        done.wait()
        #expect(heard.lock.withLock { heard.events } == [true, false])
        #expect(f.ledger.waits.longestWait >= 1.0)
    }

    /// Another terminal (its own `Ledger` on the file) is in a long write: this one waits in the
    /// line, hears of it past a second, and posts when the other is done.
    @Test func aPostWaitingInLineSaysSoPastASecond() throws {
        let f = try CounterFixture()
        let other = try Ledger(path: f.ledger.path)
        final class Heard: @unchecked Sendable { var events: [Bool] = []; let lock = NSLock() }
        let heard = Heard()
        f.ledger.waits.onLongWait { waiting in heard.lock.withLock { heard.events.append(waiting) } }
        let inside = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? other.writeImmediate { _ in
                inside.signal()
                Thread.sleep(forTimeInterval: 1.5)
            }
            done.signal()
        }
        inside.wait()
        let start = Date()
        #expect(try f.payCash("100001", cents: 1_000).receipt != nil)
        #expect(Date().timeIntervalSince(start) >= 1.0)
        done.wait()
        #expect(heard.lock.withLock { heard.events } == [true, false])
    }
}

/// A ledger that is missing, read-only, from a newer Till, or on a full disk: a clear
/// message and nothing half-written.
@Suite struct AwkwardLedgerTests {
    @Test func aMissingLedgerIsNamed() {
        do {
            _ = try Ledger(path: "/tmp/till-no-such-\(UUID().uuidString)/till.sqlite")
            Issue.record("a missing ledger opened")
        } catch let error as LedgerError {
            #expect(error.code == .noLedger && error.message.contains("till init"))
        } catch { Issue.record("\(error)") }
    }

    @Test func aLedgerFromANewerTillIsNotOpened() throws {
        let f = try CounterFixture()
        try f.ledger.writer.write { db in try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99-future')") }
        do {
            _ = try Ledger(path: f.ledger.path)
            Issue.record("a newer ledger opened")
        } catch let error as LedgerError { #expect(error.message.contains("newer version of Till")) }
    }

    @Test func aFullDiskRefusesThePostingWhole() throws {
        let f = try CounterFixture()
        let before = try f.count("transactions")
        let postings = try f.count("postings")
        // SQLite's page limit stands in for a full disk: no page more may be added.
        try f.ledger.writer.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count")!
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        var refused: LedgerError?
        for i in 0..<200 where refused == nil {
            do { try f.payCash("100001", cents: 100 + Int64(i)) } catch let error as LedgerError { refused = error }
        }
        let error = try #require(refused)
        #expect(error.message.contains("disk holding the ledger is full"))
        try f.ledger.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
        // What went in went in whole; the refused one left nothing.
        let report = try f.ledger.verify()
        #expect(report.isSound, "\(report.firstFault ?? "")")
        let (transactions, postingsAfter) = (try f.count("transactions"), try f.count("postings"))
        #expect(transactions >= before && postingsAfter >= postings)
    }

    @Test func aReadOnlyLedgerIsReadButNotWritten() throws {
        let f = try CounterFixture()
        _ = try f.payCash("100001", cents: 500)
        f.ledger.checkpoint()
        let path = f.ledger.path
        chmod(path, 0o400)
        defer { chmod(path, 0o600) }
        if getuid() == 0 {
            // Root writes whatever the mode says: make the file immutable instead, where the
            // file system allows it.
            guard Self.chattr("+i", path) else { return }
        }
        defer { if getuid() == 0 { _ = Self.chattr("-i", path) } }
        do {
            let opened = try Ledger(path: path)
            _ = try opened.post(Payment(lines: [.account(try f.account("100001"), Money(cents: 100))], tenders: [.card(Money(cents: 100), lastFour: "4242", authorization: "A1")]),
                                operatorID: f.cashier.id, terminal: "T9")
            Issue.record("a read-only ledger took a posting")
        } catch let error as LedgerError {
            #expect(error.message.contains("Cannot write the ledger") || error.message.contains("read"))
        }
        #expect(try f.ledger.verify().isSound)
    }

    private static func chattr(_ flag: String, _ path: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [flag, path]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

/// The hash chain: each way of changing the books behind the ledger's back is found, and
/// named by the first transaction it touches.
@Suite struct ChainTests {
    func ledgerWithPayments() throws -> (CounterFixture, [PostedTransaction]) {
        let f = try CounterFixture()
        var posted: [PostedTransaction] = []
        for cents in [1_000, 2_000, 3_000] as [Int64] { posted.append(try f.payCash("100001", cents: cents)) }
        #expect(try f.ledger.verify().isSound)
        #expect(try f.ledger.head().short.count == 16)
        return (f, posted)
    }

    @Test func aChangedAmountBreaksTheChainAtItsReceipt() throws {
        let (f, posted) = try ledgerWithPayments()
        // Both sides changed, so the transaction still balances: only the chain sees it.
        try f.tamper("UPDATE postings SET amount_cents = amount_cents * 2 WHERE transaction_id = \(posted[1].id)")
        try f.tamper("UPDATE tenders SET amount_cents = amount_cents * 2, tendered_cents = tendered_cents * 2 WHERE transaction_id = \(posted[1].id)")
        let fault = try #require(try f.ledger.verify().checks.first { $0.name.contains("hash chain") }?.fault)
        #expect(fault.contains("chain breaks at transaction #\(posted[1].id) (receipt \(posted[1].receipt!))"))
    }

    @Test func aDeletedRowIsFound() throws {
        let (f, posted) = try ledgerWithPayments()
        let id = posted[1].id
        try f.tamper("""
            PRAGMA foreign_keys = OFF;
            DELETE FROM allocations WHERE transaction_id = \(id); DELETE FROM tenders WHERE transaction_id = \(id);
            DELETE FROM postings WHERE transaction_id = \(id); DELETE FROM transactions WHERE id = \(id);
            """)
        #expect(try f.ledger.verify().checks.first { $0.name.contains("hash chain") }?.fault?.contains("#\(id) was sealed but is no longer in the ledger") == true)
        // Deleting its seal too only moves the break to the next transaction.
        try f.tamper("DELETE FROM transaction_hashes WHERE transaction_id = \(id)")
        #expect(try f.ledger.verify().checks.first { $0.name.contains("hash chain") }?.fault?.contains("chain breaks at transaction #\(posted[2].id)") == true)
    }

    @Test func aRowSlippedInByBareSQLIsFoundEvenAfterLaterPostings() throws {
        let (f, _) = try ledgerWithPayments()
        try f.tamper("""
            INSERT INTO transactions(kind, business_date, posted_at, operator_id, terminal_id, memo)
            VALUES ('adjustment', '2026-11-20', '2026-11-20T12:00:00.000Z', \(f.supervisor.id), 'T1', 'quiet credit');
            INSERT INTO postings(transaction_id, book, account_id, amount_cents)
            VALUES (last_insert_rowid(), 'REV_WATER', NULL, 5000);
            """)
        let slipped = try f.ledger.writer.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM transactions")! }
        // A later posting seals only itself: the slipped row stays outside the chain.
        _ = try f.payCash("100001", cents: 500)
        let fault = try #require(try f.ledger.verify().checks.first { $0.name.contains("hash chain") }?.fault)
        #expect(fault.contains("transaction #\(slipped) is not in the chain"))
    }

    @Test func swappedContentsAreFound() throws {
        let (f, posted) = try ledgerWithPayments()
        try f.tamper("""
            UPDATE transactions SET posted_at = (SELECT posted_at FROM transactions WHERE id = \(posted[2].id)), memo = 'x'
            WHERE id = \(posted[0].id)
            """)
        #expect(try f.ledger.verify().checks.first { $0.name.contains("hash chain") }?.fault?.contains("chain breaks at transaction #\(posted[0].id)") == true)
    }
}

/// The line terminals stand in for the write lock.
@Suite struct WriteQueueTests {
    final class Order: @unchecked Sendable {
        var names: [String] = []
        let lock = NSLock()
        func add(_ name: String) { lock.withLock { names.append(name) } }
        var all: [String] { lock.withLock { names } }
    }

    private static func path() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("till-queue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("till.sqlite").path
    }

    /// Three terminals (three descriptors, as three processes have): the one that asked second
    /// goes second, though the third keeps asking too.
    @Test func writersGoInTheOrderTheyAsked() throws {
        let path = try Self.path()
        let first = WriteQueue(ledgerPath: path), second = WriteQueue(ledgerPath: path), third = WriteQueue(ledgerPath: path)
        let order = Order()
        let firstPlace = try #require(first.enter(waits: LedgerWaits()))
        let done = DispatchGroup()
        for (name, queue) in [("second", second), ("third", third)] {
            done.enter()
            Thread.detachNewThread {
                let place = queue.enter(waits: LedgerWaits())
                order.add(name)
                Thread.sleep(forTimeInterval: 0.05)
                queue.leave(place)
                done.leave()
            }
            Thread.sleep(forTimeInterval: 0.2) // the second has its ticket before the third asks
        }
        #expect(order.all.isEmpty) // both wait for the first
        first.leave(firstPlace)
        done.wait()
        #expect(order.all == ["second", "third"])
        #expect(FileManager.default.fileExists(atPath: path + "-queue"))
        let mode = try FileManager.default.attributesOfItem(atPath: path + "-queue")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// A long write sees that someone took a ticket behind it, and no one else's ticket.
    @Test func aLongWriteSeesSomeoneWaitingBehindIt() throws {
        let path = try Self.path()
        let importer = WriteQueue(ledgerPath: path), counter = WriteQueue(ledgerPath: path)
        let place = try #require(importer.enter(waits: LedgerWaits()))
        #expect(!importer.isAnyoneBehind(place))
        let asked = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            asked.signal()
            let behind = counter.enter(waits: LedgerWaits())
            counter.leave(behind)
            done.signal()
        }
        asked.wait()
        var seen = false
        for _ in 0..<200 where !seen {
            seen = importer.isAnyoneBehind(place)
            if !seen { Thread.sleep(forTimeInterval: 0.005) }
        }
        #expect(seen)
        importer.leave(place)
        #expect(done.wait(timeout: .now() + 5) == .success)
    }

    /// A terminal that dies holding its place (its descriptor closed, as the kernel does for a
    /// killed process) lets the next go.
    @Test func aTerminalThatDiesInLineLetsTheNextGo() throws {
        let path = try Self.path()
        var dying: WriteQueue? = WriteQueue(ledgerPath: path)
        _ = try #require(dying?.enter(waits: LedgerWaits()))
        let next = WriteQueue(ledgerPath: path)
        let went = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let place = next.enter(waits: LedgerWaits())
            next.leave(place)
            went.signal()
        }
        #expect(went.wait(timeout: .now() + 0.3) == .timedOut)
        dying = nil
        #expect(went.wait(timeout: .now() + 5) == .success)
        _ = dying
    }

    /// Without a place to keep the line (a directory nobody may write), writes still go through.
    @Test func noQueueFileMeansStraightToSQLitesLock() throws {
        let queue = WriteQueue(ledgerPath: "/proc/no-such-dir/till.sqlite")
        #expect(queue.enter(waits: LedgerWaits()) == nil)
    }
}

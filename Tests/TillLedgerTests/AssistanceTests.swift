import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

/// Assistance agencies: enrolments, pledges that hold a shut-off while open, and the agency's one
/// payment for many accounts that fulfils them.
@Suite("Assistance agencies and pledges")
struct AssistanceTests {
    func csr(_ f: CounterFixture) throws -> Actor {
        let op = try f.ledger.addOperator(login: try OperatorLogin("csr"), displayName: "Chris CSR", role: .csr, pin: "2222", by: f.supervisor.id)
        return Actor(operatorID: op.id, terminal: "T2")
    }

    func agency(_ f: CounterFixture, _ actor: Actor) throws {
        _ = try f.ledger.addAgency(name: "County Energy Aid", program: "LIHEAP", contact: "(555) 300-1000", actor: actor)
    }

    /// The agency's check for several accounts, posted from the cashier's drawer.
    func agencyCheck(_ f: CounterFixture, _ lines: [(String, Int64)], number: String = "5501") throws -> PostedTransaction {
        let total = Money(cents: lines.reduce(0) { $0 + $1.1 })
        return try f.ledger.post(Payment(lines: try lines.map { .account(try f.account($0.0), Money(cents: $0.1)) },
                                         tenders: [.check(total, number: number)]),
                                 operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer, agency: "county energy aid")
    }

    @Test(arguments: Engine.all) func anOpenPledgeHoldsTheShutOffAndThePaneSaysSo(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let actor = try csr(f)
            try agency(f, actor)
            // 100001 owes $90.00, $90.00 of it past due since 2026-09-26: on the shut-off list.
            #expect(try f.ledger.shutoffCandidates(on: CounterFixture.today).map(\.number) == ["100001"])
            // $50.00 pledged leaves $40.00, under the $50.00 shut-off minimum: off the list.
            _ = try f.ledger.pledge(account: try f.account("100001"), agency: "County Energy Aid", amount: Money(cents: 5_000),
                                    caseNumber: "EA-2026-118", expires: CounterFixture.today.adding(days: 30), actor: actor)
            #expect(try f.ledger.shutoffCandidates(on: CounterFixture.today).isEmpty)
            let listed = try #require(try f.ledger.delinquency(asOf: CounterFixture.today).first { $0.number == "100001" })
            #expect(listed.pledged == Money(cents: 5_000) && listed.shutoffPastDue == Money(cents: 4_000))
            #expect(ServiceReports.delinquencyText([listed], asOf: CounterFixture.today)[3].contains("pledged $50.00"))
            // Counted only once the rest is paid: the same pledge no longer holds the shut-off.
            try f.ledger.setSetting(.pledgeCounts, "with-rest-paid", by: f.supervisor.id)
            #expect(try f.ledger.shutoffCandidates(on: CounterFixture.today).map(\.number) == ["100001"])
            // The rest paid at the counter ($40.00): now the pledge covers all that is past due.
            try f.payCash("100001", cents: 4_000)
            #expect(try f.ledger.shutoffCandidates(on: CounterFixture.today).isEmpty)
            // After it expires, the pledge counts for nothing.
            let later = CounterFixture.today.adding(days: 31)
            #expect(try f.ledger.delinquency(asOf: later).first { $0.number == "100001" }?.pledged == .zero)
            let listedLater = try f.ledger.delinquency(asOf: later)
            #expect(try f.ledger.shutoffCandidates(on: later).map(\.number).contains("100001"), "\(listedLater)")
        }
    }

    @Test(arguments: Engine.all) func theAccountPaneShowsTheHeldShutOffThePledgeAndTheProgram(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let actor = try csr(f)
            try agency(f, actor)
            // A shut-off notice goes out first: the account has a shut-off date.
            _ = try f.ledger.writeLetters(.shutoff, on: CounterFixture.today)
            var detail = try #require(try f.ledger.accountDetail("100001"))
            #expect(detail.alerts.contains { if case .shutoffPending(_, let stop) = $0 { stop == Money(cents: 9_000) } else { false } })
            _ = try f.ledger.enroll(account: try f.account("100001"), agency: "County Energy Aid", caseNumber: "EA-2026-118",
                                    from: CounterFixture.today, until: nil, actor: actor)
            _ = try f.ledger.pledge(account: try f.account("100001"), agency: "County Energy Aid", amount: Money(cents: 6_000),
                                    caseNumber: "EA-2026-118", expires: CounterFixture.today.adding(days: 30), actor: actor)
            detail = try #require(try f.ledger.accountDetail("100001"))
            let texts = detail.alerts.map(\.text)
            // Part pledged: the cashier is told what stops the shut-off now — the rest.
            #expect(texts.contains { $0.hasPrefix("Pay $30.00 to stop the shut-off of") }, "\(texts)")
            #expect(texts.contains("$60.00 pledged by County Energy Aid, open until 2026-12-20"))
            #expect(texts.contains("Enrolled in LIHEAP (County Energy Aid, case EA-2026-118) since 2026-11-20"))
            // Lookup says so beside the status.
            #expect(try f.ledger.enrolledPrograms(accounts: ["100001", "100002"]) == ["100001": "LIHEAP"])
            // The rest pledged too: held, and the pane says by what.
            _ = try f.ledger.pledge(account: try f.account("100001"), agency: "County Energy Aid", amount: Money(cents: 3_000),
                                    caseNumber: "EA-2026-119", expires: CounterFixture.today.adding(days: 30), actor: actor)
            detail = try #require(try f.ledger.accountDetail("100001"))
            #expect(detail.alerts.first.map(\.text)?.hasSuffix("held: $90.00 pledged by an agency") == true, "\(detail.alerts.map(\.text))")
        }
    }

    @Test(arguments: Engine.all) func oneAgencyCheckFulfilsThePledgesOfManyAccounts(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let actor = try csr(f)
            try agency(f, actor)
            for (account, cents) in [("100001", 9_000 as Int64), ("100002", 5_525)] {
                _ = try f.ledger.pledge(account: try f.account(account), agency: "County Energy Aid", amount: Money(cents: cents),
                                        caseNumber: "C-\(account)", expires: CounterFixture.today.adding(days: 14), actor: actor)
            }
            // Before posting: each line says what it does; a line with no pledge or beyond it is named.
            let checks = try f.ledger.checkAgencyPayment(agency: "County Energy Aid", lines: [
                (try f.account("100001"), Money(cents: 9_000)), (try f.account("100002"), Money(cents: 6_000)),
                (try f.account("100003"), Money(cents: 1_000))])
            #expect(checks.map(\.problem) == [nil, "$4.75 more than the $55.25 pledged on 100002", "no open pledge from this agency on 100003"])
            #expect(checks[0].note == "fulfils pledge case C-100001 ($90.00 pledged)")
            // 100002 is cash only after a returned check of its own; the agency's check is the agency's.
            // The check pays $90.00 and $30.00: the first pledge fulfilled, the second still awaits $25.25.
            let posted = try agencyCheck(f, [("100001", 9_000), ("100002", 3_000)])
            var pledges = try f.ledger.pledges()
            #expect(pledges.map(\.account) == ["100002", "100001"])
            #expect(pledges.map { $0.status(on: CounterFixture.today) } == [.open, .fulfilled])
            #expect(pledges.map(\.open) == [Money(cents: 2_525), .zero])
            #expect(try f.ledger.pledges(status: .fulfilled).map(\.account) == ["100001"])
            // Re-derived plainly: what pledge_payments hold for the payment is what it credited each pledged account.
            let rows = try f.ledger.read { db in
                try SQLRow.fetchAll(db, sql: "SELECT pledge_id, amount_cents FROM pledge_payments WHERE transaction_id = ? ORDER BY pledge_id",
                                 arguments: [posted.id]).map { "\($0[0] as Int64):\($0[1] as Int64)" }
            }
            #expect(rows == ["1:9000", "2:3000"])
            // The payment is money taken like any other: its receipt says who paid.
            #expect(try f.ledger.read { db in try String.fetchOne(db, sql: "SELECT memo FROM transactions WHERE id = ?", arguments: [posted.id]) }
                    == "Paid by County Energy Aid")
            // Voided (the agency's check handed back): the pledges await their money again.
            _ = try f.ledger.void(receipt: try #require(posted.receipt), reason: "wrong check", operatorID: f.cashier.id, terminal: "T1")
            pledges = try f.ledger.pledges()
            #expect(pledges.map(\.open) == [Money(cents: 5_525), Money(cents: 9_000)])
            #expect(pledges.allSatisfy { $0.status(on: CounterFixture.today) == .open })
        }
    }

    @Test(arguments: Engine.all) func anAgencyPaymentBeyondThePledgeFulfilsItAndPaysTheRestAsUsual(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let actor = try csr(f)
            try agency(f, actor)
            _ = try f.ledger.pledge(account: try f.account("100001"), agency: "County Energy Aid", amount: Money(cents: 2_000),
                                    caseNumber: "", expires: CounterFixture.today, actor: actor)
            _ = try agencyCheck(f, [("100001", 5_000)])
            #expect(try f.ledger.pledges().map(\.paid) == [Money(cents: 2_000)])
            #expect(try f.balance("100001") == Money(cents: 4_000))
            // An expired pledge the agency never paid is listed for follow-up.
            _ = try f.ledger.pledge(account: try f.account("100002"), agency: "County Energy Aid", amount: Money(cents: 1_000),
                                    caseNumber: "LATE-1", expires: CounterFixture.today, actor: actor)
            let late = try #require(try f.ledger.pledges(status: .open).first)
            #expect(late.status(on: CounterFixture.today.adding(days: 1)) == .expired)
            #expect(late.csvRow(on: CounterFixture.today.adding(days: 1)) ==
                    ["2", "County Energy Aid", "100002", "José Núñez", "10.00", "0.00", "10.00", "expired", "2026-11-20", "2026-11-20", "LATE-1"])
        }
    }

    @Test(arguments: Engine.all) func badPledgesAndAgenciesAreRefusedAndChangeNothing(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let actor = try csr(f)
            try agency(f, actor)
            let account = try f.account("100001")
            let cashier = Actor(operatorID: f.cashier.id, terminal: "T1")
            let attempts: [(String, () throws -> Void)] = [
                ("a cashier", { _ = try f.ledger.pledge(account: account, agency: "County Energy Aid", amount: Money(cents: 100), caseNumber: "",
                                                       expires: CounterFixture.today, actor: cashier) }),
                ("unknown agency", { _ = try f.ledger.pledge(account: account, agency: "Nobody", amount: Money(cents: 100), caseNumber: "",
                                                            expires: CounterFixture.today, actor: actor) }),
                ("beyond what is owed", { _ = try f.ledger.pledge(account: account, agency: "County Energy Aid", amount: Money(cents: 9_001),
                                                                 caseNumber: "", expires: CounterFixture.today, actor: actor) }),
                ("expired already", { _ = try f.ledger.pledge(account: account, agency: "County Energy Aid", amount: Money(cents: 100),
                                                             caseNumber: "", expires: CounterFixture.today.adding(days: -1), actor: actor) }),
                ("a control character", { _ = try f.ledger.pledge(account: account, agency: "County Energy Aid", amount: Money(cents: 100),
                                                                 caseNumber: "A\u{1B}[2J", expires: CounterFixture.today, actor: actor) }),
                ("a card number", { _ = try f.ledger.pledge(account: account, agency: "County Energy Aid", amount: Money(cents: 100),
                                                           caseNumber: "4111 1111 1111 1111", expires: CounterFixture.today, actor: actor) }),
                ("a second agency of the same name", { _ = try f.ledger.addAgency(name: "county energy aid", actor: actor) }),
                ("an enrolment that ends before it starts", { _ = try f.ledger.enroll(account: account, agency: "County Energy Aid", caseNumber: "",
                                                                                      from: CounterFixture.today, until: CounterFixture.today.adding(days: -1),
                                                                                      actor: actor) }),
                ("a payment naming no agency", { _ = try f.ledger.post(Payment(lines: [.account(account, Money(cents: 100))], tenders: [.cash(Money(cents: 100))]),
                                                                       operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer, agency: "Nobody") }),
            ]
            let before = try f.ledger.read { db in
                try ["pledges", "agencies", "program_enrollments", "transactions"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)")! }
            }
            for (what, attempt) in attempts {
                #expect(throws: LedgerError.self, "\(what)") { try attempt() }
            }
            let after = try f.ledger.read { db in
                try ["pledges", "agencies", "program_enrollments", "transactions"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)")! }
            }
            #expect(before == after)
        }
    }

    @Test(arguments: Engine.all) func aPledgeChangedBehindTillsBackIsNamedByVerify(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let actor = try csr(f)
            try agency(f, actor)
            _ = try f.ledger.pledge(account: try f.account("100001"), agency: "County Energy Aid", amount: Money(cents: 2_000),
                                    caseNumber: "", expires: CounterFixture.today.adding(days: 5), actor: actor)
            #expect(try f.ledger.verify().isSound)
            // Someone with the file stretches the pledge to hold the shut-off for good.
            try f.tamper("UPDATE pledges SET amount_cents = 9000, expires_on = '2099-01-01'")
            let report = try f.ledger.verify()
            #expect(!report.isSound && (report.firstFault ?? "").contains("pledges"), "\(report.firstFault ?? "")")
        }
    }
}

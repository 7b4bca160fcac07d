import Foundation
import GRDB
import Testing
import TillCore
import TillPrinting
@testable import TillLedger

@Suite("Offices: terminals placed for good, receipts, each office's share of the day")
struct OfficeTests {
    /// Who may add an office and what an office's fields take; a terminal stands in one office.
    @Test(arguments: Engine.all) func officesAndTheirTerminals(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let l = f.ledger
            #expect(try l.offices().isEmpty)
            // No offices: the receipt is the utility's, as before.
            let before = try f.payCash("100001", cents: 1_000)
            #expect(try l.receipt(before.receipt!)?.header.officeName == "")

            func add(_ code: String, _ name: String = "North Branch", _ address: String = "9 Elm St, Union",
                     _ bank: String = "0123456789", by op: Operator) throws -> Office {
                try l.addOffice(code: code, name: name, address: address, bankAccount: bank, by: op.id, terminal: "T9")
            }
            #expect(throws: LedgerError(.notAuthorized, "Only a supervisor adds an office")) { try add("MAIN", by: f.cashier) }
            for bad in ["", "1MAIN", "MAIN OFFICE", "THIRTEENCHARS", "MÄIN"] {
                #expect(throws: LedgerError.self, "code \(bad)") { try add(bad, by: f.supervisor) }
            }
            #expect(throws: LedgerError.self) { try add("X", "", by: f.supervisor) }
            #expect(throws: LedgerError.self) { try add("X", "North", "", by: f.supervisor) }
            #expect(throws: LedgerError.self) { try add("X", "North", "9 Elm\nSt", by: f.supervisor) }
            #expect(throws: LedgerError.self) { try add("X", "North", "9 Elm St", "12", by: f.supervisor) }
            #expect(throws: LedgerError.self) { try add("X", "North", "9 Elm St", "0123;DROP", by: f.supervisor) }
            // A card number pasted into a name is refused, and not kept anywhere.
            #expect(throws: LedgerError.self) { try add("X", "Pay 4111 1111 1111 1111", by: f.supervisor) }
            #expect(try f.count("offices") == 0)

            let main = try add("main", "Main Office", "100 Main Street, Union", "111000025", by: f.supervisor)
            let north = try add("NORTH", by: f.supervisor)
            #expect(main.code == "MAIN" && main.isMain && !north.isMain)
            #expect(throws: LedgerError.self) { try add("north", "Again", by: f.supervisor) }
            #expect(try f.count("offices") == 2)

            // Placed by a supervisor, or by the host's TILL_OFFICE (no operator); once, for good.
            #expect(throws: LedgerError.self) { try l.placeTerminal("T2", in: "NORTH", by: f.cashier.id) }
            #expect(try l.placeTerminal("T2", in: "north", by: f.supervisor.id) == north)
            #expect(try l.placeTerminal("T2", in: "NORTH", by: nil) == north) // again: nothing to do
            #expect(throws: LedgerError.self) { try l.placeTerminal("T2", in: "MAIN", by: f.supervisor.id) }
            #expect(throws: LedgerError.self) { try l.placeTerminal("T3", in: "SOUTH", by: nil) }
            #expect(throws: LedgerError.self) { try l.placeTerminal("", in: "MAIN", by: nil) }
            #expect(try l.placeTerminal("T1", in: "MAIN", by: nil) == main)
            #expect(try f.count("terminal_offices") == 2)
            let map = try l.offices()
            #expect(map.office(of: "T2") == north && map.office(of: "T1") == main && map.office(of: "PHONE") == main)
            #expect(map.offices.map(\.terminals) == [["T1"], ["T2"]])

            // The receipt carries the office that took the payment, and its address.
            let d2 = try l.openDrawer(operatorID: f.supervisor.id, terminal: "T2").id
            let there = try l.post(Payment(lines: [.account(try f.account("100002"), Money(dollars: 5))], tenders: [.cash(Money(dollars: 5))]),
                                   operatorID: f.supervisor.id, terminal: "T2", drawerSession: d2)
            let receipt = try #require(try l.receipt(there.receipt!))
            #expect(receipt.header.officeName == "North Branch" && receipt.header.officeAddress == "9 Elm St, Union")
            let printed = ReceiptLayout.lines(receipt, width: 42).map(\.text)
            #expect(printed.contains { $0.contains("North Branch") } && printed.contains { $0.contains("9 Elm St, Union") })
            #expect(!printed.contains { $0.contains("100 Main Street") })
            // The receipt taken before offices existed now shows the main office (T1 stands there).
            #expect(try l.receipt(before.receipt!)?.header.officeName == "Main Office")

            // Both tables are append-only and sealed: a changed placement is named by verify.
            #expect(try l.verify().isSound)
            #expect(throws: (any Error).self) {
                try l.writeImmediate { db in try db.execute(sql: "UPDATE terminal_offices SET office_id = ?", arguments: [main.id]) }
            }
            try f.tamper("UPDATE terminal_offices SET office_id = \(main.id) WHERE terminal_id = 'T2'")
            let report = try l.verify()
            #expect(!report.isSound)
            #expect(report.checks.contains { $0.fault?.contains("terminal_offices") == true })
        }
    }

    /// Two offices' drawers, phone payments, a void, a drop and a short drawer: each office's
    /// settlement, and the whole utility's, re-derived from the raw rows; the offices add up to
    /// the whole, figure by figure, to the cent; and the consolidated report says so.
    @Test(arguments: Engine.all) func eachOfficesShareAddsUpToTheDay(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let l = f.ledger
            let (main, north) = try f.mainAndNorth()
            let drive = try l.addOffice(code: "DRIVE-UP", name: "Drive-up window", address: "100 Main St (rear)",
                                        bankAccount: "111000025", by: f.supervisor.id, terminal: "T9")
            try l.placeTerminal("NPHONE", in: "NORTH", by: f.supervisor.id)
            let lead = try l.addOperator(login: try OperatorLogin("lead"), displayName: "Lee Lead", role: .lead, pin: "5555", by: f.supervisor.id)
            let north1 = try l.addOperator(login: try OperatorLogin("north1"), displayName: "Nora North", role: .cashier, pin: "2222",
                                           by: f.supervisor.id)
            let d2 = try l.openDrawer(operatorID: north1.id, terminal: "T2").id
            func pay(_ account: String, _ cents: Int64, _ tender: Tender, by op: Operator, at terminal: String, drawer: Int64?) throws -> PostedTransaction {
                try l.post(Payment(lines: [.account(try f.account(account), Money(cents: cents))], tenders: [tender]),
                           operatorID: op.id, terminal: terminal, drawerSession: drawer)
            }
            // Main office, T1 (placed nowhere: the main office's).
            _ = try pay("100001", 4_550, .cash(Money(cents: 4_550), tendered: Money(dollars: 50)), by: f.cashier, at: "T1", drawer: f.drawer)
            _ = try pay("100001", 4_450, .check(Money(cents: 4_450), number: "2041"), by: f.cashier, at: "T1", drawer: f.drawer)
            let wrong = try pay("100003", 2_000, .cash(Money(dollars: 20)), by: f.cashier, at: "T1", drawer: f.drawer)
            _ = try l.void(receipt: wrong.receipt!, reason: "wrong account", operatorID: f.cashier.id, terminal: "T1")
            _ = try pay("100002", 1_000, .ach(Money(dollars: 10), lastFour: "6789"), by: f.supervisor, at: "PHONE", drawer: nil)
            // North: a drawer and a phone line of its own.
            _ = try pay("100003", 11_000, .cash(Money(dollars: 110)), by: north1, at: "T2", drawer: d2)
            _ = try pay("100002", 5_525, .moneyOrder(Money(cents: 5_525), number: "77"), by: north1, at: "T2", drawer: d2)
            _ = try l.post(Payment(lines: [.miscellaneous(.miscellaneous, Money(dollars: 15))], tenders: [.cash(Money(dollars: 15))]),
                           operatorID: north1.id, terminal: "T2", drawerSession: d2, memo: "Permit 2291")
            _ = try pay("100003", 10_000, .card(Money(dollars: 100), lastFour: "4242", authorization: "0A1B2C", brand: "VISA"),
                        by: f.supervisor, at: "NPHONE", drawer: nil)
            try l.drop(session: d2, count: try CashCount.parse("20=5"), bag: "N-1", operatorID: north1.id, terminal: "T2")

            let day = CounterFixture.today
            func figures(_ office: Office?) throws -> SettlementFigures { SettlementFigures(try l.settlement(day, office: office)) }
            let whole = try figures(nil), perOffice = try [main, north, drive].map(figures)
            #expect(whole.differences(from: perOffice.reduce(SettlementFigures(), +)) == [])
            #expect(perOffice[2].lines.allSatisfy { $0.value == 0 }) // the drive-up took nothing
            #expect(whole.value("tender-total") == 38_025) // the void nets the $20 out

            // The same figures the plain way: every tender of the day by its terminal's office.
            let offices = try l.offices()
            let raw: [(terminal: String, kind: String, cents: Int64, receipt: Int64?)] = try l.read { db in
                try SQLRow.fetchAll(db, sql: """
                    SELECT t.terminal_id, x.kind, x.amount_cents, t.receipt_number FROM tenders x JOIN transactions t ON t.id = x.transaction_id
                    WHERE t.business_date = ?
                    """, arguments: [day.description]).map { ($0[0], $0[1], $0[2], $0[3]) }
            }
            for (office, own) in zip([main, north, drive], perOffice) {
                let mine = raw.filter { offices.office(of: $0.terminal) == office }
                #expect(own.value("tender-total") == mine.reduce(0) { $0 + $1.cents }, "\(office.code)")
                for kind in TenderKind.allCases {
                    #expect(own.value("tender-\(kind.rawValue)") == mine.filter { $0.kind == kind.rawValue }.reduce(0) { $0 + $1.cents },
                            "\(office.code) \(kind)")
                }
                #expect(own.value("receipts") == Int64(Set(mine.compactMap(\.receipt)).count), "\(office.code)")
            }
            #expect(perOffice[0].value("tender-total") == Int64(4_550 + 4_450 + 2_000 - 2_000 + 1_000))
            #expect(perOffice[1].value("tender-total") == Int64(11_000 + 5_525 + 1_500 + 10_000))
            #expect(perOffice[1].value("tender-card") == 10_000 && perOffice[0].value("tender-card") == 0)

            // Each office's deposit is its own drawers': North's money order, its cash less its float.
            let northDay = try l.settlement(day, office: north)
            #expect(northDay.drawers.map(\.id) == [d2])
            #expect(northDay.dropRecords.map(\.bag) == ["N-1"])
            #expect(try l.settlement(day, office: main).corrections.count == 1 && northDay.corrections.isEmpty)
            #expect(ReportText.deposit(northDay).contains("To bank account 222000025"))

            // Open drawers: the consolidated report says who has not closed.
            var consolidated = try l.consolidatedSettlement(from: day, to: day)
            #expect(consolidated.differences == [] && consolidated.notClosed == ["MAIN", "NORTH"])
            let text = ReportText.consolidated(consolidated)
            #expect(text.contains("The offices add up to the total, to the cent."))
            #expect(text.contains { $0.hasPrefix("Taken in all") && $0.hasSuffix("$380.25") })

            // Close both drawers (North $1.00 short), then the day.
            let x1 = try l.expectation(session: f.drawer)
            _ = try l.closeDrawer(session: f.drawer, count: DrawerCount(cash: try CashCount.parse("100=2,20=2,5=1,0.25=2"),
                                                                       checksFound: Set(x1.checks.map(\.tenderID)), cardBatch: .zero),
                                  operatorID: f.cashier.id, terminal: "T1")
            let x2 = try l.expectation(session: d2)
            var count2 = DrawerCount(cash: try CashCount.parse("100=2,20=1,1=4"), checksFound: Set(x2.checks.map(\.tenderID)),
                                     cardBatch: .zero)
            count2.reason = "miscounted change"
            count2.approvedBy = lead.id
            _ = try l.closeDrawer(session: d2, count: count2, operatorID: north1.id, terminal: "T2")
            _ = try l.closeBusinessDay(by: lead.id, terminal: "T9", bag: "B-1")
            #expect(try l.settlement(day, office: north).checks.map(\.number) == ["77"])
            #expect(try l.settlement(day, office: main).checks.map(\.number) == ["2041"])
            consolidated = try l.consolidatedSettlement(from: day, to: day)
            #expect(consolidated.differences == [] && consolidated.notClosed == [])
            #expect(consolidated.offices[1].figures.value("over-short") == -100 && consolidated.offices[0].figures.value("over-short") == 0)
            let csv = ReportCSV.consolidated(consolidated)
            #expect(csv[0] == ["figure", "name", "MAIN", "NORTH", "DRIVE-UP", "total"])
            #expect(csv.contains(["over-short", "Over/short", "0.00", "-1.00", "0.00", "-1.00"]))
            // Each office's deposit plus the others' is the day's one deposit.
            #expect(consolidated.offices.reduce(0) { $0 + ($1.figures.value("deposit-total") ?? 0) } == consolidated.total.value("deposit-total"))

            // The journal tags each entry with its office; no office is left out or doubled.
            var journal = ""
            _ = try l.exportJournal(from: day, to: day) { journal += $0 }
            let tags = journal.split(separator: "\n").filter { $0.contains("; txn:") }
            #expect(tags.allSatisfy { $0.contains(", office:") })
            #expect(tags.filter { $0.contains("terminal:T2,") || $0.contains("terminal:NPHONE,") }.allSatisfy { $0.hasSuffix("office:NORTH") })

            // A range sums the days; a range with nothing else in it adds nothing.
            let range = try l.consolidatedSettlement(from: day.adding(days: -1), to: day)
            #expect(range.total.value("tender-total") == consolidated.total.value("tender-total") && range.differences == [])
            #expect(throws: LedgerError.self) { try l.consolidatedSettlement(from: day, to: day.adding(days: -1)) }
        }
    }
}

extension CounterFixture {
    /// The main office and North, as a supervisor adds them; T2 stands in North.
    func mainAndNorth() throws -> (main: Office, north: Office) {
        let main = try ledger.addOffice(code: "MAIN", name: "Main Office", address: "100 Main St", bankAccount: "111000025",
                                        by: supervisor.id, terminal: "T9")
        let north = try ledger.addOffice(code: "NORTH", name: "North Branch", address: "9 Elm St", bankAccount: "222000025",
                                         by: supervisor.id, terminal: "T9")
        try ledger.placeTerminal("T2", in: "NORTH", by: supervisor.id)
        return (main, north)
    }
}

@Suite("Offices keeping their own days: each opens, closes and deposits its share")
struct OfficeDayTests {
    @Test(arguments: Engine.all) func eachOfficeOpensClosesAndDepositsItsShare(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let l = f.ledger
            let (main, north) = try f.mainAndNorth()
            let lead = try l.addOperator(login: try OperatorLogin("lead"), displayName: "Lee Lead", role: .lead, pin: "5555", by: f.supervisor.id)
            let nora = try l.addOperator(login: try OperatorLogin("nora"), displayName: "Nora North", role: .cashier, pin: "2222",
                                         by: f.supervisor.id)
            // Shared days (the default): an office has no day of its own to open.
            #expect(throws: LedgerError.self) { try l.openOfficeDay("NORTH", by: lead.id, terminal: "T2") }
            try l.setSetting(.officeDays, "own", by: f.supervisor.id)
            #expect(throws: LedgerError.self) { try l.setSetting(.officeDays, "sometimes", by: f.supervisor.id) }
            func pay(_ account: String, _ cents: Int64, at terminal: String, by op: Operator, drawer: Int64?) throws -> PostedTransaction {
                try l.post(Payment(lines: [.account(try f.account(account), Money(cents: cents))], tenders: [.cash(Money(cents: cents))]),
                           operatorID: op.id, terminal: terminal, drawerSession: drawer)
            }
            // Before an office opens its share, its settlement says so, and nothing posts or opens at its terminals.
            let unopened = ReportText.settlement(try l.settlement(CounterFixture.today, office: north))
            #expect(unopened.contains("NORTH has not opened its day") && !unopened.contains("Day open"), "\(unopened)")
            #expect(throws: LedgerError.self) { try pay("100001", 1_000, at: "T1", by: f.cashier, drawer: f.drawer) }
            #expect(throws: LedgerError.self) { try l.openDrawer(operatorID: nora.id, terminal: "T2") }
            #expect(throws: LedgerError.self) { try l.openOfficeDay("NORTH", by: nora.id, terminal: "T2") } // a cashier
            try l.openOfficeDay("MAIN", by: lead.id, terminal: "T9")
            try l.openOfficeDay("NORTH", by: lead.id, terminal: "T2")
            #expect(throws: LedgerError.self) { try l.openOfficeDay("NORTH", by: lead.id, terminal: "T2") } // twice
            #expect(try l.officeDays(on: CounterFixture.today).map(\.isOpen) == [true, true])

            _ = try pay("100001", 4_550, at: "T1", by: f.cashier, drawer: f.drawer)
            let d2 = try l.openDrawer(operatorID: nora.id, terminal: "T2").id
            _ = try pay("100003", 11_000, at: "T2", by: nora, drawer: d2)
            _ = try l.post(Payment(lines: [.account(try f.account("100001"), Money(cents: 5_525))],
                                   tenders: [.check(Money(cents: 5_525), number: "77")]), operatorID: nora.id, terminal: "T2", drawerSession: d2)
            // North closes its share: its drawer first, then its deposit to its own account.
            #expect(throws: LedgerError.self) { try l.closeOfficeDay("NORTH", by: lead.id, terminal: "T2", bag: "N-1") }
            let x2 = try l.expectation(session: d2)
            _ = try l.closeDrawer(session: d2, count: DrawerCount(cash: try CashCount.parse("100=3,10=1"), checksFound: Set(x2.checks.map(\.tenderID)),
                                                                 cardBatch: .zero), operatorID: nora.id, terminal: "T2")
            #expect(throws: LedgerError.self) { try l.closeOfficeDay("NORTH", by: lead.id, terminal: "T2", bag: "") }
            let closed = try l.closeOfficeDay("NORTH", by: lead.id, terminal: "T2", bag: "N-1")
            #expect(closed.depositTotal == Money(cents: 11_000 + 5_525) && closed.closed?.bag == "N-1" && closed.office == north)
            let share = try #require(try l.officeDays(on: CounterFixture.today).first { $0.office == north })
            #expect(share.isClosed && share.bag == "N-1")
            let deposit: (kind: String, bank: Int64, memo: String) = try l.read { db in
                let row = try #require(try SQLRow.fetchOne(db, sql: """
                    SELECT t.kind, p.amount_cents, t.memo FROM transactions t JOIN postings p ON p.transaction_id = t.id AND p.book = 'BANK'
                    WHERE t.id = ?
                    """, arguments: [share.depositTransaction]))
                return (row[0], row[1], row[2])
            }
            #expect(deposit.kind == "bank-deposit" && deposit.bank == 16_525 && deposit.memo.contains("222000025"))
            // Nothing more at North today; the main office goes on.
            #expect(throws: LedgerError.self) { try pay("100003", 100, at: "T2", by: nora, drawer: nil) }
            #expect(throws: LedgerError.self) { try l.openDrawer(operatorID: nora.id, terminal: "T2") }
            _ = try pay("100002", 500, at: "T1", by: f.cashier, drawer: f.drawer)
            #expect(try l.settlement(CounterFixture.today, office: north).closed?.bag == "N-1")
            #expect(try l.settlement(CounterFixture.today, office: main).closed == nil)
            #expect(try l.consolidatedSettlement(from: CounterFixture.today, to: CounterFixture.today).notClosed == ["MAIN"])

            // The business day waits for the main office.
            #expect(throws: LedgerError.self) { try l.closeBusinessDay(by: lead.id, terminal: "T9", bag: "B-1") }
            let x1 = try l.expectation(session: f.drawer)
            _ = try l.closeDrawer(session: f.drawer, count: DrawerCount(cash: try CashCount.parse("100=2,20=2,10=1,0.50=1"),
                                                                       checksFound: Set(x1.checks.map(\.tenderID)), cardBatch: .zero),
                                  operatorID: f.cashier.id, terminal: "T1")
            let mainClosed = try l.closeOfficeDay("MAIN", by: lead.id, terminal: "T9", bag: "M-1")
            #expect(mainClosed.depositTotal == Money(cents: 4_550 + 500))
            let day = try l.closeBusinessDay(by: lead.id, terminal: "T9", bag: "B-1")
            #expect(day.closed?.bag == "B-1")
            // Two deposits, one an office; none by the day's close; nothing left in the drawers' books.
            let (deposits, left): ([Int64], Int64) = try l.read { db in
                (try Int64.fetchAll(db, sql: """
                    SELECT p.amount_cents FROM transactions t JOIN postings p ON p.transaction_id = t.id AND p.book = 'BANK'
                    WHERE t.kind = 'bank-deposit' ORDER BY t.id
                    """),
                 try Int64.fetchOne(db, sql: """
                    SELECT COALESCE(SUM(p.amount_cents), 0) FROM transactions t JOIN postings p ON p.transaction_id = t.id
                    WHERE t.business_date = ? AND p.book IN ('CASH', 'SAFE', 'CHECKS', 'MONEY_ORDERS')
                    """, arguments: [CounterFixture.today.description]) ?? -1)
            }
            #expect(deposits == [16_525, 5_050] && left == 0)
            let consolidated = try l.consolidatedSettlement(from: CounterFixture.today, to: CounterFixture.today)
            #expect(consolidated.notClosed.isEmpty && consolidated.differences.isEmpty)
            #expect(consolidated.offices.map { $0.figures.value("deposit-total") } == [5_050, 16_525])
            let report = try l.verify()
            #expect(report.isSound, "\(report.checks.compactMap(\.fault))")
            // A close moved before its open (one UPDATE by someone with the file): named, and the seal broken.
            try f.tamper("UPDATE office_days SET at = '2026-01-01T00:00:00.000Z' WHERE event = 'close' AND office_id = \(north.id)")
            let tampered = try l.verify().checks.compactMap(\.fault)
            #expect(tampered.contains { $0.contains("office NORTH closed its day 2026-11-20 without opening it") }, "\(tampered)")
            #expect(tampered.contains { $0.contains("office_days") }, "\(tampered)")
        }
    }
}

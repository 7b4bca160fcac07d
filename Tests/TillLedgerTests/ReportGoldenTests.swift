import Foundation
import Testing
import TillCore
import TillPrinting
@testable import TillLedger

/// What the closer reads on paper — the X and Z reports, the deposit slip, the settlement — for
/// a known day on a fixed clock, kept as golden files. `TILL_REGENERATE_GOLDEN=1` writes them anew.
@Suite("Day reports as they print (golden files)")
struct ReportGoldenTests {
    static var goldenDirectory: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden") }

    func expectGolden(_ name: String, _ lines: [String], width: Int = 42) throws {
        #expect(lines.allSatisfy { $0.count <= width }, "\(name): a line is wider than the paper")
        let text = lines.joined(separator: "\n") + "\n"
        let file = Self.goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["TILL_REGENERATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        } else {
            #expect(text == (try String(contentsOf: file, encoding: .utf8)), "\(name) changed: review the diff, then TILL_REGENERATE_GOLDEN=1")
        }
    }

    /// The same papers from either engine: on PostgreSQL the operators and accounts are made
    /// on a file and copied in, and the day is posted, counted and closed there.
    @Test(arguments: Engine.all) func aKnownDaysReportsPrintAsTheGoldenFilesSay(_ engine: Engine) throws {
        switch engine {
        case .sqlite: try knownDay(postgres: nil)
        case .postgres: try TestPostgres.withDatabase { _, name in try knownDay(postgres: name) }
        }
    }

    /// The papers' books on a fixed clock: a supervisor, a lead and a cashier, the fixture's
    /// accounts, what `prepare` adds on the file; on PostgreSQL copied in and opened by the
    /// terminals' role.
    func paperBooks(postgres database: String?, prepare: (Ledger, Operator) throws -> Void = { _, _ in })
        throws -> (ledger: Ledger, boss: Operator, lead: Operator, cashier: Operator) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("till-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let noon = Date(timeIntervalSince1970: 1_795_176_000) // 2026-11-20 12:00 UTC
        let file = try Ledger(path: directory.appendingPathComponent("till.sqlite").path, create: true, clock: { noon })
        let boss = try file.addOperator(login: try OperatorLogin("super"), displayName: "Pat Supervisor", role: .supervisor, pin: "9999", by: nil)
        let lead = try file.addOperator(login: try OperatorLogin("lead"), displayName: "Lee Lead", role: .lead, pin: "5555", by: boss.id)
        let cashier = try file.addOperator(login: try OperatorLogin("cashier"), displayName: "Casey Cashier", role: .cashier, pin: "1111", by: boss.id)
        _ = try file.importAccounts(csv: Array(CounterFixture.accountsCSV.utf8), fileName: "accounts.csv", by: boss.id)
        try prepare(file, boss)
        guard let database else { return (file, boss, lead, cashier) }
        let roles = try PGLedgerTests.initialized(database)
        _ = try file.copy(toPostgres: TestPostgres.uri(database: database, user: roles.owner))
        let l = try Ledger(postgres: TestPostgres.uri(database: database, user: roles.terminal),
                           pepperFile: PINPepper.path(forLedger: file.path, environment: [:]), filesDirectory: directory.path, clock: { noon })
        return (l, boss, lead, cashier)
    }

    func knownDay(postgres database: String?) throws {
        let (l, boss, lead, cashier) = try paperBooks(postgres: database)
        try l.openBusinessDay(CounterFixture.today, by: boss.id, terminal: "T1")
        _ = try l.importCharges(csv: Array(CounterFixture.chargesCSV.utf8), fileName: "charges.csv", by: boss.id)
        let drawer = try l.openDrawer(operatorID: cashier.id, terminal: "FRONT-COUNTER-02").id
        func pay(_ account: String, _ tender: Tender) throws {
            _ = try l.post(Payment(lines: [.account(try AccountNumber(account), tender.amount)], tenders: [tender]),
                           operatorID: cashier.id, terminal: "FRONT-COUNTER-02", drawerSession: tender.kind.goesInDrawer ? drawer : nil)
        }
        try pay("100001", .cash(Money(cents: 4_550), tendered: Money(dollars: 50)))
        try pay("100001", .check(Money(cents: 4_450), number: "2041"))
        try pay("100003", .card(Money(dollars: 100), lastFour: "4242", authorization: "0A1B2C", brand: "VISA"))
        try pay("100002", .moneyOrder(Money(cents: 5_525), number: "77"))
        try pay("100002", .ach(Money(dollars: 10), lastFour: "6789"))
        _ = try l.post(Payment(lines: [.miscellaneous(.miscellaneous, Money(dollars: 15))], tenders: [.cash(Money(dollars: 15))]),
                       operatorID: cashier.id, terminal: "FRONT-COUNTER-02", drawerSession: drawer, memo: "Permit 2291")
        try l.drop(session: drawer, count: try CashCount.parse("20=2"), bag: "D-1", operatorID: cashier.id, terminal: "FRONT-COUNTER-02")
        let x = try l.expectation(session: drawer)
        try expectGolden("x-report.txt", ReportText.x(try #require(try l.drawer(drawer)), x))
        // A dollar short, approved by the lead.
        _ = try l.closeDrawer(session: drawer, count: DrawerCount(cash: CashCount.making(Money(cents: x.expectedCash.cents - 100)),
                                                                  checksFound: Set(x.checks.map(\.tenderID)), cardBatch: x.card,
                                                                  reason: "miscounted change", approvedBy: lead.id),
                              operatorID: cashier.id, terminal: "FRONT-COUNTER-02")
        try expectGolden("z-report.txt", ReportText.z(try #require(try l.drawer(drawer)), try l.expectation(session: drawer)))
        let s = try l.closeBusinessDay(by: lead.id, terminal: "T9", bag: "B-1120")
        try expectGolden("deposit-slip.txt", ReportText.deposit(s))
        try expectGolden("settlement.txt", ReportText.settlement(s))
        try expectGolden("settlement-32.txt", ReportText.settlement(s, width: 32), width: 32)
        #expect(try l.verify().isSound)
    }

    /// Two offices keeping their own days: what North's cashier hands over (a receipt with the
    /// office's name and address), North's deposit slip to its own account, and the head
    /// office's consolidated settlement and the settle pane's offices at a glance.
    @Test(arguments: Engine.all) func anOfficesPapersPrintAsTheGoldenFilesSay(_ engine: Engine) throws {
        switch engine {
        case .sqlite: try officeDay(postgres: nil)
        case .postgres: try TestPostgres.withDatabase { _, name in try officeDay(postgres: name) }
        }
    }

    /// The main office and the North Branch, its terminal NORTH-01 and its cashier (returned).
    static func northBranch(_ file: Ledger, _ boss: Operator) throws -> Operator {
        let nora = try file.addOperator(login: try OperatorLogin("nora"), displayName: "Nora North", role: .cashier, pin: "2222", by: boss.id)
        try file.addOffice(code: "MAIN", name: "Main Office", address: "100 Main Street, Union", bankAccount: "111000025", by: boss.id,
                           terminal: "BACK")
        try file.addOffice(code: "NORTH", name: "North Branch", address: "9 Elm Street, North Union", bankAccount: "222000025",
                           by: boss.id, terminal: "BACK")
        try file.placeTerminal("NORTH-01", in: "NORTH", by: boss.id)
        return nora
    }

    func officeDay(postgres database: String?) throws {
        var northCashier: Operator?
        let (l, boss, lead, cashier) = try paperBooks(postgres: database) { file, boss in
            northCashier = try Self.northBranch(file, boss)
            try file.setSetting(.officeDays, "own", by: boss.id)
        }
        let nora = try #require(northCashier)
        try l.openBusinessDay(CounterFixture.today, by: boss.id, terminal: "T1")
        _ = try l.importCharges(csv: Array(CounterFixture.chargesCSV.utf8), fileName: "charges.csv", by: boss.id)
        try l.openOfficeDay("MAIN", by: lead.id, terminal: "T1")
        try l.openOfficeDay("NORTH", by: lead.id, terminal: "NORTH-01")
        let front = try l.openDrawer(operatorID: cashier.id, terminal: "T1").id
        let north = try l.openDrawer(operatorID: nora.id, terminal: "NORTH-01").id
        func pay(_ account: String, _ tender: Tender, _ op: Operator, at terminal: String, drawer: Int64) throws -> PostedTransaction {
            try l.post(Payment(lines: [.account(try AccountNumber(account), tender.amount)], tenders: [tender]),
                       operatorID: op.id, terminal: terminal, drawerSession: tender.kind.goesInDrawer ? drawer : nil)
        }
        _ = try pay("100001", .cash(Money(cents: 4_550), tendered: Money(dollars: 50)), cashier, at: "T1", drawer: front)
        let northPayment = try pay("100003", .cash(Money(dollars: 110), tendered: Money(dollars: 120)), nora, at: "NORTH-01", drawer: north)
        _ = try pay("100002", .moneyOrder(Money(cents: 5_525), number: "77"), nora, at: "NORTH-01", drawer: north)
        _ = try pay("100003", .card(Money(dollars: 25), lastFour: "4242", authorization: "0A1B2C", brand: "VISA"), nora, at: "NORTH-01", drawer: north)
        let number = try #require(northPayment.receipt)
        let receipt = try #require(try l.receipt(number))
        try expectGolden("office-receipt.txt", ReceiptLayout.lines(receipt, width: 42).map(\.text))
        for (session, op, terminal) in [(north, nora, "NORTH-01"), (front, cashier, "T1")] {
            let x = try l.expectation(session: session)
            _ = try l.closeDrawer(session: session, count: DrawerCount(cash: CashCount.making(x.expectedCash),
                                                                      checksFound: Set(x.checks.map(\.tenderID)), cardBatch: x.card),
                                  operatorID: op.id, terminal: terminal)
        }
        try expectGolden("office-deposit-slip.txt", ReportText.deposit(try l.closeOfficeDay("NORTH", by: lead.id, terminal: "NORTH-01", bag: "N-1120")))
        let consolidated = try l.consolidatedSettlement(from: CounterFixture.today, to: CounterFixture.today)
        try expectGolden("offices-at-a-glance.txt", ReportText.officesAtAGlance(consolidated))
        try expectGolden("consolidated-settlement.txt", ReportText.consolidated(consolidated), width: 80)
        #expect(try l.verify().isSound)
    }

    /// A branch counting its own receipts: the receipt is NORTH's first, and names the utility's
    /// number that finds it from any office; its void says which receipt voided it.
    @Test(arguments: Engine.all) func aReceiptNumberedByItsOfficePrintsAsTheGoldenFileSays(_ engine: Engine) throws {
        func papers(_ database: String?) throws {
            var northCashier: Operator?
            let (l, boss, _, cashier) = try paperBooks(postgres: database) { file, boss in
                northCashier = try Self.northBranch(file, boss)
                try file.setSetting(.receiptNumbering, "office", by: boss.id)
            }
            let nora = try #require(northCashier)
            try l.openBusinessDay(CounterFixture.today, by: boss.id, terminal: "T1")
            _ = try l.importCharges(csv: Array(CounterFixture.chargesCSV.utf8), fileName: "charges.csv", by: boss.id)
            let front = try l.openDrawer(operatorID: cashier.id, terminal: "T1").id
            let north = try l.openDrawer(operatorID: nora.id, terminal: "NORTH-01").id
            _ = try l.post(Payment(lines: [.account(try AccountNumber("100001"), Money(cents: 4_550))], tenders: [.cash(Money(cents: 4_550))]),
                           operatorID: cashier.id, terminal: "T1", drawerSession: front)
            let paid = try l.post(Payment(lines: [.account(try AccountNumber("100003"), Money(dollars: 110))],
                                          tenders: [.cash(Money(dollars: 110), tendered: Money(dollars: 120))]),
                                  operatorID: nora.id, terminal: "NORTH-01", drawerSession: north)
            _ = try l.void(receipt: try #require(paid.receipt), reason: "paid twice", operatorID: nora.id, terminal: "NORTH-01")
            let receipt = try #require(try l.receipt(try l.findReceipt("NORTH-1")))
            try expectGolden("office-numbered-receipt.txt", ReceiptLayout.lines(receipt, width: 42).map(\.text))
            #expect(try l.verify().isSound)
        }
        switch engine {
        case .sqlite: try papers(nil)
        case .postgres: try TestPostgres.withDatabase { _, name in try papers(name) }
        }
    }
}

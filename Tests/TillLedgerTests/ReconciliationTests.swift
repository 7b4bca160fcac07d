import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

/// Random business days — bills of one to three revenue lines, partial and over-payments in every
/// tender, miscellaneous receipts, deposits, voids, drops, a payment file and a mail batch,
/// transfers, reversals, returned checks, refunds, payments held in suspense and applied, split or
/// refunded from it, drawers closed over and short — and every
/// figure of their settlement re-derived a second, deliberately plain way from the raw rows.
@Suite("Every figure of a day re-derived from the postings")
struct ReconciliationTests {
    @Test(arguments: 0..<12) func aRandomDayReconcilesToTheCent(seed: UInt64) throws {
        let day = try RandomDay(seed: seed)
        try day.run()
        let l = day.f.ledger
        let date = CounterFixture.today

        let open = try l.settlement(date)
        let plain = try l.writer.read { db in try PlainDay(db, day: date.description) }
        try Self.expectAgreement(open, plain, seed: seed)

        // Closed, the settlement says the same, the deposit is what the books held, and verify is sound.
        let closed = try l.closeBusinessDay(by: day.lead.id, terminal: "T9", bag: "B-\(seed)")
        let replain = try l.writer.read { db in try PlainDay(db, day: date.description) }
        try Self.expectAgreement(try l.settlement(date), replain, seed: seed)
        #expect(closed.depositTotal.cents == plain.cashToDeposit + plain.checks + plain.moneyOrders, "seed \(seed)")
        let report = try l.verify()
        #expect(report.isSound, "seed \(seed): \(report.firstFault ?? "")")
        try Self.expectHledgerAgrees(l, date, seed: seed)
    }

    /// hledger reads the day's journal, finds it balanced, and gives every book the balance the
    /// day's postings give it, summed here with plain SQL.
    static func expectHledgerAgrees(_ l: Ledger, _ date: BusinessDate, seed: UInt64) throws {
        let hledger = try #require(["/usr/bin/hledger", "/usr/local/bin/hledger"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "hledger is not installed: scripts/test installs it (apt-get install hledger)")
        var journal = ""
        _ = try l.exportJournal(from: date, to: date) { journal += $0 }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("till-day-\(UUID().uuidString).journal")
        try journal.write(to: file, atomically: true, encoding: .utf8)
        func run(_ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: hledger)
            process.arguments = ["-f", file.path] + arguments
            let out = Pipe()
            process.standardOutput = out
            process.standardError = Pipe()
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "seed \(seed): hledger \(arguments.joined(separator: " "))")
            return String(decoding: data, as: UTF8.self)
        }
        _ = try run(["check"])
        var fromHledger: [String: Int64] = [:]
        for line in try run(["balance", "--flat", "--output-format=csv"]).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard fields.count == 2 else { continue }
            fromHledger[fields[0]] = fields[1] == "0" ? 0 : try Money.parse(fields[1], ceiling: Money(cents: Int64.max), allowNegative: true).cents
        }
        #expect(fromHledger["total"] == 0, "seed \(seed): the day's journal balances")
        let plain = try l.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT p.book, SUM(p.amount_cents) FROM postings p JOIN transactions t ON t.id = p.transaction_id
                WHERE t.business_date = ? GROUP BY p.book
                """, arguments: [date.description]).map { (BookAccount(rawValue: $0[0])!, $0[1] as Int64) }
        }
        for (book, cents) in plain where cents != 0 {
            #expect(fromHledger[book.journalName] == cents, "seed \(seed): hledger's \(book.journalName)")
        }
        for book in [BookAccount.drawerCash, .safe, .checksOnHand, .moneyOrdersOnHand] {
            #expect((fromHledger[book.journalName] ?? 0) == 0, "seed \(seed): \(book.journalName) empty after the deposit")
        }
        try? FileManager.default.removeItem(at: file)
    }

    /// The demo's bills credit water and sewer in one transaction: each closed day's revenue
    /// is split between them, never counted twice, and agrees with the plain re-derivation.
    @Test func theDemosClosedDaysReconcile() throws {
        let (ledger, _) = try DemoAndExportTests.demo(accounts: 200, seed: 11)
        var date = try BusinessDate("2026-11-19")
        var checked = 0
        for _ in 0..<30 {
            let s = try ledger.settlement(date)
            if s.closed != nil && !s.tenders.isEmpty {
                let plain = try ledger.writer.read { db in try PlainDay(db, day: date.description) }
                try Self.expectAgreement(s, plain, seed: UInt64(date.dayNumber))
                let water = s.revenue.first { $0.book == .water }?.amount, sewer = s.revenue.first { $0.book == .sewer }?.amount
                #expect(water != sewer, "\(date): water and sewer are each their own share")
                checked += 1
            }
            date = date.adding(days: -1)
        }
        #expect(checked > 10)
    }

    static func expectAgreement(_ s: Settlement, _ plain: PlainDay, seed: UInt64) throws {
        var tenders: [String: Int64] = [:]
        for t in s.tenders { tenders[t.atBank ? "lockbox" : t.kind.rawValue, default: 0] += t.amount.cents }
        #expect(tenders == plain.tenders.filter { $0.value != 0 }, "seed \(seed): tenders")
        // A tender taken and voided the same day nets to nothing and has no line.
        #expect(s.tenders.allSatisfy { $0.count != 0 || !$0.amount.isZero }, "seed \(seed): a $0.00 tender line")
        var revenue: [String: Int64] = [:]
        for r in s.revenue { revenue[r.code] = r.amount.cents }
        #expect(revenue == plain.revenue.filter { $0.value != 0 }, "seed \(seed): revenue")
        #expect((plain.revenue["UNAPPLIED"] ?? 0) >= 0, "seed \(seed): a credit on account is never negative")
        #expect(s.revenueTotal == s.tenderTotal, "seed \(seed): every cent taken is distributed once")
        #expect(s.receipts.map { [$0.first.value, $0.last.value, Int64($0.count)] } ?? [] == plain.receipts, "seed \(seed): receipts")
        #expect(s.corrections.count == plain.corrections, "seed \(seed): corrections")
        if s.allDrawersClosed && s.closed == nil {
            #expect(s.cashToDeposit.cents == plain.cashToDeposit, "seed \(seed): cash to deposit")
            #expect(s.checksTotal.cents == plain.checks && s.moneyOrdersTotal.cents == plain.moneyOrders, "seed \(seed): checks")
        }
        #expect(s.overShort.cents == plain.overShort, "seed \(seed): over/short")
    }
}

/// The day's figures from the raw tables, computed without any of the ledger's report code.
struct PlainDay {
    var tenders: [String: Int64] = [:]
    var revenue: [String: Int64] = [:]
    var receipts: [Int64] = []
    var corrections = 0
    var cashToDeposit: Int64 = 0
    var checks: Int64 = 0
    var moneyOrders: Int64 = 0
    var overShort: Int64 = 0

    init(_ db: Database, day: String) throws {
        struct Txn { let id: Int64, kind: String, corrects: Int64?, receipt: Int64? }
        let txns = try Row.fetchAll(db, sql: "SELECT id, kind, corrects_id, receipt_number FROM transactions WHERE business_date = ?",
                                    arguments: [day]).map { Txn(id: $0[0], kind: $0[1], corrects: $0[2], receipt: $0[3]) }
        func postings(_ txn: Int64) throws -> [(id: Int64, book: String, amount: Int64)] {
            try Row.fetchAll(db, sql: "SELECT id, book, amount_cents FROM postings WHERE transaction_id = ? ORDER BY id", arguments: [txn])
                .map { ($0[0], $0[1], $0[2]) }
        }
        var credited: Int64 = 0, allocated: Int64 = 0
        for t in txns {
            for row in try Row.fetchAll(db, sql: "SELECT kind, amount_cents FROM tenders WHERE transaction_id = ?", arguments: [t.id]) {
                tenders[row[0], default: 0] += row[1]
            }
            let own = try postings(t.id)
            if t.kind == "payment" { for p in own where p.book == "BANK" { tenders["lockbox", default: 0] += p.amount } }
            if let r = t.receipt { receipts.append(r) }
            if t.corrects != nil || ["adjustment", "refund", "deposit", "write-off"].contains(t.kind) { corrections += 1 }
            if t.kind != "bank-deposit" {
                for p in own {
                    switch p.book {
                    case "CASH", "SAFE": cashToDeposit += p.amount
                    case "CHECKS": checks += p.amount
                    case "MONEY_ORDERS": moneyOrders += p.amount
                    case "OVER_SHORT": if t.kind == "over-short" { overShort -= p.amount }
                    default: break
                    }
                }
            }
            // A void counts its original, negatively.
            guard ["payment", "misc-receipt", "void"].contains(t.kind) else { continue }
            let sign: Int64 = t.kind == "void" ? -1 : 1
            let source = t.kind == "void" ? t.corrects! : t.id
            for p in try postings(source) where p.amount < 0 {
                if p.book.hasPrefix("REV_") { revenue[p.book, default: 0] += sign * -p.amount }
                if p.book == "DEPOSITS" { revenue["DEPOSITS", default: 0] += sign * -p.amount }
                if p.book == "SUSPENSE" { revenue["SUSPENSE", default: 0] += sign * -p.amount }
                guard p.book == "AR" else { continue }
                credited += sign * -p.amount
                for a in try Row.fetchAll(db, sql: """
                    SELECT amount_cents, charge_posting_id FROM allocations WHERE credit_posting_id = ? AND transaction_id = ?
                    """, arguments: [p.id, source]) {
                    let amount: Int64 = a[0]
                    allocated += sign * amount
                    let chargeTxn = try Int64.fetchOne(db, sql: "SELECT transaction_id FROM postings WHERE id = ?", arguments: [a[1] as Int64])!
                    let sides = try postings(chargeTxn).filter { $0.amount < 0 && $0.book != "AR" }
                    let total = sides.reduce(0) { $0 + -$1.amount }
                    var cumulative: Int64 = 0, before: Int64 = 0
                    if sides.isEmpty { revenue["RECHARGED", default: 0] += sign * amount }
                    for side in sides {
                        cumulative += -side.amount
                        let upTo = amount * cumulative / total
                        let key = side.book.hasPrefix("REV_") ? side.book : "RECHARGED"
                        revenue[key, default: 0] += sign * (upTo - before)
                        before = upTo
                    }
                }
            }
        }
        revenue["UNAPPLIED"] = credited - allocated
        receipts = receipts.isEmpty ? [] : [receipts.min()!, receipts.max()!, Int64(receipts.count)]
    }
}

/// A reproducible random day at the counter and in the back office.
struct RandomDay {
    let f: CounterFixture
    let lead: Operator
    let cashier2: Operator
    var random: DemoRandom

    /// `postgres`: a database on the test server to run the day in (see `CounterFixture(postgres:)`).
    init(seed: UInt64, postgres: String? = nil) throws {
        f = try postgres.map { try CounterFixture(postgres: $0) } ?? CounterFixture()
        random = DemoRandom(seed: seed)
        lead = try f.ledger.addOperator(login: try OperatorLogin("lead"), displayName: "Lee Lead", role: .lead, pin: "5555", by: f.supervisor.id)
        cashier2 = try f.ledger.addOperator(login: try OperatorLogin("cashier2"), displayName: "Sam Second", role: .cashier, pin: "2222",
                                            by: f.supervisor.id)
    }

    static let accounts = ["100001", "100002", "100003"]
    /// 100002 pays cash only after a returned check.
    static let checkAccounts = ["100001", "100003"]

    func run() throws {
        var r = random
        let l = f.ledger
        let boss = Actor(operatorID: f.supervisor.id, terminal: "T9")
        // Bills of one to three revenue lines.
        for number in Self.accounts {
            for _ in 0..<r.int(1...2) {
                let codes: [BookAccount] = Array([.water, .sewer, .miscellaneous].prefix(r.int(1...3)))
                let parts = codes.map { ($0, Int64(r.int(1...25_000))) }
                let total = parts.reduce(0) { $0 + $1.1 }
                _ = try l.post(PostingRequest(kind: .bill, lines: [PostingLine(.receivable, Money(cents: total), account: try f.account(number))]
                                              + parts.map { PostingLine($0.0, Money(cents: -$0.1)) },
                                              operatorID: f.supervisor.id, terminal: "import", dueDate: try BusinessDate("2026-11-01")))
            }
        }
        let d2 = try l.openDrawer(operatorID: cashier2.id, terminal: "T2").id
        let tills: [(Operator, String, Int64)] = [(f.cashier, "T1", f.drawer), (cashier2, "T2", d2)]
        var paid: [(receipt: ReceiptNumber, drawer: Int64, tender: TenderKind, account: String)] = []
        for step in 0..<30 {
            let (op, terminal, drawer) = tills[r.int(0...1)]
            let number = Self.accounts[r.int(0...2)]
            let amount = Money(cents: Int64(r.int(1...30_000)))
            switch r.int(0...9) {
            case 0...4:
                let kinds: [TenderKind] = [.cash, .check, .moneyOrder, .card, .ach]
                let kind = kinds[r.int(0...4)]
                let tender: Tender = switch kind {
                case .cash: .cash(amount, tendered: Money(cents: amount.cents + Int64(r.int(0...2_000))))
                case .check: .check(amount, number: "\(1000 + step)")
                case .moneyOrder: .moneyOrder(amount, number: "\(5000 + step)")
                case .card: .card(amount, lastFour: "4242", authorization: "A\(step)X", brand: "VISA")
                case .ach: .ach(amount, lastFour: "6789")
                }
                var lines: [Payment.Line] = [.account(try f.account(number), amount)]
                if r.int(0...5) == 0 { lines = [.account(try f.account(number), Money(cents: amount.cents / 2)),
                                                .account(try f.account(Self.accounts[(r.int(0...2))]), Money(cents: amount.cents - amount.cents / 2))] }
                if r.int(0...8) == 0 { lines = [.account(try f.account(number), Money(cents: amount.cents - 500)), .deposit(try f.account(number), Money(cents: 500))] }
                if let posted = try? l.post(Payment(lines: lines, tenders: [tender]), operatorID: op.id, terminal: terminal,
                                            drawerSession: kind.goesInDrawer ? drawer : nil) {
                    paid.append((posted.receipt!, drawer, kind, number))
                    // Now and then voided at once: the void is its original's neighbour.
                    if kind.goesInDrawer && r.int(0...6) == 0 {
                        _ = try l.void(receipt: posted.receipt!, reason: "wrong account", operatorID: op.id, terminal: terminal)
                    }
                }
            case 5 where r.int(0...1) == 0:
                _ = try l.post(Payment(lines: [.miscellaneous(.miscellaneous, amount)], tenders: [.cash(amount)]),
                               operatorID: op.id, terminal: terminal, drawerSession: drawer, memo: "Permit")
            case 5:
                // A walk-in who does not know the account: the money is held in suspense.
                let tender: Tender = r.int(0...1) == 0 ? .cash(amount) : .check(amount, number: "\(3000 + step)")
                let posted = try l.post(Payment(lines: [.suspense(amount)], tenders: [tender]), operatorID: op.id, terminal: terminal,
                                        drawerSession: drawer, suspense: SuspenseDetails(reason: "walk-in: account not known", payer: "Walk In \(step)"))
                paid.append((posted.receipt!, drawer, tender.kind, "SUSPENSE"))
                if r.int(0...4) == 0 { _ = try l.void(receipt: posted.receipt!, reason: "found the account", operatorID: op.id, terminal: terminal) }
            case 6:
                if let victim = paid.filter({ $0.drawer == drawer && $0.tender.goesInDrawer }).randomElement(using: &r) {
                    _ = try? l.void(receipt: victim.receipt, reason: "keyed wrong", operatorID: lead.id, terminal: terminal)
                }
            case 7:
                _ = try? l.drop(session: drawer, count: try CashCount.parse("20=\(r.int(1...3))"), bag: "D-\(step)",
                                operatorID: op.id, terminal: terminal)
            case 8:
                let csv = "account,amount,tender,reference\n" + (0..<r.int(1...3)).map { i in
                    "\((Self.checkAccounts + ["999999"])[r.int(0...2)]),\(r.int(1...9_000) / 100).\(String(format: "%02d", r.int(0...99))),\(["ach", "card", "lockbox"][r.int(0...2)]),F\(step)-\(i)"
                }.joined(separator: "\n") + "\n"
                _ = try l.importPayments(csv: Array(csv.utf8), fileName: "file-\(step).csv", actor: boss)
            default:
                if let victim = paid.filter({ $0.tender == .card || $0.tender == .ach }).randomElement(using: &r) {
                    let to = Self.accounts.first { $0 != victim.account }!
                    _ = try? l.transfer(receipt: victim.receipt, from: try f.account(victim.account), to: try f.account(to),
                                        amount: nil, reason: "wrong account", actor: boss)
                }
            }
        }
        // Suspense items applied to an account, split, or refunded.
        for item in try l.suspenseItems() {
            switch r.int(0...3) {
            case 0: _ = try l.applySuspense(item: item.id, to: [(try f.account(Self.accounts[r.int(0...2)]), nil)], reason: "found", actor: boss)
            case 1 where item.amount.cents > 1:
                _ = try l.applySuspense(item: item.id, to: [(try f.account("100001"), Money(cents: item.amount.cents / 2)),
                                                             (try f.account("100002"), nil)], reason: "two accounts", actor: boss)
            case 2: _ = try l.refundSuspense(item: item.id, amount: nil, payee: "Walk In", address: "1 Road", reason: "no account", actor: boss)
            default: break
            }
        }
        // A mail batch of checks into the second drawer.
        let mail = (0..<r.int(1...3)).map { i in
            BatchLine(account: try! AccountNumber(Self.checkAccounts[i % 2]), amount: Money(cents: Int64(r.int(100...9_000))), reference: "\(700 + i)")
        }
        _ = try l.postBatch(kind: .mail, controlTotal: Money(cents: mail.reduce(0) { $0 + $1.amount.cents }), lines: mail,
                            actor: Actor(operatorID: cashier2.id, terminal: "T2"), drawerSession: d2)
        // The first drawer closes over or short; then its payments may be reversed or returned.
        let x = try l.expectation(session: f.drawer)
        let off = Int64(r.int(-300...300))
        _ = try l.closeDrawer(session: f.drawer, count: DrawerCount(
            cash: CashCount.making(Money(cents: max(0, x.expectedCash.cents + off))), checksFound: Set(x.checks.map(\.tenderID)),
            cardBatch: x.card, reason: "counted twice", approvedBy: lead.id), operatorID: f.cashier.id, terminal: "T1")
        for victim in paid.filter({ $0.drawer == f.drawer }).shuffled(using: &r).prefix(3) {
            if victim.tender == .check {
                _ = try? l.returnCheck(receipt: victim.receipt, reason: "NSF", actor: boss)
            } else {
                _ = try? l.reverse(receipt: victim.receipt, reason: "disputed", actor: boss)
            }
        }
        for number in Self.accounts where (try f.balance(number)).isNegative {
            _ = try? l.refundCredit(account: try f.account(number), amount: nil, payee: nil, address: nil, reason: "moving", actor: boss)
        }
        let x2 = try l.expectation(session: d2)
        _ = try l.closeDrawer(session: d2, count: DrawerCount(cash: CashCount.making(x2.expectedCash), checksFound: Set(x2.checks.map(\.tenderID)),
                                                              cardBatch: x2.card), operatorID: cashier2.id, terminal: "T2")
    }
}

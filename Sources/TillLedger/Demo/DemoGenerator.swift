import GRDB
import TillCore

/// Builds the demo ledger's rows in one pass over a day-ordered list of events,
/// keeping each account's open charges and credits in memory so allocations are
/// recorded exactly as `post(_:)` would record them.
struct DemoGenerator {
    let options: DemoOptions
    let cashier: Int64
    let supervisor: Int64

    init(options: DemoOptions, cashier: Int64, supervisor: Int64) {
        self.options = options
        self.cashier = cashier
        self.supervisor = supervisor
    }

    enum Profile: UInt8 { case onTime, late, behind, credit, partial }

    enum EventType: UInt8 { case deposit, bill, lateFee, payment, nsf }

    struct Event {
        var day: Int32
        var order: UInt8
        var account: Int32
        var type: EventType
        var bill: UInt8
    }

    struct AccountState {
        var id: Int64 = 0
        var profile: Profile = .onTime
        var behind: Int = 0
        var commercial = false
        var balance: Int64 = 0
        var charges: [Allocation.OpenItem] = []
        var credits: [Allocation.OpenItem] = []
        var lastCheckPayment: (transaction: Int64, amount: Int64)?
    }

    struct Statements {
        let transaction: BulkStatement, posting: BulkStatement, tender: BulkStatement, allocation: BulkStatement
    }

    private var accounts: [AccountState] = []
    private var receipt: Int64 = 0
    private var transactions = 0
    private var dayTakings: [BookAccount: Int64] = [:]
    private var daySequence = 0
    private var dayTexts: [Int: String] = [:]

    var yesterday: Int { options.today.dayNumber - 1 }
    var nsfAccountIndex: Int { 1 }

    /// The `months` most recent billing dates (the 5th of the month) on or before today.
    var billDates: [BusinessDate] {
        var latest = options.today.adding(months: 0)
        latest = (try? BusinessDate(year: latest.year, month: latest.month, day: 5)) ?? latest
        if latest > options.today { latest = latest.adding(months: -1) }
        let months = max(1, options.months)
        return (0..<months).map { latest.adding(months: $0 - (months - 1)) }
    }

    mutating func write(_ db: Store, progress: (String) -> Void) throws -> DemoSummary {
        let bills = billDates
        let firstDay = bills[0].adding(days: -1)
        progress("business days")
        try writeBusinessDays(db, from: firstDay)
        try db.execute(sql: """
            INSERT OR IGNORE INTO terminals(id, description, created_at) VALUES
            ('T1', 'Counter 1', ?), ('T2', 'Counter 2', ?), ('PHONE', 'Phone desk', ?), ('import', 'Billing import', ?)
            """, arguments: [stamp(firstDay), stamp(firstDay), stamp(firstDay), stamp(firstDay)])

        progress("\(options.accounts) accounts")
        try writeAccounts(db, openedOn: firstDay)

        progress("\(options.months) months of bills and payments")
        var events = makeEvents(bills: bills, firstDay: firstDay)
        events.sort { ($0.day, $0.order, $0.account, $0.bill) < ($1.day, $1.order, $1.account, $1.bill) }

        let statements = Statements(
            transaction: try BulkStatement(db.sqlite, """
                INSERT INTO transactions(kind, business_date, posted_at, operator_id, terminal_id, receipt_number, corrects_id, due_date, memo)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """),
            posting: try BulkStatement(db.sqlite, "INSERT INTO postings(transaction_id, book, account_id, amount_cents) VALUES (?, ?, ?, ?)"),
            tender: try BulkStatement(db.sqlite, """
                INSERT INTO tenders(transaction_id, kind, amount_cents, tendered_cents, reference, last_four) VALUES (?, ?, ?, ?, ?, ?)
                """),
            allocation: try BulkStatement(db.sqlite, """
                INSERT INTO allocations(transaction_id, credit_posting_id, charge_posting_id, amount_cents) VALUES (?, ?, ?, ?)
                """))
        var currentDay = Int32(firstDay.dayNumber)
        for event in events {
            if event.day != currentDay {
                try depositTakings(db, statements, day: Int(currentDay))
                currentDay = event.day
                daySequence = 0
            }
            try apply(event, bills: bills, db, statements)
        }
        try depositTakings(db, statements, day: Int(currentDay))
        progress("done")
        let nsfNumber = try AccountNumber(Self.accountNumber(nsfAccountIndex))
        return DemoSummary(accounts: options.accounts, transactions: transactions, receipts: Int(receipt),
                           openDay: options.today, nsfAccount: nsfNumber)
    }

    static func accountNumber(_ index: Int) -> String { String(100_001 + index) }

    // MARK: Days and accounts

    private func writeBusinessDays(_ db: Store, from firstDay: BusinessDate) throws {
        let insert = try db.makeStatement(sql: "INSERT INTO business_days(date, opened_by, opened_at, closed_by, closed_at) VALUES (?, ?, ?, ?, ?)")
        for dayNumber in firstDay.dayNumber..<options.today.dayNumber {
            let day = BusinessDate(dayNumber: dayNumber)
            guard !day.isWeekend else { continue }
            try insert.execute(arguments: [day.description, supervisor, "\(day)T07:30:00.000Z", supervisor, "\(day)T18:00:00.000Z"])
        }
        try insert.execute(arguments: [options.today.description, supervisor, "\(options.today)T07:30:00.000Z", nil, nil])
    }

    private mutating func writeAccounts(_ db: Store, openedOn day: BusinessDate) throws {
        var random = DemoRandom(seed: options.seed)
        let insert = try db.makeStatement(sql: """
            INSERT INTO accounts(number, customer_name, service_address, mailing_address, phone, email, meter_number,
                class, status, cash_only_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        accounts.reserveCapacity(options.accounts)
        let created = stamp(day)
        for index in 0..<options.accounts {
            var state = AccountState()
            state.commercial = random.chance(basisPoints: 800)
            let roll = random.int(0...9_999)
            switch roll {
            case ..<7_800: state.profile = .onTime
            case ..<8_800: state.profile = .late
            case ..<9_700:
                state.profile = .behind
                let k = random.int(0...99)
                state.behind = k < 35 ? 1 : k < 60 ? 2 : k < 80 ? 3 : k < 90 ? 4 : 5
            case ..<9_900: state.profile = .credit
            default: state.profile = .partial
            }
            if index == nsfAccountIndex { state.profile = .onTime; state.commercial = false }
            let name: String
            if state.commercial {
                name = random.pick(DemoPeople.businesses) + (random.chance(basisPoints: 5_000) ? "" : " #\(random.int(2...40))")
            } else {
                name = random.pick(DemoPeople.lastNames) + ", " + random.pick(DemoPeople.firstNames)
            }
            let house = random.int(1...9_999)
            let street = "\(random.pick(DemoPeople.streets)) \(random.pick(DemoPeople.streetTypes))"
            let town = random.pick(DemoPeople.towns)
            let service = "\(house) \(street)"
            let mailing = random.chance(basisPoints: 900) ? "PO Box \(random.int(1...4_999)), \(town)" : "\(service), \(town)"
            let phone = "(555) \(random.int(200...999))-\(random.digits(4))"
            let email = random.chance(basisPoints: 6_000)
                ? "\(name.lowercased().filter { $0.isLetter && $0.isASCII }.prefix(12))\(random.int(1...99))@example.com" : ""
            let meter = "M\(10_000_000 + (index &* 7_919 + 1_234_567) % 90_000_000)"
            var status = AccountStatus.active
            if state.profile == .behind && state.behind >= 3 && random.chance(basisPoints: 5_000) { status = .lockedOff }
            let cashOnly: String? = index == nsfAccountIndex ? options.today.adding(months: 11).description : nil
            try insert.execute(arguments: [Self.accountNumber(index), name, service, mailing, phone, email, meter,
                                           state.commercial ? "commercial" : "residential", status.rawValue, cashOnly, created])
            state.id = db.lastInsertedRowID
            accounts.append(state)
        }
    }

    private func makeEvents(bills: [BusinessDate], firstDay: BusinessDate) -> [Event] {
        var events: [Event] = []
        events.reserveCapacity(accounts.count * 26)
        for (index, state) in accounts.enumerated() {
            let account = Int32(index)
            var random = DemoRandom(seed: options.seed &+ UInt64(index) &* 1_000_003)
            if state.commercial || random.chance(basisPoints: 1_000) {
                events.append(Event(day: Int32(firstDay.dayNumber), order: 0, account: account, type: .deposit, bill: 0))
            }
            for (billIndex, billDate) in bills.enumerated() {
                let bill = UInt8(billIndex)
                events.append(Event(day: Int32(billDate.dayNumber), order: 1, account: account, type: .bill, bill: bill))
                let due = billDate.adding(days: 21).dayNumber
                let unpaid = state.profile == .behind && billIndex >= bills.count - state.behind
                if state.profile == .late || unpaid {
                    events.append(Event(day: Int32(due + 1), order: 2, account: account, type: .lateFee, bill: bill))
                }
                guard !unpaid else { continue }
                let offset = state.profile == .late ? 21 + random.int(3...25) : random.int(3...20)
                var payDay = BusinessDate(dayNumber: billDate.dayNumber + offset)
                while payDay.isWeekend { payDay = payDay.adding(days: 1) }
                if payDay.dayNumber <= yesterday {
                    events.append(Event(day: Int32(payDay.dayNumber), order: 3, account: account, type: .payment, bill: bill))
                }
                if index == nsfAccountIndex && billIndex == bills.count - 3 {
                    var nsfDay = payDay.adding(days: 7)
                    while nsfDay.isWeekend { nsfDay = nsfDay.adding(days: 1) }
                    events.append(Event(day: Int32(nsfDay.dayNumber), order: 4, account: account, type: .nsf, bill: bill))
                }
            }
        }
        return events.filter { $0.day <= Int32(yesterday) || $0.type == .bill }
    }

    // MARK: Applying events

    private mutating func apply(_ event: Event, bills: [BusinessDate], _ db: Store, _ s: Statements) throws {
        let index = Int(event.account)
        let day = BusinessDate(dayNumber: Int(event.day))
        var random = DemoRandom(seed: options.seed ^ (UInt64(index) << 20) ^ (UInt64(event.bill) << 8) ^ UInt64(event.type.rawValue))
        switch event.type {
        case .deposit:
            let amount: Int64 = accounts[index].commercial ? 50_000 : 15_000
            let txn = try transaction(.openingBalance, day: day, memo: "service deposit held", db, s)
            try posting(txn, .bank, nil, amount, s)
            try posting(txn, .depositsHeld, accounts[index].id, -amount, s)
        case .bill:
            let base = accounts[index].commercial ? random.int(8_000...60_000) : random.int(1_800...6_500)
            let water = Int64(base), sewer = Int64(base * random.int(45...70) / 100)
            let txn = try transaction(.bill, day: day, due: day.adding(days: 21),
                                      memo: "Water and sewer", db, s)
            let charge = try posting(txn, .receivable, accounts[index].id, water + sewer, s)
            try posting(txn, .water, nil, -water, s)
            try posting(txn, .sewer, nil, -sewer, s)
            try addCharge(index, posting: charge, amount: water + sewer, due: day.adding(days: 21), transaction: txn, s)
        case .lateFee:
            guard accounts[index].balance > 0 else { return }
            let txn = try transaction(.bill, day: day, due: day, memo: "Late fee on bill of \(bills[Int(event.bill)])", db, s)
            let charge = try posting(txn, .receivable, accounts[index].id, 1_000, s)
            try posting(txn, .lateFee, nil, -1_000, s)
            try addCharge(index, posting: charge, amount: 1_000, due: day, transaction: txn, s)
        case .payment:
            try payment(index, day: day, bill: Int(event.bill), random: &random, db, s)
        case .nsf:
            guard let returned = accounts[index].lastCheckPayment else { return }
            let fee: Int64 = 2_500
            let txn = try transaction(.nsf, day: day, due: day, corrects: returned.transaction, operatorID: supervisor,
                                      memo: "Returned check: NSF", db, s)
            let reversed = try posting(txn, .receivable, accounts[index].id, returned.amount, s)
            try posting(txn, .bank, nil, -returned.amount, s)
            let feePosting = try posting(txn, .receivable, accounts[index].id, fee, s)
            try posting(txn, .nsfFee, nil, -fee, s)
            try addCharge(index, posting: reversed, amount: returned.amount, due: day, transaction: txn, s)
            try addCharge(index, posting: feePosting, amount: fee, due: day, transaction: txn, s)
            try db.execute(sql: """
                INSERT INTO returned_checks(tender_id, check_number, amount_cents, transaction_id, account_id, fee_cents, cash_only_until)
                SELECT id, reference, amount_cents, ?, ?, ?, ? FROM tenders WHERE transaction_id = ? AND kind = 'check'
                """, arguments: [txn, accounts[index].id, fee, options.today.adding(months: 11).description, returned.transaction])
        }
    }

    private mutating func payment(_ index: Int, day: BusinessDate, bill: Int, random: inout DemoRandom,
                                  _ db: Store, _ s: Statements) throws {
        let state = accounts[index]
        guard state.balance > 0 else { return }
        var amount = state.balance
        if state.profile == .partial { amount = max(500, state.balance / 2) }
        if state.profile == .credit && bill == billDates.count - 2 { amount += Int64(random.int(10...30)) * 1_000 }
        var kind: TenderKind
        let roll = random.int(0...99)
        kind = roll < 30 ? .cash : roll < 60 ? .check : roll < 85 ? .card : roll < 95 ? .ach : .moneyOrder
        if index == nsfAccountIndex { kind = bill == billDates.count - 3 ? .check : .cash }
        var tender = Tender(kind: kind, amount: Money(cents: amount))
        switch kind {
        case .cash:
            let rounding: Int64 = amount > 5_000 ? 2_000 : 500
            tender.tendered = Money(cents: (amount + rounding - 1) / rounding * rounding)
        case .check: tender.reference = String(random.int(1_001...9_999))
        case .moneyOrder: tender.reference = random.digits(10)
        case .card:
            tender.lastFour = random.digits(4)
            tender.reference = String(random.int(100_000...999_999))
        case .ach: tender.lastFour = random.digits(4)
        }
        let terminal = kind == .card || kind == .ach ? (random.chance(basisPoints: 5_000) ? "PHONE" : "T1") : random.pick(["T1", "T2"])
        receipt += 1
        let txn = try transaction(.payment, day: day, receipt: receipt, terminal: terminal, db, s)
        try posting(txn, kind.book, nil, amount, s)
        let credit = try posting(txn, .receivable, state.id, -amount, s)
        try s.tender.insert(.int(txn), .text(kind.rawValue), .int(amount), .int(tender.tendered.cents),
                            tender.reference.bulk, tender.lastFour.bulk)
        dayTakings[kind.book, default: 0] += amount
        if kind == .check { accounts[index].lastCheckPayment = (txn, amount) }
        accounts[index].balance -= amount
        accounts[index].credits.append(.init(postingID: credit, remaining: Money(cents: amount), sortKey: day.description))
        try match(index, transaction: txn, s)
    }

    /// The day's takings go to the bank at settlement, so drawer books start each day empty.
    private mutating func depositTakings(_ db: Store, _ s: Statements, day: Int) throws {
        let total = dayTakings.values.reduce(0, +)
        guard total > 0 else { return }
        let date = BusinessDate(dayNumber: day)
        let txn = try transaction(.bankDeposit, day: date, operatorID: supervisor, terminal: "T1",
                                  memo: "Deposit of \(date) takings", db, s)
        try posting(txn, .bank, nil, total, s)
        for book in TenderKind.allCases.map(\.book) {
            if let amount = dayTakings[book], amount > 0 { try posting(txn, book, nil, -amount, s) }
        }
        dayTakings = [:]
    }

    // MARK: Rows

    private mutating func transaction(_ kind: TransactionKind, day: BusinessDate, due: BusinessDate? = nil,
                                      receipt: Int64? = nil, corrects: Int64? = nil, operatorID: Int64? = nil,
                                      terminal: String = "import", memo: String = "",
                                      _ db: Store, _ s: Statements) throws -> Int64 {
        var receiptNumber = receipt
        if receiptNumber == nil && kind.issuesReceipt {
            self.receipt += 1
            receiptNumber = self.receipt
        }
        daySequence += 1
        let seconds = 8 * 3600 + (daySequence * 7) % (10 * 3600)
        let dayText = text(day)
        let time = dayText + "T" + Self.two(seconds / 3600) + ":" + Self.two(seconds / 60 % 60) + ":" + Self.two(seconds % 60) + ".000Z"
        transactions += 1
        return try s.transaction.insert(.text(kind.rawValue), .text(dayText), .text(time),
                                        .int(operatorID ?? (kind == .bill ? supervisor : cashier)),
                                        .text(kind == .bill ? "import" : terminal), receiptNumber.bulk, corrects.bulk,
                                        due.map { .text(text($0)) } ?? .null, .text(memo))
    }

    @discardableResult
    private mutating func posting(_ transaction: Int64, _ book: BookAccount, _ account: Int64?, _ amount: Int64,
                                  _ s: Statements) throws -> Int64 {
        try s.posting.insert(.int(transaction), .text(book.rawValue), account.bulk, .int(amount))
    }

    private mutating func addCharge(_ index: Int, posting: Int64, amount: Int64, due: BusinessDate,
                                    transaction: Int64, _ s: Statements) throws {
        accounts[index].balance += amount
        accounts[index].charges.append(.init(postingID: posting, remaining: Money(cents: amount), sortKey: due.description))
        try match(index, transaction: transaction, s)
    }

    private mutating func match(_ index: Int, transaction: Int64, _ s: Statements) throws {
        guard !accounts[index].charges.isEmpty, !accounts[index].credits.isEmpty else { return }
        let matches = Allocation.match(credits: accounts[index].credits, charges: accounts[index].charges)
        var used: [Int64: Int64] = [:]
        for match in matches {
            try s.allocation.insert(.int(transaction), .int(match.creditPostingID), .int(match.chargePostingID),
                                    .int(match.amount.cents))
            used[match.creditPostingID, default: 0] += match.amount.cents
            used[match.chargePostingID, default: 0] += match.amount.cents
        }
        func reduce(_ items: [Allocation.OpenItem]) -> [Allocation.OpenItem] {
            items.compactMap { item in
                let left = item.remaining.cents - (used[item.postingID] ?? 0)
                return left > 0 ? Allocation.OpenItem(postingID: item.postingID, remaining: Money(cents: left), sortKey: item.sortKey) : nil
            }
        }
        accounts[index].charges = reduce(accounts[index].charges)
        accounts[index].credits = reduce(accounts[index].credits)
    }

    /// Date text, made once per day rather than once per row.
    private mutating func text(_ day: BusinessDate) -> String {
        if let known = dayTexts[day.dayNumber] { return known }
        let made = day.description
        dayTexts[day.dayNumber] = made
        return made
    }

    private func stamp(_ day: BusinessDate) -> String { "\(day)T07:00:00.000Z" }
    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

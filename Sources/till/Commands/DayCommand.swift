import ArgumentParser
import Foundation
import TillCore
import TillLedger
import TillApp

/// `till day open|close|cancel|status`: the business day, for the opener's and closer's scripts.
struct DayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "day", abstract: "Open, close, cancel or show the business day.",
        subcommands: [Open.self, Close.self, Cancel.self, Status.self])

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open the business day (a lead or supervisor): today's date by this machine's clock.",
            discussion: "A supervisor may open another date within setting day.open_window_days (3) of today.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signIn: OperatorOptions
        @Option(help: "The business date, YYYY-MM-DD (default: today; another date needs a supervisor).") var date: String?
        @Option(help: "Where offices keep their own days (office.days = own): open this office's share of the open day.")
        var office: String?

        func run() throws {
            try reporting {
                let book = try ledger.open()
                let op = try signIn.signIn(book)
                if let office {
                    guard date == nil else { throw Failure(message: "An office opens its share of the open business day: no --date") }
                    let share = try book.openOfficeDay(office, by: op.id, terminal: Terminal.id)
                    print("\(share.office.name)'s day \(share.date) is open.")
                    return
                }
                let day = try date.map { try BusinessDate($0) } ?? LocalClock.today()
                try book.openBusinessDay(day, by: op.id, terminal: Terminal.id)
                print("Business day \(day) is open.")
            }
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close the open business day: every drawer closed, the deposit posted, the reports written.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signIn: OperatorOptions
        @Option(help: "The deposit bag number (not needed to finish a close that was cut short).") var bag: String?
        @Option(help: "Where the reports go (default: reports/ beside the ledger).") var reports: String?
        @Option(help: "Where offices keep their own days (office.days = own): close this office's share and post its deposit.")
        var office: String?

        /// One resumable procedure: close the day in one transaction, write its reports, copy
        /// the books aside. Run again after a kill or a failure, it finishes what is missing —
        /// the backup above all — for the last day closed; a backup that fails is exit 1.
        func run() throws {
            try reporting {
                let book = try ledger.open()
                let op = try signIn.signIn(book)
                if let office {
                    guard let bag else { throw Failure(message: "Give the office's deposit bag number: --bag BAG") }
                    let settlement = try book.closeOfficeDay(office, by: op.id, terminal: Terminal.id, bag: bag)
                    let name = settlement.office?.name ?? office
                    print("\(name)'s day \(settlement.date) is closed. Deposit \(settlement.depositTotal.formatted) in bag \(bag).")
                    print(ReportText.deposit(settlement).joined(separator: "\n"))
                    let open = try book.officeDays(on: settlement.date).filter(\.isOpen).map(\.office.code)
                    print(open.isEmpty ? "Every office has closed: close the business day (till day close --bag …)."
                                       : "Still open: \(open.joined(separator: ", ")).")
                    return
                }
                // A signing key that cannot be used refuses the close before anything is written.
                let signer = try book.anchorSigner()
                let settlement: Settlement
                if try book.openBusinessDay() == nil, let last = try book.lastClosedDay(), !book.hasCloseBackup(last) {
                    guard op.role >= .lead else { throw Failure(message: "Only a lead or supervisor closes the business day") }
                    settlement = try book.settlement(last)
                    print("Business day \(last) was closed, but its close did not finish: finishing it now.")
                } else {
                    guard let bag else { throw Failure(message: "Give the deposit bag number: --bag BAG") }
                    settlement = try book.closeBusinessDay(by: op.id, terminal: Terminal.id, bag: bag)
                    print("Business day \(settlement.date) is closed. Deposit \(settlement.depositTotal.formatted) in bag \(bag).")
                    if let warning = ReportText.suspenseWarning(settlement) { print(warning) }
                }
                let files = try ReportFiles.write(settlement, to: reports ?? book.reportsDirectory, signer: signer)
                for file in files { print("  \(file)") }
                if let head = settlement.closed?.head { print("Ledger head \(head.short) (write it on the deposit slip)") }
                // The books as they closed, copied aside. The day stays closed if this fails, and
                // running `till day close` again makes the copy.
                do { print("Backup: \(try book.backupAfterClose(settlement.date))") } catch {
                    throw Failure(message: "the day is closed, but its backup FAILED: \(error). Run `till day close` again to make it")
                }
            }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel the open business day, opened by mistake with nothing in it (a supervisor; audited).")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signIn: OperatorOptions
        @Option(help: "The open business date, YYYY-MM-DD, as a check.") var date: String
        @Option(help: "Why it is cancelled (kept in the audit log).") var reason: String

        func run() throws {
            try reporting {
                let day = try BusinessDate(date)
                let book = try ledger.open()
                let op = try signIn.signIn(book)
                try book.cancelBusinessDay(day, by: op.id, terminal: Terminal.id, reason: reason)
                print("Business day \(day) is cancelled; it may be opened again when it comes.")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the open business date as YYYY-MM-DD (exit 0), or say none is open (exit 1).")
        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            try reporting {
                let book = try ledger.openForReading()
                guard let day = try book.openBusinessDay() else {
                    print("No business day is open.")
                    throw ExitCode(1)
                }
                print(day)
                // Where offices keep their own days, each office's share after the date.
                if try book.officesKeepOwnDays() {
                    for share in try book.officeDays(on: day) { print("  \(share.office.code) \(share.state)") }
                }
            }
        }
    }
}

/// `till drawer open|drop|close|list`: drawers from a script; the screen's F4 does the same.
struct DrawerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drawer", abstract: "Cash drawers.",
        discussion: "A COUNT is DENOMINATION=QUANTITY,…: notes 100 50 20 10 5 2 1, coins 1.00 0.50 0.25 0.10 0.05 0.01, rolls roll-0.25 roll-0.10 roll-0.05 roll-0.01. Example: 20=4,10=5,0.25=40.",
        subcommands: [Open.self, Drop.self, Accept.self, Drops.self, Close.self, List.self])

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept a drop's bag as counted by a lead (a turn-in).",
            discussion: "The operator is a lead or supervisor other than the one who made the drop. A bag that holds other than the drop said needs --reason: the difference posts between the safe and over/short.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signIn: OperatorOptions
        @Argument(help: "The drop's bag number.") var bag: String
        @Option(help: "What the bag holds, as counted (default: as dropped).") var counted: String?
        @Option(help: "The drop's number, where a bag holds several (till drawer drops).") var drop: Int64?
        @Option(help: "Why the bag holds other than the drop said.") var reason = ""

        func run() throws {
            try reporting {
                let book = try ledger.open()
                let amount = try money(counted)
                let op = try signIn.signIn(book)
                print(try book.acceptDrop(bag: bag, drop: drop, counted: amount, reason: reason,
                                          actor: Actor(operatorID: op.id, terminal: Terminal.id)))
            }
        }
    }

    struct Drops: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The day's drops and whether each bag was accepted.")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The business date (default: the open day).") var date: String?

        func run() throws {
            try reporting {
                let book = try ledger.open()
                let day = try date.map { try BusinessDate($0) } ?? book.today()
                let pending = try book.dropsNeedAcceptance()
                let records = try book.drops(on: day)
                for record in records { print("#\(record.countID)  " + record.line(pending: pending)) }
                if records.isEmpty { print("No drops on \(day).") }
            }
        }
    }

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open the operator's drawer at this terminal.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signIn: OperatorOptions
        @Option(help: "The float as counted (default: the standard float).") var float: String?
        @Option(help: "Why the float differs from the standard.") var reason = ""

        func run() throws {
            try reporting {
                let book = try ledger.open()
                let count = try float.map { try CashCount.parse($0) }
                let op = try signIn.signIn(book)
                let drawer = try book.openDrawer(operatorID: op.id, terminal: Terminal.id, float: count, reason: reason)
                print("Drawer #\(drawer.id) open for \(op.login) at \(Terminal.id) with a float of \(drawer.openingFloat.formatted).")
            }
        }
    }

    struct Drop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drop cash from the operator's open drawer to the safe.")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signIn: OperatorOptions
        @Option(help: "The cash dropped, as counted.") var count: String
        @Option(help: "The drop bag number.") var bag: String

        func run() throws {
            try reporting {
                let book = try ledger.open()
                let cash = try CashCount.parse(count)
                let op = try signIn.signIn(book)
                guard let drawer = try book.currentDrawer(operatorID: op.id, terminal: Terminal.id) else {
                    throw Failure(message: "\(op.login) has no open drawer at \(Terminal.id)")
                }
                try book.drop(session: drawer.id, count: cash, bag: bag, operatorID: op.id, terminal: Terminal.id)
                print("Dropped \(cash.total.formatted) from drawer #\(drawer.id) in bag \(bag).")
            }
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a drawer on its count and print its Z report.",
            discussion: "Checks and money orders are all taken as found except those named by --missing. Beyond the over/short setting, give --reason and --approver (a lead or supervisor; their PIN from $TILL_APPROVER_PIN or the next line of standard input).")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signIn: OperatorOptions
        @Option(help: "The drawer (default: the operator's open drawer at this terminal).") var drawer: Int64?
        @Option(help: "The cash as counted.") var count: String
        @Option(help: "The card terminal's batch total.") var cardBatch = "0"
        @Option(parsing: .upToNextOption, help: "Check or money-order numbers not found in the drawer.") var missing: [String] = []
        @Option(help: "Why the drawer is over or short.") var reason = ""
        @Option(help: "The lead or supervisor approving the over/short.") var approver: String?
        @Option(help: "Output format: text or csv.") var format: ReportFormat = .text

        func run() throws {
            try reporting {
                let book = try ledger.open()
                let cash = try CashCount.parse(count)
                let batch = try Money.parse(cardBatch)
                let op = try signIn.signIn(book)
                guard let session = try drawer ?? book.currentDrawer(operatorID: op.id, terminal: Terminal.id)?.id else {
                    throw Failure(message: "\(op.login) has no open drawer at \(Terminal.id): name one with --drawer")
                }
                let expected = try book.expectation(session: session)
                let unknown = Set(missing).subtracting(expected.checks.map(\.number))
                guard unknown.isEmpty else {
                    throw Failure(message: "Not a check or money order of drawer #\(session): \(unknown.sorted().joined(separator: ", "))")
                }
                let found = Set(expected.checks.filter { !missing.contains($0.number) }.map(\.tenderID))
                // On record as the screen's count is, before the close is tried: a refused close
                // says nothing of what the drawer should hold, and each try stands in the audit log.
                _ = try book.recordClosingCount(session: session, count: cash, found: found, cardBatch: batch,
                                                operatorID: op.id, terminal: Terminal.id)
                let approvedBy = try Approver.signIn(approver, book)
                try book.closeDrawer(session: session, count: DrawerCount(cash: cash, checksFound: found, cardBatch: batch,
                                                                          reason: reason, approvedBy: approvedBy),
                                     operatorID: op.id, terminal: Terminal.id)
                guard let summary = try book.drawer(session) else { throw Failure(message: "No drawer #\(session)") }
                // The same Z report as the screen's close: printed (or spooled), with the chain head.
                let z = try OfficePrinter.printZReport(session: session, book)
                print(format.render(text: z.lines, csv: ReportCSV.drawers([summary])), terminator: "")
                if let failure = z.failure { FileHandle.standardError.write(Data("till: the Z report did not print: \(failure)\n".utf8)) }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the drawers of a business day and their state.")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "The business date (default: the open day).") var date: String?
        @Option(help: "Output format: text or csv.") var format: ReportFormat = .text

        func run() throws {
            try reporting {
                let book = try ledger.openForReading()
                let s = try book.settlement(try ReportCommand.day(date, book))
                let text = s.drawers.map { d in
                    // An open drawer's expected cash is the blind close's secret: not listed.
                    let state = d.close.map { "closed Z\($0.zNumber) over/short \($0.balance.total.formatted)" } ?? "open"
                    return "#\(d.id) \(d.operatorLogin) at \(d.terminal), float \(d.openingFloat.formatted): \(state)"
                }
                print(format.render(text: text.isEmpty ? ["No drawers on \(s.date)."] : text, csv: ReportCSV.drawers(s.drawers)),
                      terminator: "")
            }
        }
    }
}

enum ReportFormat: String, ExpressibleByArgument {
    case text, csv

    /// Only the form asked for is built: a 66,000-row list built both ways took twice as long.
    func render(text: @autoclosure () -> [String], csv: @autoclosure () -> [[String]]) -> String {
        switch self {
        case .text: text().joined(separator: "\n") + "\n"
        case .csv: ReportCSV.text(csv())
        }
    }
}

/// `till report x|z|deposit|tenders|revenue|settlement`: the settle pane's figures for scripts.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Print a day's report: x, z, deposit, tenders, revenue, settlement or overrides.",
        discussion: "x and z print every drawer of the day unless --drawer names one; x is what a drawer should hold now, z its final close.")

    @OptionGroup var ledger: LedgerOptions
    @Argument(help: "x, z, deposit, tenders, revenue or settlement.") var report: String
    @Option(help: "The business date (default: the open day).") var date: String?
    @Option(help: "One drawer, for x and z.") var drawer: Int64?
    @Option(help: "Output format: text or csv.") var format: ReportFormat = .text
    @Option(help: "Text width in columns.") var width = 42
    @Option(help: "For overrides: the first date (default: --date).") var from: String?
    @Option(help: "For overrides: the last date (default: --date).") var to: String?
    @Option(name: .customLong("operator"), help: "For x: who asks — the drawer's operator, or a lead or supervisor for any drawer (PIN from $TILL_PIN or standard input).")
    var login: String?
    @Option(help: "One office's share of the day (its code): its drawers, deposit, tenders, revenue and receipts.")
    var office: String?
    @Flag(help: "For settlement: every office side by side with the utility's total (--from/--to for a range of days).")
    var allOffices = false

    func run() throws {
        try reporting {
            if allOffices {
                guard report.lowercased() == "settlement" else { throw Failure(message: "--all-offices is for the settlement report") }
                guard office == nil else { throw Failure(message: "Give --office or --all-offices, not both") }
                let book = try ledger.openForReading()
                let day = try date.map { try BusinessDate($0) } ?? (try book.openBusinessDay() ?? book.localToday())
                let first = try from.map { try BusinessDate($0) } ?? day, last = try to.map { try BusinessDate($0) } ?? day
                let consolidated = try book.consolidatedSettlement(from: first, to: last)
                print(format.render(text: ReportText.consolidated(consolidated), csv: ReportCSV.consolidated(consolidated)), terminator: "")
                return
            }
            if report.lowercased() == "overrides" {
                let book = try ledger.openForReading()
                let day = try date.map { try BusinessDate($0) } ?? (try book.openBusinessDay() ?? book.localToday())
                let first = try from.map { try BusinessDate($0) } ?? day, last = try to.map { try BusinessDate($0) } ?? day
                let records = try book.overrides(from: first, to: last)
                print(format.render(text: ServiceReports.overridesText(records, from: first, to: last),
                                    csv: ServiceReports.overridesCSV(records)), terminator: "")
                return
            }
            guard let kind = DayReport(rawValue: report.lowercased()) else {
                throw Failure(message: "Unknown report \"\(report)\": x, z, deposit, tenders, revenue or settlement")
            }
            // Only the X report signs someone in (an audited write); the rest only read.
            let book = try kind == .x ? ledger.open() : ledger.openForReading()
            var chosen: Office?
            if let office { chosen = try book.offices().required(office) }
            let s = try book.settlement(try Self.day(date, book), office: chosen)
            let width = min(max(width, 32), 132)
            switch kind {
            case .x, .z:
                // What an open drawer should hold is for its operator and for leads: signed in.
                var mine: String?
                if kind == .x {
                    guard let login else {
                        throw Failure(message: "The X report (what a drawer should hold) needs --operator: the drawer's operator, or a lead or supervisor")
                    }
                    let op = try OperatorOptions(login: login).signIn(book)
                    if op.role < .lead { mine = op.login.rawValue }
                    if let drawer, let other = s.drawers.first(where: { $0.id == drawer && $0.operatorLogin != op.login.rawValue }),
                       op.role < .lead {
                        throw Failure(message: "Drawer #\(drawer) is \(other.operatorLogin)'s: they, a lead or a supervisor print its X report")
                    }
                }
                let drawers = s.drawers.filter { drawer == nil || $0.id == drawer }
                    .filter { kind == .x ? true : !$0.isOpen }
                    .filter { mine == nil || $0.operatorLogin == mine }
                if let drawer, drawers.isEmpty {
                    throw Failure(message: "No \(kind == .z ? "closed " : "")drawer #\(drawer) on \(s.date)")
                }
                // A Z report reprinted here carries the head its close committed with, as the printed one does.
                let text = try drawers.flatMap { d in
                    (kind == .x ? ReportText.x(d, s.expectations[d.id]!, width: width)
                        : ReportText.z(d, s.expectations[d.id]!, width: width)
                            + ((try book.headOfDrawerClose(session: d.id)).map { ["Ledger head \($0.short)"] } ?? [])) + [""]
                }
                print(format.render(text: text.isEmpty ? ["No \(kind == .z ? "closed " : "")drawers on \(s.date)."] : text,
                                    csv: ReportCSV.drawers(drawers, expectations: s.expectations)), terminator: "")
            case .deposit: print(format.render(text: ReportText.deposit(s, width: width), csv: ReportCSV.deposit(s)), terminator: "")
            case .tenders: print(format.render(text: ReportText.tenders(s, width: width), csv: ReportCSV.tenders(s)), terminator: "")
            case .revenue: print(format.render(text: ReportText.revenue(s, width: width), csv: ReportCSV.revenue(s)), terminator: "")
            case .settlement:
                let head = (s.closed?.head).map { ["", "Ledger head as the day closed \($0.short)"] } ?? []
                print(format.render(text: ReportText.settlement(s, width: width) + head, csv: ReportCSV.drawers(s)), terminator: "")
            }
        }
    }

    static func day(_ text: String?, _ book: Ledger) throws -> BusinessDate {
        if let text { return try BusinessDate(text) }
        guard let open = try book.openBusinessDay() else { throw Failure(message: "No business day is open: give --date YYYY-MM-DD") }
        return open
    }
}

/// `till void RECEIPT`: voids a payment of a drawer that is still open.
struct VoidCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "void", abstract: "Void a payment taken in a drawer that is still open.",
        discussion: "The cashier who took it may void it; anyone else names --approver (a lead or supervisor; PIN from $TILL_APPROVER_PIN or standard input).")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var signIn: OperatorOptions
    @Argument(help: "The receipt: its number (1042) or its office's (NORTH-17).") var receipt: String
    @Option(help: "Why it is voided.") var reason: String
    @Option(help: "The lead or supervisor approving.") var approver: String?

    func run() throws {
        try reporting {
            let book = try ledger.open()
            let op = try signIn.signIn(book)
            let approvedBy = try Approver.signIn(approver, book)
            let posted = try book.void(receipt: try book.findReceipt(receipt), reason: reason, operatorID: op.id, terminal: Terminal.id,
                                       approvedBy: approvedBy)
            print(posted.receipt.map { "\($0)" } ?? "")
        }
    }
}

/// A lead's or supervisor's approval from a script: their PIN from $TILL_APPROVER_PIN or standard input.
enum Approver {
    static func signIn(_ login: String?, _ book: Ledger) throws -> Int64? {
        guard let login else { return nil }
        let pin = try PINInput.read(environment: "TILL_APPROVER_PIN", prompt: "PIN for \(login): ")
        return try book.authenticate(try OperatorLogin(login), pin: pin, terminal: Terminal.id).id
    }
}

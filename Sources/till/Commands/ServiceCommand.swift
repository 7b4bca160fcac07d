import ArgumentParser
import Foundation
import TillCore
import TillApp
import TillLedger

/// Who acts, from the command line: the operator (PIN from $TILL_PIN) and, for an action beyond
/// their authority, `--approver` (PIN from $TILL_APPROVER_PIN), for that one command.
struct ActorOptions: ParsableArguments {
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var signIn: OperatorOptions
    @Option(help: "A lead or supervisor approving an action beyond the operator's authority (PIN from $TILL_APPROVER_PIN).")
    var approver: String?

    func open() throws -> (Ledger, Actor) {
        let book = try ledger.open()
        let op = try signIn.signIn(book)
        return (book, Actor(operatorID: op.id, terminal: Terminal.id, approverID: try Approver.signIn(approver, book)))
    }
}

func money(_ text: String?) throws -> Money? {
    guard let text else { return nil }
    do { return try Money.parse(text) } catch { throw Failure(message: "Amount \"\(text)\": \(error.description)") }
}

func report(_ outcome: ServiceOutcome) {
    print(outcome.summary)
}

/// `till account …`: everything a CSR does to an account besides taking a payment.
struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Corrections, refunds, adjustments, arrangements and contact changes on an account.",
        discussion: "Each action is a new ledger transaction with a reason, checked against the operator's authority; beyond it, --approver names the lead or supervisor who approves that one action. See docs/SERVICE.md.",
        subcommands: [Reverse.self, NSF.self, Transfer.self, WaiveLateFee.self, Leak.self, Refund.self, Deposit.self,
                      WriteOff.self, Plan.self, Extend.self, Contact.self, History.self])

    struct WriteOff: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "write-off", abstract: "Write off a balance as bad debt (a supervisor).")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The account number.") var account: String
        @Option(help: "How much (default: the whole balance).") var amount: String?
        @Flag(help: "Also mark the account as referred to the collection agency today.") var collections = false
        @Option(help: "Why (e.g. bankruptcy discharge, case number).") var reason: String
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                report(try book.writeOff(account: try AccountNumber(account), amount: try money(amount), reason: reason,
                                         referToCollections: collections, actor: who))
            }
        }
    }

    struct Reverse: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reverse a payment whose drawer has closed.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The receipt: its number (1042) or its office's (NORTH-17).") var receipt: String
        @Option(help: "Why.") var reason: String
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                report(try book.reverse(receipt: try book.findReceipt(receipt), reason: reason, actor: who))
            }
        }
    }

    struct NSF: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "nsf", abstract: "A returned check: charge back, NSF fee, cash only, letter.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The receipt the check paid: 1042 or NORTH-17.") var receipt: String
        @Option(help: "The check number, when the receipt took several.") var check: String?
        @Option(help: "Why (e.g. the bank's return reason).") var reason: String
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                report(try book.returnCheck(receipt: try book.findReceipt(receipt), checkNumber: check, reason: reason, actor: who))
            }
        }
    }

    struct Transfer: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a payment posted to the wrong account.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The receipt: its number (1042) or its office's (NORTH-17).") var receipt: String
        @Option(help: "The account it was posted to.") var from: String
        @Option(help: "The account it belongs to.") var to: String
        @Option(help: "How much (default: all the receipt credits to --from).") var amount: String?
        @Option(help: "Why.") var reason: String
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                report(try book.transfer(receipt: try book.findReceipt(receipt), from: try AccountNumber(from), to: try AccountNumber(to),
                                         amount: try money(amount), reason: reason, actor: who))
            }
        }
    }

    struct WaiveLateFee: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "waive-late-fee",
                                                        abstract: "Reverse the account's latest late fee (or --fee nsf, reconnect).")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The account number.") var account: String
        @Option(help: "late (default), nsf or reconnect.") var fee = "late"
        @Option(help: "How much (default: what is left of the fee).") var amount: String?
        @Option(help: "Why.") var reason: String
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                let books: [String: BookAccount] = ["late": .lateFee, "nsf": .nsfFee, "reconnect": .reconnectFee]
                guard let kind = books[fee] else { throw Failure(message: "Fee is late, nsf or reconnect") }
                report(try book.reverseFee(kind, account: try AccountNumber(account), amount: try money(amount), reason: reason, actor: who))
            }
        }
    }

    struct Leak: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Credit water charges for a leak between two dates.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The account number.") var account: String
        @Option(help: "The credit.") var amount: String
        @Option(help: "The leak's first day (YYYY-MM-DD).") var from: String
        @Option(help: "The day it was repaired.") var to: String
        @Option(help: "Why.") var reason: String
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                guard let credit = try money(amount) else { return }
                report(try book.adjustForLeak(account: try AccountNumber(account), amount: credit, from: try BusinessDate(from),
                                              to: try BusinessDate(to), reason: reason, actor: who))
            }
        }
    }

    struct Refund: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refund a credit balance through accounts payable.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The account number.") var account: String
        @Option(help: "How much (default: the whole credit).") var amount: String?
        @Option(help: "Who the check is made out to (default: the customer).") var payee: String?
        @Option(help: "Where it is mailed (default: the mailing address).") var address: String?
        @Option(help: "Why.") var reason: String
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                report(try book.refundCredit(account: try AccountNumber(account), amount: try money(amount), payee: payee,
                                             address: address, reason: reason, actor: who))
            }
        }
    }

    struct Deposit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply the deposit held to the balance, or refund it (final bill).")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "apply or refund.") var action: String
        @Argument(help: "The account number.") var account: String
        @Option(help: "How much (default: all the deposit held).") var amount: String?
        @Option(help: "For a refund: who the check is made out to.") var payee: String?
        @Option(help: "For a refund: where it is mailed.") var address: String?
        @Option(help: "Why.") var reason: String
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                let number = try AccountNumber(account)
                switch action {
                case "apply": report(try book.applyDeposit(account: number, amount: try money(amount), reason: reason, actor: who))
                case "refund": report(try book.refundDeposit(account: number, amount: try money(amount), payee: payee, address: address,
                                                             reason: reason, actor: who))
                default: throw Failure(message: "Deposit action is apply or refund, not \"\(action)\"")
                }
            }
        }
    }

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A payment plan: what is past due in N monthly installments.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The account number.") var account: String
        @Option(help: "Number of installments (1–60).") var installments: Int
        @Option(help: "First installment's due date (default: a month from today).") var firstDue: String?
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                report(try book.createPaymentPlan(account: try AccountNumber(account), installments: installments,
                                                  firstDue: try firstDue.map { try BusinessDate($0) }, actor: who))
            }
        }
    }

    struct Extend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An extension: what is past due, paid by a date.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The account number.") var account: String
        @Option(help: "The date it is due by.") var until: String
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                report(try book.grantExtension(account: try AccountNumber(account), until: try BusinessDate(until), actor: who))
            }
        }
    }

    struct Contact: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an address or contact detail (kept in the account's history).")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The account number.") var account: String
        @Argument(help: "mailing-address, service-address, phone, email or name.") var field: String
        @Argument(help: "The new value.") var value: String
        func run() throws {
            try reporting {
                guard let which = ContactField(rawValue: field) else {
                    throw Failure(message: "Field is one of \(ContactField.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let (book, who) = try actor.open()
                report(try book.updateContact(account: try AccountNumber(account), field: which, value: value, actor: who))
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The account's address and contact changes.")
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The account number.") var account: String
        func run() throws {
            try reporting {
                let changes = try ledger.openForReading().accountChanges(try AccountNumber(account))
                for c in changes { print("\(c.at)  \(c.by)  \(c.field): \"\(c.oldValue)\" → \"\(c.newValue)\"") }
                if changes.isEmpty { print("No changes to \(account).") }
            }
        }
    }
}

/// `till requests …`: work orders.
struct RequestsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requests", abstract: "Service requests (work orders): list, create, schedule, complete.",
        subcommands: [List.self, New.self, Update.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Work orders, newest first.")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "open, scheduled, done or cancelled.") var status: String?
        @Option(help: "turn-on, turn-off, lock-off, restore, leak-check, meter-reread, high-usage or other.") var type: String?
        @Option(help: "One account.") var account: String?
        @Flag(help: "Show each order's history.") var history = false
        func run() throws {
            try reporting {
                let status = try self.status.map { text in
                    guard let s = ServiceRequestStatus(rawValue: text) else { throw Failure(message: "Status is open, scheduled, done or cancelled") }
                    return s
                }
                let list = try ledger.openForReading().serviceRequests(status: status, type: try type.map { try ServiceRequestType.named($0) },
                                                             account: try account.map { try AccountNumber($0) })
                print(ServiceReports.requestsText(list, history: history).joined(separator: "\n"))
            }
        }
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Raise a work order from an account.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The account number.") var account: String
        @Option(help: "The kind of work.") var type: String
        @Option(help: "low, normal, high or emergency.") var priority = "normal"
        @Option(help: "What the crew needs to know.") var notes = ""
        func run() throws {
            try reporting {
                guard let priority = ServiceRequestPriority(rawValue: priority) else { throw Failure(message: "Priority is low, normal, high or emergency") }
                let (book, who) = try actor.open()
                print(try book.createServiceRequest(account: try AccountNumber(account), type: try ServiceRequestType.named(type),
                                                    priority: priority, notes: notes, actor: who))
            }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Schedule, complete or cancel a work order.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The work order number.") var id: Int64
        @Option(help: "scheduled, done or cancelled.") var status: String
        @Option(help: "The date it is scheduled for.") var date: String?
        @Option(help: "A note.") var note = ""
        func run() throws {
            try reporting {
                guard let status = ServiceRequestStatus(rawValue: status) else { throw Failure(message: "Status is scheduled, done or cancelled") }
                let (book, who) = try actor.open()
                try book.updateServiceRequest(id, status: status, scheduledFor: try date.map { try BusinessDate($0) }, note: note, actor: who)
                print("Work order #\(id) \(status.rawValue).")
            }
        }
    }
}

/// `till batch FILE --control-total X`: a mail or drop-box batch from a file (the screen has batch entry too).
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch", abstract: "Post a mail or drop-box batch (CSV: account,amount[,tender][,reference]) into your open drawer.",
        discussion: "Posts only when the lines add up to the control total (the adding-machine tape), unless --reason is given with a supervisor as --approver.")
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The batch file.") var file: String
    @Option(help: "The control total.") var controlTotal: String
    @Option(help: "mail or drop-box.") var kind = "mail"
    @Option(help: "Why an out-of-balance batch is posted.") var reason = ""

    func run() throws {
        try reporting {
            guard let kind = BatchKind(rawValue: kind), kind != .importFile else { throw Failure(message: "Kind is mail or drop-box") }
            let table: CSV.Table
            do { table = try CSV.parse(bytes: try ImportCommand.bytes(file)) } catch let error as DomainError { throw Failure(message: "\(file): \(error.message)") }
            if let fault = table.unsafeText.first { throw Failure(message: "\(file) line \(fault.line): \(fault.message); nothing posted") }
            if let column = table.repeatedColumns.first { throw Failure(message: "\(file): column \(column) appears more than once; nothing posted") }
            var lines: [BatchLine] = []
            for row in table.rows {
                func field(_ name: String) -> String { (table.value(name, in: row) ?? "").trimmingSpacesAndTabs() }
                do {
                    let tender = field("tender").isEmpty ? TenderKind.check : TenderKind(spelling: field("tender"))
                    guard let tender else { throw Failure(message: "tender \"\(field("tender"))\" is check, money-order or cash") }
                    var line = BatchLine(account: try AccountNumber(field("account")), amount: try Money.parse(field("amount")),
                                         tender: tender, reference: field("reference"))
                    line.fileLine = row.line
                    lines.append(line)
                } catch { throw Failure(message: "\(file) line \(row.line): \(error)") }
            }
            guard let control = try money(controlTotal) else { return }
            let (book, who) = try actor.open()
            guard let drawer = try book.currentDrawer(operatorID: who.operatorID, terminal: Terminal.id) else {
                throw Failure(message: "A batch goes into your drawer: open one at terminal \(Terminal.id) first (till drawer open)")
            }
            let result = try book.postBatch(kind: kind, controlTotal: control, lines: lines, reason: reason, actor: who,
                                            drawerSession: drawer.id, source: file)
            print(result.report.joined(separator: "\n"))
        }
    }
}

/// `till fees assess`: the day's late-fee run.
struct FeesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fees", abstract: "Late fees.", subcommands: [Assess.self])

    struct Assess: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Charge late fees on bills past due (idempotent: a bill is charged once).")
        @OptionGroup var actor: ActorOptions
        @Option(help: "As of this date (default: the open day).") var date: String?
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                let run = try book.assessLateFees(asOf: try ReportCommand.day(date, book), actor: who)
                for fee in run.assessed { print("\(fee.account)  \(fee.amount.formatted)  bill due \(fee.dueDate)") }
                print("\(run.assessed.count) late fee\(run.assessed.count == 1 ? "" : "s") charged, \(run.total.formatted); \(run.alreadyAssessed) bill\(run.alreadyAssessed == 1 ? "" : "s") already charged")
            }
        }
    }
}

/// `till delinquency`: the past-due list and the shut-off candidates.
struct DelinquencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delinquency", abstract: "Past-due accounts with aging, or the shut-off candidates for a date.")
    @OptionGroup var ledger: LedgerOptions
    @Flag(help: "Only the shut-off candidates (past due beyond policy, no arrangement kept).") var shutoff = false
    @Option(help: "As of this date (default: the open day).") var date: String?
    @Option(help: "At least this many days past due (30, 60, 90…).") var minDays = 1
    @Option(help: "At least this much past due.") var minAmount: String?
    @Option(help: "Only accounts with this status (active, locked-off, final).") var status: String?
    @Option(help: "Output format: text or csv.") var format: ReportFormat = .text

    func run() throws {
        try reporting {
            let book = try ledger.openForReading()
            let asOf = try date.map { try BusinessDate($0) } ?? (try book.openBusinessDay() ?? book.localToday())
            let list = shutoff ? try book.shutoffCandidates(on: asOf)
                               : try book.delinquency(asOf: asOf, minimumDays: minDays, minimumPastDue: try money(minAmount) ?? Money(cents: 1),
                                                      status: status)
            print(format.render(text: ServiceReports.delinquencyText(list, asOf: asOf, title: shutoff ? "SHUT-OFF CANDIDATES" : "PAST DUE"),
                                csv: ServiceReports.delinquencyCSV(list)), terminator: "")
        }
    }
}

/// `till letters KIND`: letters from the templates for the whole list.
struct LettersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "letters", abstract: "Write letters from templates/: past-due, shutoff, nsf, deposit-refund or returned-payment.",
        discussion: "past-due: every account 30+ days past due; shutoff: the shut-off candidates (each gets its pending shut-off date); nsf, deposit-refund and returned-payment: those of the date. Files go to letters/DATE/.")
    @OptionGroup var ledger: LedgerOptions
    @Argument(help: "past-due, shutoff, nsf, deposit-refund or returned-payment.") var kind: String
    @Option(help: "The date (default: the open day).") var date: String?
    @Option(help: "Only this account.") var account: String?
    @Flag(help: "Also print each letter on the office's printer (the printer settings).") var print = false

    func run() throws {
        try reporting {
            guard let kind = LetterKind(rawValue: kind) else {
                throw Failure(message: "Letter is one of \(LetterKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let book = try ledger.open()
            let on = try date.map { try BusinessDate($0) } ?? (try book.openBusinessDay() ?? book.localToday())
            let files = try book.writeLetters(kind, on: on, accounts: account.map { [$0] })
            var failures: [String] = []
            for file in files {
                Swift.print(file)
                if print, let text = try? String(contentsOfFile: file, encoding: .utf8),
                   let failure = OfficePrinter.print(text.components(separatedBy: "\n"),
                                                     name: ((file as NSString).lastPathComponent as NSString).deletingPathExtension, book) {
                    failures.append(failure)
                }
            }
            Swift.print("\(files.count) letter\(files.count == 1 ? "" : "s") written" + (print ? ", \(files.count - failures.count) printed" : ""))
            if let failure = failures.first { throw Failure(message: "Printer: \(failure) (the letters are written; print them again with --print)") }
        }
    }
}

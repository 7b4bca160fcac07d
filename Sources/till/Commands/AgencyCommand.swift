import ArgumentParser
import Foundation
import TillCore
import TillLedger

/// `till agency …`: assistance agencies, the accounts enrolled in their programs, their pledges
/// and the one payment that pays many pledges.
struct AgencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agency", abstract: "Assistance agencies: add, list, enrol an account, record a pledge, post the agency's payment.",
        discussion: """
            An agency pledges to pay an amount on an account by a date; while the pledge is open and unexpired the shut-off
            list and the account pane count it against what is past due (setting pledge.counts). The agency's payment, one
            check or ACH for many accounts, posts as one payment with a line per account, each fulfilling its pledge.
            `till pledges` lists open, fulfilled and expired pledges. See docs/SERVICE.md.
            """,
        subcommands: [Add.self, List.self, Enroll.self, Pledge.self, Pay.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an agency.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The agency's name.") var name: String
        @Option(help: "The program it pays under (e.g. LIHEAP).") var program = ""
        @Option(help: "Who to call there.") var contact = ""
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                print("Agency added: \(try book.addAgency(name: name, program: program, contact: contact, actor: who).line)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The agencies.")
        @OptionGroup var ledger: LedgerOptions
        func run() throws {
            try reporting {
                let agencies = try ledger.open().agencies()
                print(agencies.isEmpty ? "No agencies." : agencies.map(\.line).joined(separator: "\n"))
            }
        }
    }

    struct Enroll: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enrol an account in an agency's program.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The account number.") var account: String
        @Option(help: "The agency.") var agency: String
        @Option(name: .customLong("case"), help: "The agency's case number.") var caseNumber = ""
        @Option(help: "From this date (default: the open day).") var from: String?
        @Option(help: "Until this date (default: no end).") var until: String?
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                let start = try from.map(BusinessDate.init) ?? book.today()
                let enrolled = try book.enroll(account: try AccountNumber(account), agency: agency, caseNumber: caseNumber, from: start,
                                               until: try until.map(BusinessDate.init), actor: who)
                print("\(account): \(enrolled.text)")
            }
        }
    }

    struct Pledge: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an agency's pledge to pay on an account.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The account number.") var account: String
        @Option(help: "The agency.") var agency: String
        @Option(help: "The amount pledged, e.g. 150.00.") var amount: String
        @Option(name: .customLong("case"), help: "The agency's case number.") var caseNumber = ""
        @Option(help: "The date the pledge expires if unpaid.") var expires: String
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                guard let amount = try money(amount) else { return }
                let pledge = try book.pledge(account: try AccountNumber(account), agency: agency, amount: amount, caseNumber: caseNumber,
                                             expires: try BusinessDate(expires), actor: who)
                print("Pledge #\(pledge.id): \(pledge.amount.formatted) from \(pledge.agency) on \(pledge.account), open until \(pledge.expiresOn)")
            }
        }
    }

    struct Pay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Post an agency's payment: one tender, a line per account (ACCOUNT=AMOUNT), each fulfilling its pledge.",
            discussion: """
                A line with no open pledge from the agency, or for more than is pledged, is named and nothing posts, unless
                --accept-unpledged says the agency meant it (the amount beyond the pledges pays the account as usual).
                """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signIn: OperatorOptions
        @Option(help: "The agency paying.") var agency: String
        @Option(help: "How it is paid: check:NUMBER or ach:LAST4 (cash and money orders too).") var tender: String
        @Option(help: "An idempotency key: a retry with the same key never posts twice.") var key: String?
        @Flag(help: "Post lines with no pledge, or beyond it, too.") var acceptUnpledged = false
        @Argument(help: "ACCOUNT=AMOUNT for each account the payment pays.") var lines: [String]
        func run() throws {
            try reporting {
                let book = try ledger.open()
                let ceiling = try book.typedSettings().amountCeiling
                let parsed = try lines.map { text -> (account: AccountNumber, amount: Money) in
                    let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { throw Failure(message: "\(TextSafety.quoted(text)): write ACCOUNT=AMOUNT") }
                    return (try AccountNumber(parts[0]), try Money.parse(parts[1], ceiling: ceiling))
                }
                guard !parsed.isEmpty else { throw Failure(message: "Name the accounts the payment pays: ACCOUNT=AMOUNT …") }
                guard Set(parsed.map(\.account)).count == parsed.count else { throw Failure(message: "An account is named twice") }
                let checks = try book.checkAgencyPayment(agency: agency, lines: parsed)
                // A retry under the same key returns what was posted: its pledges are fulfilled by now.
                let retry = try key.map { try book.isPosted(key: IdempotencyKey.user($0)) } ?? false
                let problems = retry ? [] : checks.compactMap(\.problem)
                if !problems.isEmpty && !acceptUnpledged {
                    throw Failure(message: "Nothing posted: " + problems.joined(separator: "; ") + " (--accept-unpledged posts them anyway)")
                }
                let total = Money(cents: parsed.reduce(0) { $0 + $1.amount.cents })
                let tender = try PayCommand.tender(tender, amount: total)
                let op = try signIn.signIn(book)
                let drawer = try book.currentDrawer(operatorID: op.id, terminal: Terminal.id)
                if tender.kind.goesInDrawer && drawer == nil {
                    throw Failure(message: "\(tender.kind.rawValue) needs an open drawer: \(op.login) has none at terminal \(Terminal.id)")
                }
                let posted = try book.post(Payment(lines: parsed.map { .account($0.account, $0.amount) }, tenders: [tender]),
                                           operatorID: op.id, terminal: Terminal.id, idempotencyKey: key.map(IdempotencyKey.user),
                                           drawerSession: drawer?.id, agency: agency)
                for check in checks where !retry { print("\(check.account.padded(12)) \(check.amount.formatted.leftPadded(11))  \(check.note)") }
                print("Receipt #\(posted.receipt.map { "\($0)" } ?? "?"): \(total.formatted) from \(agency)"
                      + (posted.wasAlreadyPosted ? " (posted before under this key: nothing posted twice)" : ""))
                book.checkpoint()
            }
        }
    }
}

/// `till pledges`: the agencies' pledges, for follow-up.
struct PledgesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pledges", abstract: "List assistance pledges: open, fulfilled, expired (newest first).")
    @OptionGroup var ledger: LedgerOptions
    @Option(help: "Only pledges that are open, fulfilled or expired.") var status: String?
    @Option(help: "Only this account's.") var account: String?
    @Option(help: "Output format: text or csv.") var format: ReportFormat = .text
    func run() throws {
        try reporting {
            let wanted = try status.map { text -> TillLedger.Pledge.Status in
                guard let status = TillLedger.Pledge.Status(rawValue: text) else { throw Failure(message: "--status is open, fulfilled or expired") }
                return status
            }
            let book = try ledger.open()
            let today = try book.today()
            let list = try book.pledges(status: wanted, account: try account.map { try AccountNumber($0) })
            var text = list.map { $0.listLine(on: today) }
            let open = Money(cents: list.filter { $0.status(on: today) == .open }.reduce(0) { $0 + $1.open.cents })
            text.append(list.isEmpty ? "No pledges." : "\(list.count) pledge\(list.count == 1 ? "" : "s"), \(open.formatted) open")
            print(format.render(text: text, csv: [TillLedger.Pledge.csvHeader] + list.map { $0.csvRow(on: today) }), terminator: "")
        }
    }
}

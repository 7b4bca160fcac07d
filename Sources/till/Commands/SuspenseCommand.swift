import ArgumentParser
import Foundation
import TillCore
import TillLedger

/// `till suspense …`: the clarification worklist of payments no account was matched to.
struct SuspenseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suspense", abstract: "List, show, apply, split or refund payments held in suspense.",
        discussion: """
            A payment no account could be matched to (a payment file's unknown or closed account, a walk-in who does not
            know the account: `till pay SUSPENSE …`) is held in suspense with what is known of it. A CSR finds the customer
            and applies it (a transfer out of suspense, allocated like a payment), splits it across accounts, or requests
            its refund. See docs/SERVICE.md.
            """,
        subcommands: [List.self, Show.self, Apply.self, Split.self, Refund.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The open items, oldest first (--all: every item).")
        @OptionGroup var ledger: LedgerOptions
        @Flag(help: "Every item, applied, refunded and voided ones too.") var all = false
        @Option(help: "Output format: text or csv.") var format: ReportFormat = .text
        func run() throws {
            try reporting {
                let book = try ledger.open()
                let items = try book.suspenseItems(openOnly: !all)
                let today = try book.today()
                let warn = try book.suspenseWarnDays()
                var text = items.map { $0.listLine(on: today) + ($0.open.isPositive && $0.age(on: today) > warn ? "  OLD" : "") }
                let open = Money(cents: items.reduce(0) { $0 + $1.open.cents })
                text.append(items.isEmpty ? "Nothing in suspense." : "\(items.count) item\(items.count == 1 ? "" : "s"), \(open.formatted) open")
                print(format.render(text: text, csv: [SuspenseItem.csvHeader] + items.map { $0.csvRow(on: today) }), terminator: "")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything known of one item, and where its money went.")
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The item number.") var item: Int64
        func run() throws {
            try reporting {
                let book = try ledger.open()
                print(try book.suspenseItem(item).detailLines(on: try book.today()).joined(separator: "\n"))
            }
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply an item (or --amount of it) to an account.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The item number.") var item: Int64
        @Argument(help: "The account it belongs to.") var account: String
        @Option(help: "How much (default: all that is left).") var amount: String?
        @Option(help: "Why (how the customer was found).") var reason: String
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                report(try book.applySuspense(item: item, to: [(try AccountNumber(account), try money(amount))], reason: reason, actor: who))
            }
        }
    }

    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Split an item across accounts: ACCOUNT=AMOUNT … (one ACCOUNT alone takes the rest).")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The item number.") var item: Int64
        @Argument(help: "ACCOUNT=AMOUNT for each account; one plain ACCOUNT takes what is left.") var parts: [String]
        @Option(help: "Why.") var reason: String
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                let split = try parts.map { part -> (account: AccountNumber, amount: Money?) in
                    let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
                    return (try AccountNumber(pieces[0]), try money(pieces.count == 2 ? pieces[1] : nil))
                }
                guard split.count >= 2 else { throw Failure(message: "A split names two accounts or more: use `till suspense apply` for one") }
                report(try book.applySuspense(item: item, to: split, reason: reason, actor: who))
            }
        }
    }

    struct Refund: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Request the refund of an item to whoever sent it (accounts payable pays it).")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The item number.") var item: Int64
        @Option(help: "How much (default: all that is left).") var amount: String?
        @Option(help: "Pay to (default: the item's payer).") var payee: String?
        @Option(help: "Mail to (default: the item's address).") var address: String?
        @Option(help: "Why.") var reason: String
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                report(try book.refundSuspense(item: item, amount: try money(amount), payee: payee, address: address, reason: reason, actor: who))
            }
        }
    }
}

import ArgumentParser
import Foundation
import TillCore
import TillLedger

/// `till autopay …`: accounts debited by ACH, and the draft that debits them as a NACHA file.
struct AutopayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autopay", abstract: "Autopay: enrol or stop an account, list them, and make the day's ACH draft (a NACHA file).",
        discussion: """
            The bank account number is read from standard input (`--bank-account-stdin`, so it stays out of the shell's history
            and the process list) or --bank-account; it is stored sealed under the bank-account key beside the ledger
            (LEDGER.bankkey, or $TILL_BANK_KEY_FILE) and shown only as its last four digits. See docs/SERVICE.md.
            """,
        subcommands: [Enroll.self, Stop.self, List.self, Draft.self])

    struct Enroll: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enrol an account: its bank's routing number and account number.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The utility account number.") var account: String
        @Option(help: "The bank's nine-digit routing number.") var routing: String
        @Option(help: "The bank account number (prefer --bank-account-stdin).") var bankAccount: String?
        @Flag(help: "Read the bank account number from standard input.") var bankAccountStdin = false
        @Flag(help: "A savings account (default: checking).") var savings = false
        @Option(help: "The bank account holder's name, as the bank has it (default: the customer's name).") var holder = ""
        @Option(help: "The first draft date it applies to (default: the open day).") var from: String?
        func run() throws {
            try reporting {
                guard (bankAccount != nil) != bankAccountStdin else {
                    throw Failure(message: "Give the bank account number once: --bank-account-stdin (preferred) or --bank-account")
                }
                let typed: String
                if let bankAccount { typed = bankAccount } else {
                    guard let line = readLine(strippingNewline: true) else { throw Failure(message: "No bank account number on standard input") }
                    typed = line
                }
                let number = try BankAccountNumber(typed)
                let routing = try RoutingNumber(routing)
                let (book, who) = try actor.open()
                let enrolled = try book.enrollAutopay(account: try AccountNumber(account), routing: routing, bankAccount: number,
                                                      kind: savings ? .savings : .checking, holder: holder,
                                                      from: try from.map(BusinessDate.init), actor: who)
                print("\(enrolled.account) on autopay from \(enrolled.startsOn): \(enrolled.kind.rawValue) ****\(enrolled.lastFour) at \(enrolled.routing)")
            }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop an account's autopay.")
        @OptionGroup var actor: ActorOptions
        @Argument(help: "The utility account number.") var account: String
        @Option(help: "Why.") var reason: String
        func run() throws {
            try reporting {
                let (book, who) = try actor.open()
                try book.stopAutopay(account: try AccountNumber(account), reason: reason, actor: who)
                print("\(account): autopay stopped")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The accounts on autopay (--all: stopped ones too).")
        @OptionGroup var ledger: LedgerOptions
        @Flag(help: "Stopped enrolments too.") var all = false
        @Option(help: "Output format: text or csv.") var format: ReportFormat = .text
        func run() throws {
            try reporting {
                let list = try ledger.open().autopayEnrollments(activeOnly: !all)
                var text = list.map(\.listLine)
                text.append(list.isEmpty ? "No accounts on autopay." : "\(list.count) enrolment\(list.count == 1 ? "" : "s")")
                print(format.render(text: text, csv: [AutopayEnrollment.csvHeader] + list.map(\.csvRow)), terminator: "")
            }
        }
    }

    struct Draft: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the ACH draft for a date: post each debit as an e-check payment and write the NACHA file.",
            discussion: "Made again for the same date, it writes the same file and posts nothing. The file holds whole bank account numbers: send it to the bank and remove it.")
        @OptionGroup var actor: ActorOptions
        @Option(help: "The date the customers are debited (the file's effective entry date).") var date: String
        @Option(name: .shortAndLong, help: "Where to write the NACHA file.") var output: String
        func run() throws {
            try reporting {
                let effective = try BusinessDate(date)
                let (book, who) = try actor.open()
                let draft = try book.draftAutopay(effective: effective, actor: who)
                try OutputFile.write(to: output) { put in try put(draft.file.text) }
                print((draft.summary + ["NACHA file: \(output)"]).joined(separator: "\n"))
                book.checkpoint()
            }
        }
    }
}

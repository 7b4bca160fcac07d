import ArgumentParser
import Foundation
import TillCore
import TillLedger

/// `till office …`: the utility's offices and the terminals in each.
struct OfficeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "office", abstract: "Offices: add one, list them, show one, place a terminal in one.",
        discussion: """
            The first office added is the main office: the back office's work (payment files, autopay) and every terminal
            not placed elsewhere belong to it. A terminal stands in one office for good: placed by a supervisor here, or by
            its host's TILL_OFFICE the first time it opens the ledger. Receipts print the office's name and address. See
            docs/DAY.md ("Offices").
            """,
        subcommands: [Add.self, List.self, Show.self, Place.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an office (a supervisor).")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signIn: OperatorOptions
        @Argument(help: "Its code: 1 to 12 letters, digits or dashes (MAIN, NORTH).") var code: String
        @Option(help: "Its name, as receipts print it.") var name: String
        @Option(help: "Its address, as receipts print it.") var address: String
        @Option(name: .customLong("bank-account"), help: "The bank account its deposits go to.") var bankAccount: String
        func run() throws {
            try reporting {
                let book = try ledger.open(placing: false)
                let op = try signIn.signIn(book)
                let office = try book.addOffice(code: code, name: name, address: address, bankAccount: bankAccount, by: op.id,
                                                terminal: Terminal.id)
                print("Office added: \(office.line)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The offices, the main office first, with their terminals.")
        @OptionGroup var ledger: LedgerOptions
        func run() throws {
            try reporting {
                let map = try ledger.openForReading().offices()
                print(map.isEmpty ? "No offices: the ledger is one office's (till office add makes the first, the main office)."
                                  : map.offices.map(\.line).joined(separator: "\n"))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One office: its details and terminals.")
        @OptionGroup var ledger: LedgerOptions
        @Argument(help: "The office's code.") var code: String
        func run() throws {
            try reporting {
                let office = try ledger.openForReading().offices().required(code)
                print("""
                    Office \(office.code)\(office.isMain ? " (main office)" : "")
                      Name          \(office.name)
                      Address       \(office.address)
                      Bank account  \(office.bankAccount)
                      Added         \(office.addedAt) by \(office.addedBy)
                      Terminals     \(office.terminals.isEmpty ? (office.isMain ? "every terminal not placed elsewhere" : "none yet") : office.terminals.joined(separator: ", "))
                    """)
            }
        }
    }

    struct Place: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Place a terminal in an office, for good (a supervisor).")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signIn: OperatorOptions
        @Argument(help: "The terminal's id (its TILL_TERMINAL).") var terminal: String
        @Argument(help: "The office's code.") var code: String
        func run() throws {
            try reporting {
                let book = try ledger.open(placing: false)
                let op = try signIn.signIn(book)
                let office = try book.placeTerminal(terminal, in: code, by: op.id)
                print("Terminal \(terminal) stands in \(office.code) (\(office.name))")
            }
        }
    }
}

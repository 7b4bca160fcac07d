import ArgumentParser
import Foundation
import TillCore
import TillLedger

/// `till operator unlock LOGIN`: a supervisor lifts a lock left by wrong PINs.
struct OperatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator", abstract: "Operators: lift a sign-in lock.", subcommands: [Unlock.self])

    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unlock an operator locked by wrong PINs (a supervisor; audited).")
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var signIn: OperatorOptions
        @Argument(help: "The locked operator's id.") var locked: String

        func run() throws {
            try reporting {
                let book = try ledger.open()
                let supervisor = try signIn.signIn(book)
                let login = try OperatorLogin(locked)
                try book.unlockOperator(login, by: supervisor.id, terminal: Terminal.id)
                print("Operator \(login) is unlocked.")
            }
        }
    }
}

import ArgumentParser
import Foundation
import TillCore
import TillLedger

/// `till settings [KEY [VALUE]]`: lists the settings, shows one, or (a supervisor) changes one.
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "List the settings, show one, or change one (a supervisor; audited).",
        discussion: "Keys and defaults are in docs/SCHEMA.md. A value is checked before it is stored: cents are whole numbers, yes/no settings are true or false, the standard float is a count such as 20=4,10=5.")

    @OptionGroup var ledger: LedgerOptions
    @Argument(help: "A setting's key, e.g. drawer.over_short_approval_cents.") var key: String?
    @Argument(help: "Its new value.") var value: String?
    @Option(name: .customLong("operator"), help: "The supervisor changing it (PIN from $TILL_PIN or standard input).") var login: String?

    func run() throws {
        try reporting {
            let book = try value == nil ? ledger.openForReading() : ledger.open()
            guard let key else {
                for (setting, current) in try book.settings() { print("\(setting.rawValue) = \(current)") }
                return
            }
            guard let setting = SettingKey(rawValue: key) else {
                throw Failure(message: "No setting \(key): till settings lists them")
            }
            guard let value else {
                print(try book.setting(setting))
                return
            }
            guard let login else { throw Failure(message: "Changing a setting needs --operator (a supervisor)") }
            let pin = try PINInput.read(prompt: "PIN for \(login): ")
            let op = try book.authenticate(try OperatorLogin(login), pin: pin, terminal: Terminal.id)
            try book.setSetting(setting, value, by: op.id)
            print("\(setting.rawValue) = \(value)")
        }
    }
}

import ArgumentParser
import Foundation
import TillCore

@main
struct TillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "till",
        abstract: "Cashiering and counter application for a utility's front office.",
        discussion: "With no subcommand, Till opens the counter screen. See docs/CLI.md and docs/KEYS.md.",
        subcommands: [
            TerminalCommand.self, SummaryCommand.self, InitCommand.self, CopyCommand.self, DemoCommand.self, ImportCommand.self,
            VerifyCommand.self, ExportCommand.self, BenchCommand.self, PayCommand.self, DrawerCommand.self,
            DayCommand.self, ReportCommand.self, VoidCommand.self, SettingsCommand.self, AccountCommand.self,
            RequestsCommand.self, BatchCommand.self, FeesCommand.self, DelinquencyCommand.self, LettersCommand.self,
            BackupCommand.self, ReceiptCommand.self, PostLoopCommand.self, AnchorCommand.self,
            OperatorCommand.self, StubCommand.self, SuspenseCommand.self, TrainingCommand.self, AgencyCommand.self, PledgesCommand.self, AutopayCommand.self,
            OfficeCommand.self,
        ],
        defaultSubcommand: TerminalCommand.self
    )

    /// Before anything is parsed or opened: an argument (or the terminal's name) holding a
    /// full card number refuses the whole command, and the number is never repeated back.
    static func main() {
        // What Till writes beside the ledger (receipts, reports, letters, refund requests,
        // backups, exports) holds customers' names and money: readable by its owner only.
        umask(0o077)
        let environment = ProcessInfo.processInfo.environment
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let index = arguments.firstIndex(where: CardNumber.containsFullCardNumber) {
            refuse("argument \(index + 1) looks like a full card number: Till never takes one; nothing was done")
        }
        for name in ["TILL_TERMINAL", "TILL_OFFICE"] where environment[name].map(CardNumber.containsFullCardNumber) == true {
            refuse("\(name) looks like a full card number: Till never takes one; nothing was done")
        }
        main(nil)
    }

    private static func refuse(_ message: String) -> Never {
        FileHandle.standardError.write(Data("till: \(message)\n".utf8))
        Foundation.exit(1)
    }
}

import ArgumentParser

@main
struct TillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "till",
        abstract: "Cashiering and counter application for a utility's front office.",
        discussion: "With no subcommand, Till opens the counter screen. See docs/CLI.md and docs/KEYS.md.",
        subcommands: [
            TerminalCommand.self, SummaryCommand.self, InitCommand.self, DemoCommand.self, ImportCommand.self,
            VerifyCommand.self, ExportCommand.self, BenchCommand.self, PayCommand.self, DrawerCommand.self,
            DayCommand.self, ReportCommand.self, VoidCommand.self, SettingsCommand.self, AccountCommand.self,
            RequestsCommand.self, BatchCommand.self, FeesCommand.self, DelinquencyCommand.self, LettersCommand.self,
            BackupCommand.self, ReceiptCommand.self, PostLoopCommand.self,
        ],
        defaultSubcommand: TerminalCommand.self
    )
}

import ArgumentParser

@main
struct TillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "till",
        abstract: "Cashiering and counter application for a utility's front office.",
        discussion: "With no subcommand, Till shows the ledger's summary. See docs/CLI.md.",
        subcommands: [
            SummaryCommand.self, InitCommand.self, DemoCommand.self, ImportCommand.self,
            VerifyCommand.self, ExportCommand.self,
        ],
        defaultSubcommand: SummaryCommand.self
    )
}

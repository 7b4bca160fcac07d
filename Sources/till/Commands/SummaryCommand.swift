import ArgumentParser
import TillCore
import TillLedger

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary", abstract: "Show the ledger's summary.")

    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        try reporting {
            let book = try ledger.openForReading()
            let summary = try book.summary()
            print(SummaryText.render(summary, path: book.path))
        }
    }
}

enum SummaryText {
    static func render(_ s: LedgerSummary, path: String) -> String {
        var lines = [
            "\(s.utilityName) — Till ledger",
            "  ledger         \(path)",
            "  business day   \(s.openDay.map { "\($0) (open)" } ?? "day not open")",
            "  accounts       \(s.accounts) (\(s.pastDueAccounts) past due)",
            "  receivable     \(s.receivable.formatted)",
            "  transactions   \(s.transactions) (\(s.postings) postings)",
            "  last receipt   \(s.lastReceipt.map { "\($0)" } ?? "none yet")",
            "  operators      \(s.operators.map { "\($0.login) (\($0.role))" }.joined(separator: ", "))",
            "",
            "  Trial balance",
        ]
        for (book, amount) in s.bookBalances {
            lines.append("    " + book.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                         + String(repeating: " ", count: max(0, 16 - amount.formatted.count)) + amount.formatted)
        }
        return lines.joined(separator: "\n")
    }
}

import ArgumentParser
import Foundation
import TillCore
import TillLedger

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export postings for the billing system or the books as a journal.",
        subcommands: [Postings.self, Journal.self])

    struct Postings: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "CSV of one business day's payments and adjustments to customer accounts (docs/EXPORTS.md).")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "Business date, YYYY-MM-DD.") var date: String
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

        /// The head the export covers, on standard error (standard output may be the export).
        static func tellHead(_ head: LedgerHead) {
            FileHandle.standardError.write(Data("Ledger head \(head.short) (what this export covers)\n".utf8))
        }

        func run() throws {
            try reporting {
                let day = try BusinessDate(date)
                let book = try ledger.openForReading()
                try OutputFile.write(to: output) { write in
                    let rows = try book.exportPostings(date: day, head: Self.tellHead, to: write)
                    if output != nil { print("Wrote \(rows) postings of \(day) to \(output!).") }
                }
            }
        }
    }

    struct Journal: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The books as a plain-text accounting journal (hledger).")
        @OptionGroup var ledger: LedgerOptions
        @Option(help: "Journal format; only hledger for now.") var format = "hledger"
        @Option(help: "First business date, YYYY-MM-DD.") var from: String?
        @Option(help: "Last business date, YYYY-MM-DD.") var to: String?
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

        func run() throws {
            try reporting {
                guard format == "hledger" else { throw Failure(message: "Unknown journal format \(format): use hledger") }
                let first = try from.map { try BusinessDate($0) }, last = try to.map { try BusinessDate($0) }
                let book = try ledger.openForReading()
                try OutputFile.write(to: output) { write in
                    let count = try book.exportJournal(from: first, to: last, head: Postings.tellHead, write: write)
                    if output != nil { print("Wrote \(count) transactions to \(output!).") }
                }
            }
        }
    }
}

/// Buffered writing to a file (replaced only when complete) or to standard output.
enum OutputFile {
    static func write(to path: String?, _ body: ((String) throws -> Void) throws -> Void) throws {
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 20)
        let handle: FileHandle
        let temporary = path.map { $0 + ".partial" }
        if let temporary {
            guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
                throw Failure(message: "Cannot write \(path!)")
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        } else {
            handle = FileHandle.standardOutput
        }
        func flush() { handle.write(Data(buffer)); buffer.removeAll(keepingCapacity: true) }
        do {
            try body { text in
                buffer.append(contentsOf: text.utf8)
                if buffer.count > 1 << 20 { flush() }
            }
            flush()
        } catch {
            if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
            throw error
        }
        if let temporary, let path {
            try handle.close()
            _ = try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        }
    }
}

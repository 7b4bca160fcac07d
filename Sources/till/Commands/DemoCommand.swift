import ArgumentParser
import Foundation
import TillCore
import TillLedger

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a realistic demo ledger with today's business day open.")

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "How many customer accounts.")
    var accounts = 2_000

    @Option(help: "Seed: the same seed and date give the same ledger.")
    var seed: UInt64 = 1

    @Option(help: "The business day to open (YYYY-MM-DD; default: today).")
    var today: String?

    @Flag(help: "Do nothing when a ledger already exists (for setup scripts).")
    var ifMissing = false

    @Flag(help: "Make it a training ledger: TRAINING on every screen and paper (for till --training).")
    var training = false

    func run() throws {
        try reporting {
            if FileManager.default.fileExists(atPath: ledger.resolvedPath) {
                if ifMissing {
                    print("Using the existing ledger at \(ledger.resolvedPath).")
                    return
                }
                throw Failure(message: "A ledger already exists at \(ledger.resolvedPath); choose another --db for the demo")
            }
            let day = try today.map { try BusinessDate($0) } ?? LocalClock.today()
            let started = Date()
            var options = DemoOptions(accounts: accounts, seed: seed, today: day)
            options.training = training
            let progress: (String) -> Void = { phase in FileHandle.standardError.write(Data("  … \(phase)\n".utf8)) }
            let result: DemoSummary
            let shown: String
            if case .postgres(let uri) = LedgerAddress(ledger.resolvedPath) {
                // Made as a file, as the same seed and date always make it, then copied in:
                // the same books, chain and head as the file would have.
                guard let made = try Self.demoOnPostgres(uri, options, ifMissing: ifMissing, progress: progress) else { return }
                (result, shown) = made
            } else {
                let (book, made) = try Ledger.createDemo(at: ledger.resolvedPath, options, progress: progress)
                (result, shown) = (made, book.path)
            }
            let seconds = Date().timeIntervalSince(started)
            print((training ? "Training ledger at " : "Demo ledger at ") + shown)
            print("  \(result.accounts) accounts, \(result.transactions) transactions, receipts 1…\(result.receipts), built in \(Int(seconds.rounded())) s")
            print("  business day \(result.openDay) is open")
            print("  account \(result.nsfAccount) is cash-only after a returned check")
            print("")
            print("  Demo operators (id / PIN / role):")
            for op in Ledger.demoOperators {
                print("    \(op.login.padding(toLength: 8, withPad: " ", startingAt: 0))  \(op.pin)  \(op.role.rawValue)")
            }
        }
    }
}

extension DemoCommand {
    /// The demo into the empty PostgreSQL ledger at `uri` (made by `till init --db …`, written
    /// by its owner role): built in a temporary file, copied in, the file removed; its PIN
    /// pepper is kept where `TILL_PEPPER_FILE` says, or in `TILL_FILES_DIR`.
    static func demoOnPostgres(_ uri: String, _ options: DemoOptions, ifMissing: Bool,
                               progress: @escaping (String) -> Void) throws -> (DemoSummary, String)? {
        let shown = LedgerAddress(uri).described
        if ifMissing, let existing = try? Ledger(postgres: uri), try existing.accountCount() > 0 {
            print("Using the existing ledger at \(shown).")
            return nil
        }
        let pepper = PINPepper.path(forLedger: uri)
        guard !FileManager.default.fileExists(atPath: pepper) else {
            throw Failure(message: "\(pepper) exists already: a demo brings a PIN pepper of its own and never overwrites one "
                          + "(name another with TILL_PEPPER_FILE)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("till-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("demo.sqlite").path
        let (book, result) = try Ledger.createDemo(at: file, options, progress: progress)
        progress("copying into \(shown)")
        _ = try book.copy(toPostgres: uri)
        // Made where TILL_PEPPER_FILE says, or beside the temporary file (then moved out).
        let made = PINPepper.path(forLedger: file)
        if made != pepper {
            try FileManager.default.createDirectory(atPath: (pepper as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.copyItem(atPath: made, toPath: pepper)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pepper)
        }
        print("The demo's PIN pepper is \(pepper): terminals name it with TILL_PEPPER_FILE.")
        return (result, shown)
    }
}

enum LocalClock {
    static func today() -> BusinessDate {
        let now = Date()
        let seconds = Int(now.timeIntervalSince1970) + TimeZone.current.secondsFromGMT(for: now)
        return BusinessDate(dayNumber: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }
}

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

/// A new PostgreSQL ledger's first books, made as a SQLite file and copied in: the same books,
/// chain and head the file has, by the one tested path `till copy` takes.
enum PostgresSeed {
    /// Builds books with `make` in a temporary file, copies them into the empty, migrated ledger
    /// at `uri`, and keeps the file's new PIN pepper where `TILL_PEPPER_FILE` says (or in
    /// TILL_FILES_DIR); the file is removed. An existing pepper is never overwritten.
    static func copyIn<T>(_ uri: String, what: String, progress: (String) -> Void,
                          _ make: (_ file: String) throws -> (Ledger, T)) throws -> (T, pepper: String) {
        let pepper = PINPepper.path(forLedger: uri)
        guard !FileManager.default.fileExists(atPath: pepper) else {
            throw Failure(message: "\(pepper) exists already: \(what) brings a PIN pepper of its own and never overwrites one "
                          + "(name another with TILL_PEPPER_FILE); nothing was changed")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("till-seed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("seed.sqlite").path
        let (book, result) = try make(file)
        // The pepper is kept first (made where TILL_PEPPER_FILE says, or beside the temporary
        // file and copied out), so books never arrive without it; a failed copy takes it away.
        let made = PINPepper.path(forLedger: file)
        if made != pepper {
            try FileManager.default.createDirectory(atPath: (pepper as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.copyItem(atPath: made, toPath: pepper)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pepper)
        }
        progress("copying into \(LedgerAddress(uri).described)")
        do {
            _ = try book.copy(toPostgres: uri)
        } catch {
            try? FileManager.default.removeItem(atPath: pepper)
            throw error
        }
        return (result, pepper)
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
        let (result, pepper) = try PostgresSeed.copyIn(uri, what: "a demo", progress: progress) { file in
            try Ledger.createDemo(at: file, options, progress: progress)
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

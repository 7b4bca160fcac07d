import ArgumentParser
import Foundation
import TillCore
import TillLedger

/// `--db PATH`, shared by every subcommand.
struct LedgerOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The ledger file, or a postgresql:// URI (default: $TILL_DB, else $XDG_DATA_HOME/till/till.sqlite, else ~/.local/share/till/till.sqlite).",
        valueName: "path"))
    var path: String?
    @Flag(help: "Open a ledger file that anyone may write to (refused otherwise: chmod 600 it instead).")
    var allowWorldWritable = false

    var resolvedPath: String { path ?? Ledger.defaultPath() }

    /// Opens the ledger to write to. With `TILL_OFFICE` set, `terminal` is placed in that office
    /// the first time (and refused if it stands in another, or the office is unknown).
    func open(create: Bool = false, terminal: String = Terminal.id, placing: Bool = true) throws -> Ledger {
        let book = try Ledger.open(resolvedPath, create: create, allowWorldWritable: allowWorldWritable)
        if placing, !create, let office = Terminal.office { try book.placeTerminal(terminal, in: office, by: nil) }
        return book
    }

    /// For a command that only reads: no write lock, no migration; a read-only file or
    /// filesystem is fine.
    func openForReading() throws -> Ledger {
        try Ledger.open(resolvedPath, readOnly: true, allowWorldWritable: allowWorldWritable)
    }
}

/// `--operator ID`; the PIN comes from $TILL_PIN or, when unset, the first line of standard input.
struct OperatorOptions: ParsableArguments {
    @Option(name: .customLong("operator"), help: "Operator id to act as. The PIN is read from $TILL_PIN or standard input, never from an argument.")
    var login: String

    init() {}

    init(login: String) { self.login = login }

    func signIn(_ ledger: Ledger) throws -> Operator {
        let pin = try PINInput.read(prompt: "PIN for \(login): ")
        return try ledger.authenticate(try OperatorLogin(login), pin: pin, terminal: Terminal.id)
    }
}

enum Terminal {
    /// This terminal's id in the ledger: $TILL_TERMINAL, else "cli".
    static var id: String {
        let value = ProcessInfo.processInfo.environment["TILL_TERMINAL"] ?? ""
        return value.isEmpty ? "cli" : value
    }

    /// The office this terminal's host says it stands in: $TILL_OFFICE (nil when unset).
    static var office: String? {
        let value = ProcessInfo.processInfo.environment["TILL_OFFICE"]?.trimmingCharacters(in: .whitespaces) ?? ""
        return value.isEmpty ? nil : value
    }
}

/// A message for a person, on standard error, and a non-zero exit.
struct Failure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension ParsableCommand {
    /// Runs `body`, turning Till's errors (each a message a person can act on) into
    /// `till: <message>` on standard error and exit status 1.
    func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("till: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

import ArgumentParser
import Foundation
import TillCore
import TillLedger

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create an empty ledger and its first supervisor.")

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "The first supervisor's operator id (asked for when omitted).")
    var supervisor: String?

    @Option(help: "The supervisor's display name.")
    var name: String?

    @Flag(help: "Read the PIN from the first line of standard input (for scripts); otherwise it is asked for twice.")
    var pinStdin = false

    @Option(help: "On PostgreSQL: the role that owns the ledger's schema and runs its migrations.")
    var ownerRole = "till_owner"

    @Option(help: "On PostgreSQL: the role the terminals log in as (may read and add rows, never change a ledger row).")
    var terminalRole = "till_terminal"

    func run() throws {
        try reporting {
            if case .postgres(let uri) = LedgerAddress(ledger.resolvedPath) {
                let ran = try Ledger.preparePostgres(uri, owner: ownerRole, terminal: terminalRole)
                let address = LedgerAddress(uri).described
                print(ran.isEmpty ? "The PostgreSQL ledger at \(address) is up to date; roles and privileges set again."
                      : "Prepared the PostgreSQL ledger at \(address): schema migrations \(ran.map(String.init).joined(separator: ", ")), "
                        + "owner role \(ownerRole), terminals' role \(terminalRole).")
                if supervisor != nil || pinStdin {
                    // A new utility's books start here: empty, with their first supervisor.
                    if try Ledger(postgres: uri).operatorCount() > 0 {
                        throw Failure(message: "A ledger with operators already exists at \(address)")
                    }
                    let (login, pin) = try firstSupervisor()
                    let (_, pepper) = try PostgresSeed.copyIn(uri, what: "a new ledger", progress: { _ in }) { file in
                        let book = try Ledger(path: file, create: true)
                        try book.addOperator(login: login, displayName: name ?? login.rawValue, role: .supervisor, pin: pin, by: nil)
                        return (book, ())
                    }
                    print("Created the ledger at \(address) with supervisor \(login). Its PIN pepper is \(pepper): "
                          + "terminals name it with TILL_PEPPER_FILE (docs/POSTGRES.md).")
                } else if ran.contains(1) {
                    print("Its books and operators come from a SQLite ledger, as the owner role: `till copy --from FILE --to …` "
                          + "(or `till demo --db …` to try it), or start empty with `till init --db … --supervisor ID`; "
                          + "terminals then use the terminals' role (docs/POSTGRES.md).")
                }
                return
            }
            // An empty file is where a new ledger may start; anything else must be a Till ledger
            // without operators yet (opening refuses any other file).
            let size = (try? FileManager.default.attributesOfItem(atPath: ledger.resolvedPath)[.size] as? NSNumber)?.intValue ?? 0
            if size > 0, try ledger.open().operatorCount() > 0 {
                throw Failure(message: "A ledger with operators already exists at \(ledger.resolvedPath)")
            }
            let (login, pin) = try firstSupervisor()
            let book = try ledger.open(create: true)
            try book.addOperator(login: login, displayName: name ?? login.rawValue, role: .supervisor, pin: pin, by: nil)
            print("Created the ledger at \(book.path) with supervisor \(login).")
        }
    }

    /// The first supervisor's id and PIN: from the options, standard input or the terminal.
    private func firstSupervisor() throws -> (OperatorLogin, String) {
        let login = try OperatorLogin(try supervisor ?? PINInput.readLine(prompt: "Supervisor id: ", secret: false))
        let pin: String
        if pinStdin {
            pin = try PINInput.readLine(prompt: "", secret: true)
        } else {
            pin = try PINInput.read(prompt: "New PIN for \(login): ")
            if ProcessInfo.processInfo.environment["TILL_PIN"] == nil {
                let again = try PINInput.readLine(prompt: "PIN again: ", secret: true)
                guard again == pin else { throw Failure(message: "The PINs differ; nothing was created") }
            }
        }
        try PINRule.validate(pin)
        return (login, pin)
    }
}

import Foundation
import GRDB
import Testing
@testable import TillLedger

/// The engine a command-line test runs `till` against.
enum Engine: String, Sendable, CustomStringConvertible {
    case sqlite, postgres

    /// Both where the test command started a PostgreSQL server; SQLite alone otherwise.
    static var all: [Engine] { TestPostgres.available ? [.sqlite, .postgres] : [.sqlite] }

    var description: String { rawValue }
}

/// The books a command-line test works on, as an office would have them on either engine:
/// a SQLite file, or a PostgreSQL database prepared by `till init` (an owner role and a
/// terminals' role), given its demo by the owner, and used by the terminals' role from then
/// on. Its PIN pepper and bank-account key are files in `directory` (TILL_FILES_DIR), and
/// the database is dropped, with its roles, when the books go.
final class CLIBooks: @unchecked Sendable {
    let engine: Engine
    /// The test's own directory: payment files, reports and (on PostgreSQL) the ledger's files.
    let directory: URL
    /// What `--db` names: the file, or the terminals' role's URI.
    let db: String
    /// The address a supervisor with the database itself uses: the file, or the `postgres` superuser's URI.
    let superuser: String
    /// Merged into every `till` this fixture runs.
    let environment: [String: String]
    private let database: String?
    /// On PostgreSQL, the roles `till init` made for these books.
    var ownerRole: String? { database.map { $0 + "_owner" } }
    var terminalRole: String? { database.map { $0 + "_terminal" } }

    private init(engine: Engine, directory: URL, db: String, superuser: String, database: String?) {
        self.engine = engine
        self.directory = directory
        self.db = db
        self.superuser = superuser
        self.database = database
        environment = ["TILL_FILES_DIR": directory.path]
    }

    deinit {
        guard let database, let admin = try? PGConnection(TestPostgres.serverURI!) else { return }
        _ = try? admin.execute("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
        for role in ["_owner", "_terminal"] { _ = try? admin.execute("DROP ROLE IF EXISTS \(database)\(role)") }
    }

    /// Empty books on `engine`: a file not made yet, or a prepared, empty PostgreSQL ledger.
    static func empty(_ engine: Engine, name: String = "books") throws -> (books: CLIBooks, owner: String) {
        let directory = try TillProcess.temporaryDirectory()
        switch engine {
        case .sqlite:
            let file = directory.appendingPathComponent("\(name).sqlite").path
            return (CLIBooks(engine: engine, directory: directory, db: file, superuser: file, database: nil), file)
        case .postgres:
            let database = "till_cli_" + TestPostgres.randomLetters()
            let admin = try PGConnection(TestPostgres.serverURI!)
            try admin.execute("CREATE DATABASE \(database)")
            let books = CLIBooks(engine: engine, directory: directory, db: TestPostgres.uri(database: database, user: database + "_terminal"),
                                 superuser: TestPostgres.uri(database: database), database: database)
            try books.ok(["init", "--db", books.superuser, "--owner-role", database + "_owner", "--terminal-role", database + "_terminal"])
            return (books, TestPostgres.uri(database: database, user: database + "_owner"))
        }
    }

    /// The demo ledger (`till demo` with `arguments`) on `engine`.
    static func demo(_ engine: Engine, _ arguments: [String] = ["--accounts", "40", "--today", "2026-11-20"],
                     name: String = "books") throws -> CLIBooks {
        let (books, owner) = try empty(engine, name: name)
        let made = try books.till(["demo", "--db", owner] + arguments)
        #expect(made.status == 0, "till demo on \(engine): \(made.stderr)")
        return books
    }

    /// `till arguments` with this fixture's environment and `environment` over it.
    func till(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> RunResult {
        try TillProcess.till(arguments, environment: self.environment.merging(environment) { $1 }, stdin: stdin)
    }

    /// Starts `till arguments` without waiting (see `TillProcess.spawn`).
    func spawn(_ arguments: [String], environment: [String: String] = [:]) throws -> (pid: pid_t, directory: URL) {
        try TillProcess.spawn(TillProcess.binary, arguments, environment: self.environment.merging(environment) { $1 })
    }

    /// `till arguments`, expected to succeed: its standard output.
    @discardableResult
    func ok(_ arguments: [String], _ environment: [String: String] = [:]) throws -> String {
        let result = try till(arguments, environment: environment)
        #expect(result.status == 0, "till \(arguments.joined(separator: " ")) on \(engine): \(result.stderr)")
        return result.stdout
    }

    /// The ledger as the terminals open it.
    func ledger() throws -> Ledger {
        switch engine {
        case .sqlite: try Ledger(path: db)
        case .postgres: try Ledger(postgres: db, filesDirectory: directory.path)
        }
    }

    /// A read of the books on either engine (portable SQL only).
    func read<T>(_ body: (Store) throws -> T) throws -> T {
        try ledger().read(body)
    }

    func count(_ sql: String) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: sql)! }
    }

    /// What a person with the database does: on SQLite, `sqlite3` with the append-only triggers
    /// dropped and put back; on PostgreSQL, a superuser with `psql` and the triggers off for
    /// the session. Several statements, as those tools take them.
    func tamper(_ sql: String) throws {
        switch engine {
        case .postgres:
            let connection = try PGConnection(superuser)
            try connection.execute("SET search_path TO \(PGSchema.name)")
            try connection.execute("SET session_replication_role = replica")
            try connection.executeScript(sql)
        case .sqlite:
            let queue = try DatabaseQueue(path: db)
            try queue.writeWithoutTransaction { db in
                let triggers = try String.fetchAll(db, sql: """
                    SELECT sql FROM sqlite_master WHERE type = 'trigger' AND (name LIKE '%_no_update' OR name LIKE '%_no_delete')
                    """)
                for table in AppendOnly.tables {
                    try db.execute(sql: "DROP TRIGGER IF EXISTS \(table)_no_update; DROP TRIGGER IF EXISTS \(table)_no_delete")
                }
                try db.execute(sql: sql)
                for trigger in triggers { try db.execute(sql: trigger) }
            }
            try queue.close()
        }
    }

    /// How the books name themselves in messages (`till summary`'s first line).
    var described: String { LedgerAddress(db).described }
}

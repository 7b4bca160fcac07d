import Foundation
import Testing
@testable import TillLedger

/// The PostgreSQL server the test command started (`scripts/pg-cluster`): its address comes in
/// `TILL_TEST_POSTGRES`. Each test takes a database of its own and drops it after.
enum TestPostgres {
    static let environment = ProcessInfo.processInfo.environment
    /// `postgresql:///postgres?host=DIR&user=postgres`, or nil where no server was started.
    static let serverURI = environment["TILL_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    static var available: Bool { serverURI != nil }
    /// Set by scripts/test: a missing server is a failure there, not a skip.
    static let required = environment["TILL_TEST_POSTGRES_REQUIRED"] == "1"

    /// The address of database `name` on the test server.
    static func uri(database name: String, user: String = "postgres") -> String {
        let base = serverURI!
        let query = base.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        let kept = query.split(separator: "&").filter { !$0.hasPrefix("user=") }.joined(separator: "&")
        return "postgresql:///\(name)?\(kept)&user=\(user)"
    }

    /// The socket directory the server listens in.
    static var socketDirectory: String {
        let query = serverURI!.split(separator: "?", maxSplits: 1).last.map(String.init) ?? ""
        return query.split(separator: "&").first { $0.hasPrefix("host=") }.map { String($0.dropFirst(5)) } ?? ""
    }

    /// Sixteen random letters (a–p, a UUID's hex digits spelled as letters) for a database's
    /// name: the names go on `till`'s command line, and hex digits could run to the thirteen
    /// of a card number, which Till refuses in any argument (a test failed so once).
    static func randomLetters() -> String {
        String(UUID().uuidString.compactMap { $0.hexDigitValue.map { Character(UnicodeScalar(UInt8(97 + $0))) } }.prefix(16))
    }

    /// A new, empty database for one test, dropped (with any roles the test made) when `body` returns.
    static func withDatabase<T>(_ body: (_ uri: String, _ name: String) throws -> T) throws -> T {
        let name = "till_test_" + TestPostgres.randomLetters()
        let admin = try PGConnection(serverURI!)
        try admin.execute("CREATE DATABASE \(name)")
        defer {
            try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            if let roles = try? admin.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE $1", [.text(name + "%")]) {
                for row in roles.all { _ = try? admin.execute("DROP ROLE IF EXISTS \"\(row.text(0)!)\"") }
            }
        }
        return try body(uri(database: name), name)
    }
}

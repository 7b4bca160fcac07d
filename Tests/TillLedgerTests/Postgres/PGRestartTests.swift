import Foundation
import Synchronization
import Testing
import TillCore
@testable import TillLedger

/// The server restarted while terminals post: on a cluster of its own (the other tests' server
/// is not disturbed), started and restarted by `scripts/pg-cluster`.
@Suite("A PostgreSQL server restarted under the terminals",
       .enabled(if: TestPostgres.available, "no TILL_TEST_POSTGRES server (scripts/test starts one)"))
struct PGRestartTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../scripts/pg-cluster").standardizedFileURL.path

    @discardableResult
    static func cluster(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw LedgerError(.database, "scripts/pg-cluster \(arguments) failed") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Four terminals post 25 payments each, and look the next account up after each, while
    /// the server is restarted three times: each payment a terminal was told was posted is
    /// stored once with its receipt, no payment is lost or doubled, the receipts have no gap,
    /// every lookup finds its account, and verify is sound.
    @Test func terminalsCarryOnThroughRestarts() throws {
        let directory = try Self.cluster(["start"])
        defer { _ = try? Self.cluster(["stop", directory]) }
        let admin = "postgresql:///postgres?host=\(directory)&user=postgres"
        try PGConnection(admin).execute("CREATE DATABASE books")
        let (sqlite, _) = try DemoAndExportTests.demo(accounts: 30, seed: 9)
        let owner = "postgresql:///books?host=\(directory)&user=till_owner"
        _ = try Ledger.preparePostgres("postgresql:///books?host=\(directory)&user=postgres", owner: "till_owner", terminal: "till_terminal")
        _ = try sqlite.copy(toPostgres: owner)
        let terminalURI = "postgresql:///books?host=\(directory)&user=till_terminal"
        let pepper = PINPepper.path(forLedger: sqlite.path, environment: [:])
        let files = FileManager.default.temporaryDirectory.appendingPathComponent("till-restart-\(UUID().uuidString)").path
        let cashier = try #require(try sqlite.operatorID("cashier"))

        let posted = Mutex<[String: Int64]>([:])
        let failures = Mutex<[String]>([])
        let running = Atomic<Int>(4)
        let restarts = Atomic<Int>(0)
        let restarter = Thread {
            for _ in 0..<3 {
                usleep(300_000)
                guard running.load(ordering: .relaxed) > 0 else { return }
                if (try? Self.cluster(["restart", directory])) != nil { restarts.add(1, ordering: .relaxed) }
            }
        }
        restarter.start()
        let group = DispatchGroup()
        for terminal in 0..<4 {
            group.enter()
            Thread {
                defer { running.subtract(1, ordering: .relaxed); group.leave() }
                do {
                    let ledger = try Ledger(postgres: terminalURI, pepperFile: pepper, filesDirectory: files)
                    for n in 0..<25 {
                        let key = "R\(terminal)-\(n)"
                        let cents = Int64(1_000 + terminal * 100 + n)
                        let done = try ledger.post(Payment(lines: [.account(try AccountNumber("10000\(1 + n % 5)"), Money(cents: cents))],
                                                           tenders: [.card(Money(cents: cents), lastFour: "4242", authorization: "R\(n)")]),
                                                   operatorID: cashier, terminal: "R\(terminal)", idempotencyKey: key)
                        posted.withLock { $0[key] = done.receipt?.value }
                        // The next customer looked up, through the restarts too (one round
                        // trip outside a transaction, run again on a fresh connection).
                        let number = "10000\(1 + (n + 1) % 5)"
                        let found = try ledger.searchAccounts(number).map(\.number)
                        if found.first != number { failures.withLock { $0.append("R\(terminal): lookup of \(number) found \(found.prefix(3))") } }
                        usleep(20_000) // a cashier's pace, more or less
                    }
                } catch {
                    failures.withLock { $0.append("R\(terminal): \(error)") }
                }
            }.start()
        }
        group.wait()
        while !restarter.isFinished { usleep(10_000) }

        #expect(failures.withLock { $0 } == [])
        #expect(restarts.load(ordering: .relaxed) >= 1, "the server was never restarted: the test proved nothing")
        let acknowledged = posted.withLock { $0 }
        #expect(acknowledged.count == 100)
        let ledger = try Ledger(postgres: terminalURI, pepperFile: pepper, filesDirectory: files)
        let stored = try ledger.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT idempotency_key, receipt_number FROM transactions WHERE idempotency_key LIKE 'R%-%'")
        }
        #expect(stored.count == 100, "each payment once")
        for row in stored {
            #expect(acknowledged[row[0] as String] == (row[1] as Int64), "\(row[0] as String): the receipt printed is the one stored")
        }
        let report = try ledger.verify()
        #expect(report.isSound, "\(report.firstFault ?? "")")
    }
}

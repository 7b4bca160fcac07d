import Foundation
import Testing
import TillCore
@testable import TillLedger

/// A primary and a synchronous standby, two clusters on this machine (Unix sockets only), and
/// eight terminals posting through `host=primary,standby` with `target_session_attrs=read-write`.
extension Processes {
@Suite("PostgreSQL failover: the standby promoted while eight terminals post", .serialized)
struct FailoverTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../scripts/pg-cluster").standardizedFileURL

    @discardableResult
    static func cluster(_ arguments: [String]) throws -> String {
        let run = try TillProcess.run(script, arguments)
        try #require(run.status == 0, "scripts/pg-cluster \(arguments): \(run.stderr)")
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The primary is cut off at once, as by a power cut, in the middle of the terminals'
    /// postings, and the standby promoted: every payment a terminal was told is posted is on the
    /// new primary under the receipt it was given, no receipt number is used twice or skipped,
    /// verify is sound there, and every terminal carries on and finishes its run.
    @Test("every acknowledged payment survives the promotion; receipts stay gapless; verify is sound",
          .enabled(if: TestPostgres.available, "no TILL_TEST_POSTGRES server (scripts/test starts one)"))
    func promotingTheStandbyWhileEightTerminalsPost() throws {
        let began = Date()
        func stage(_ name: String) { print("failover: \(name) at \(Int(Date().timeIntervalSince(began) * 1000)) ms") }
        let primary = try Self.cluster(["start"])
        defer { _ = try? Self.cluster(["stop", primary]) }
        try PGConnection("postgresql:///postgres?host=\(primary)&user=postgres").execute("CREATE DATABASE books")
        let files = try TillProcess.temporaryDirectory()
        let environment = ["TILL_FILES_DIR": files.path]
        func till(_ arguments: [String], _ extra: [String: String] = [:]) throws -> String {
            let run = try TillProcess.till(arguments, environment: environment.merging(extra) { $1 })
            #expect(run.status == 0, "till \(arguments): \(run.stderr)")
            return run.stdout
        }
        _ = try till(["init", "--db", "postgresql:///books?host=\(primary)&user=postgres"])
        _ = try till(["demo", "--accounts", "200", "--db", "postgresql:///books?host=\(primary)&user=till_owner"])
        _ = try till(["settings", "drawer.one_per_operator", "false", "--operator", "super",
                      "--db", "postgresql:///books?host=\(primary)&user=till_terminal"], ["TILL_PIN": "9999"])
        // The standby is a copy of the primary as it is now, streaming from it; then every commit
        // on the primary waits until the standby has it on disk.
        stage("ledger made")
        let standby = try Self.cluster(["standby", primary])
        defer { _ = try? Self.cluster(["stop", standby]) }
        try Self.cluster(["synchronous", primary])
        let both = "postgresql:///books?host=\(primary),\(standby)&user=till_terminal&target_session_attrs=read-write"
        let onStandby = "postgresql:///books?host=\(standby)&user=till_terminal"

        stage("standby synchronous")
        let terminals = 8, posts = 150
        var children: [(pid: pid_t, directory: URL)] = []
        for index in 0..<terminals {
            children.append(try TillProcess.spawn(TillProcess.binary, [
                "post-loop", "--db", both, "--operator", "cashier", "--count", "\(posts)", "--key-prefix", "F\(index)",
                "--ack", files.appendingPathComponent("ack\(index)").path,
                "--times", files.appendingPathComponent("times\(index)").path,
            ], environment: environment.merging(["TILL_PIN": "1111", "TILL_TERMINAL": "FAIL\(index)"]) { $1 }))
        }
        // Once every terminal has posted a few, the primary goes; the standby is promoted.
        let deadline = Date().addingTimeInterval(120)
        while (0..<terminals).contains(where: { TrustTests.acknowledged(files.appendingPathComponent("ack\($0)").path).count < 20 }),
              Date() < deadline {
            usleep(20_000)
        }
        stage("terminals posting")
        let before = (0..<terminals).map { TrustTests.acknowledged(files.appendingPathComponent("ack\($0)").path).count }
        let cut = Date()
        try Self.cluster(["crash", primary])
        try Self.cluster(["promote", standby])
        let promoted = Date().timeIntervalSince(cut)

        stage("promoted")
        for child in children {
            let status = TillProcess.wait(child.pid)
            let stderr = (try? String(contentsOfFile: child.directory.appendingPathComponent("err").path, encoding: .utf8)) ?? ""
            #expect(status == 0, "a terminal gave up: \(stderr)")
        }
        stage("terminals done")
        // Every acknowledged payment is on the new primary, with the receipt the terminal printed.
        let ledger = try Ledger(postgres: onStandby, filesDirectory: files.path)
        let (keyed, receipts) = try ledger.read { db in
            (try Dictionary(uniqueKeysWithValues: SQLRow.fetchAll(db, sql: """
                SELECT idempotency_key, receipt_number FROM transactions WHERE idempotency_key LIKE 'F%-%'
                """).map { ($0[0] as String, $0[1] as Int64) }),
             try Int64.fetchAll(db, sql: "SELECT receipt_number FROM transactions WHERE receipt_number IS NOT NULL ORDER BY receipt_number"))
        }
        var acknowledged = 0
        for index in 0..<terminals {
            for ack in TrustTests.acknowledged(files.appendingPathComponent("ack\(index)").path) {
                #expect(keyed[ack.key] == ack.receipt, "\(ack.key) acknowledged as #\(ack.receipt)")
                acknowledged += 1
            }
        }
        #expect(acknowledged == terminals * posts && keyed.count == terminals * posts)
        #expect(receipts == Array(1...Int64(receipts.count)), "receipt numbers skipped or used twice")
        let verify = try TillProcess.till(["verify", "--db", onStandby], environment: environment)
        #expect(verify.status == 0 && verify.stdout.hasSuffix("ledger is sound\n"), "\(verify.stdout)")

        stage("checked")
        // The pause a terminal saw: its longest post, against its others.
        var longest: [Int64] = [], others: [Int64] = []
        for index in 0..<terminals {
            let times = try String(contentsOfFile: files.appendingPathComponent("times\(index)").path, encoding: .utf8)
                .split(separator: "\n").compactMap { Int64($0) }.sorted()
            longest.append(times.last ?? 0)
            others += times.dropLast()
        }
        others.sort()
        print("failover: \(terminals) terminals, \(before.reduce(0, +)) payments acknowledged before the cut; promotion took "
              + "\(Int(promoted * 1000)) ms; each terminal's longest post \(longest.map { "\($0 / 1000)" }.joined(separator: ", ")) ms; "
              + "other posts p50 \(others[others.count / 2] / 1000) ms, p99 \(others[others.count * 99 / 100] / 1000) ms")
    }
}
}

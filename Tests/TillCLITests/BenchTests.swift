import Foundation
import Testing
@testable import TillLedger

extension Processes {
/// `till bench --quick` keeps the benchmark harness working: every measure comes out, each
/// with samples. (A timing is not asserted: the full run's figures are in PERFORMANCE.md.)
@Suite("till bench: every measure")
struct BenchTests {
    static let keys = ["lookup_query", "lookup_keystroke", "post_single", "post_split", "account_view", "scan_to_cart", "settlement", "verify",
                       "cold_start", "render_full", "render_update", "baseline_lookup_query", "baseline_post_single"]

    /// On PostgreSQL the bench takes a ledger made already (it never builds one on a server)
    /// and says the PostgreSQL targets.
    @Test(arguments: Engine.all) func theQuickBenchProducesEveryFigure(_ engine: Engine) throws {
        let accounts = engine == .sqlite ? 10_000 : 400
        let books: CLIBooks
        if engine == .sqlite {
            books = try CLIBooks.empty(.sqlite, name: "bench").books
        } else {
            let (empty, _) = try CLIBooks.empty(.postgres)
            let refused = try empty.till(["bench", "--quick", "--db", empty.db])
            #expect(refused.status == 1 && refused.stderr.contains("is not a bench ledger") && refused.stderr.contains("till demo"),
                    "\(refused.stderr)")
            books = try CLIBooks.demo(.postgres, ["--accounts", "\(accounts)"])
        }
        let directory = books.directory, db = books.db
        let json = directory.appendingPathComponent("bench.json").path
        let run = try books.till(["bench", "--accounts", "\(accounts)", "--quick", "--db", db, "--json", json])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        for key in Self.keys {
            let figure = try #require(object[key] as? [String: Any], "no \(key)")
            let n = try #require(figure["n"] as? Int)
            #expect(n > 0, "\(key)")
            for part in ["p50", "p99", "max"] {
                let value = try #require(figure[part] as? Double, "\(key).\(part)")
                #expect(value > 0, "\(key).\(part)")
            }
        }
        #expect(object["accounts"] as? Int == accounts)
        #expect((object["rss_mb"] as? Int ?? 0) > 0)
        // The table a person reads names every measure and says which targets were met.
        for key in Self.keys { #expect(run.stdout.contains(key)) }
        #expect(run.stdout.contains("verify per million transactions"))
        #expect(run.stdout.contains(engine == .sqlite ? "(target ≤ 5000" : "(target ≤ 10000"), "\(run.stdout)")
        #expect(run.stdout.contains("resident memory after the lookup session"))
        // Run again, the ledger is reused, not rebuilt.
        let again = try books.till(["bench", "--accounts", "\(accounts)", "--quick", "--db", db])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stderr.contains("generating"))
    }
}
}

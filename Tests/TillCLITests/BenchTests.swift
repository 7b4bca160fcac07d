import Foundation
import Testing

extension Processes {
/// `till bench --quick` keeps the benchmark harness working: every measure comes out, each
/// with samples. (A timing is not asserted: the full run's figures are in PERFORMANCE.md.)
@Suite("till bench: every measure")
struct BenchTests {
    static let keys = ["lookup_query", "lookup_keystroke", "post_single", "post_split", "account_view", "scan_to_cart", "settlement", "verify",
                       "cold_start", "render_full", "render_update", "baseline_lookup_query", "baseline_post_single"]

    @Test func theQuickBenchProducesEveryFigure() throws {
        let directory = try TillProcess.temporaryDirectory()
        let db = directory.appendingPathComponent("bench.sqlite").path
        let json = directory.appendingPathComponent("bench.json").path
        let run = try TillProcess.till(["bench", "--accounts", "10000", "--quick", "--db", db, "--json", json])
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
        #expect(object["accounts"] as? Int == 10_000)
        #expect((object["rss_mb"] as? Int ?? 0) > 0)
        // The table a person reads names every measure and says which targets were met.
        for key in Self.keys { #expect(run.stdout.contains(key)) }
        #expect(run.stdout.contains("verify per million transactions"))
        #expect(run.stdout.contains("resident memory after the lookup session"))
        // Run again, the ledger is reused, not rebuilt.
        let again = try TillProcess.till(["bench", "--accounts", "10000", "--quick", "--db", db])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stderr.contains("generating"))
    }
}
}

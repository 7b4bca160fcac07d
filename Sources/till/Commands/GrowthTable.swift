import ArgumentParser
import Foundation

/// `till bench growth A.json B.json …`: the growth table of docs/PERFORMANCE.md from the JSON
/// of several `till bench` runs (one a ledger size), p50 and p99 side by side.
struct GrowthTable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "growth", abstract: "Print a Markdown table of how each figure grows, from `till bench --json` files.")

    @Argument(help: "JSON files written by `till bench --json`, smallest ledger first.") var files: [String]

    static let measures = ["lookup_query", "lookup_keystroke", "baseline_lookup_query", "account_view", "post_single",
                           "post_split", "baseline_post_single", "settlement", "verify", "cold_start", "render_full",
                           "render_update"]

    func run() throws {
        try reporting {
            var runs: [[String: Any]] = []
            for file in files {
                guard let data = FileManager.default.contents(atPath: file),
                      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                    throw Failure(message: "\(file) is not the JSON of `till bench --json`")
                }
                runs.append(object)
            }
            func count(_ run: [String: Any], _ key: String) -> String {
                (run[key] as? Int).map { $0.formatted(.number) } ?? "?"
            }
            print("| measure (p50 / p99 ms) | " + runs.map { "\(count($0, "accounts")) accounts, \(count($0, "transactions")) transactions" }
                .joined(separator: " | ") + " |")
            print("| --- |" + String(repeating: " --- |", count: runs.count))
            for measure in Self.measures {
                let cells = runs.map { run -> String in
                    guard let figure = run[measure] as? [String: Any], let p50 = figure["p50"] as? Double,
                          let p99 = figure["p99"] as? Double else { return "—" }
                    return Samples.format(p50) + " / " + Samples.format(p99)
                }
                print("| \(measure) | " + cells.joined(separator: " | ") + " |")
            }
            print("| resident memory after lookups | " + runs.map { "\(count($0, "rss_mb")) MB" }.joined(separator: " | ") + " |")
        }
    }
}

import Foundation
import Testing

/// `till --training` never opens the live books; `till demo --training` and `till training copy` make ledgers it opens.
@Suite("till --training")
struct TrainingCLITests {
    @Test func theLiveLedgerIsRefusedAndATrainingCopyIsMade() throws {
        let directory = try TillProcess.temporaryDirectory()
        let live = directory.appendingPathComponent("live.sqlite").path
        try DayCLITests.ok(["demo", "--accounts", "20", "--today", "2026-11-20", "--db", live])
        let refused = try TillProcess.till(["--training", "--db", live])
        #expect(refused.status == 1 && refused.stderr.contains("is not a training ledger: --training never opens the live books"), "\(refused.stderr)")
        let copy = directory.appendingPathComponent("train.sqlite").path
        let made = try DayCLITests.ok(["training", "copy", "--to", copy, "--db", live])
        #expect(made.contains("Open it with: till --training --db \(copy)"))
        #expect(try DayCLITests.ok(["verify", "--db", copy]).contains("ledger is sound"))
        let again = try TillProcess.till(["training", "copy", "--to", copy, "--db", live])
        #expect(again.status == 1 && again.stderr.contains("A file already exists"))
        let demo = try DayCLITests.ok(["demo", "--training", "--accounts", "20", "--today", "2026-11-20", "--db", directory.appendingPathComponent("d.sqlite").path])
        #expect(demo.hasPrefix("Training ledger at "))
        let flip = try TillProcess.till(["settings", "ledger.training", "false", "--operator", "super", "--db", copy], environment: ["TILL_PIN": "9999"])
        #expect(flip.status == 1 && flip.stderr.contains("never changed"), "\(flip.stderr)")
    }
}

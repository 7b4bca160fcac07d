import Foundation
import Testing
import TillCore
@testable import TillLedger

/// `till stub` as a person trying a stub, or a letter run printing one, would use it.
@Suite("till stub")
struct StubCLITests {
    @Test(arguments: Engine.all) func printsTheNewestBillsLineAndReadsItBack(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine, ["--accounts", "60", "--today", "2026-11-20"]), directory = books.directory, db = books.db
        let d = ["--db", db]
        let printed = try books.till(["stub", "100010"] + d)
        #expect(printed.status == 0)
        let line = printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.count == 29 && line.allSatisfy(\.isASCIIDigit) && line.hasPrefix("0000100010"), "\(printed.stdout)")
        #expect(printed.stderr.hasPrefix("account 100010: $") && printed.stderr.contains("due on the bill of 2026-"))
        let read = try books.ok(["stub", "--read", line] + d)
        #expect(read.hasPrefix("account 100010 "), "\(read)")
        // One digit misread: refused, nothing else said.
        let misread = String(line.prefix(12)) + String((Int(String(line[line.index(line.startIndex, offsetBy: 12)]))! + 1) % 10) + line.dropFirst(13)
        let refused = try books.till(["stub", "--read", misread] + d)
        #expect(refused.status == 1 && refused.stderr.contains("check digit is wrong"), "\(refused.stderr)")
        let letters = try books.till(["stub", "AB-1"] + d)
        #expect(letters.status == 1 && letters.stderr.contains("No account AB-1"), "\(letters.stderr)")
    }
}

import Foundation
import GRDB
import Testing
import TillCore
import TillLedger

@Suite("till pay", .serialized)
struct PayCLITests {
    static func demo() throws -> String {
        let db = try TillProcess.temporaryDirectory().appendingPathComponent("pay.sqlite").path
        let demo = try TillProcess.till(["demo", "--db", db, "--accounts", "40", "--today", "2026-11-20"])
        #expect(demo.status == 0, "\(demo.stderr)")
        return db
    }

    static let cashier = ["TILL_PIN": "1111", "TILL_TERMINAL": "IVR1"]

    @Test func aScriptedPaymentPostsOnceByKey() throws {
        let db = try Self.demo()
        let before = try #require(try Ledger(path: db).account("100010")).balance
        let first = try TillProcess.till(["pay", "100010", "25.00", "--tender", "card:4242:0A1B2C:VISA", "--operator", "cashier",
                                          "--key", "portal-77", "--db", db], environment: Self.cashier)
        #expect(first.status == 0, "\(first.stderr)")
        let receipt = first.stdout.trimmingCharacters(in: .newlines)
        #expect(Int(receipt) != nil)
        let again = try TillProcess.till(["pay", "100010", "25.00", "--tender", "card:4242:0A1B2C:VISA", "--operator", "cashier",
                                          "--key", "portal-77", "--db", db], environment: Self.cashier)
        #expect(again.status == 0)
        #expect(again.stdout.trimmingCharacters(in: .newlines) == receipt)
        let ledger = try Ledger(path: db)
        #expect(try ledger.account("100010")?.balance == (try before - Money(dollars: 25)))
        let paper = try #require(try ledger.receipt(ReceiptNumber(Int64(receipt)!)))
        #expect(paper.tenders.first?.brand == "VISA" && paper.terminal == "IVR1")
        #expect(try TillProcess.till(["verify", "--db", db]).status == 0)
    }

    @Test func cashNeedsTheOperatorsOpenDrawer() throws {
        let db = try Self.demo()
        let refused = try TillProcess.till(["pay", "100011", "10", "--tender", "cash", "--operator", "cashier", "--db", db],
                                           environment: Self.cashier)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("cash needs an open drawer: cashier has none at terminal IVR1"))
        let opened = try TillProcess.till(["drawer", "open", "--operator", "cashier", "--db", db], environment: Self.cashier)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stdout.contains("with a float of $200.00"))
        let paid = try TillProcess.till(["pay", "100011", "10", "--tender", "cash", "--operator", "cashier", "--db", db],
                                        environment: Self.cashier)
        #expect(paid.status == 0, "\(paid.stderr)")
    }

    @Test func badInputSaysWhyAndPostsNothing() throws {
        let db = try Self.demo()
        let count = { try Ledger(path: db).writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transactions")! } }
        let before = try count()
        let cases: [([String], String)] = [
            (["100010", "12.345", "--tender", "ach:6789"], "more than two decimal places"),
            (["100010", "10", "--tender", "card:4111111111111111:0A1B2C"], "card"),
            (["100010", "10", "--tender", "bitcoin"], "Unknown tender \"bitcoin\""),
            (["999999", "10", "--tender", "ach:6789"], "No account 999999"),
            (["100010", "10", "--tender", "check:1001"], "needs an open drawer"),
        ]
        for (arguments, message) in cases {
            let result = try TillProcess.till(["pay"] + arguments + ["--operator", "cashier", "--db", db], environment: Self.cashier)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(!result.stderr.contains("4111111111111111"))
        }
        let wrongPIN = try TillProcess.till(["pay", "100010", "10", "--tender", "ach:6789", "--operator", "cashier", "--db", db],
                                            environment: ["TILL_PIN": "0000"])
        #expect(wrongPIN.status == 1)
        #expect(try count() == before)
    }

    @Test func aCheckIsRefusedOnACashOnlyAccount() throws {
        let db = try Self.demo()
        #expect(try TillProcess.till(["drawer", "open", "--operator", "cashier", "--db", db], environment: Self.cashier).status == 0)
        let number = try #require(try Ledger(path: db).writer.read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE cash_only_until IS NOT NULL")
        })
        let result = try TillProcess.till(["pay", number, "10", "--tender", "check:1001", "--operator", "cashier", "--db", db],
                                          environment: Self.cashier)
        #expect(result.status == 1)
        #expect(result.stderr.contains("No checks: account \(number) is cash only until"))
    }
}

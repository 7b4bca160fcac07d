import Foundation
import Testing
import TillCore
@testable import TillLedger

@Suite("till pay", .serialized)
struct PayCLITests {

    static let cashier = ["TILL_PIN": "1111", "TILL_TERMINAL": "IVR1"]

    @Test(arguments: Engine.all) func aScriptedPaymentPostsOnceByKey(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine), db = books.db
        let before = try #require(try books.ledger().account("100010")).balance
        let first = try books.till(["pay", "100010", "25.00", "--tender", "card:4242:0A1B2C:VISA", "--operator", "cashier",
                                          "--key", "portal-77", "--db", db], environment: Self.cashier)
        #expect(first.status == 0, "\(first.stderr)")
        let receipt = first.stdout.trimmingCharacters(in: .newlines)
        #expect(Int(receipt) != nil)
        let again = try books.till(["pay", "100010", "25.00", "--tender", "card:4242:0A1B2C:VISA", "--operator", "cashier",
                                          "--key", "portal-77", "--db", db], environment: Self.cashier)
        #expect(again.status == 0)
        #expect(again.stdout.trimmingCharacters(in: .newlines) == receipt)
        let ledger = try books.ledger()
        #expect(try ledger.account("100010")?.balance == (try before - Money(dollars: 25)))
        let paper = try #require(try ledger.receipt(ReceiptNumber(Int64(receipt)!)))
        #expect(paper.tenders.first?.brand == "VISA" && paper.terminal == "IVR1")
        #expect(try books.till(["verify", "--db", db]).status == 0)
    }

    /// A key is one payment: reused for another account, amount, tender or operator it is
    /// refused naming the first receipt, never "already posted"; and no script's key reaches
    /// the keys Till makes for payment files or the late-fee run.
    @Test(arguments: Engine.all) func aReusedKeyWithOtherParametersIsRefusedNamingTheFirstReceipt(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine), db = books.db
        func pay(_ account: String, _ amount: String, _ tender: String, key: String, as login: String = "cashier",
                 pin: String = "1111") throws -> RunResult {
            try books.till(["pay", account, amount, "--tender", tender, "--operator", login, "--key", key, "--db", db],
                                 environment: ["TILL_PIN": pin, "TILL_TERMINAL": "IVR1"])
        }
        let first = try pay("100010", "25.00", "card:4242:0A1B2C", key: "portal-78")
        #expect(first.status == 0, "\(first.stderr)")
        let receipt = first.stdout.trimmingCharacters(in: .newlines)
        let before = try #require(try books.ledger().account("100011")).balance
        for (account, amount, tender, login, pin) in [("100011", "25.00", "card:4242:0A1B2C", "cashier", "1111"),
                                                      ("100010", "25.01", "card:4242:0A1B2C", "cashier", "1111"),
                                                      ("100010", "25.00", "ach:6789", "cashier", "1111"),
                                                      ("100010", "25.00", "card:4242:0A1B2C", "csr", "2222")] {
            let reused = try pay(account, amount, tender, key: "portal-78", as: login, pin: pin)
            #expect(reused.status == 1, "\(account) \(amount) \(tender) \(login)")
            #expect(reused.stderr.contains("The key \"portal-78\" was used for receipt #\(receipt)"), "\(reused.stderr)")
            #expect(reused.stdout.isEmpty)
        }
        #expect(try books.ledger().account("100011")?.balance == before)
        // The same request again is the same payment.
        let again = try pay("100010", "25.00", "card:4242:0A1B2C", key: "portal-78")
        #expect(again.status == 0 && again.stdout.trimmingCharacters(in: .newlines) == receipt)

        // A script's key that looks like a payment file's: the file's line still posts.
        let spoof = try pay("100012", "7.00", "ach:1111", key: "import:WEB-777")
        #expect(spoof.status == 0, "\(spoof.stderr)")
        let file = books.directory.appendingPathComponent("web.csv").path
        try "account,amount,tender,reference\n100013,9.00,ach,WEB-777\n".write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try books.till(["import", "payments", file, "--operator", "lead", "--db", db],
                                            environment: ["TILL_PIN": "3333", "TILL_TERMINAL": "IVR1"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(!imported.stdout.contains("posted before"), "\(imported.stdout)")
        let posted = try books.read { db in
            try String.fetchAll(db, sql: "SELECT idempotency_key FROM transactions WHERE idempotency_key LIKE '%WEB-777%' ORDER BY id")
        }
        #expect(posted == ["user:import:WEB-777", "import:WEB-777"])
        #expect(try books.till(["verify", "--db", db]).status == 0)
    }

    /// A key a script used before keys had namespaces (stored bare) still answers its retry.
    @Test(arguments: Engine.all) func aKeyStoredBeforeNamespacesStillAnswersItsRetry(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine), db = books.db
        let ledger = try books.ledger()
        let cashier = try #require(try ledger.operatorNamed(try OperatorLogin("cashier")))
        let old = try ledger.post(Payment(lines: [.account(try AccountNumber("100014"), Money(dollars: 12))],
                                          tenders: [.ach(Money(dollars: 12), lastFour: "6789")]),
                                  operatorID: cashier.id, terminal: "IVR1", idempotencyKey: "ivr-2026-001")
        let retry = try books.till(["pay", "100014", "12.00", "--tender", "ach:6789", "--operator", "cashier",
                                          "--key", "ivr-2026-001", "--db", db], environment: Self.cashier)
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(retry.stdout.trimmingCharacters(in: .newlines) == "\(old.receipt!)")
    }

    @Test(arguments: Engine.all) func cashNeedsTheOperatorsOpenDrawer(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine), db = books.db
        let refused = try books.till(["pay", "100011", "10", "--tender", "cash", "--operator", "cashier", "--db", db],
                                           environment: Self.cashier)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("cash needs an open drawer: cashier has none at terminal IVR1"))
        let opened = try books.till(["drawer", "open", "--operator", "cashier", "--db", db], environment: Self.cashier)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stdout.contains("with a float of $200.00"))
        let paid = try books.till(["pay", "100011", "10", "--tender", "cash", "--operator", "cashier", "--db", db],
                                        environment: Self.cashier)
        #expect(paid.status == 0, "\(paid.stderr)")
    }

    @Test(arguments: Engine.all) func badInputSaysWhyAndPostsNothing(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine), db = books.db
        let count = { try books.count("SELECT COUNT(*) FROM transactions") }
        let before = try count()
        let cases: [([String], String)] = [
            (["100010", "12.345", "--tender", "ach:6789"], "more than two decimal places"),
            (["100010", "10", "--tender", "card:4111111111111111:0A1B2C"], "card"),
            (["100010", "10", "--tender", "bitcoin"], "Unknown tender \"bitcoin\""),
            (["999999", "10", "--tender", "ach:6789"], "No account 999999"),
            (["100010", "10", "--tender", "check:1001"], "needs an open drawer"),
        ]
        for (arguments, message) in cases {
            let result = try books.till(["pay"] + arguments + ["--operator", "cashier", "--db", db], environment: Self.cashier)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(!result.stderr.contains("4111111111111111"))
        }
        let wrongPIN = try books.till(["pay", "100010", "10", "--tender", "ach:6789", "--operator", "cashier", "--db", db],
                                            environment: ["TILL_PIN": "0000"])
        #expect(wrongPIN.status == 1)
        #expect(try count() == before)
    }

    @Test(arguments: Engine.all) func aCheckIsRefusedOnACashOnlyAccount(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine), db = books.db
        #expect(try books.till(["drawer", "open", "--operator", "cashier", "--db", db], environment: Self.cashier).status == 0)
        let number = try #require(try books.read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE cash_only_until IS NOT NULL")
        })
        let result = try books.till(["pay", number, "10", "--tender", "check:1001", "--operator", "cashier", "--db", db],
                                          environment: Self.cashier)
        #expect(result.status == 1)
        #expect(result.stderr.contains("No checks: account \(number) is cash only until"))
    }
}

import Foundation
import Testing
import TillCore
@testable import TillLedger

/// `till pay SUSPENSE`, a payment file's unknown account, and `till suspense` as a CSR working
/// the clarification list from a shell would use them; every refusal exits 1 and changes nothing.
@Suite("till suspense")
struct SuspenseCLITests {
    @Test(arguments: Engine.all) func takeListApplySplitRefundAndRefuseBadInput(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine), directory = books.directory, db = books.db
        let d = ["--db", db]
        try books.ok(["drawer", "open", "--operator", "cashier"] + d, DayCLITests.cashier)
        let receipt = try books.ok(["pay", "SUSPENSE", "45.50", "--tender", "cash", "--payer", "Kim Ng", "--phone", "(555) 123-4567",
                                          "--operator", "cashier"] + d, DayCLITests.cashier)
        #expect(Int(receipt.trimmingCharacters(in: .whitespacesAndNewlines)) != nil, "\(receipt)")
        let misplaced = try books.till(["pay", "100010", "5.00", "--tender", "cash", "--payer", "X", "--operator", "cashier"] + d,
                                             environment: DayCLITests.cashier)
        #expect(misplaced.status == 1 && misplaced.stderr.contains("--payer, --address, --phone and --why are for a payment to SUSPENSE"))
        let file = directory.appendingPathComponent("lockbox.csv")
        try "account,amount,tender,reference,payer\n100010,10.00,ach,X1,\n777777,33.10,ach,X2,Bo Diddley\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let imported = try books.ok(["import", "payments", file.path, "--operator", "lead"] + d, DayCLITests.lead)
        #expect(imported.contains("1 of them to suspense, $33.10: no account matched"), "\(imported)")

        let csv = try books.ok(["suspense", "list", "--format", "csv"] + d)
        let rows = csv.split(whereSeparator: \.isNewline).map(String.init)
        #expect(rows.first?.hasPrefix("item,date,age_days,receipt,amount,open,status") == true)
        #expect(rows.count == 3 && rows[1].hasPrefix("1,2026-11-20,0,") && rows[1].contains(",45.50,45.50,open,cash,,Kim Ng,,(555) 123-4567,"))
        #expect(rows[2].hasPrefix("2,") && rows[2].contains(",777777,Bo Diddley,") && rows[2].hasSuffix(",No account 777777"), "\(rows)")
        let shown = try books.ok(["suspense", "show", "2"] + d)
        #expect(shown.contains("lockbox.csv line 3: 777777,33.10,ach,X2,Bo Diddley"), "\(shown)")

        // Refusals: exit 1, a reason, nothing posted.
        let before = try books.ok(["suspense", "list", "--all", "--format", "csv"] + d)
        for (arguments, reason) in [
            (["suspense", "apply", "2", "999999", "--reason", "x"], "No account 999999"),
            (["suspense", "apply", "2", "100011", "--amount", "40.00", "--reason", "x"], "has $33.10 left; the amounts add up to $40.00"),
            (["suspense", "apply", "2", "100011", "--amount", "abc", "--reason", "x"], "Amount \"abc\""),
            (["suspense", "apply", "9", "100011", "--reason", "x"], "No suspense item #9"),
            (["suspense", "split", "2", "100011", "--reason", "x"], "A split names two accounts or more"),
            (["suspense", "apply", "2", "100011", "--reason", "x\u{1B}[2J"], "The reason holds U+001B (ESC)"),
        ] {
            let result = try books.till(arguments + ["--operator", "csr"] + d, environment: DayCLITests.csr)
            #expect(result.status == 1 && result.stderr.contains(reason), "\(arguments): \(result.stderr)")
        }
        let cashierApply = try books.till(["suspense", "apply", "2", "100011", "--reason", "x", "--operator", "cashier"] + d,
                                                environment: DayCLITests.cashier)
        #expect(cashierApply.status == 1 && cashierApply.stderr.contains("needs a csr or above"), "\(cashierApply.stderr)")
        #expect(try books.ok(["suspense", "list", "--all", "--format", "csv"] + d) == before)

        let applied = try books.ok(["suspense", "apply", "2", "100011", "--reason", "customer called", "--operator", "csr"] + d, DayCLITests.csr)
        #expect(applied.hasPrefix("$33.10 of suspense item #2 applied to 100011 $33.10 (#"), "\(applied)")
        let split = try books.ok(["suspense", "split", "1", "100012=20", "100013", "--reason", "two flats", "--operator", "csr"] + d, DayCLITests.csr)
        #expect(split.hasPrefix("$45.50 of suspense item #1 applied to 100012 $20.00, 100013 $25.50"), "\(split)")
        #expect(try books.ok(["suspense", "list"] + d).contains("Nothing in suspense."))
        try books.ok(["pay", "SUSPENSE", "12.00", "--tender", "check:3301", "--operator", "cashier"] + d, DayCLITests.cashier)
        let noPayee = try books.till(["suspense", "refund", "3", "--reason", "unknown", "--operator", "lead"] + d, environment: DayCLITests.lead)
        #expect(noPayee.status == 1 && noPayee.stderr.contains("names no payer"))
        let refunded = try books.ok(["suspense", "refund", "3", "--payee", "X Y", "--address", "1 A St", "--reason", "unknown",
                                           "--operator", "lead"] + d, DayCLITests.lead)
        #expect(refunded.contains("Refund of $12.00 of suspense item #3 to X Y requested") && refunded.contains("reports/refunds/refund-"))
        let all = try books.ok(["suspense", "list", "--all"] + d)
        #expect(all.contains("[applied]") && all.contains("[refunded]") && all.contains("3 items, $0.00 open"), "\(all)")
        let revenue = try books.ok(["report", "revenue", "--format", "csv"] + d)
        #expect(revenue.contains("SUSPENSE,Held in suspense (no account),90.60"), "\(revenue)")
        #expect(try books.ok(["verify"] + d).contains("ledger is sound"))
    }
}

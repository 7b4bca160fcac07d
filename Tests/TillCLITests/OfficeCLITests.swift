import Foundation
import Testing
import TillCore
@testable import TillLedger

@Suite("till office: offices from the command line, TILL_OFFICE, the consolidated settlement and hledger by office")
struct OfficeCLITests {
    static let supervisor = ["TILL_PIN": "9999", "TILL_TERMINAL": "BACK"]
    static let cashier = ["TILL_PIN": "1111", "TILL_TERMINAL": "T1"]
    static let north = ["TILL_PIN": "2222", "TILL_TERMINAL": "T2", "TILL_OFFICE": "north"]

    /// Two offices set up and used as their hosts would; each office's column of the consolidated
    /// settlement is what hledger sums for that office's tag, and the columns add up to the total.
    @Test(arguments: Engine.all) func twoOfficesFromTheCommandLineAgreeWithHledger(_ engine: Engine) throws {
        let hledger = try #require(TillProcess.which("hledger"), "hledger is not installed: scripts/test installs it")
        let books = try CLIBooks.demo(engine)
        let d = ["--db", books.db]
        #expect(try books.ok(["office", "list"] + d).hasPrefix("No offices"))
        let refused = try books.till(["office", "add", "MAIN", "--name", "Main Office", "--address", "100 Main St", "--bank-account",
                                      "111000025", "--operator", "cashier"] + d, environment: Self.cashier)
        #expect(refused.status == 1 && refused.stderr.contains("Only a supervisor adds an office"))
        // A host set to an office before anyone made it: refused, nothing posts.
        let early = try books.till(["drawer", "open", "--operator", "csr"] + d, environment: Self.north)
        #expect(early.status == 1 && early.stderr.contains("this ledger has no offices yet"), "\(early.stderr)")
        try books.ok(["office", "add", "MAIN", "--name", "Main Office", "--address", "100 Main St, Union", "--bank-account", "111000025",
                      "--operator", "super"] + d, Self.supervisor)
        try books.ok(["office", "add", "NORTH", "--name", "North Branch", "--address", "9 Elm St, Union", "--bank-account", "222000025",
                      "--operator", "super"] + d, Self.supervisor)
        let card = try books.till(["office", "add", "SOUTH", "--name", "South", "--address", "1 Pine St", "--bank-account", "4111-1111",
                                   "--operator", "super"] + d, environment: Self.supervisor.merging(["TILL_PIN": "9999"]) { $1 })
        #expect(card.status == 0) // a bank account with dashes is not a card number
        let pasted = try books.till(["office", "add", "WEST", "--name", "West", "--address", "4111111111111111", "--bank-account", "12345678",
                                     "--operator", "super"] + d, environment: Self.supervisor)
        #expect(pasted.status == 1 && !pasted.stderr.contains("4111111111111111"))

        // T2's host says NORTH: its first command places it there.
        try books.ok(["drawer", "open", "--operator", "csr", "--float", "20=5,10=5", "--reason", "no coin today"] + d, Self.north)
        try books.ok(["drawer", "open", "--operator", "cashier"] + d, Self.cashier)
        let shown = try books.ok(["office", "show", "north"] + d)
        #expect(shown.contains("North Branch") && shown.contains("Terminals     T2"), "\(shown)")
        let transactions = try books.count("SELECT COUNT(*) FROM transactions")
        let moved = try books.till(["pay", "100010", "5.00", "--tender", "cash", "--operator", "csr"] + d,
                                   environment: Self.north.merging(["TILL_OFFICE": "MAIN"]) { $1 })
        #expect(moved.status == 1 && moved.stderr.contains("Terminal T2 stands in office NORTH"), "\(moved.stderr)")
        let unknown = try books.till(["pay", "100010", "5.00", "--tender", "cash", "--operator", "csr"] + d,
                                     environment: Self.north.merging(["TILL_OFFICE": "EAST"]) { $1 })
        #expect(unknown.status == 1 && unknown.stderr.contains("No office \"EAST\""), "\(unknown.stderr)")
        // A card number pasted as the office (or the terminal): refused before anything, never repeated.
        for name in ["TILL_OFFICE", "TILL_TERMINAL"] {
            let pastedOffice = try books.till(["pay", "100010", "5.00", "--tender", "cash", "--operator", "csr"] + d,
                                              environment: Self.north.merging([name: "4111 1111 1111 1111"]) { $1 })
            #expect(pastedOffice.status == 1 && pastedOffice.stderr.contains("\(name) looks like a full card number"))
            #expect(!pastedOffice.stderr.contains("1111 1111") && !pastedOffice.stdout.contains("1111 1111"))
        }
        #expect(try books.count("SELECT COUNT(*) FROM transactions") == transactions)

        func pay(_ account: String, _ amount: String, _ tender: String, _ env: [String: String], _ op: String) throws -> String {
            try books.ok(["pay", account, amount, "--tender", tender, "--operator", op] + d, env).trimmingCharacters(in: .newlines)
        }
        _ = try pay("100010", "45.50", "cash", Self.cashier, "cashier")
        _ = try pay("100011", "30.00", "check:5001", Self.cashier, "cashier")
        let wrong = try pay("100013", "5.00", "cash", Self.cashier, "cashier")
        try books.ok(["void", wrong, "--reason", "wrong account", "--operator", "cashier"] + d, Self.cashier)
        let northReceipt = try pay("100014", "25.00", "moneyorder:77", Self.north, "csr")
        _ = try pay("100015", "60.00", "cash", Self.north, "csr")
        _ = try pay("100016", "12.00", "card:4242:0A1B2C:VISA", Self.north, "csr")
        let printed = try books.ok(["receipt", northReceipt] + d)
        #expect(printed.contains("North Branch") && printed.contains("9 Elm St, Union") && !printed.contains("100 Main St"), "\(printed)")

        // The head office's view, as CSV: a column per office and the total.
        let csv = try books.ok(["report", "settlement", "--all-offices", "--format", "csv"] + d)
        let rows = csv.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first == ["figure", "name", "MAIN", "NORTH", "SOUTH", "total"])
        func cents(_ text: String) throws -> Int64 { try Money.parse(text).cents }
        for row in rows.dropFirst() where row.count == 6 {
            let parts = try row[2...4].map(cents)
            #expect(parts.reduce(0, +) == (try cents(row[5])), "\(row[0])")
        }
        let taken = try #require(rows.first { $0.first == "tender-total" })
        #expect(taken[2...5] == ["75.50", "97.00", "0.00", "172.50"])
        let text = try books.ok(["report", "settlement", "--all-offices"] + d)
        #expect(text.contains("NOT CLOSED: MAIN, NORTH") && text.contains("The offices add up to the total, to the cent."), "\(text)")
        let northSlip = try books.ok(["report", "deposit", "--office", "NORTH"] + d)
        #expect(northSlip.contains("Office NORTH: North Branch") && northSlip.contains("To bank account 222000025"))
        let nowhere = try books.till(["report", "settlement", "--office", "EAST"] + d)
        #expect(nowhere.status == 1 && nowhere.stderr.contains("the offices are MAIN, NORTH, SOUTH"))

        // hledger, by each office's tag: what its terminals took in payments, voids and receipts.
        let journal = books.directory.appendingPathComponent("offices.journal").path
        try books.ok(["export", "journal", "--from", "2026-11-20", "--to", "2026-11-20", "--format", "hledger", "-o", journal] + d)
        for (index, office) in ["MAIN", "NORTH", "SOUTH"].enumerated() {
            let balance = try TillProcess.run(hledger, [
                "-f", journal, "balance", "--flat", "-N", "--output-format=csv",
                "acct:^assets:(cash:drawers|checks on hand|money orders on hand|clearing)", "tag:office=\(office)",
                "desc:^(payment|void|misc-receipt)",
            ])
            #expect(balance.status == 0, "\(balance.stderr)")
            let amounts = try balance.stdout.split(separator: "\n").dropFirst().map { line in
                try cents(String(line.split(separator: ",").last ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\"$")))
            }
            #expect(amounts.reduce(0, +) == (try cents(taken[2 + index])), "\(office): \(balance.stdout)")
        }
        // The posting export names each row's office.
        let export = try books.ok(["export", "postings", "--date", "2026-11-20"] + d)
        let lines = export.split(separator: "\r\n")
        #expect(lines.first?.hasSuffix(",memo,office,office_receipt") == true)
        #expect(lines.contains { $0.contains(",T2,") && $0.hasSuffix(",NORTH,") } && !lines.contains { $0.contains(",T2,") && $0.hasSuffix(",MAIN,") })
    }

    /// Each office counting its own receipts, as the hosts would: the numbers printed, typed
    /// back to find, void and show a receipt, exported and journalled, and proved by verify.
    @Test(arguments: Engine.all) func eachOfficeNumbersItsReceiptsFromTheCommandLine(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine)
        let d = ["--db", books.db]
        let early = try books.till(["settings", "receipt.numbering", "office", "--operator", "super"] + d, environment: Self.supervisor)
        #expect(early.status == 1 && early.stderr.contains("add the offices first"), "\(early.stderr)")
        try books.ok(["office", "add", "MAIN", "--name", "Main Office", "--address", "100 Main St, Union", "--bank-account", "111000025",
                      "--operator", "super"] + d, Self.supervisor)
        try books.ok(["office", "add", "NORTH", "--name", "North Branch", "--address", "9 Elm St, Union", "--bank-account", "222000025",
                      "--operator", "super"] + d, Self.supervisor)
        try books.ok(["settings", "receipt.numbering", "office", "--operator", "super"] + d, Self.supervisor)
        try books.ok(["drawer", "open", "--operator", "csr"] + d, Self.north)
        try books.ok(["drawer", "open", "--operator", "cashier"] + d, Self.cashier)
        func pay(_ account: String, _ amount: String, _ env: [String: String], _ op: String) throws -> String {
            try books.ok(["pay", account, amount, "--tender", "cash", "--operator", op] + d, env).trimmingCharacters(in: .newlines)
        }
        let main1 = try pay("100010", "10.00", Self.cashier, "cashier")
        let north1 = try pay("100011", "11.00", Self.north, "csr")
        let north2 = try pay("100012", "12.00", Self.north, "csr")
        // The receipt prints its office's number and the utility's; either finds it.
        let printed = try books.ok(["receipt", "north-2"] + d)
        #expect(printed.contains("Receipt NORTH-2") && printed.contains("Utility receipt #\(north2)"), "\(printed)")
        #expect(try books.ok(["receipt", north1] + d).contains("Receipt NORTH-1"))
        #expect(try books.ok(["receipt", "#\(main1)"] + d).contains("Receipt MAIN-1"))
        let missing = try books.till(["receipt", "NORTH-7"] + d)
        #expect(missing.status == 1 && missing.stderr.contains("No receipt NORTH-7: NORTH's receipts run to NORTH-2"), "\(missing.stderr)")
        let pasted = try books.till(["receipt", "4111111111111111"] + d)
        #expect(pasted.status == 1 && !pasted.stderr.contains("4111111111111111") && !pasted.stdout.contains("4111111111111111"))
        // Voided by its office's number; the void takes North's next.
        try books.ok(["void", "NORTH-2", "--reason", "wrong account", "--operator", "csr"] + d, Self.north)
        #expect(try books.ok(["receipt", "NORTH-2"] + d).contains("VOIDED by NORTH-3"))
        // The export's and the journal's office receipt numbers.
        let export = try books.ok(["export", "postings", "--date", "2026-11-20"] + d)
        #expect(export.split(separator: "\r\n").contains { $0.hasSuffix(",NORTH,NORTH-3") }, "\(export)")
        let journal = try books.ok(["export", "journal", "--from", "2026-11-20", "--to", "2026-11-20"] + d)
        #expect(journal.contains("office:NORTH, office_receipt:NORTH-1") && journal.contains("office:MAIN, office_receipt:MAIN-1"))
        let verify = try books.till(["verify"] + d)
        #expect(verify.status == 0 && verify.stdout.contains("receipt numbers by office"), "\(verify.stdout)")
    }
}

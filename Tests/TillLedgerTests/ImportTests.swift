import Foundation
import Testing
import TillCore
@testable import TillLedger

@Suite("Importing from the billing system")
struct ImportTests {
    @Test(arguments: Engine.all) func goodFilesImportAccountsChargesAndDeposits(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            #expect(try f.count("accounts") == 3)
            #expect(try f.balance("100001") == Money(dollars: 90))
            #expect(try f.balance("100003") == Money(dollars: 210))
            let deposit = try f.ledger.read { db in
                try Int64.fetchOne(db, sql: "SELECT deposit_held_cents FROM accounts WHERE number = '100002'")
            }
            #expect(deposit == 15_000)
            let name = try f.ledger.read { db in
                try String.fetchOne(db, sql: "SELECT customer_name FROM accounts WHERE number = '100002'")
            }
            #expect(name == "José Núñez")
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func aBadAccountsFileListsEveryBadLineAndImportsNothing(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let csv = """
                account_number,customer_name,service_address,class,deposit_held
                200001,Good Row,1 First St,residential,
                200002,,2 Second St,residential,
                200003,Bad Class,3 Third St,industrial,
                200001,Duplicate,4 Fourth St,residential,
                100001,Already There,5 Fifth St,residential,
                200004,Bad Deposit,6 Sixth St,residential,12.345
                """
            do {
                _ = try f.ledger.importAccounts(csv: Array(csv.utf8), fileName: "bad.csv", by: f.supervisor.id)
                Issue.record("a bad file was imported")
            } catch let error as ImportError {
                #expect(error.problems.map(\.line) == [3, 4, 5, 7])
                #expect(error.problems[0].reason == "customer_name is empty")
                #expect(error.problems[1].reason.contains("industrial"))
                #expect(error.problems[2].reason == "duplicate account 200001 (also on line 2)")
                #expect(error.problems[3].reason == "deposit_held: Amount has more than two decimal places")
                #expect(error.description.hasPrefix("bad.csv: 4 bad lines; nothing was imported"))
            }
            #expect(try f.count("accounts") == 3)
        }
    }

    @Test(arguments: Engine.all) func accountsAlreadyInTheLedgerAreRefused(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let csv = "account_number,customer_name,service_address\n200001,New,1 First St\n100001,Again,12 Oak St\n"
            do {
                _ = try f.ledger.importAccounts(csv: Array(csv.utf8), fileName: "again.csv", by: f.supervisor.id)
                Issue.record("imported a duplicate")
            } catch let error as ImportError {
                #expect(error.problems == [.init(line: 3, reason: "account 100001 is already in the ledger")])
            }
            #expect(try f.count("accounts") == 3)
        }
    }

    @Test(arguments: Engine.all) func aBadChargesFileListsEveryBadLineAndImportsNothing(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let transactions = try f.count("transactions")
            let csv = """
                account_number,bill_date,due_date,revenue_code,amount
                100001,2026-11-05,2026-11-26,water,41.00
                999999,2026-11-05,2026-11-26,water,10.00
                100002,2026-11-05,2026-11-26,gas,10.00
                100002,2026-11-05,2026-11-26,water,ten
                100003,2026-11-05,2026-10-26,water,10.00
                100001,2026-11-05,2026-11-26,water,41.00
                """
            do {
                _ = try f.ledger.importCharges(csv: Array(csv.utf8), fileName: "charges.csv", by: f.supervisor.id)
                Issue.record("a bad file was imported")
            } catch let error as ImportError {
                #expect(error.problems.map(\.line) == [4, 5, 6, 7])
                #expect(error.problems[0].reason.hasPrefix("revenue_code \"gas\" is not one of"))
                #expect(error.problems[1].reason == "amount: Amount has a character that is not a digit: \"t\"")
                #expect(error.problems[2].reason == "due_date 2026-10-26 is before bill_date 2026-11-05")
                #expect(error.problems[3].reason == "duplicate charge (same account, bill date and revenue code as line 2)")
            }
            // Unknown accounts are found once the rows themselves are sound.
            let unknown = "account_number,bill_date,due_date,revenue_code,amount\n100001,2026-11-05,2026-11-26,water,41.00\n999999,2026-11-05,2026-11-26,water,10.00\n"
            do {
                _ = try f.ledger.importCharges(csv: Array(unknown.utf8), fileName: "unknown.csv", by: f.supervisor.id)
                Issue.record("imported a charge for an unknown account")
            } catch let error as ImportError {
                #expect(error.problems == [.init(line: 3, reason: "unknown account 999999")])
            }
            #expect(try f.count("transactions") == transactions)
        }
    }

    @Test(arguments: Engine.all) func aChargeImportedTwiceIsRefused(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            do {
                _ = try f.ledger.importCharges(csv: Array(CounterFixture.chargesCSV.utf8), fileName: "charges.csv", by: f.supervisor.id)
                Issue.record("imported twice")
            } catch let error as ImportError {
                #expect(error.problems.count == 6)
                #expect(error.problems[0].reason == "duplicate: this charge was imported before")
            }
        }
    }

    @Test(arguments: Engine.all) func missingAndUnknownColumnsAreNamed(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            do {
                _ = try f.ledger.importAccounts(csv: Array("account_number,name\n1,x\n".utf8), fileName: "cols.csv", by: f.supervisor.id)
                Issue.record("imported")
            } catch let error as ImportError {
                #expect(error.problems.map(\.reason) == ["missing column customer_name", "missing column service_address", "unknown column name"])
            }
        }
    }
}

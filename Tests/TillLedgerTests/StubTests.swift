import Foundation
import Testing
import TillCore
@testable import TillLedger

/// A scanned stub against the ledger: the newest bill's line, a paid or superseded stub
/// warned about, an unknown account or a bad digit refused, the layout a setting.
@Suite("Bill stubs at the counter")
struct StubTests {
    @Test(arguments: Engine.all) func theNewestBillsLineReadsBackAsCurrentUntilPaid(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let stub = try f.ledger.stub(for: f.account("100001"))
            // 100001 was billed $60.00 on 09-05 and $30.00 on 10-05: the newest bill asked $90.00.
            let billDate = try BusinessDate("2026-10-05")
            #expect(stub.amount == Money(dollars: 90) && stub.billDate == billDate)
            var match = try f.ledger.readStub(stub.line)
            #expect(match.standing == .current && match.customerName == "Smith, Jane" && match.balance == Money(dollars: 90) && match.warning == nil)
            try f.payCash("100001", cents: 5_000)
            #expect(try f.ledger.readStub(stub.line).standing == .current)
            try f.payCash("100001", cents: 4_000)
            match = try f.ledger.readStub(stub.line)
            #expect(match.standing == .paid(Money(dollars: 90)))
            #expect(match.warning == "The bill of 2026-10-05 is paid ($90.00 since it): the balance now is $0.00")
        }
    }

    @Test(arguments: Engine.all) func aStubOfAnOlderBillWarnsWithTheBalanceNow(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let old = try f.ledger.stub(for: f.account("100002"))
            let charges = "account_number,bill_date,due_date,revenue_code,amount\n100002,2026-11-05,2026-11-26,water,12.50\n"
            _ = try f.ledger.importCharges(csv: Array(charges.utf8), fileName: "c.csv", by: f.supervisor.id)
            let match = try f.ledger.readStub(old.line)
            #expect(match.standing == .newerBill(try BusinessDate("2026-11-05")))
            #expect(match.warning == "This stub is for the bill of 2026-10-05; a newer bill of 2026-11-05 is out: the balance now is $67.75")
            #expect(try f.ledger.stub(for: f.account("100002")).amount == Money(cents: 6_775))
        }
    }

    @Test(arguments: Engine.all) func unknownAccountsBadDigitsAndTheLayoutSetting(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let stranger = try ScanLineFormat.standard.line(account: AccountNumber("999999"), amount: Money(dollars: 5), billDate: BusinessDate("2026-10-05"))
            #expect(throws: LedgerError(.unknownAccount, "The stub is for account 999999, which this ledger does not have: check the stub, type the account number, or take the payment into suspense (:suspense NAME)")) {
                try f.ledger.readStub(stranger)
            }
            let line = try f.ledger.stub(for: f.account("100001")).line
            let wrong = String(line.dropLast()) + String((Int(String(line.last!))! + 1) % 10)
            #expect(throws: LedgerError(.invalid, "The scan line's check digit is wrong: scan the stub again or type the account number")) {
                try f.ledger.readStub(wrong)
            }
            #expect(throws: (any Error).self) { try f.ledger.setSetting(.scanLine, "account=4,amount=10,bill=8,check=mod10", by: f.supervisor.id) }
            try f.ledger.setSetting(.scanLine, "account=8,amount=9,bill=8,check=mod11", by: f.supervisor.id)
            let short = try f.ledger.stub(for: f.account("100001")).line
            let reread = try f.ledger.readStub(short)
            #expect(short.count == 26 && reread.standing == .current)
            #expect(throws: LedgerError(.invalid, "Not a scan line: a stub's line is 26 digits")) { try f.ledger.readStub(line) }
        }
    }
}

import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

@Suite("Customer lookup")
struct LookupTests {
    func numbers(_ f: CounterFixture, _ text: String) throws -> [String] {
        try f.ledger.searchAccounts(text).map(\.number)
    }

    @Test func anExactAccountOrMeterNumberComesFirst() throws {
        let f = try CounterFixture()
        #expect(try numbers(f, "100002").first == "100002")
        #expect(try numbers(f, "m10000003").first == "100003")
        // A prefix of an account number matches every account it starts.
        #expect(try numbers(f, "1000") == ["100001", "100002", "100003"])
    }

    @Test func partOfANameAddressOrPhone() throws {
        let f = try CounterFixture()
        #expect(try numbers(f, "smi") == ["100001"])
        #expect(try numbers(f, "jane sm") == ["100001"])
        #expect(try numbers(f, "pine") == ["100002"])
        #expect(try numbers(f, "1 main") == ["100003"])
        #expect(try numbers(f, "201-0003") == ["100003"])
        #expect(try numbers(f, "(555) 201-0002") == ["100002"])
        // Accents fold both ways.
        #expect(try numbers(f, "nunez") == ["100002"])
        #expect(try numbers(f, "Núñ") == ["100002"])
        #expect(try numbers(f, "zzz").isEmpty)
        // FTS syntax typed by a person is only text.
        #expect(try numbers(f, "\"OR* NEAR(").isEmpty)
        #expect(try numbers(f, "   ").isEmpty)
    }

    @Test func wordsLongerThanTheIndexedPrefixesStillNarrow() throws {
        let f = try CounterFixture()
        #expect(try numbers(f, "hardwa") == ["100003"])
        #expect(try numbers(f, "hardware") == ["100003"])
        #expect(try numbers(f, "union hardware") == ["100003"])
        // "hardwax" shares the indexed six letters but is not a word of the account.
        #expect(try numbers(f, "hardwax").isEmpty)
        #expect(try numbers(f, "m100000031").isEmpty)
        #expect(try numbers(f, "m10000003") == ["100003"])
    }

    @Test func aNewOrRenamedAccountIsFoundAtOnce() throws {
        let f = try CounterFixture()
        let csv = """
            account_number,customer_name,service_address,mailing_address,phone,email,meter_number,class,status,cash_only_until,deposit_held
            100004,Zhang Wei 张伟,9 Elm Rd,,(555) 201-0004,,M10000004,residential,active,,
            """
        _ = try f.ledger.importAccounts(csv: Array(csv.utf8), fileName: "more.csv", by: f.supervisor.id)
        #expect(try numbers(f, "zhang") == ["100004"])
        #expect(try numbers(f, "张伟") == ["100004"])
        try f.ledger.writer.write { db in
            try db.execute(sql: "UPDATE accounts SET customer_name = 'Wei Holdings' WHERE number = '100004'")
        }
        #expect(try numbers(f, "zhang").isEmpty)
        #expect(try numbers(f, "holdings") == ["100004"])
    }
}

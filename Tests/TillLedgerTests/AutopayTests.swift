import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

@Suite("Autopay drafts as NACHA files")
struct AutopayTests {
    static let bankAccount = "73915602846"

    func lead(_ f: CounterFixture) throws -> Actor {
        let op = try f.ledger.addOperator(login: try OperatorLogin("lead"), displayName: "Lee Lead", role: .lead, pin: "3333", by: f.supervisor.id)
        return Actor(operatorID: op.id, terminal: "OFFICE")
    }

    func setACH(_ f: CounterFixture) throws {
        for (key, value) in [(SettingKey.achDestinationRouting, "021000021"), (.achDestinationName, "FIRST UNION BANK"),
                             (.achOrigin, "1234567890"), (.achOriginName, "UNION PUD"), (.achCompanyName, "UNION PUD"),
                             (.achCompanyID, "1234567890"), (.achODFI, "02100002")] {
            try f.ledger.setSetting(key, value, by: f.supervisor.id)
        }
    }

    func enrol(_ f: CounterFixture, _ actor: Actor) throws {
        for (account, routing, number, kind) in [("100001", "011000015", Self.bankAccount, BankAccountKind.checking),
                                                 ("100002", "122105278", "4400991", .savings), ("100003", "021000021", "55512", .checking)] {
            _ = try f.ledger.enrollAutopay(account: try f.account(account), routing: try RoutingNumber(routing),
                                           bankAccount: try BankAccountNumber(number), kind: kind, actor: actor)
        }
    }

    @Test func routingNumbersAreCheckedByTheirCheckDigit() throws {
        // Re-derived plainly: weights 3, 7, 1 across the nine digits.
        func plain(_ s: String) -> Bool {
            let w = [3, 7, 1, 3, 7, 1, 3, 7, 1]
            return zip(s.compactMap(\.wholeNumberValue), w).map(*).reduce(0, +) % 10 == 0
        }
        for good in ["021000021", "011000015", "122105278", "026009593"] {
            #expect(plain(good) && (try? RoutingNumber(good)) != nil, "\(good)")
        }
        for bad in ["021000022", "12345678", "0210000211", "02100002A", ""] {
            #expect((try? RoutingNumber(bad)) == nil, "\(bad)")
        }
        #expect(throws: DomainError.self) { try BankAccountNumber("12") }
        #expect(throws: DomainError.self) { try BankAccountNumber("4111 1111 1111 1111") } // a card number, never sealed and kept
        #expect(try BankAccountNumber("7391-5602 846").masked == "****2846")
    }

    @Test(arguments: [Engine.sqlite]) func theBankAccountNumberIsNeverInTheLedgerItsLogOrABackup(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let actor = try lead(f)
            try enrol(f, actor)
            let keyPath = f.ledger.bankKeyPath
            var info = stat()
            #expect(stat(keyPath, &info) == 0 && info.st_mode & 0o077 == 0)
            #expect(try f.ledger.autopayEnrollments().map(\.lastFour) == ["2846", "0991", "5512"])
            let backup = f.directory.appendingPathComponent("backup.sqlite").path
            _ = try f.ledger.backup(to: backup)
            for file in [f.ledger.path, f.ledger.path + "-wal", backup] {
                let bytes = FileManager.default.contents(atPath: file) ?? Data()
                #expect(bytes.range(of: Data(Self.bankAccount.utf8)) == nil, "\(file) holds the bank account number")
            }
            // The audit trail names the last four only.
            let audit = try f.ledger.read { db in try String.fetchAll(db, sql: "SELECT detail FROM audit_events WHERE event = 'autopay.enrolled'") }
            #expect(audit.first == "100001 routing 011000015 checking ****2846 from 2026-11-20")
            // One active enrolment an account.
            #expect(throws: LedgerError.self) {
                _ = try f.ledger.enrollAutopay(account: try f.account("100001"), routing: try RoutingNumber("011000015"),
                                               bankAccount: try BankAccountNumber("99999"), kind: .checking, actor: actor)
            }
        }
    }

    @Test(arguments: Engine.all) func theDraftPostsEachDebitAndWritesAFileAPlainReaderAddsUp(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let actor = try lead(f)
            try setACH(f)
            try enrol(f, actor)
            let effective = CounterFixture.today.adding(days: 1)
            let draft = try f.ledger.draftAutopay(effective: effective, actor: actor)
            let plain = PlainNacha(draft.file.text)
            #expect(plain.problems.isEmpty, "\(plain.problems)")
            #expect(plain.effectiveDate == "261121")
            // What each account owed on or before the date, debited once.
            #expect(plain.entries.map(\.id) == ["100001", "100002", "100003"])
            #expect(plain.entries.map(\.cents) == [9_000, 5_525, 21_000])
            #expect(plain.entries.map(\.code) == ["27", "37", "27"])
            #expect(plain.entries.map { $0.rdfi + $0.checkDigit } == ["011000015", "122105278", "021000021"])
            #expect(plain.entries.map(\.account) == [Self.bankAccount, "4400991", "55512"])
            #expect(plain.entries.map(\.name) == ["SMITH, JANE", "JOSE NUNEZ", "UNION HARDWARE"])
            #expect(plain.entries.map(\.trace) == ["021000020000001", "021000020000002", "021000020000003"])
            #expect(draft.summary.first == "Autopay draft for 2026-11-21: 3 debits, $355.25, posted as e-check payments.")
            // Posted as e-check payments: the accounts are paid, the day's tenders count them.
            #expect(try ["100001", "100002", "100003"].map { try f.balance($0) } == [.zero, .zero, .zero])
            let s = try f.ledger.settlement(CounterFixture.today)
            #expect(s.tenders.first { $0.kind == .ach }?.amount == Money(cents: 35_525))
            // The same date again: the same file, byte for byte, and nothing posted twice.
            let count = try f.count("transactions")
            let again = try f.ledger.draftAutopay(effective: effective, actor: actor)
            #expect(again.alreadyDrafted && again.file.text == draft.file.text)
            #expect(try f.count("transactions") == count)
            #expect(try f.ledger.verify().isSound)
            // An entry's amount changed behind Till's back no longer matches its payment.
            try f.tamper("UPDATE autopay_entries SET amount_cents = 1 WHERE id = 1")
            #expect(try f.ledger.read { db in try Ledger.othersSendFault(db) } == "autopay debit #1 is not the payment its entry says")
            #expect(!(try f.ledger.verify().isSound))
        }
    }

    @Test(arguments: Engine.all) func stoppedAndPaidUpAccountsAreNotDrafted(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let actor = try lead(f)
            try setACH(f)
            try enrol(f, actor)
            try f.ledger.stopAutopay(account: try f.account("100003"), reason: "customer asked", actor: actor)
            try f.payCash("100002", cents: 5_525)
            // Only what is due by the date: 100001's bills were due in September and October.
            let draft = try f.ledger.draftAutopay(effective: CounterFixture.today, actor: actor)
            #expect(draft.lines.map(\.account) == ["100001"] && draft.total == Money(cents: 9_000))
            #expect(try f.ledger.autopayEnrollments(activeOnly: false).last?.listLine.contains("STOPPED 2026-11-20: customer asked") == true)
        }
    }

    @Test(arguments: Engine.all) func aDraftRefusesWhatItCannotMakeAndChangesNothing(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let actor = try lead(f)
            try enrol(f, actor)
            let before = try f.count("transactions")
            // The bank's details not set: named.
            #expect { _ = try f.ledger.draftAutopay(effective: CounterFixture.today, actor: actor) } throws: {
                ($0 as? LedgerError)?.message.contains("ach.destination_routing") == true
            }
            try setACH(f)
            // A cashier may not; a date past the window may not.
            #expect(throws: LedgerError.self) { _ = try f.ledger.draftAutopay(effective: CounterFixture.today, actor: Actor(operatorID: f.cashier.id, terminal: "T1")) }
            #expect(throws: LedgerError.self) { _ = try f.ledger.draftAutopay(effective: CounterFixture.today.adding(days: 31), actor: actor) }
            // The key file gone: said so, nothing posted.
            let keyPath = f.ledger.bankKeyPath
            try FileManager.default.moveItem(atPath: keyPath, toPath: keyPath + ".away")
            #expect { _ = try f.ledger.draftAutopay(effective: CounterFixture.today, actor: actor) } throws: {
                ($0 as? LedgerError)?.message.contains("bank-account key") == true
            }
            // Another key in its place: named as another key, not a tampered row.
            _ = try BankKey.file.create(keyPath)
            #expect { _ = try f.ledger.draftAutopay(effective: CounterFixture.today, actor: actor) } throws: {
                ($0 as? LedgerError)?.message.contains("sealed under another bank-account key") == true
            }
            // Nothing of those drafts posted; with the right key back the draft is made.
            #expect(try f.count("transactions") == before)
            #expect(try f.count("autopay_drafts") == 0)
            try FileManager.default.removeItem(atPath: keyPath)
            try FileManager.default.moveItem(atPath: keyPath + ".away", toPath: keyPath)
            let draft = try f.ledger.draftAutopay(effective: CounterFixture.today, actor: actor)
            #expect(!draft.alreadyDrafted && PlainNacha(draft.file.text).problems.isEmpty)
            #expect(try f.count("transactions") == before + 3)
            // A sealed number moved onto another account does not open.
            try f.tamper("UPDATE autopay_enrollments SET sealed_number = (SELECT sealed_number FROM autopay_enrollments WHERE id = 1) WHERE id = 2")
            #expect(throws: LedgerError.self) { _ = try f.ledger.draftAutopay(effective: CounterFixture.today, actor: actor) }
            #expect(!(try f.ledger.verify().isSound))
        }
    }
}

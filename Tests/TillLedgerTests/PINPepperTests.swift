import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

/// A stolen ledger or backup alone cannot be searched for PINs: the pepper lives beside it.
@Suite("The PIN pepper")
struct PINPepperTests {
    @Test func everyPINIsPepperedAndThePepperIsTheOwnersAlone() throws {
        let f = try CounterFixture()
        let pepperPath = f.ledger.path + ".pepper"
        let mode = try FileManager.default.attributesOfItem(atPath: pepperPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let rows = try f.ledger.writer.read { db in try Row.fetchAll(db, sql: "SELECT pin_hash, pin_salt, pin_rounds, pin_peppered FROM operators") }
        #expect(rows.count == 2 && rows.allSatisfy { $0["pin_peppered"] == true })
        // Without the pepper, the right PIN does not make the stored hash: a search over all
        // 10,000 four-digit PINs with the ledger alone finds nothing.
        let cashier = try #require(rows.first { row in
            PINHash(hash: Array(row["pin_hash"] as Data), salt: Array(row["pin_salt"] as Data), rounds: row["pin_rounds"], peppered: true)
                .matches("1111", pepper: try? PINPepper.load(pepperPath))
        })
        let stored = PINHash(hash: Array(cashier["pin_hash"] as Data), salt: Array(cashier["pin_salt"] as Data), rounds: cashier["pin_rounds"])
        #expect(!stored.matches("1111"))
        #expect(try f.ledger.authenticate(try OperatorLogin("cashier"), pin: "1111", terminal: "T1") == f.cashier)
    }

    /// Where each secret lives: the environment's file, beside a SQLite file, or in a
    /// PostgreSQL terminal's files directory: always a path, never a sentence taken for one.
    @Test func everySecretHasAFileOfItsOwnOnEitherEngine() throws {
        let uri = "postgresql:///till?host=/run/pg&user=till"
        #expect(PINPepper.path(forLedger: "/books/till.sqlite", environment: [:]) == "/books/till.sqlite.pepper")
        #expect(BankKey.file.path(forLedger: "/books/till.sqlite", environment: [:]) == "/books/till.sqlite.bankkey")
        #expect(PINPepper.path(forLedger: uri, filesDirectory: "/var/till", environment: [:]) == "/var/till/till.pepper")
        #expect(BankKey.file.path(forLedger: uri, filesDirectory: "/var/till", environment: [:]) == "/var/till/till.bankkey")
        #expect(BankKey.file.path(forLedger: uri, environment: ["TILL_FILES_DIR": "/srv/t"]) == "/srv/t/till.bankkey")
        #expect(BankKey.file.path(forLedger: uri, environment: ["HOME": "/home/ann"]) == "/home/ann/.local/share/till/till.bankkey")
        #expect(BankKey.file.path(forLedger: uri, environment: ["TILL_BANK_KEY_FILE": "/keys/b", "TILL_FILES_DIR": "/srv/t"]) == "/keys/b")
        #expect(PINPepper.path(forLedger: uri, environment: ["TILL_PEPPER_FILE": "", "TILL_FILES_DIR": "/srv/t"]) == "/srv/t/till.pepper")
    }

    @Test func aCopiedLedgerWithoutItsPepperChecksNoPIN() throws {
        let f = try CounterFixture()
        let copy = try f.ledger.backup(to: f.directory.appendingPathComponent("elsewhere/copy.sqlite").path)
        #expect(!FileManager.default.fileExists(atPath: copy.path + ".pepper"))
        let stolen = try Ledger(path: copy.path)
        #expect(try stolen.verify().isSound)
        let refused = #expect(throws: LedgerError.self) { try stolen.authenticate(try OperatorLogin("cashier"), pin: "1111", terminal: "T1") }
        #expect(refused?.message.contains("the PIN pepper \(copy.path).pepper is missing") == true)
        // No new pepper is made for books whose PINs already use one.
        #expect(!FileManager.default.fileExists(atPath: copy.path + ".pepper"))
        // With the pepper restored beside it, it signs in.
        try FileManager.default.copyItem(atPath: f.ledger.path + ".pepper", toPath: copy.path + ".pepper")
        #expect(try Ledger(path: copy.path).authenticate(try OperatorLogin("cashier"), pin: "1111", terminal: "T1").login.rawValue == "cashier")
    }

    @Test func aPINFromBeforeThePepperIsPepperedAtItsNextSignIn() throws {
        let f = try CounterFixture()
        let old = try PINHash.make(pin: "4321")
        #expect(!old.peppered)
        try f.ledger.writer.writeWithoutTransaction { db in
            _ = try Ledger.insertOperator(Store(db), login: try OperatorLogin("olduser"), displayName: "Old", role: .cashier, hash: old,
                                          by: nil, at: "2026-01-01T00:00:00Z")
        }
        #expect(try f.ledger.authenticate(try OperatorLogin("olduser"), pin: "4321", terminal: "T1").login.rawValue == "olduser")
        let peppered = try f.ledger.writer.read { db in try Bool.fetchOne(db, sql: "SELECT pin_peppered FROM operators WHERE login = 'olduser'") }
        #expect(peppered == true)
        #expect(try f.ledger.authenticate(try OperatorLogin("olduser"), pin: "4321", terminal: "T1").login.rawValue == "olduser")
        #expect(try f.ledger.verify().isSound)
    }

    @Test func aPepperReadableByOthersOrNotAPepperIsRefused() throws {
        let f = try CounterFixture()
        let pepperPath = f.ledger.path + ".pepper"
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pepperPath)
        #expect(throws: LedgerError.self) { try Ledger(path: f.ledger.path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pepperPath)
        try Data("not a pepper\n".utf8).write(to: URL(fileURLWithPath: pepperPath))
        #expect(throws: LedgerError.self) { try Ledger(path: f.ledger.path) }
    }
}

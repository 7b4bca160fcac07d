import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

@Suite("Operators and PINs")
struct OperatorTests {
    @Test(arguments: Engine.all) func pinsAreStoredOnlyAsSaltedSlowHashes(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let rows = try f.ledger.read { db in try SQLRow.fetchAll(db, sql: "SELECT pin_hash, pin_salt, pin_rounds FROM operators") }
            #expect(rows.count == 2)
            for row in rows {
                let hash: Data = row[0], salt: Data = row[1], rounds: Int = row[2]
                #expect(hash.count == 32 && salt.count == 16)
                #expect(rounds >= 100_000)
                #expect(!String(decoding: hash, as: UTF8.self).contains("1111"))
            }
            let salts = Set(rows.map { $0[1] as Data })
            #expect(salts.count == 2)
        }
    }

    @Test(arguments: Engine.all) func aMinimumPINLengthIsASetting(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.ledger.setSetting(.pinMinimumLength, "6", by: f.supervisor.id)
            #expect {
                _ = try f.ledger.addOperator(login: try OperatorLogin("newbie"), displayName: "New", role: .cashier, pin: "1234",
                                             by: f.supervisor.id)
            } throws: { error in "\(error)".contains("at least 6 digits") }
            _ = try f.ledger.addOperator(login: try OperatorLogin("newbie"), displayName: "New", role: .cashier, pin: "123456",
                                         by: f.supervisor.id)
            #expect(throws: LedgerError.self) { try f.ledger.setSetting(.pinMinimumLength, "3", by: f.supervisor.id) }
        }
    }

    @Test(arguments: Engine.all) func theRightPINSignsInAndIsAudited(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let op = try f.ledger.authenticate(try OperatorLogin("cashier"), pin: "1111", terminal: "T1")
            #expect(op.role == .cashier && op.displayName == "Casey Cashier")
            let events = try f.ledger.read { db in try String.fetchAll(db, sql: "SELECT event FROM audit_events WHERE event LIKE 'signin%'") }
            #expect(events == ["signin"])
        }
    }

    @Test(arguments: Engine.all) func fiveWrongPINsLockTheOperator(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let login = try OperatorLogin("cashier")
            for attempt in 1...4 {
                #expect(throws: LedgerError(.wrongPIN, "Wrong PIN for cashier (\(5 - attempt) tries left)")) {
                    try f.ledger.authenticate(login, pin: "0000", terminal: "T1")
                }
            }
            #expect(throws: LedgerError(.operatorLocked, "Wrong PIN. Operator cashier is now locked for 15 minutes")) {
                try f.ledger.authenticate(login, pin: "0000", terminal: "T1")
            }
            // Even the right PIN is refused while locked.
            do {
                _ = try f.ledger.authenticate(login, pin: "1111", terminal: "T1")
                Issue.record("signed in while locked")
            } catch let error as LedgerError {
                #expect(error.code == .operatorLocked)
            }
            let events = try f.ledger.read { db in try String.fetchAll(db, sql: "SELECT event FROM audit_events WHERE operator_id = ? ORDER BY id", arguments: [f.cashier.id]) }
            #expect(events.filter { $0 == "signin.wrong-pin" }.count == 5)
            #expect(events.contains("operator.locked"))
            #expect(events.last == "signin.refused-locked")
            // A clock set a day ahead does not lift the lock: it is measured on the boot clock.
            f.clock.jump(86_400)
            let stillLocked = #expect(throws: LedgerError.self) { try f.ledger.authenticate(login, pin: "1111", terminal: "T1") }
            #expect(stillLocked?.message == "Operator cashier is locked for 15 more minutes (too many wrong PINs); "
                    + "a supervisor can unlock it now (`till operator unlock cashier`)")
            // Only a supervisor lifts it, and it is audited.
            #expect(throws: LedgerError.self) { try f.ledger.unlockOperator(login, by: f.cashier.id, terminal: "T1") }
            try f.ledger.unlockOperator(login, by: f.supervisor.id, terminal: "T1")
            #expect(try f.ledger.authenticate(login, pin: "1111", terminal: "T1") == f.cashier)
            let unlocked = try f.ledger.read { db in try String.fetchOne(db, sql: "SELECT detail FROM audit_events WHERE event = 'operator.unlocked'") }
            #expect(unlocked == "cashier")
        }
    }

    @Test(arguments: Engine.all) func aLockEndsAfterItsMinutesOnTheBootClock(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.ledger.setSetting(.pinLockMinutes, "0", by: f.supervisor.id)
            let login = try OperatorLogin("cashier")
            for _ in 1...5 { _ = try? f.ledger.authenticate(login, pin: "0000", terminal: "T1") }
            #expect(try f.ledger.authenticate(login, pin: "1111", terminal: "T1") == f.cashier)
            // A lock from another boot of the machine holds until a supervisor lifts it.
            #expect(Lockout.remaining("boot 00000000-0000-0000-0000-000000000000 1", now: "") == Int.max)
            #expect(Lockout.remaining(Lockout.lock(minutes: 2), now: "").map { $0 > 60 && $0 <= 120 } == true)
        }
    }

    @Test(arguments: Engine.all) func unknownOperatorsAreRefused(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            #expect(throws: LedgerError(.unknownOperator, "No active operator nobody")) {
                try f.ledger.authenticate(try OperatorLogin("nobody"), pin: "1234", terminal: "T1")
            }
        }
    }

    @Test(arguments: [Engine.sqlite]) func ledgerFileIsPrivateToItsOwner(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let attributes = try FileManager.default.attributesOfItem(atPath: f.ledger.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }

    @Test func defaultPathFollowsXDG() {
        #expect(Ledger.defaultPath(environment: ["HOME": "/home/x"]) == "/home/x/.local/share/till/till.sqlite")
        #expect(Ledger.defaultPath(environment: ["HOME": "/home/x", "XDG_DATA_HOME": "/data"]) == "/data/till/till.sqlite")
        #expect(Ledger.defaultPath(environment: ["TILL_DB": "/tmp/t.sqlite", "HOME": "/home/x"]) == "/tmp/t.sqlite")
    }
}

import Foundation
import GRDB
import Testing
import TillApp
@testable import TillUI

@Suite("Signing in and locking the screen")
struct SignInTests {
    @Test func aCashierSignsInAndSeesTheCounter() throws {
        let f = try UIFixture()
        #expect(f.text.contains("Sign in"))
        #expect(f.text.contains("Operator id"))
        #expect(f.screen.line(0).contains("not signed in"))
        f.signIn()
        let screen = f.screen
        #expect(screen.line(0).contains("cashier (cashier)"))
        #expect(screen.line(0).contains("2026-11-20"))
        #expect(screen.line(1).contains("[Lookup]"))
        #expect(screen.contains("Signed in as Casey Cashier (cashier)"))
        #expect(screen.line(23).hasPrefix("1Help  2Lookup  3Pay  4Drawer"))
        #expect(screen.line(23).contains("10Quit"))
    }

    @Test func thePINShowsAsDots() throws {
        let f = try UIFixture()
        f.type("cashier")
        f.press(.enter)
        f.type("1234")
        #expect(f.text.contains("••••_"))
        #expect(!f.text.contains("1234"))
    }

    @Test func fiveWrongPINsLockTheOperatorOut() throws {
        let f = try UIFixture()
        for attempt in 1...4 {
            f.signIn("cashier", "0000")
            #expect(f.text.contains("Wrong PIN for cashier (\(5 - attempt) tries left)"))
            f.clearLogin()
        }
        f.signIn("cashier", "0000")
        #expect(f.text.contains("Wrong PIN. Operator cashier is now locked for 15 minutes"))
        f.clearLogin()
        f.signIn("cashier", "1111")
        #expect(f.text.contains("Operator cashier is locked for 15 more minutes"))
        #expect(f.text.contains("Sign in"))
    }

    @Test func escapeOnTheFormAsksBeforeClearingIt() throws {
        let f = try UIFixture()
        f.type("cash")
        f.press(.escape)
        #expect(f.text.contains("Clear the sign-in form? (y/n)"))
        f.press(.character("n"))
        #expect(f.text.contains("cash_"))
        f.press(.escape, .character("y"))
        #expect(!f.text.contains("cash"))
    }

    @Test func f9LocksAndHidesTheAccountUntilThePINIsTyped() throws {
        let f = try UIFixture()
        f.signIn()
        f.runtime.send(.key(.character(":")))
        f.type("acct 100010")
        f.press(.enter)
        #expect(f.text.contains("Account 100010"))
        f.press(.function(9))
        #expect(f.text.contains("Screen locked"))
        #expect(f.text.contains("Casey Cashier (cashier) is signed in."))
        #expect(!f.text.contains("Account 100010"))
        f.type("2222")
        f.press(.enter)
        #expect(f.text.contains("Wrong PIN for cashier"))
        f.type("1111")
        f.press(.enter)
        #expect(!f.text.contains("Screen locked"))
        #expect(f.text.contains("Account 100010"))
    }

    @Test func aSupervisorCanUnlockButAnotherCashierCannot() throws {
        let f = try UIFixture()
        f.signIn()
        f.press(.alt("9"))
        f.clearLogin()
        f.signIn("csr", "2222")
        #expect(f.text.contains("Only cashier or a supervisor can unlock this screen"))
        f.clearLogin()
        f.signIn("super", "9999")
        #expect(f.text.contains("Unlocked by Pat Supervisor."))
        let events = try f.ledger.writer.read { db in
            try String.fetchAll(db, sql: "SELECT event || ' ' || detail FROM audit_events WHERE event LIKE 'screen.%' ORDER BY id")
        }
        #expect(events == ["screen.locked F9", "screen.unlocked by super"])
    }

    @Test func anIdleScreenLocksItself() throws {
        let f = try UIFixture()
        f.signIn()
        f.clock.now += 4 * 60
        f.runtime.tick()
        #expect(!f.text.contains("Screen locked"))
        f.clock.now += 61
        f.runtime.tick()
        #expect(f.text.contains("Screen locked"))
    }
}

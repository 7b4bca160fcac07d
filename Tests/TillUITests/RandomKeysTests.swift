import Foundation
import GRDB
import Testing
import TillApp
import TillCore
import TillLedger
@testable import TillUI

/// Random key sequences into the screen: never a crash, never a posting without its confirm
/// step, never an unbalanced ledger.
@Suite("Random keys")
struct RandomKeysTests {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state ^ (state >> 29)
        }
    }

    /// Keys a person could press, without lock and quit (they would end the run).
    static let keys: [Key] = Array("0123456789.$abcdefklmnoprstvwxyz-? ").map { Key.character($0) }
        + [.enter, .enter, .enter, .escape, .backspace, .tab, .backTab, .up, .down, .pageUp, .pageDown, .home, .end]
        + [1, 2, 3, 4, 5, 6, 7, 8].map { Key.function($0) }

    /// The pure state machine: each effect that posts appears only from its confirmation.
    @Test func postingsOnlyEverFollowTheirConfirmStep() {
        var random = Generator(state: 42)
        var state = AppState(size: Size(width: 80, height: 24),
                             status: StatusInfo(utilityName: "U", businessDate: try? BusinessDate("2026-11-20"), terminal: "T1",
                                                drawer: "open", clock: "09:00"), nonce: "fuzz")
        _ = update(&state, .signedIn(OperatorInfo(id: 1, login: "cashier", name: "C", role: .cashier)))
        state.status.drawerSession = 1
        let line = AccountLine(number: "100001", name: "Smith, Jane", serviceAddress: "1 Oak", status: "active", balance: Money(cents: 9_000))
        var posts = 0
        for step in 0..<60_000 {
            if step % 500 == 0 { _ = update(&state, .accountLoaded(AccountView(line: line, mailingAddress: "", phone: "", meter: "",
                                                                               depositHeld: .zero, cashOnlyUntil: nil))) }
            // Now and then the start of a payment (F3, the balance, cash, the amount), so the random
            // keys that follow reach the confirm step often enough to test it.
            let scripted: [Key] = [.function(3), .enter, .character("c"), .enter]
            let key = step % 97 < 4 ? scripted[step % 97] : Self.keys[Int(random.next() % UInt64(Self.keys.count))]
            let before = state
            let effects = update(&state, .key(key))
            for effect in effects {
                switch effect {
                case .postPayment:
                    posts += 1
                    #expect(before.payment.step == .confirm, "a payment posted from \(before.payment.step) on \(key.name)")
                case .service:
                    #expect([.confirm, .approverPIN].contains(before.serviceForm?.step), "an account action from \(String(describing: before.serviceForm?.step))")
                case .postBatch(let submission):
                    #expect(before.batch != nil)
                    #expect(submission.control == Money(cents: submission.lines.reduce(0) { $0 + $1.amount.cents }) || submission.approverPIN != nil)
                case .closeDrawer, .closeDay:
                    break
                default:
                    break
                }
            }
            // Results the runtime would send back, so the flows can finish.
            if effects.contains(where: { if case .postPayment = $0 { true } else { false } }) {
                _ = update(&state, .paymentPosted(PostedPayment(receipt: ReceiptNumber(Int64(posts)), change: .zero, printFailure: nil)))
            }
        }
        #expect(posts > 0, "random keys never reached a posting: the test is not exercising the payment flow")
    }

    /// The real runtime on a real ledger: thousands of random keys, then the books are sound.
    @Test func thousandsOfRandomKeysLeaveTheBooksSound() throws {
        let f = try UIFixture()
        f.signIn()
        f.press(.function(4))
        f.type("o")
        f.press(.end, .enter)
        var random = Generator(state: 7)
        let accounts = try f.ledger.writer.read { db in try String.fetchAll(db, sql: "SELECT number FROM accounts ORDER BY id LIMIT 20") }
        for step in 0..<6_000 {
            if step % 300 == 0 {
                f.press(.function(2))
                f.type(accounts[Int(random.next() % UInt64(accounts.count))])
                f.press(.enter)
            }
            let scripted: [Key] = [.function(3), .enter, .character("c"), .enter]
            f.runtime.key(step % 97 < 4 ? scripted[step % 97] : Self.keys[Int(random.next() % UInt64(Self.keys.count))])
            if f.runtime.state.lock != nil || f.runtime.shouldQuit { break }
        }
        let posted = try f.ledger.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transactions WHERE terminal_id = 'T1' AND kind = 'payment'")!
        }
        #expect(posted > 0, "random keys posted nothing: the test is not exercising the payment flow")
        let report = try f.ledger.verify()
        #expect(report.isSound, "\(report.firstFault ?? "")")
    }
}

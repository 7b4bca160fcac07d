import Foundation
import Synchronization
import Testing
import TillCore
@testable import TillLedger

/// The settlement is read in two halves on two connections at once: the halves must always
/// come from one state of the ledger, however busy the other terminals are.
@Suite("Settlement read in two halves")
struct SettlementReadTests {
    /// Card payments for accounts with water and sewer bills; a void now and then.
    private func post(_ ledger: Ledger, _ f: CounterFixture, index: Int) throws {
        let number = ["100001", "100002"][index % 2]
        let amount = Money(cents: Int64(100 + index % 7))
        let posted = try ledger.post(Payment(lines: [.account(try f.account(number), amount)],
                                             tenders: [.card(amount, lastFour: "4242", authorization: "A\(index)", brand: "VISA")]),
                                     operatorID: f.cashier.id, terminal: "T2")
        if index % 5 == 4 {
            _ = try ledger.void(receipt: try #require(posted.receipt), reason: "keyed twice", operatorID: f.cashier.id, terminal: "T2")
        }
    }

    @Test(arguments: Engine.all) func aSettlementReadWhileAnotherTerminalPostsIsOneStateOfTheLedger(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let other = try f.anotherTerminal()
            for index in 0..<20 { try post(other, f, index: index) }
            let stop = Mutex(false)
            let failure = Mutex<String?>(nil)
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                var index = 20
                while !stop.withLock({ $0 }) {
                    do { try self.post(other, f, index: index) } catch { failure.withLock { $0 = "\(error)" }; break }
                    index += 1
                }
                done.signal()
            }
            var seen = Set<Int>()
            for _ in 0..<60 {
                let s = try f.ledger.settlement(CounterFixture.today)
                // Every payment's money went somewhere: the distribution adds up to what was taken,
                // and nothing is a negative credit. Halves from two states of the ledger would not.
                #expect(s.revenueTotal == s.tenderTotal)
                #expect(!s.revenue.contains { $0.amount.isNegative })
                seen.insert(s.receipts?.count ?? 0)
            }
            stop.withLock { $0 = true }
            done.wait()
            #expect(failure.withLock { $0 } == nil)
            #expect(seen.count > 1, "the other terminal posted during the reads")
        }
    }

    @Test(arguments: Engine.all) func theTwoHalvesGiveWhatOneConnectionReadsAlone(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            for index in 0..<30 { try post(f.ledger, f, index: index) }
            let parallel = try f.ledger.settlement(CounterFixture.today)
            let alone = try f.ledger.read { db in try Ledger.settlement(CounterFixture.today, db) }
            #expect(parallel.revenue == alone.revenue)
            #expect(parallel.tenders == alone.tenders)
            #expect(parallel.revenueTotal == parallel.tenderTotal)
            // Halves from another state of the ledger are not used: the split is read again.
            let stale = try f.ledger.read { db in try DayScan.SecondHalf.read(day: CounterFixture.today.description, db) }
            try post(f.ledger, f, index: 30)
            let fresh = try f.ledger.read { db in try Ledger.settlement(CounterFixture.today, db, secondHalf: { stale }) }
            let expected = try f.ledger.read { db in try Ledger.settlement(CounterFixture.today, db) }
            let now = try f.ledger.read { db in try DayScan.Stamp.read(db) }
            #expect(stale != nil && stale?.stamp != now)
            #expect(fresh.revenue == expected.revenue)
            #expect(fresh.revenueTotal == fresh.tenderTotal)
        }
    }
}

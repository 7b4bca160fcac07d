import Foundation
import Testing
import TillCore
@testable import TillPrinting

/// What the customer takes home, as it prints, kept as golden files: any change to a receipt
/// shows as a diff in review. `TILL_REGENERATE_GOLDEN=1 swift test --filter Golden` writes them anew.
@Suite("Receipts as they print (golden files)")
struct ReceiptGoldenTests {
    static let header = Receipt.Header(utilityName: "Union Public Utility District", utilityAddress: "100 Main Street, Union",
                                       utilityPhone: "(555) 010-0100", footer: "Thank you. Keep this receipt for your records.")

    static func account(_ number: String, _ name: String, previous: Int64, applied: Int64) -> Receipt.Line {
        .init(account: number, title: name, serviceAddress: "40 Pine Ave", previousBalance: Money(cents: previous),
              applied: Money(cents: applied), newBalance: Money(cents: previous - applied))
    }

    /// The receipts a counter prints in a day, by name.
    static func receipts(terminal: String) -> [(String, Receipt, Bool)] {
        func receipt(_ lines: [Receipt.Line], _ tenders: [Tender], memo: String = "") -> Receipt {
            Receipt(number: ReceiptNumber(1_234_567), header: header, businessDate: try! BusinessDate("2026-11-20"),
                    postedAt: "2026-11-20 14:05", terminal: terminal, cashier: "Casey Cashier", lines: lines, tenders: tenders, memo: memo)
        }
        let one = [account("100002", "José Núñez", previous: 5_525, applied: 5_525)]
        return [
            ("cash-with-change", receipt(one, [.cash(Money(cents: 5_525), tendered: Money(dollars: 60))]), false),
            ("check", receipt(one, [.check(Money(cents: 5_525), number: "20417")]), false),
            ("two-accounts", receipt([account("100001", "Smith, Jane", previous: 9_000, applied: 4_500),
                                      account("1000034567890123", "Union Hardware & Supply Company of the Valley", previous: 21_000, applied: 21_000)],
                                     [.cash(Money(cents: 10_000), tendered: Money(cents: 10_000)), .moneyOrder(Money(cents: 15_500), number: "77001234")]), false),
            ("card", receipt(one, [.card(Money(cents: 5_525), lastFour: "4242", authorization: "ABC123", brand: "VISA")]), false),
            ("e-check", receipt(one, [.ach(Money(cents: 5_525), lastFour: "6789")]), false),
            ("misc-line", receipt([.init(account: nil, title: "Miscellaneous receipts", serviceAddress: "", previousBalance: nil,
                                         applied: Money(dollars: 15), newBalance: nil)], [.cash(Money(dollars: 15))], memo: "Permit 2291"), false),
            ("credit-left", receipt([account("100003", "Union Hardware", previous: 1_000, applied: 25_000)],
                                    [.check(Money(cents: 25_000), number: "5521")]), false),
            ("reprint", receipt(one, [.cash(Money(cents: 5_525))]), true),
            ("directed-and-suspense", receipt({
                var paid = account("100003", "Union Hardware", previous: 21_000, applied: 3_000)
                paid.paidTo = "late fee $10.00, bill 2026-08-05 $20.00"
                return [paid, .init(account: nil, title: "Held in suspense (no account)", serviceAddress: "", previousBalance: nil,
                                    applied: Money(cents: 1_250), newBalance: nil)]
            }(), [.cash(Money(cents: 4_250))], memo: "Directed to the late fee"), false),
        ]
    }

    static var goldenDirectory: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden") }

    @Test(arguments: ["T1", "FRONT-COUNTER-02-DRIVE-UP-WINDOW"])
    func receiptsPrintAsTheGoldenFilesSay(terminal: String) throws {
        let regenerate = ProcessInfo.processInfo.environment["TILL_REGENERATE_GOLDEN"] == "1"
        for (name, receipt, reprint) in Self.receipts(terminal: terminal) {
            var text = ""
            for width in ReceiptLayout.widths {
                let lines = ReceiptLayout.lines(receipt, width: width, reprint: reprint).map(\.text)
                // Nothing wider than the paper, and nothing a customer needs is cut.
                #expect(lines.allSatisfy { $0.count <= width }, "\(name) at \(width)")
                let printed = lines.joined(separator: " ")
                let joined = lines.joined()
                for fact in ["#1234567", "2026-11-20", "2026-11-20 14:05", "Casey Cashier"] + receipt.lines.compactMap(\.account) {
                    #expect(printed.contains(fact) || joined.contains(fact), "\(name) at \(width): \(fact)")
                }
                #expect(joined.contains(terminal), "\(name) at \(width): terminal \(terminal)")
                for tender in receipt.tenders {
                    if let reference = tender.reference { #expect(printed.contains(reference), "\(name) at \(width): \(reference)") }
                    #expect(printed.contains(tender.tendered.formatted), "\(name) at \(width): \(tender.tendered.formatted)")
                }
                #expect(printed.contains(receipt.total.formatted))
                text += "== \(width) columns ==\n" + lines.map { "|" + $0.padded(width) + "|" }.joined(separator: "\n") + "\n"
            }
            let file = Self.goldenDirectory.appendingPathComponent("receipt-\(name)-\(terminal.count > 8 ? "long" : "short")-terminal.txt")
            if regenerate {
                try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
                try text.write(to: file, atomically: true, encoding: .utf8)
            } else {
                let golden = try String(contentsOf: file, encoding: .utf8)
                #expect(text == golden, "\(file.lastPathComponent) changed: review the diff, then TILL_REGENERATE_GOLDEN=1")
            }
        }
    }
}

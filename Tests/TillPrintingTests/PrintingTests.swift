import Foundation
import Testing
import TillCore
@testable import TillPrinting

@Suite("Receipts on paper")
struct PrintingTests {
    static func receipt(tenders: [Tender]) -> Receipt {
        Receipt(number: ReceiptNumber(1234),
                header: .init(utilityName: "Union Public Utility District", utilityAddress: "100 Main Street, Union",
                              utilityPhone: "(555) 010-0100", footer: "Thank you. Keep this receipt for your records."),
                businessDate: try! BusinessDate("2026-11-20"), postedAt: "2026-11-20 14:05", terminal: "T1",
                cashier: "Casey Cashier",
                lines: [.init(account: "100002", title: "José Núñez", serviceAddress: "40 Pine Ave",
                              previousBalance: Money(cents: 5_525), applied: Money(cents: 5_525), newBalance: .zero),
                        .init(account: nil, title: "Miscellaneous receipts", serviceAddress: "", previousBalance: nil,
                              applied: Money(dollars: 10), newBalance: nil)],
                tenders: tenders, memo: "Permit 2291")
    }

    static let cash = [Tender.cash(Money(cents: 6_525), tendered: Money(dollars: 70))]
    static let card = [Tender.card(Money(cents: 6_525), lastFour: "1234", authorization: "0A1B2C", brand: "VISA")]

    @Test(arguments: [32, 42, 48])
    func everyLineFitsTheWidth(width: Int) {
        let lines = ReceiptLayout.lines(Self.receipt(tenders: Self.cash), width: width)
        #expect(lines.allSatisfy { $0.text.count <= width })
        let text = lines.map(\.text).joined(separator: "\n")
        for fact in ["UNION PUBLIC UTILITY DISTRICT", "Receipt #1234", "2026-11-20 14:05", "Terminal T1", "Cashier Casey Cashier",
                     "Account 100002", "40 Pine Ave", "Previous balance", "Amount applied", "New balance", "$55.25",
                     "TOTAL", "$65.25", "Cash tendered", "$70.00", "CHANGE", "$4.75", "Permit 2291"] {
            #expect(text.contains(fact), "\(width): \(fact)")
        }
        #expect(lines.first { $0.text.contains("TOTAL") }?.emphasis == true)
    }

    @Test func cardsPrintBrandLastFourAndAuthorisation() {
        let text = ReceiptLayout.lines(Self.receipt(tenders: Self.card), width: 42).map(\.text).joined(separator: "\n")
        #expect(text.contains("VISA ****1234 AUTH 0A1B2C"))
        #expect(!text.contains("CHANGE"))
    }

    @Test func aReprintSaysSoAtTopAndBottom() {
        let lines = ReceiptLayout.lines(Self.receipt(tenders: Self.cash), width: 32, reprint: true).map(\.text)
        let marks = lines.indices.filter { lines[$0].contains("*** REPRINT ***") }
        #expect(marks.count == 2)
        #expect(marks.first! < 6 && marks.last! == lines.count - 1)
    }

    @Test func escPosInitialisesPrintsBoldFeedsAndCuts() {
        let lines = [PrintLine("HEADER", emphasis: true), PrintLine("José Núñez")]
        let bytes = EscPos.encode(lines, openDrawer: false)
        #expect(Array(bytes.prefix(2)) == [0x1B, 0x40])
        #expect(Array(bytes[2..<5]) == [0x1B, 0x45, 0x01])
        #expect(Array(bytes[5..<11]) == Array("HEADER".utf8))
        #expect(Array(bytes[11..<14]) == [0x1B, 0x45, 0x00])
        #expect(bytes[14] == 0x0A)
        // Accents fold for the printer's code page.
        #expect(Array(bytes[15..<25]) == Array("Jose Nunez".utf8))
        #expect(Array(bytes.suffix(6)) == [0x1B, 0x64, 0x04, 0x1D, 0x56, 0x01])
        #expect(EscPos.ascii("陈伟") == Array("??".utf8))
    }

    @Test func theDrawerPulsesOnlyForCashOrCheck() {
        func pulses(_ tenders: [Tender]) -> Bool {
            let receipt = Self.receipt(tenders: tenders)
            let bytes = EscPos.encode(ReceiptLayout.lines(receipt, width: 42), openDrawer: receipt.opensDrawer)
            return Array(bytes.suffix(5)) == EscPos.drawerPulse
        }
        #expect(pulses(Self.cash))
        #expect(pulses([.check(Money(cents: 6_525), number: "2041")]))
        #expect(!pulses(Self.card))
        #expect(!pulses([.ach(Money(cents: 6_525), lastFour: "6789")]))
        #expect(!pulses([.moneyOrder(Money(cents: 6_525), number: "77")]))
    }

    @Test func aDevicePrinterGetsTheStreamAndAMissingOneSaysSo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lp0-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: path, contents: nil)
        let job = PrintJob(number: 7, lines: [PrintLine("HELLO")], openDrawer: true, reprint: false)
        try Printer.print(job, to: .device(path: path))
        let written = try #require(FileManager.default.contents(atPath: path))
        #expect(Array(written) == EscPos.encode(job.lines, openDrawer: true))
        // A reprint never opens the drawer.
        try Printer.print(PrintJob(number: 7, lines: [PrintLine("HELLO")], openDrawer: true, reprint: true), to: .device(path: path))
        let both = try #require(FileManager.default.contents(atPath: path))
        #expect(Array(both.suffix(5)) != EscPos.drawerPulse)
        #expect(throws: PrintError.self) { try Printer.print(job, to: .device(path: "/nonexistent/usb/lp0")) }
        do { try Printer.print(job, to: .device(path: "/nonexistent/usb/lp0")) } catch {
            #expect(error.message.contains("printer /nonexistent/usb/lp0 is not available"))
        }
    }

    @Test func settingsChooseThePrinter() {
        #expect(PrinterConfig.from(kind: "spool", target: "", defaultSpool: "/x") == .success(.spool(directory: "/x")))
        #expect(PrinterConfig.from(kind: "escpos", target: "/dev/usb/lp0", defaultSpool: "/x") == .success(.device(path: "/dev/usb/lp0")))
        #expect(PrinterConfig.from(kind: "lp", target: "counter", defaultSpool: "/x") == .success(.cups(queue: "counter")))
        #expect(PrinterConfig.from(kind: "laser", target: "", defaultSpool: "/x")
                == .failure(PrintError("Unknown printer.kind \"laser\": use spool, escpos, lp or none")))
    }
}

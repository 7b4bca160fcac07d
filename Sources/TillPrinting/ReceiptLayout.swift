import TillCore

/// One printed line; `emphasis` prints bold.
public struct PrintLine: Equatable, Sendable {
    public let text: String
    public let emphasis: Bool

    public init(_ text: String, emphasis: Bool = false) {
        self.text = text
        self.emphasis = emphasis
    }
}

/// Lays a receipt out for a 32, 42 or 48 column printer. Pure: the receipt pane
/// previews exactly these lines, and the printers print them.
public enum ReceiptLayout {
    public static let widths = [32, 42, 48]

    public static func lines(_ receipt: Receipt, width requested: Int, reprint: Bool = false) -> [PrintLine] {
        let width = widths.contains(requested) ? requested : 42
        var out: [PrintLine] = []
        func center(_ text: String, emphasis: Bool = false) {
            for line in text.wrapped(width) {
                let pad = max(0, (width - line.count) / 2)
                out.append(PrintLine(String(repeating: " ", count: pad) + line, emphasis: emphasis))
            }
        }
        // A label and its value on one line when both fit; otherwise the label, then the value
        // right-aligned below it. Nothing is ever cut: an identifier, a date, an authorisation
        // code or an amount cut short is no proof of anything.
        func pair(_ left: String, _ right: String, emphasis: Bool = false) {
            if left.count + 1 + right.count <= width {
                out.append(PrintLine(left + String(repeating: " ", count: width - left.count - right.count) + right, emphasis: emphasis))
                return
            }
            for line in left.wrapped(width) { out.append(PrintLine(line, emphasis: emphasis)) }
            for line in right.wrapped(width) {
                out.append(PrintLine(String(repeating: " ", count: width - line.count) + line, emphasis: emphasis))
            }
        }
        func text(_ value: String, emphasis: Bool = false) {
            for line in value.wrapped(width) { out.append(PrintLine(line, emphasis: emphasis)) }
        }
        let rule = PrintLine(String(repeating: "-", count: width))

        center(receipt.header.utilityName.uppercased(), emphasis: true)
        // Where the ledger has offices, the office that took the payment and its address.
        if !receipt.header.officeName.isEmpty { center(receipt.header.officeName) }
        let address = receipt.header.officeName.isEmpty ? receipt.header.utilityAddress : receipt.header.officeAddress
        if !address.isEmpty { center(address) }
        if !receipt.header.utilityPhone.isEmpty { center(receipt.header.utilityPhone) }
        out.append(rule)
        if reprint { center("*** REPRINT ***", emphasis: true) }
        pair("Receipt \(receipt.name)", receipt.postedAt, emphasis: true)
        // Numbered by its office: the utility's number too, which finds it from any office.
        if receipt.officeNumber != nil { text("Utility receipt #\(receipt.number)") }
        pair("Business date \(receipt.businessDate)", "Terminal \(receipt.terminal)")
        text("Cashier \(receipt.cashier)")
        out.append(rule)
        for line in receipt.lines {
            if let account = line.account {
                text("Account \(account)", emphasis: true)
                text(line.title)
                if !line.serviceAddress.isEmpty { text(line.serviceAddress) }
                if let previous = line.previousBalance { pair("  Previous balance", previous.formatted) }
                pair("  Amount applied", line.applied.formatted)
                if !line.paidTo.isEmpty { text("  Paid " + line.paidTo) }
                if let new = line.newBalance {
                    pair(new.isNegative ? "  New balance (credit)" : "  New balance", new.formatted)
                }
            } else {
                pair(line.title, line.applied.formatted)
            }
        }
        if !receipt.memo.isEmpty { text("Memo: \(receipt.memo)") }
        out.append(rule)
        pair("TOTAL", receipt.total.formatted, emphasis: true)
        for tender in receipt.tenders {
            pair(tenderLine(tender), tender.tendered.formatted)
        }
        if receipt.change.isPositive { pair("CHANGE", receipt.change.formatted, emphasis: true) }
        out.append(rule)
        if !receipt.header.footer.isEmpty { center(receipt.header.footer) }
        if reprint { center("*** REPRINT ***", emphasis: true) }
        return out
    }

    /// `VISA ****1234 AUTH 0A1B2C`, `Check #2041`, `Cash tendered`.
    public static func tenderLine(_ tender: Tender) -> String {
        tender.kind == .cash ? "Cash tendered" : tender.label
    }
}

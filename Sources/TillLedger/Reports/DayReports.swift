import Foundation
import TillCore

/// The day's reports as text (screen, printer, files) and as CSV, from the same figures,
/// so the settle pane, `till report` and the printed slip never disagree.
public enum DayReport: String, CaseIterable, Sendable {
    case x, z, deposit, tenders, revenue, settlement
}

public enum ReportText {
    /// `label ......... $12.34` in `width` columns.
    static func row(_ label: String, _ amount: Money, _ width: Int) -> String { row(label, amount.formatted, width) }

    /// When label and value do not fit on one line, the label takes its own line and the value
    /// goes right-aligned below it: a check number, an account or a terminal is never cut. The
    /// report functions split such a row into its lines (`lines(_:)`).
    static func row(_ label: String, _ value: String, _ width: Int) -> String {
        var lines: [String] = []
        appendRow(label, value, width, to: &lines)
        return lines.joined(separator: "\n")
    }

    /// `row` appended as its lines, for the long lists (a day's checks).
    static func appendRow(_ label: String, _ value: String, _ width: Int, to lines: inout [String]) {
        let labelWidth = columns(label), valueWidth = columns(value)
        if labelWidth + 1 + valueWidth <= width {
            lines.append(label + spaces(width - labelWidth - valueWidth) + value)
        } else {
            if labelWidth <= width { lines.append(label) } else { lines += label.wrapped(width) }
            lines.append(spaces(width - valueWidth) + value)
        }
    }

    private static let blank = String(repeating: " ", count: 256)

    /// `count` spaces (none for a count below one).
    static func spaces(_ count: Int) -> String {
        count <= blank.utf8.count ? String(Substring(blank.utf8.prefix(max(0, count)))) : String(repeating: " ", count: count)
    }

    /// Characters in `text`: for ASCII (almost every line of a report) its byte count, without
    /// walking its characters; a settlement lists thousands of checks.
    static func columns(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 } } ? text.utf8.count : text.count
    }

    /// The report's lines, each row that needed two lines split into them and any longer text
    /// wrapped at spaces (a word longer than the paper goes on in the next line): nothing is cut.
    static func lines(_ rows: [String], _ width: Int) -> [String] {
        var lines: [String] = []
        lines.reserveCapacity(rows.count)
        for row in rows {
            // Most rows fit as they are: a row's width in bytes bounds its width in characters.
            if row.utf8.count <= width { lines.append(row); continue }
            // Split by bytes: walking the characters of thousands of rows was most of a settlement's report.
            for part in row.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                let text = String(Substring(part))
                if columns(text) <= width { lines.append(text) } else { lines += text.wrapped(width) }
            }
        }
        return lines
    }

    static func rule(_ width: Int) -> String { String(repeating: "-", count: width) }

    static func title(_ text: String, _ width: Int) -> String {
        let pad = max(0, (width - text.count) / 2)
        return String(repeating: " ", count: pad) + text
    }

    /// The running report of a drawer: what it should hold now, by tender.
    public static func x(_ drawer: DrawerSummary, _ expected: DrawerExpectation, width: Int = 42) -> [String] {
        var lines = [title("X REPORT - drawer #\(drawer.id)", width),
                     "\(drawer.businessDate) \(drawer.operatorLogin) at \(drawer.terminal)", rule(width)]
        lines += figures(expected, width)
        lines += [rule(width), row("Cash the drawer should hold", expected.expectedCash, width)]
        return Self.lines(lines, width)
    }

    /// The final report of a closed drawer, with its number, the count and the over/short.
    public static func z(_ drawer: DrawerSummary, _ expected: DrawerExpectation, width: Int = 42) -> [String] {
        guard let close = drawer.close else { return x(drawer, expected, width: width) }
        let b = close.balance
        var lines = [title("Z REPORT No. \(close.zNumber)", width),
                     "Drawer #\(drawer.id) \(drawer.businessDate) \(drawer.operatorLogin) at \(drawer.terminal)",
                     "Closed \(close.at.prefix(16).replacingOccurrences(of: "T", with: " ")) by \(close.closedBy)", rule(width)]
        lines += figures(expected, width)
        lines += [rule(width), row("Cash expected", b.expectedCash, width), row("Cash counted", b.countedCash, width),
                  row("Cash over/short", b.cash, width)]
        lines.append(row("Checks over/short", b.checks, width))
        lines.append(row("Money orders over/short", b.moneyOrders, width))
        lines += [row("Card expected", b.expectedCard, width), row("Card batch", b.cardBatch, width),
                  row("Card over/short", b.card, width)]
        for check in b.missing { lines.append("  NOT FOUND \(check.kind == .check ? "check" : "m.o.") #\(check.number) \(check.amount.formatted)") }
        lines += [rule(width), row("OVER/SHORT", b.total, width)]
        if !close.reason.isEmpty { lines.append("Reason: \(close.reason)") }
        if let approver = close.approvedBy { lines.append("Approved by \(approver)") }
        return Self.lines(lines, width)
    }

    private static func figures(_ e: DrawerExpectation, _ width: Int) -> [String] {
        var lines = [row("Opening float", e.openingFloat, width)]
        for kind in TenderKind.allCases {
            let taken = e.byTender[kind] ?? (0, .zero)
            lines.append(row("\(kind.title.capitalizedFirst) (\(taken.count))", taken.amount, width))
        }
        lines.append(row("Drops to safe", Money(cents: -e.drops.cents), width))
        for note in e.dropNotes { lines.append(row("  " + note.label, note.state, width)) }
        if !e.checks.isEmpty {
            lines.append("Checks and money orders in the drawer:")
            for check in e.checks { lines.append(row("  \(check.kind == .check ? "Check" : "M.O.") #\(check.number) \(check.account)", check.amount, width)) }
        }
        return Self.lines(lines, width)
    }

    /// The deposit slip: cash by denomination less the floats kept, each check, totals, bag.
    public static func deposit(_ s: Settlement, width: Int = 42) -> [String] {
        var lines = [title("DEPOSIT SLIP \(s.date)", width)] + officeLines(s, deposit: true)
        if let closed = s.closed { lines.append("Bag \(closed.bag), closed by \(closed.by)") }
        if !s.allDrawersClosed { lines.append("NOT FINAL: \(s.openDrawers.count) drawer(s) still open") }
        lines += [rule(width), "Cash counted in drawers and drops:"]
        let pooled = s.cashCounted.adding(s.drops)
        for line in pooled.lines { lines.append(row("  \(line.quantity) x \(line.denomination.label)", line.amount, width)) }
        lines.append(row("Cash counted", pooled.total, width))
        if !s.dropDifferences.isZero { lines.append(row("Differences found in drop bags", s.dropDifferences, width)) }
        for drop in s.pendingDrops { lines.append("NOT FINAL: bag \(drop.bag) not yet accepted") }
        lines += [row("Less floats kept for tomorrow", Money(cents: -s.floatsKept.cents), width),
                  row("Cash to deposit", s.cashToDeposit, width), rule(width)]
        lines.reserveCapacity(lines.count + 2 * s.checks.count + 8)
        for check in s.checks {
            var label = check.kind == .check ? "Check #" : "M.O. #"
            label += check.number
            label += " acct "
            label += check.account
            if let receipt = check.receipt { label += " rcpt "; label += receipt.description }
            appendRow(label, check.amount.formatted, width, to: &lines)
        }
        lines += [row("Checks (\(s.checks.filter { $0.kind == .check }.count))", s.checksTotal, width),
                  row("Money orders (\(s.checks.filter { $0.kind == .moneyOrder }.count))", s.moneyOrdersTotal, width),
                  rule(width), row("DEPOSIT TOTAL", s.depositTotal, width)]
        return Self.lines(lines, width)
    }

    /// Under a report's title, the office it is of (none for the whole utility's).
    static func officeLines(_ s: Settlement, deposit: Bool = false) -> [String] {
        guard let office = s.office else { return [] }
        return ["Office \(office.code): \(office.name)"] + (deposit ? ["To bank account \(office.bankAccount)"] : [])
    }

    public static func tenders(_ s: Settlement, width: Int = 42) -> [String] {
        var lines = [title("TENDER SUMMARY \(s.date)", width)] + officeLines(s) + [rule(width)]
        for t in s.tenders { lines.append(row("\(t.title) (\(t.count))", t.amount, width)) }
        lines += [rule(width), row("Total taken", s.tenderTotal, width)]
        return Self.lines(lines, width)
    }

    public static func revenue(_ s: Settlement, width: Int = 42) -> [String] {
        var lines = [title("REVENUE DISTRIBUTION \(s.date)", width)] + officeLines(s) + [rule(width)]
        for r in s.revenue { lines.append(row(r.name, r.amount, width)) }
        lines += [rule(width), row("Total", s.revenueTotal, width)]
        return Self.lines(lines, width)
    }

    /// The payments in suspense now, with their age; those past `suspense.warn_days` named.
    public static func suspense(_ s: Settlement, width: Int = 42) -> [String] {
        guard !s.suspenseOpen.isEmpty else { return [] }
        var lines = [row("In suspense now (\(s.suspenseOpen.count))", s.suspenseOpenTotal, width)]
        for item in s.suspenseOpen {
            let who = item.details.payer.isEmpty ? item.details.accountGiven : item.details.payer
            lines.append(row("  #\(item.id) \(item.businessDate) \(item.age(on: s.date))d \(who)", item.open, width))
        }
        if let warning = suspenseWarning(s) { lines.append(warning) }
        return lines
    }

    /// What the closer is told of suspense items older than the setting's days (nil: none).
    public static func suspenseWarning(_ s: Settlement) -> String? {
        let old = s.suspenseOverdue
        guard !old.isEmpty else { return nil }
        return "WARNING: \(old.count) suspense item\(old.count == 1 ? "" : "s") older than \(s.suspenseWarnDays) days "
            + "(\(old.map { "#\($0.id)" }.joined(separator: ", "))): find the customers, or refund them (till suspense)"
    }

    /// Everything the closer reviews, in one report.
    public static func settlement(_ s: Settlement, width: Int = 42) -> [String] {
        var lines = [title("SETTLEMENT \(s.date)", width)] + officeLines(s) + [
                     s.closed.map { "Day closed \($0.at.prefix(16).replacingOccurrences(of: "T", with: " ")) by \($0.by)" }
                         ?? (s.shareNotOpened ? "\(s.office?.code ?? "The office") has not opened its day" : "Day open"),
                     rule(width), "Drawers:"]
        if s.drawers.isEmpty { lines.append("  none opened") }
        for d in s.drawers {
            let state = d.close.map { "Z\($0.zNumber) o/s \($0.balance.total.formatted)" } ?? "OPEN"
            lines.append(row("  #\(d.id) \(d.operatorLogin) \(d.terminal)", state, width))
        }
        lines.append(row("Over/short, all drawers", s.overShort, width))
        if !s.dropDifferences.isZero { lines.append(row("Differences in drop bags", s.dropDifferences, width)) }
        for drop in s.dropRecords where s.dropsNeedAcceptance || drop.acceptance != nil {
            lines.append(row("  #\(drop.session) \(drop.label)", drop.state(pending: s.dropsNeedAcceptance), width))
        }
        lines += [""] + deposit(s, width: width) + [""] + tenders(s, width: width) + [""] + revenue(s, width: width) + [""]
        if let r = s.receipts {
            lines.append("Receipts #\(r.first) to #\(r.last) (\(r.count))")
            if let o = s.officeReceipts {
                let named = "Office's \(o.code)-\(o.first) to \(o.code)-\(o.last) (\(o.count))"
                lines.append(named.count <= width ? named : "\(o.code) \(o.first) to \(o.last) (\(o.count))")
            }
        } else {
            lines.append("No receipts issued")
        }
        if !s.batches.isEmpty {
            lines.append("Batches:")
            for b in s.batches {
                lines.append(row("  #\(b.id) \(b.kind), \(b.lines) line\(b.lines == 1 ? "" : "s")", b.total, width))
                let off = Money(cents: b.total.cents - b.control.cents)
                lines.append("    by \(b.operatorLogin)" + (b.kind == "import" ? " from \(b.source)" : ", control \(b.control.formatted)")
                             + (off.isZero ? "" : ", off by \(off.formatted)") + (b.approvedBy.map { ", approved by \($0)" } ?? ""))
                if b.isUnfinished {
                    lines.append("    UNFINISHED \(b.postedLines)/\(b.lines): import it again")
                }
            }
        }
        lines.append("Corrections and adjustments:")
        if s.corrections.isEmpty { lines.append("  none") }
        for c in s.corrections {
            lines.append(row("  #\(c.receipt.map { "\($0)" } ?? "-") \(c.kind.rawValue)" + (c.corrects.map { " of #\($0)" } ?? ""), c.amount, width))
            lines.append("    by \(c.operatorLogin)" + (c.approvedBy.map { ", approved by \($0)" } ?? "") + ": \(c.memo)")
        }
        let returned = s.corrections.filter { $0.kind == .nsf }
        if !returned.isEmpty {
            lines.append("Returned payments: \(returned.count) (returned checks and bank returns, above)")
        }
        lines += suspense(s, width: width)
        return Self.lines(lines, width)
    }
}

/// The same reports as CSV rows (first row the header), amounts as plain decimals.
public enum ReportCSV {
    public static func drawers(_ s: Settlement) -> [[String]] { drawers(s.drawers, expectations: s.expectations) }

    public static func drawers(_ list: [DrawerSummary], expectations: [Int64: DrawerExpectation] = [:]) -> [[String]] {
        [["drawer", "operator", "terminal", "state", "z_number", "float", "expected_cash", "counted_cash", "cash_over_short",
          "checks_over_short", "money_orders_over_short", "card_expected", "card_batch", "card_over_short", "over_short",
          "approved_by", "reason"]]
            + list.map { d in
                let b = d.close?.balance
                let expectedCash = b?.expectedCash ?? expectations[d.id]?.expectedCash ?? .zero
                return ["\(d.id)", d.operatorLogin, d.terminal, d.isOpen ? "open" : "closed", d.close.map { "\($0.zNumber)" } ?? "",
                        d.openingFloat.decimalString, expectedCash.decimalString, b?.countedCash.decimalString ?? "",
                        b?.cash.decimalString ?? "", b?.checks.decimalString ?? "", b?.moneyOrders.decimalString ?? "",
                        b?.expectedCard.decimalString ?? "", b?.cardBatch.decimalString ?? "", b?.card.decimalString ?? "",
                        b?.total.decimalString ?? "", d.close?.approvedBy ?? "", d.close?.reason ?? ""]
            }
    }

    public static func deposit(_ s: Settlement) -> [[String]] {
        var rows = [["line", "denomination_or_number", "quantity", "account", "amount", "receipt"]]
        for line in s.cashCounted.adding(s.drops).lines {
            rows.append(["cash", line.denomination.rawValue, "\(line.quantity)", "", line.amount.decimalString, ""])
        }
        rows.append(["floats-kept", "", "", "", Money(cents: -s.floatsKept.cents).decimalString, ""])
        rows.append(["cash-total", "", "", "", s.cashToDeposit.decimalString, ""])
        for check in s.checks {
            rows.append([check.kind == .check ? "check" : "money-order", check.number, "1", check.account, check.amount.decimalString,
                         check.receipt.map { "\($0)" } ?? ""])
        }
        rows.append(["checks-total", "", "", "", s.checksTotal.decimalString, ""])
        rows.append(["money-orders-total", "", "", "", s.moneyOrdersTotal.decimalString, ""])
        rows.append(["deposit-total", s.closed?.bag ?? "", "", "", s.depositTotal.decimalString, ""])
        return rows
    }

    public static func tenders(_ s: Settlement) -> [[String]] {
        [["tender", "count", "amount"]] + s.tenders.map { [$0.atBank ? "lockbox" : $0.kind.rawValue, "\($0.count)", $0.amount.decimalString] }
            + [["total", "", s.tenderTotal.decimalString]]
    }

    public static func revenue(_ s: Settlement) -> [[String]] {
        [["code", "name", "amount"]] + s.revenue.map { [$0.code, $0.name, $0.amount.decimalString] }
            + [["total", "", s.revenueTotal.decimalString]]
    }

    public static func text(_ rows: [[String]]) -> String {
        var text = ""
        text.reserveCapacity(rows.count * 64)
        for row in rows {
            text += CSV.line(row)
            text += "\r\n"
        }
        return text
    }
}

extension Ledger {
    /// Where the day's report files go: `reports/` beside the ledger file (`filesDirectory`).
    public var reportsDirectory: String {
        (filesDirectory as NSString).appendingPathComponent("reports")
    }
}

/// The closer's files: the settlement report as text, and each report as CSV, in a
/// reports directory (by default `reports/` beside the ledger file).
public enum ReportFiles {
    @discardableResult
    /// `signer` (setting `anchor.signing_key`) signs the day's head in its head file.
    public static func write(_ s: Settlement, to directory: String, signer: AnchorSigner? = nil) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let files: [(String, String)] = [
            ("settlement.txt", ReportText.settlement(s).joined(separator: "\n") + "\n"),
            ("drawers.csv", ReportCSV.text(ReportCSV.drawers(s))),
            ("deposit.csv", ReportCSV.text(ReportCSV.deposit(s))),
            ("tenders.csv", ReportCSV.text(ReportCSV.tenders(s))),
            ("revenue.csv", ReportCSV.text(ReportCSV.revenue(s))),
        ] + (try (s.closed?.head).map { head -> [(String, String)] in
            // The anchor: `till verify --anchors DIR` checks every head written in these files.
            [("head.txt", """
                Business day \(s.date) closed at \(s.closed!.at) by \(s.closed!.by), deposit bag \(s.closed!.bag)
                Ledger head \(head.full)
                \(try signer.map { AnchorSigner.label + (try $0.sign(head)) + "\n" } ?? "")\
                Check it at any time: till verify --anchor \(head.short)

                """)]
        } ?? [])
        var written: [String] = []
        for (name, text) in files {
            let path = (directory as NSString).appendingPathComponent("\(s.date)-\(name)")
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw LedgerError(.invalid, "Could not write \(path): check the reports directory")
            }
            written.append(path)
        }
        return written
    }
}

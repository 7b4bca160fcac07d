import Foundation
import TillCore

/// A settlement's figures as named lines that add: one office's day, the whole utility's day,
/// or either summed over a range of days. The consolidated report puts the offices' figures
/// side by side with the whole utility's; the offices' must add up to it, to the cent.
public struct SettlementFigures: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public let code: String
        public let name: String
        /// Cents for money, a plain number for counts.
        public var value: Int64
        public let isCount: Bool

        public var text: String { isCount ? "\(value)" : Money(cents: value).formatted }
        public var csv: String { isCount ? "\(value)" : Money(cents: value).decimalString }
    }

    public private(set) var lines: [Line] = []
    /// Days with any drawer still open, and the days summed.
    public private(set) var openDrawers: Int64 = 0
    public private(set) var days = 0

    public init() {}

    /// The figures of one settlement.
    public init(_ s: Settlement) {
        days = 1
        openDrawers = Int64(s.openDrawers.count)
        add("drawers", "Drawers", Int64(s.drawers.count), count: true)
        for kind in TenderKind.allCases {
            let line = s.tenders.first { $0.kind == kind && !$0.atBank }
            add("tender-\(kind.rawValue)", "Taken: \(kind.title.capitalizedFirst)", line?.amount.cents ?? 0)
        }
        add("tender-lockbox", "Taken: lockbox checks (at the bank)", s.tenders.first { $0.atBank }?.amount.cents ?? 0)
        add("tender-total", "Taken in all", s.tenderTotal.cents)
        add("deposit-cash", "Deposit: cash", s.cashToDeposit.cents)
        add("deposit-checks", "Deposit: checks", s.checksTotal.cents)
        add("deposit-money-orders", "Deposit: money orders", s.moneyOrdersTotal.cents)
        add("deposit-total", "Deposit total", s.depositTotal.cents)
        add("over-short", "Over/short", s.overShort.cents + s.dropDifferences.cents)
        for head in Self.revenueHeads {
            let line = Settlement.RevenueLine(head: head, amount: .zero)
            add("revenue-\(line.code)", "Revenue: \(line.name)", s.revenue.first { $0.head == head }?.amount.cents ?? 0)
        }
        add("revenue-total", "Revenue in all", s.revenueTotal.cents)
        add("receipts", "Receipts issued", Int64(s.receipts?.count ?? 0), count: true)
        add("corrections", "Corrections and adjustments", Int64(s.corrections.count), count: true)
    }

    /// Every head of the revenue distribution, in the report's order.
    static var revenueHeads: [Settlement.RevenueLine.Head] {
        BookAccount.revenueCodes.map { .revenue($0) } + [.depositsCollected, .recharged, .unapplied, .suspense]
    }

    private mutating func add(_ code: String, _ name: String, _ value: Int64, count: Bool = false) {
        lines.append(Line(code: code, name: name, value: value, isCount: count))
    }

    public func value(_ code: String) -> Int64? { lines.first { $0.code == code }?.value }

    /// The sum of two sets of figures, line by line.
    public static func + (a: SettlementFigures, b: SettlementFigures) -> SettlementFigures {
        guard !a.lines.isEmpty else { return b }
        guard !b.lines.isEmpty else { return a }
        var sum = a
        for index in sum.lines.indices { sum.lines[index].value += b.lines[index].value }
        sum.openDrawers += b.openDrawers
        sum.days += b.days
        return sum
    }

    /// The lines where these figures and `other` differ (none: they agree to the cent).
    public func differences(from other: SettlementFigures) -> [String] {
        zip(lines, other.lines).filter { $0.value != $1.value }.map(\.0.name)
    }
}

/// The head office's view: every office's settlement side by side, and the utility's.
public struct ConsolidatedSettlement: Sendable {
    public let from: BusinessDate
    public let to: BusinessDate
    public let offices: [(office: Office, figures: SettlementFigures)]
    /// The whole utility's figures, read as one (not summed from the offices).
    public let total: SettlementFigures
    /// Offices that have not closed each day of the range (a drawer still open, or the day).
    public let notClosed: [String]

    /// The lines where the offices' figures do not add up to the utility's (none: they do).
    public var differences: [String] {
        total.differences(from: offices.reduce(SettlementFigures()) { $0 + $1.figures })
    }
}

extension Ledger {
    /// Every office's settlement of each day from `from` to `to`, side by side, with the whole
    /// utility's read on its own.
    public func consolidatedSettlement(from: BusinessDate, to: BusinessDate) throws -> ConsolidatedSettlement {
        guard from <= to else { throw LedgerError(.invalid, "The range ends (\(to)) before it starts (\(from))") }
        guard to.dayNumber - from.dayNumber < 366 else { throw LedgerError(.invalid, "A consolidated settlement covers at most a year") }
        let map = try offices()
        guard !map.isEmpty else {
            throw LedgerError(.invalid, "This ledger has no offices: its settlement is the utility's (till report settlement); "
                              + "till office add sets them up")
        }
        let ownDays = try officesKeepOwnDays()
        var perOffice = map.offices.map { ($0, SettlementFigures()) }
        var total = SettlementFigures()
        var notClosed: Set<String> = []
        var day = from
        while day <= to {
            let whole = try settlement(day)
            total = total + SettlementFigures(whole)
            let shares = ownDays ? try officeDays(on: day) : []
            for index in perOffice.indices {
                let office = perOffice[index].0
                let own = try settlement(day, office: office)
                perOffice[index].1 = perOffice[index].1 + SettlementFigures(own)
                // Open: a drawer still open; or its day (its own, or the utility's it follows)
                // open with anything taken or opened in it.
                let active = !(own.drawers.isEmpty && own.tenders.isEmpty)
                let dayOpen = ownDays ? (shares.first { $0.office == office }?.isOpen ?? false) : (whole.closed == nil && active)
                if !own.allDrawersClosed || dayOpen { notClosed.insert(office.code) }
            }
            day = day.adding(days: 1)
        }
        return ConsolidatedSettlement(from: from, to: to, offices: perOffice, total: total,
                                      notClosed: map.offices.map(\.code).filter(notClosed.contains))
    }
}

extension ReportText {
    /// The consolidated settlement: a line per figure, a column per office and the total. Wider
    /// than a receipt printer: for the screen and a sheet of paper.
    public static func consolidated(_ c: ConsolidatedSettlement) -> [String] {
        let heads = c.offices.map(\.office.code) + ["TOTAL"]
        let valueWidth = max(12, heads.map(\.count).max() ?? 0, (c.total.lines.map(\.text.count).max() ?? 0))
        // Within 80 columns where the offices allow; a label longer than its column takes a
        // line of its own above its figures (nothing is cut).
        let labelWidth = max(20, min(c.total.lines.map(\.name.count).max() ?? 0, 80 - heads.count * (valueWidth + 1)))
        func line(_ label: String, _ values: [String]) -> String {
            let figures = values.map { " " + spaces(valueWidth - $0.count) + $0 }.joined()
            if columns(label) > labelWidth { return label + "\n" + spaces(labelWidth) + figures }
            return label + spaces(labelWidth - columns(label)) + figures
        }
        let width = labelWidth + heads.count * (valueWidth + 1)
        var out = [title(c.from == c.to ? "CONSOLIDATED SETTLEMENT \(c.from)" : "CONSOLIDATED SETTLEMENT \(c.from) TO \(c.to)", width)]
        for (office, _) in c.offices {
            out.append("\(office.code)\(office.isMain ? " (main)" : ""): \(office.name), deposits to \(office.bankAccount)")
        }
        out += [String(repeating: "-", count: width), line("", heads)]
        for (index, total) in c.total.lines.enumerated() {
            out.append(line(total.name, c.offices.map { $0.figures.lines[index].text } + [total.text]))
        }
        out.append(String(repeating: "-", count: width))
        out.append(c.notClosed.isEmpty ? "Every office has closed." : "NOT CLOSED: \(c.notClosed.joined(separator: ", "))")
        let differences = c.differences
        out.append(differences.isEmpty ? "The offices add up to the total, to the cent."
                   : "THE OFFICES DO NOT ADD UP to the total in: \(differences.joined(separator: ", ")): run till verify and call a supervisor")
        return Self.lines(out, width)
    }
}

extension ReportText {
    /// Every office in a few lines for the settle pane (42 columns): taken, deposit and
    /// over/short, and whether it has closed; then whether they add up to the utility's total.
    public static func officesAtAGlance(_ c: ConsolidatedSettlement, width: Int = 42) -> [String] {
        var lines = [title("OFFICES \(c.from)", width)]
        for (office, figures) in c.offices {
            let state = c.notClosed.contains(office.code) ? "OPEN" : "closed"
            lines.append(row("\(office.code) \(state)", Money(cents: figures.value("tender-total") ?? 0), width))
            lines.append(row("  deposit", Money(cents: figures.value("deposit-total") ?? 0), width))
            let overShort = figures.value("over-short") ?? 0
            if overShort != 0 { lines.append(row("  over/short", Money(cents: overShort), width)) }
        }
        lines.append(row("All offices taken", Money(cents: c.total.value("tender-total") ?? 0), width))
        lines.append(c.differences.isEmpty ? "Offices add up to the total." : "OFFICES DO NOT ADD UP: run till verify")
        return Self.lines(lines, width)
    }
}

extension ReportCSV {
    /// The consolidated settlement as CSV: a row per figure, a column per office and the total.
    public static func consolidated(_ c: ConsolidatedSettlement) -> [[String]] {
        [["figure", "name"] + c.offices.map(\.office.code) + ["total"]]
            + c.total.lines.enumerated().map { index, total in
                [total.code, total.name] + c.offices.map { $0.figures.lines[index].csv } + [total.csv]
            }
    }
}

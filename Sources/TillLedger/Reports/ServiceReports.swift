import TillCore

/// The supervisor's and CSR's lists as text and CSV: actions under override, the delinquency
/// list, work orders.
public enum ServiceReports {
    public static func overridesText(_ records: [OverrideRecord], from: BusinessDate, to: BusinessDate) -> [String] {
        var lines = ["ACTIONS UNDER OVERRIDE  \(from)\(from == to ? "" : " to \(to)")", ""]
        for r in records {
            lines.append("\(r.at)  \(r.action)  \(r.operatorLogin) approved by \(r.approverLogin) at \(r.terminal)"
                         + (r.amount.map { "  \($0.formatted)" } ?? "") + (r.receipt.map { "  #\($0)" } ?? ""))
            lines.append("    \(r.detail)")
        }
        lines.append(records.isEmpty ? "No action was taken under override." : "\(records.count) action\(records.count == 1 ? "" : "s") under override")
        return lines
    }

    public static func overridesCSV(_ records: [OverrideRecord]) -> [[String]] {
        [["at", "action", "operator", "approver", "terminal", "amount", "receipt", "detail"]] + records.map {
            [$0.at, $0.action, $0.operatorLogin, $0.approverLogin, $0.terminal, $0.amount?.decimalString ?? "",
             $0.receipt.map { "\($0)" } ?? "", $0.detail]
        }
    }

    public static func delinquencyText(_ list: [DelinquentAccount], asOf: BusinessDate, title: String = "PAST DUE") -> [String] {
        var lines = ["\(title) AS OF \(asOf)", "",
                     "Account      Name                  Days   Past due    Balance  30/60/90+ plan"]
        for a in list {
            let name = a.name.count > 20 ? String(a.name.prefix(20)) : a.name
            let buckets = [a.aging.days30, a.aging.days60, a.aging.days90].map { $0.isZero ? "-" : $0.decimalString }.joined(separator: "/")
            lines.append(a.number.padded(12) + " " + name.padded(20) + String(a.daysPastDue).leftPadded(6)
                         + a.aging.pastDue.formatted.leftPadded(11) + a.balance.formatted.leftPadded(11) + "  " + buckets
                         + (a.plan == .none ? "" : " plan \(a.plan.rawValue)")
                         + (a.pledged.isPositive ? " pledged \(a.pledged.formatted)" + (a.shutoffPastDue.isPositive ? "" : " (holds shut-off)") : "")
                         + (a.status == "active" ? "" : " [\(a.status)]") + (a.shutoffDate.map { " shut-off \($0)" } ?? ""))
        }
        let total = Money(cents: list.reduce(0) { $0 + $1.aging.pastDue.cents })
        lines.append("\(list.count) account\(list.count == 1 ? "" : "s"), \(total.formatted) past due")
        return lines
    }

    public static func delinquencyCSV(_ list: [DelinquentAccount]) -> [[String]] {
        [["account", "name", "status", "days_past_due", "bucket", "past_due", "balance", "current", "days_30", "days_60", "days_90",
          "plan", "shutoff_date", "pledged", "shutoff_past_due"]] + list.map {
            [$0.number, $0.name, $0.status, "\($0.daysPastDue)", "\($0.bucket)", $0.aging.pastDue.decimalString, $0.balance.decimalString,
             $0.aging.current.decimalString, $0.aging.days30.decimalString, $0.aging.days60.decimalString, $0.aging.days90.decimalString, $0.plan.rawValue,
             $0.shutoffDate?.description ?? "", $0.pledged.decimalString, $0.shutoffPastDue.decimalString]
        }
    }

    public static func requestsText(_ list: [ServiceRequestRecord], history: Bool = false) -> [String] {
        var lines: [String] = []
        for r in list {
            lines.append("#\(r.id)  \(r.type.rawValue)  \(r.priority.rawValue)  \(r.status.rawValue)"
                         + (r.scheduledFor.map { " for \($0)" } ?? "") + "  \(r.account) \(r.customerName)")
            if !r.notes.isEmpty { lines.append("    \(r.notes)") }
            if history {
                for event in r.history {
                    lines.append("    \(event.at) \(event.by): \(event.status)" + (event.note.isEmpty || event.status == "open" ? "" : " — \(event.note)"))
                }
            }
        }
        return lines.isEmpty ? ["No work orders."] : lines
    }
}

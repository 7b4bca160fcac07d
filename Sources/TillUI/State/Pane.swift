/// The panes of the main screen, in Tab order.
public enum Pane: Int, CaseIterable, Sendable {
    case lookup, account, payment, receipt, drawer, settle, reports, service

    public var title: String {
        switch self {
        case .lookup: "Lookup"
        case .account: "Account"
        case .payment: "Payment"
        case .receipt: "Receipt"
        case .drawer: "Drawer"
        case .settle: "Settle"
        case .reports: "Reports"
        case .service: "Service"
        }
    }

    var next: Pane { Pane(rawValue: (rawValue + 1) % Pane.allCases.count)! }
    var previous: Pane { Pane(rawValue: (rawValue + Pane.allCases.count - 1) % Pane.allCases.count)! }
}

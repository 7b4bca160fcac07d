/// A work order raised from an account for the field crew.
public enum ServiceRequestType: String, CaseIterable, Sendable {
    case turnOn = "turn-on"
    case turnOff = "turn-off"
    case lockOff = "lock-off"
    case restore
    case leakCheck = "leak-check"
    case reread = "meter-reread"
    case highUsage = "high-usage"
    case other

    public var title: String {
        switch self {
        case .turnOn: "Turn on service"
        case .turnOff: "Turn off service"
        case .lockOff: "Lock-off (shut-off)"
        case .restore: "Restore service"
        case .leakCheck: "Leak check"
        case .reread: "Meter re-read"
        case .highUsage: "High-usage investigation"
        case .other: "Other"
        }
    }

    /// The account status the request leaves when it is done, if it changes one.
    public var statusWhenDone: String? {
        switch self {
        case .turnOn, .restore: "active"
        case .lockOff: "locked-off"
        case .turnOff: "final"
        default: nil
        }
    }

    /// Parses a type by its name or a unique part of it ("lock", "restore", "reread").
    public static func named(_ text: String) throws(DomainError) -> ServiceRequestType {
        let text = text.trimmingSpacesAndTabs().lowercased()
        if let exact = ServiceRequestType(rawValue: text) { return exact }
        let starts = allCases.filter { !text.isEmpty && $0.rawValue.hasPrefix(text) }
        let matches = starts.isEmpty ? allCases.filter { !text.isEmpty && $0.rawValue.contains(text) } : starts
        guard matches.count == 1 else {
            throw DomainError(.invalidPosting, "Request type is one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return matches[0]
    }
}

public enum ServiceRequestStatus: String, CaseIterable, Sendable {
    case open, scheduled, done, cancelled

    public var isClosed: Bool { self == .done || self == .cancelled }
}

public enum ServiceRequestPriority: String, CaseIterable, Sendable {
    case low, normal, high, emergency
}

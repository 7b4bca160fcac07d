import TillCore

/// The reports pane (F7): the day's actions taken under override, for a supervisor reading
/// the trail, and the settings, which a supervisor changes here.
public struct ReportsView: Equatable, Sendable {
    public var overrides: [String]
    public var settings: [Setting]

    public struct Setting: Equatable, Sendable {
        public let key: String
        public let value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public init(overrides: [String], settings: [Setting]) {
        self.overrides = overrides
        self.settings = settings
    }
}

func reportsKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    let count = state.reports?.settings.count ?? 0
    if let edit = state.settingEdit {
        switch key {
        case .character(let c):
            var text = edit
            Typing.type(c, into: &text, limit: 200, field: "a setting's value", &state)
            state.settingEdit = text
        case .backspace: state.settingEdit = String(edit.dropLast())
        case .escape: state.settingEdit = nil
        case .enter:
            guard let setting = state.reports?.settings[safe: state.reportsRow] else { return [] }
            state.settingEdit = nil
            return [.changeSetting(key: setting.key, value: edit.trimmingSpacesAndTabs())]
        default: return nil
        }
        return []
    }
    switch KeyMap.action(for: key, in: KeyMap.pane(.reports)) {
    case .select: state.reportsRow = max(0, min(max(0, count - 1), state.reportsRow + key.step)); return []
    case .refresh: return [.loadReports]
    case .submit:
        guard state.session?.role == .supervisor else {
            state.message = AppState.Message("Only a supervisor changes settings", .warning)
            return []
        }
        guard let setting = state.reports?.settings[safe: state.reportsRow] else { return [] }
        state.settingEdit = setting.value
        return []
    default: return nil
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

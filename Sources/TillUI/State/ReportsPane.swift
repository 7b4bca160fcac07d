import TillCore

/// The reports pane (F7): the day's actions taken under override, for a supervisor reading
/// the trail, and the settings, which a supervisor changes here.
public struct ReportsView: Equatable, Sendable {
    public var overrides: [String]
    public var settings: [Setting]
    /// The offices, one line each (none: the ledger is one office's).
    public var offices: [String] = []

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

/// A supervisor's new office, field by field.
public struct OfficeForm: Equatable, Sendable {
    public static let labels = ["Code", "Name", "Address", "Bank account"]
    public static let limits = [12, 60, 200, 34]
    public var values = ["", "", "", ""]
    public var field = 0
}

func officeFormKey(_ key: Key, _ form: OfficeForm, _ state: inout AppState) -> [Effect] {
    var form = form
    switch key {
    case .character(let c):
        Typing.type(c, into: &form.values[form.field], limit: OfficeForm.limits[form.field], field: "the office's \(OfficeForm.labels[form.field].lowercased())", &state)
    case .backspace: form.values[form.field] = String(form.values[form.field].dropLast())
    case .up: form.field = max(0, form.field - 1)
    case .down, .tab: form.field = min(OfficeForm.labels.count - 1, form.field + 1)
    case .escape:
        state.officeForm = nil
        state.message = AppState.Message("No office added")
        return []
    case .enter:
        let value = form.values[form.field].trimmingSpacesAndTabs()
        guard !value.isEmpty else {
            state.message = AppState.Message("Type the office's \(OfficeForm.labels[form.field].lowercased()), then Enter", .warning)
            return []
        }
        if form.field < OfficeForm.labels.count - 1 {
            form.field += 1
        } else {
            let v = form.values.map { $0.trimmingSpacesAndTabs() }
            state.confirmation = .init(question: "Add office \(v[0].uppercased()): \(v[1]), \(v[2]); deposits to \(v[3])? (y/n)",
                                       outcome: .addOffice(code: v[0], name: v[1], address: v[2], bankAccount: v[3]))
        }
    default: return []
    }
    state.officeForm = form
    return []
}

func reportsKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
    if let form = state.officeForm { return officeFormKey(key, form, &state) }
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
    case .addOffice:
        guard state.session?.role == .supervisor else {
            state.message = AppState.Message("Only a supervisor adds an office", .warning)
            return []
        }
        state.officeForm = OfficeForm()
        return []
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

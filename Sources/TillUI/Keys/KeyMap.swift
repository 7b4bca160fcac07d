/// What a key does. One table per pane (and one global) drives dispatch, the
/// function-key bar and the help overlay, so the three can never disagree.
public enum Action: Hashable, Sendable {
    case help, lookup, pay, drawer, reprint, service, reports, settle, lock, quit
    case nextPane, previousPane, commandLine, back, interrupt
    case moveUp, moveDown, pageUp, pageDown, open, search
    case submit, switchField
}

public struct KeyBinding: Sendable {
    public let keys: [Key]
    /// Short name for the function-key bar ("Help"); nil keeps it out of the bar.
    public let label: String?
    public let description: String
    public let action: Action

    public init(_ keys: [Key], _ label: String? = nil, _ description: String, _ action: Action) {
        self.keys = keys
        self.label = label
        self.description = description
        self.action = action
    }

    public var keyNames: String { keys.map(\.name).joined(separator: " ") }
}

public enum KeyMap {
    /// Keys that work everywhere once signed in. F-keys come first: the bar shows them in order.
    public static let global: [KeyBinding] = [
        KeyBinding([.function(1), .alt("1"), .character("?")], "Help", "Help for the focused pane", .help),
        KeyBinding([.function(2), .alt("2")], "Lookup", "Find a customer", .lookup),
        KeyBinding([.function(3), .alt("3")], "Pay", "Take a payment", .pay),
        KeyBinding([.function(4), .alt("4")], "Drawer", "Cash drawer", .drawer),
        KeyBinding([.function(5), .alt("5")], "Reprint", "Receipt preview and reprint", .reprint),
        KeyBinding([.function(6), .alt("6")], "Service", "Account service", .service),
        KeyBinding([.function(7), .alt("7")], "Reports", "Reports", .reports),
        KeyBinding([.function(8), .alt("8")], "Settle", "End-of-day settlement", .settle),
        KeyBinding([.function(9), .alt("9")], "Lock", "Lock the screen", .lock),
        KeyBinding([.function(10), .alt("0")], "Quit", "Sign out and quit", .quit),
        KeyBinding([.tab], nil, "Focus the next pane", .nextPane),
        KeyBinding([.backTab], nil, "Focus the previous pane", .previousPane),
        KeyBinding([.character(":")], nil, "Command line (:help lists commands)", .commandLine),
        KeyBinding([.escape], nil, "Back out one level", .back),
        KeyBinding([.control("c")], nil, "Quit (asks first if a payment is being entered)", .interrupt),
    ]

    public static func pane(_ pane: Pane) -> [KeyBinding] {
        switch pane {
        case .lookup:
            [KeyBinding([], nil, "Type any part of an account or meter number, name, address or phone: matches narrow as you type", .search),
             KeyBinding([.enter], nil, "Open the highlighted account", .open),
             KeyBinding([.up, .down], nil, "Move through the results", .moveDown),
             KeyBinding([.pageUp, .pageDown], nil, "Page through the results", .pageDown),
             KeyBinding([.escape], nil, "Clear the search", .back)]
        case .account:
            [KeyBinding([.function(3)], nil, "Take a payment on this account", .pay)]
        case .payment:
            [KeyBinding([.escape], nil, "Leave the payment (asks before discarding a draft)", .back)]
        case .receipt, .drawer, .reports, .service:
            []
        }
    }

    /// Keys of the sign-in and lock screens.
    public static let signIn: [KeyBinding] = [
        KeyBinding([.enter], nil, "Next field; on the PIN, sign in", .submit),
        KeyBinding([.tab, .backTab, .up, .down], nil, "Switch between operator id and PIN", .switchField),
        KeyBinding([.escape], nil, "Clear the form (asks first)", .back),
        KeyBinding([.function(1), .alt("1")], "Help", "This help", .help),
        KeyBinding([.function(10), .alt("0")], "Quit", "Quit Till", .quit),
    ]

    public static let locked: [KeyBinding] = [
        KeyBinding([.enter], nil, "Next field; on the PIN, unlock", .submit),
        KeyBinding([.tab, .backTab, .up, .down], nil, "Switch between operator id and PIN", .switchField),
        KeyBinding([.function(1), .alt("1")], "Help", "This help", .help),
    ]

    static func action(for key: Key, in bindings: [KeyBinding]) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }
}

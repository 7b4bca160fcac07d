import TillCore

/// What a key does. One table per pane (and one global) drives dispatch, the
/// function-key bar and the help overlay, so the three can never disagree.
public enum Action: Hashable, Sendable {
    case help, lookup, pay, drawer, reprint, service, reports, settle, lock, quit
    case nextPane, previousPane, commandLine, back, interrupt
    case moveUp, moveDown, pageUp, pageDown, open, search
    case submit, switchField
    case tender, addLine, editAmount, removeLine, removeTender, addNote, printReceipt, printQueue, openDrawer
    case dropCash, noSale, closeDrawer, refresh, toggle, openDay, closeDay, printReport
    case serviceAction, batchEntry, collectDeposit
    case functionPrefix, repaint
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
        KeyBinding([.control("f")], nil, "Then a digit: that F-key (0 is F10), at any speed, on any terminal", .functionPrefix),
        KeyBinding([.control("l")], nil, "Draw the whole screen again", .repaint),
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
            [KeyBinding([.function(3)], nil, "Put this account in the payment cart", .pay),
             KeyBinding([.character("n")], nil, "Add a note to the account (Enter saves it with your id and the time)", .addNote),
             KeyBinding([.up, .down, .pageUp, .pageDown], nil, "Scroll the account", .moveDown)]
        case .payment:
            [KeyBinding([.enter], nil, "Take what the line asks (an empty amount is the balance due); on a paid cart, confirm; then post", .submit),
             KeyBinding(TenderKind.allCases.map { .character($0.key) }, nil,
                        "Tender: c cash, k check, m money order, d card, e e-check", .tender),
             KeyBinding([.character("x")], nil, "Add a miscellaneous receipt line with a revenue code", .addLine),
             KeyBinding([.character("a")], nil, "Change the amount of the selected line", .editAmount),
             KeyBinding([.up, .down], nil, "Select a cart line", .moveDown),
             KeyBinding([.delete], nil, "Remove the selected line (before any tender)", .removeLine),
             KeyBinding([.backspace], nil, "Remove the last tender", .removeTender),
             KeyBinding([.function(3)], nil, "Add the open account to the cart", .pay),
             KeyBinding([.escape], nil, "Back one step (asks before dropping what was typed); on the cart, leave (asks before discarding)", .back)]
        case .receipt:
            [KeyBinding([], nil, "Type a receipt number, then Enter to show it", .search),
             KeyBinding([.character("p"), .function(5)], nil, "Print the shown receipt again, marked REPRINT", .printReceipt),
             KeyBinding([.character("w")], nil, "Print every receipt waiting in the reprint queue", .printQueue),
             KeyBinding([.up, .down, .pageUp, .pageDown], nil, "Scroll the receipt", .moveDown)]
        case .drawer:
            [KeyBinding([.character("o")], nil, "Open your drawer: count the float (prefilled with the standard; type only what differs)", .openDrawer),
             KeyBinding([.character("d")], nil, "Drop cash to the safe: count it, then the bag number", .dropCash),
             KeyBinding([.character("n")], nil, "No sale: open the drawer without a payment (recorded)", .noSale),
             KeyBinding([.character("c")], nil, "Close your drawer: blind count, tick the checks, card batch total, then see over/short", .closeDrawer),
             KeyBinding([.character("r")], nil, "Refresh the X report (what the drawer should hold now)", .refresh),
             KeyBinding([.up, .down, .enter], nil, "In a count: move between denominations; digits type the quantity; Enter on Done goes on", .moveDown),
             KeyBinding([.end, .home], nil, "In a count: jump to Done (a standard float is o, End, Enter) or back to the top", .pageDown),
             KeyBinding([.character(" "), .character("a")], nil, "In the check list: Space ticks a check as found, a ticks them all", .toggle)]
        case .settle:
            [KeyBinding([.character("o")], nil, "Open today's business day (lead or supervisor)", .openDay),
             KeyBinding([.character("c")], nil, "Close the day once every drawer is closed: type the deposit bag number", .closeDay),
             KeyBinding([.character("p")], nil, "Print the settlement report and deposit slip", .printReport),
             KeyBinding([.character("r")], nil, "Refresh", .refresh),
             KeyBinding([.up, .down, .pageUp, .pageDown], nil, "Scroll the report", .moveDown)]
        case .service:
            [KeyBinding([.character("v")], nil, "Void a payment taken in a drawer still open: receipt no., reason", .serviceAction),
             KeyBinding([.character("r")], nil, "Reverse a payment whose drawer has closed: receipt no., reason", .serviceAction),
             KeyBinding([.character("n")], nil, "Returned check (NSF): receipt no., check no., reason; fee, cash only, letter", .serviceAction),
             KeyBinding([.character("t")], nil, "Transfer a payment from the open account to another: receipt no., account, amount", .serviceAction),
             KeyBinding([.character("l")], nil, "Reverse a late fee (or an NSF or reconnect fee) on the open account", .serviceAction),
             KeyBinding([.character("k")], nil, "Leak adjustment: credit water charges for the leak's dates", .serviceAction),
             KeyBinding([.character("f")], nil, "Refund the credit balance (a refund request prints for accounts payable)", .serviceAction),
             KeyBinding([.character("d")], nil, "Apply the deposit held to the balance (final bill)", .serviceAction),
             KeyBinding([.character("e")], nil, "Refund the deposit held (refund request and letter print)", .serviceAction),
             KeyBinding([.character("p")], nil, "Payment plan: what is past due in monthly installments", .serviceAction),
             KeyBinding([.character("x")], nil, "Extension: what is past due, paid by a date", .serviceAction),
             KeyBinding([.character("s")], nil, "New service request (work order) for the open account", .serviceAction),
             KeyBinding([.character("w")], nil, "Update a work order: scheduled, done or cancelled", .serviceAction),
             KeyBinding([.character("c")], nil, "Change an address or contact detail (the old value is kept)", .serviceAction),
             KeyBinding([.character("o")], nil, "Write off the balance as bad debt (a supervisor), and refer it to collections", .serviceAction),
             KeyBinding([.character("$")], nil, "Collect a deposit for new service: adds it to the payment cart", .collectDeposit),
             KeyBinding([.character("b")], nil, "Mail batch: control total, then account, amount, check no. a line; posts when it balances", .batchEntry),
             KeyBinding([.enter, .escape], nil, "In a form: Enter goes on, Esc goes back; beyond your authority a lead or supervisor types id and PIN", .submit),
             KeyBinding([.character("-")], nil, "In a batch: on an empty account, takes the last line off (c: cash, m123: money order)", .removeLine)]
        case .reports:
            [KeyBinding([.up, .down, .pageUp, .pageDown], nil, "Choose a setting", .moveDown),
             KeyBinding([.enter], nil, "Change the chosen setting (a supervisor): edit the value, Enter saves, Esc leaves it", .submit),
             KeyBinding([.character("r")], nil, "Refresh the day's overrides and the settings", .refresh)]
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

import TillCore

/// What a key does. One table per pane (and one global) drives dispatch, the
/// function-key bar and the help overlay, so the three can never disagree.
public enum Action: Hashable, Sendable {
    case help, lookup, pay, drawer, reprint, service, reports, settle, lock, quit
    case nextPane, previousPane, commandLine, back, interrupt
    case select, scroll, open, search, inForm
    case submit, switchField
    case tender, addLine, editAmount, removeLine, removeTender, addNote, printReceipt, printQueue, openDrawer
    case dropCash, noSale, closeDrawer, refresh, toggle, openDay, closeDay, cancelDay, printReport, acceptDrop
    case serviceAction, batchEntry, collectDeposit, addOffice
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

    /// A pane's own keys, each declared once: `PaneKeys.swift` dispatches on the action these
    /// tables give a key, help lists them, and the pane's hint line and the message line's idle
    /// hint are made from the ones with a label. The "In a count…" rows describe keys of a form
    /// in progress, handled by the form.
    public static func pane(_ pane: Pane) -> [KeyBinding] {
        switch pane {
        case .lookup:
            [KeyBinding([], nil, "Type any part of an account or meter number, name, address or phone: matches narrow as you type", .search),
             KeyBinding([.enter], nil, "Open the highlighted account", .open),
             KeyBinding([.up, .down, .pageUp, .pageDown], nil, "Move through the results (PgUp/PgDn by ten)", .select),
             KeyBinding([.escape], nil, "Clear the search", .back)]
        case .account:
            [KeyBinding([.function(3)], "pay", "Put this account in the payment cart", .pay),
             KeyBinding([.character("n")], "adds a note", "Add a note to the account (Enter saves it with your id and the time)", .addNote),
             KeyBinding([.up, .down, .pageUp, .pageDown], nil, "Scroll the account", .scroll)]
        case .payment:
            [KeyBinding([.enter], "confirm", "Take what the line asks (an empty amount is the balance due); on a paid cart, confirm; then post", .submit),
             KeyBinding(TenderKind.allCases.map { .character($0.key) }, nil, "Tender: " + tenderNames(", "), .tender),
             KeyBinding([.character("x")], "receipt line", "Add a miscellaneous receipt line with a revenue code", .addLine),
             KeyBinding([.character("a")], "amount", "Change the amount of the selected line", .editAmount),
             KeyBinding([.up, .down], nil, "Select a cart line", .select),
             KeyBinding([.delete], "remove line", "Remove the selected line (before any tender)", .removeLine),
             KeyBinding([.backspace], "remove tender", "Remove the last tender", .removeTender),
             KeyBinding([.function(3)], nil, "Add the open account to the cart", .pay),
             KeyBinding([.escape], nil, "Back one step (asks before dropping what was typed); on the cart, leave (asks before discarding)", .back)]
        case .receipt:
            [KeyBinding([], nil, "Type a receipt number (1042, or an office's: NORTH-17), then Enter to show it", .search),
             KeyBinding([.enter], "shows", "Show the receipt whose number is typed", .open),
             KeyBinding([.character("p"), .function(5)], "reprints", "Print the shown receipt again, marked REPRINT", .printReceipt),
             KeyBinding([.character("w")], nil, "Print every receipt waiting in the reprint queue", .printQueue),
             KeyBinding([.up, .down, .pageUp, .pageDown], nil, "Scroll the receipt", .scroll)]
        case .drawer:
            [KeyBinding([.character("o")], "open", "Open your drawer: count the float (prefilled with the standard; type only what differs)", .openDrawer),
             KeyBinding([.character("d")], "drop", "Drop cash to the safe: count it, then the bag number", .dropCash),
             KeyBinding([.character("n")], "no sale", "No sale: open the drawer without a payment (recorded)", .noSale),
             KeyBinding([.character("c")], "close", "Close your drawer: blind count, tick the checks, card batch total, then see over/short", .closeDrawer),
             KeyBinding([.character("r")], "refresh", "Refresh the X report (what the drawer should hold now)", .refresh),
             KeyBinding([.up, .down, .pageUp, .pageDown], nil, "Scroll the X report", .scroll),
             KeyBinding([.up, .down, .enter], nil, "In a count: move between denominations; digits type the quantity; Enter on Done goes on", .inForm),
             KeyBinding([.end, .home], nil, "In a count: jump to Done (a standard float is o, End, Enter) or back to the top", .inForm),
             KeyBinding([.character(" "), .character("a")], nil, "In the check list: Space ticks a check as found, a ticks them all", .inForm)]
        case .settle:
            [KeyBinding([.character("o")], "open day", "Open today's business day (lead or supervisor)", .openDay),
             KeyBinding([.character("c")], "close day", "Close the day once every drawer is closed: type the deposit bag number (lead or supervisor)", .closeDay),
             KeyBinding([.character("x")], nil, "Cancel a day opened by mistake with nothing in it: type why (supervisor; audited)", .cancelDay),
             KeyBinding([.character("a")], "accept drop", "Accept a drop's bag as counted (a lead, not who dropped it): BAG, or BAG AMOUNT REASON when it differs", .acceptDrop),
             KeyBinding([.character("p")], "print", "Print the settlement report and deposit slip", .printReport),
             KeyBinding([.character("r")], nil, "Refresh", .refresh),
             KeyBinding([.up, .down, .pageUp, .pageDown], nil, "Scroll the report", .scroll)]
        case .service:
            serviceActions.map { KeyBinding([.character($0.key)], nil, $0.description, .serviceAction) } + [
             KeyBinding([.character("$")], nil, "Collect a deposit for new service: adds it to the payment cart", .collectDeposit),
             KeyBinding([.character("b")], nil, "Mail batch: control total, then account, amount, check no. a line; posts when it balances", .batchEntry),
             KeyBinding([.up, .down], nil, "Scroll the work orders and changes", .scroll),
             KeyBinding([.enter, .escape], nil, "In a form: Enter goes on, Esc goes back; beyond your authority a lead or supervisor types id and PIN", .inForm),
             KeyBinding([.character("-")], nil, "In a batch: on an empty account, takes the last line off (c: cash, m123: money order)", .inForm)]
        case .reports:
            [KeyBinding([.up, .down, .pageUp, .pageDown], nil, "Choose a setting", .select),
             KeyBinding([.enter], "change", "Change the chosen setting (a supervisor): edit the value, Enter saves, Esc leaves it", .submit),
             KeyBinding([.character("r")], "refresh", "Refresh the day's overrides and the settings", .refresh),
             KeyBinding([.character("n")], "new office", "Add an office (a supervisor): code, name, address, bank account; Enter goes on, Esc leaves", .addOffice)]
        }
    }

    /// The service actions, one letter each: the menu, help and dispatch all read this.
    public static let serviceActions: [(key: Character, kind: ServiceForm.Kind, description: String)] = [
        ("v", .void, "Void a payment taken in a drawer still open: receipt no., reason"),
        ("r", .reversal, "Reverse a payment whose drawer has closed: receipt no., reason"),
        ("n", .nsf, "Returned check (NSF): receipt no., check no., reason; fee, cash only, letter"),
        ("t", .transfer, "Transfer a payment from the open account to another: receipt no., account, amount"),
        ("l", .lateFee, "Reverse a late fee (or an NSF or reconnect fee) on the open account"),
        ("k", .leak, "Leak adjustment: credit water charges for the leak's dates"),
        ("f", .refund, "Refund the credit balance (a refund request prints for accounts payable)"),
        ("d", .depositApply, "Apply the deposit held to the balance (final bill)"),
        ("e", .depositRefund, "Refund the deposit held (refund request and letter print)"),
        ("p", .plan, "Payment plan: what is past due in monthly installments"),
        ("x", .extension, "Extension: what is past due, paid by a date"),
        ("s", .request, "New service request (work order) for the open account"),
        ("w", .requestUpdate, "Update a work order: scheduled, done or cancelled"),
        ("c", .contact, "Change an address or contact detail (the old value is kept)"),
        ("o", .writeOff, "Write off the balance as bad debt (a supervisor), and refer it to collections"),
        ("u", .suspenseApply, "Apply a payment held in suspense (the list below) to the open account, or another: item no., amount"),
        ("i", .suspenseRefund, "Refund a payment held in suspense to its payer (a refund request prints for accounts payable)"),
        ("g", .pledge, "Record an assistance agency's pledge on the open account: agency, amount, case no., expiry"),
        ("a", .autopay, "Enrol the open account in autopay: routing no., bank account (shown as its last four), kind"),
        ("z", .autopayStop, "Stop the open account's autopay: reason"),
    ]

    /// "c cash · k check · m money order · d card · e e-check": the tender letters, from the tenders.
    public static func tenderNames(_ separator: String = " · ") -> String {
        TenderKind.allCases.map { "\($0.key) \($0.title)" }.joined(separator: separator)
    }

    /// A pane's labelled keys as a hint ("d drop · n no sale · c close"), those of `actions` only
    /// when given, in the table's order.
    public static func hint(_ pane: Pane, only actions: [Action]? = nil) -> String {
        KeyMap.pane(pane).filter { $0.label != nil && (actions?.contains($0.action) ?? true) }
            .map { "\($0.keys.first?.name ?? "") \($0.label!)" }.joined(separator: " · ")
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

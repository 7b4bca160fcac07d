import TillCore

/// What happens to the UI: a key, a resize, the clock, or a result the runtime brings back.
public enum Event: Equatable, Sendable {
    case key(Key)
    case resize(Size)
    /// Once a second or so: the clock text and how long since the last key.
    case tick(clock: String, idleSeconds: Int)
    case signedIn(OperatorInfo)
    case signInFailed(String)
    case unlocked(OperatorInfo)
    case unlockFailed(String)
    case status(StatusInfo)
    case searchResults(query: String, [AccountLine])
    case accountLoaded(AccountView)
    /// A scanned bill stub read: its account, the amount the stub asks, and what to warn about.
    case stubLoaded(AccountView, amount: Money, warning: String?)
    /// The account re-read after a change (a payment, a note), without moving the focus.
    case accountRefreshed(AccountView)
    case paymentPosted(PostedPayment)
    case paymentFailed(String)
    /// The receipt to show, and the names of the receipts waiting to print ("#1042", "NORTH-17").
    case receiptLoaded(ReceiptPreview?, queue: [String])
    case notice(AppState.Message)
    /// The drawer pane's figures: the operator's drawer now (X report), or its last close.
    case drawerLoaded(DrawerView)
    /// A closing count compared with what was expected, shown only after the count is in.
    case closePreview(DrawerBalance, needsApproval: Bool)
    /// A drawer open, drop or close went through; the form is done.
    case drawerDone(AppState.Message)
    /// A drawer action the ledger refused: the form stays for a correction.
    case drawerFailed(String)
    case settlementLoaded(SettleView)
    case serviceLoaded(ServiceView)
    /// The clarification worklist: one line per open suspense item, oldest first.
    case suspenseLoaded([String])
    /// An agency's pledges still awaited, by account: the cart becomes the agency's payment.
    case pledgesLoaded(agency: String, [String: AgencyPledge])
    case reportsLoaded(ReportsView)
    /// An account action posted: the form is done.
    case serviceDone(AppState.Message)
    /// The action is beyond the operator's authority: ask for a lead's or supervisor's id and PIN.
    case serviceNeedsOverride(String)
    /// The ledger refused the action: the form stays for a correction.
    case serviceFailed(String)
    /// A batch line the ledger accepted as typed (with the customer's name), or why not.
    case batchLineChecked(BatchEntry.Line)
    case batchLineRefused(String)
    case batchPosted(AppState.Message)
    case batchFailed(String)
}

/// What the UI asks the runtime to do. The runtime runs each and may answer with an `Event`.
public enum Effect: Equatable, Sendable {
    case authenticate(login: String, pin: String)
    /// Unlock when `login` is the session's operator or a supervisor.
    case unlock(login: String, pin: String, sessionLogin: String)
    case audit(event: String, detail: String)
    case search(String)
    case loadAccount(String)
    /// A scanned bill stub's line (a search of exactly the scan line's shape, then Enter).
    case readStub(String)
    case refreshAccount(String)
    case addNote(account: String, text: String)
    case loadDrawer
    case openDrawer(float: CashCount, reason: String)
    case drop(CashCount, bag: String)
    case noSale
    case previewClose(CashCount, found: Set<Int64>, cardBatch: Money)
    case closeDrawer(DrawerCloseSubmission)
    case loadSettlement
    case openDay
    case closeDay(bag: String)
    case cancelDay(reason: String)
    case acceptDrop(bag: String, counted: Money?, reason: String)
    case printSettlement
    case loadService(account: String)
    case loadSuspense
    /// What an agency's pledges await, for the cart (`:agency NAME`).
    case loadPledges(String)
    case loadReports
    /// A supervisor's change of one setting (the ledger checks the value and the role).
    case changeSetting(key: String, value: String)
    /// A supervisor's new office (the ledger checks each field and the role).
    case addOffice(code: String, name: String, address: String, bankAccount: String)
    case service(ServiceSubmission)
    case checkBatchLine(BatchEntry.Line)
    case postBatch(BatchSubmission)
    case postPayment(PaymentSubmission)
    /// Shows a receipt in the receipt pane: nil is the last one taken at this terminal.
    case loadReceipt(ReceiptNumber?)
    /// Shows the receipt a person typed: 1042, #1042, or an office's number such as NORTH-17.
    case findReceipt(String)
    /// Prints a receipt again (marked REPRINT if it printed before).
    case printReceipt(ReceiptNumber)
    /// Prints every receipt waiting in the reprint queue.
    case printQueue
    case refreshStatus
    case switchTheme(String)
    case signOut
    case quit
    /// Ctrl-L: draw the whole screen again (another program wrote over it).
    case repaint
}

import TillCore

/// Everything the screen shows. `update` changes it; `render` draws it.
public struct AppState: Equatable, Sendable {
    public enum Screen: Equatable, Sendable {
        case signIn
        case main
    }

    public enum Field: Equatable, Sendable { case login, pin }

    /// A two-field form: sign-in, and unlocking a locked screen.
    public struct Credentials: Equatable, Sendable {
        public var login = ""
        public var pin = ""
        public var field: Field = .login
        public var error: String?
        public var isEmpty: Bool { login.isEmpty && pin.isEmpty }
    }

    /// A yes/no question on the message line, and what "yes" does.
    public struct Confirmation: Equatable, Sendable {
        public enum Outcome: Equatable, Sendable {
            case quit, clearSignIn, discardCommand, discardPayment, discardNote, discardEntry, discardDrawerForm, discardBatch
            case closeDay(bag: String)
            case addOffice(code: String, name: String, address: String, bankAccount: String)
            case cancelDay(reason: String)
            case acceptDrop(bag: String, counted: Money?, reason: String)
            case acceptLineAmount(line: Int, amount: Money)
            case acceptTenderOverage(kind: TenderKind, amount: Money)
        }
        public let question: String
        public let outcome: Outcome
    }

    public struct Message: Error, Equatable, Sendable {
        public enum Kind: Sendable { case info, warning, error }
        public let text: String
        public let kind: Kind
        /// A refusal of what was typed (a card number, text beyond the field) stays while the
        /// rest of a paste arrives, instead of being cleared by the next character.
        public var staysWhileTyping = false
        public init(_ text: String, _ kind: Kind = .info) { self.text = text; self.kind = kind }
    }

    public var size: Size
    public var glyphs: Glyphs
    public var screen: Screen = .signIn
    public var status: StatusInfo
    public var session: OperatorInfo?
    public var credentials = Credentials()
    /// Non-nil while the screen is locked: the form that unlocks it.
    public var lock: Credentials?
    public var focus: Pane = .lookup
    /// The pane shown beside Lookup (the last one focused other than Lookup).
    public var detail: Pane = .account
    public var helpOpen = false
    public var helpScroll = 0
    public var command: String?
    public var confirmation: Confirmation?
    public var message: Message?
    /// Ctrl-F was pressed: the next digit is an F-key (F1–F9, 0 for F10), at any speed.
    public var functionPrefix = false
    public var idleLockMinutes: Int = 5

    public var query = ""
    /// The query the results are for; Enter opens a result only while the query is unchanged.
    public var searched: String?
    public var results: [AccountLine] = []
    public var selected = 0
    public var account: AccountView?
    public var payment = PaymentDraft()
    /// Unique to this run of Till: with `draftSerial` it makes each payment's idempotency key.
    public var nonce: String
    public var draftSerial = 0
    /// Cash-register entry: typed digits fill from the cents (`4550` is $45.50).
    public var registerEntry = false
    /// The bill stubs' scan-line layout: a search of exactly its shape is a scanned stub.
    public var scanLine = ScanLineFormat.standard
    /// Digits the card-number guard took out of an all-digit search: a stub's scan line arrives
    /// from a reader one digit at a time, and its first 13 to 19 digits can pass for a card. Held
    /// unseen (never shown, searched or written) only to be read as a scan line at Enter; dropped
    /// at any other key.
    var heldScanDigits = ""
    public var accountScroll = 0
    /// A note being typed for the open account.
    public var noteDraft: String?
    /// The receipt shown in the receipt pane, and the number being typed to show another.
    public var receipt: ReceiptPreview?
    public var receiptEntry = ""
    public var receiptScroll = 0
    /// Receipts of the open day at this terminal that have not printed, by the names people
    /// read them by: "#1042", or "NORTH-17" where each office counts its own.
    public var reprintQueue: [String] = []

    /// The drawer pane: its figures, and a count being entered.
    public var drawer: DrawerView?
    public var drawerForm: DrawerForm?
    public var drawerScroll = 0
    /// The settle pane: the day's settlement, and the deposit bag number being typed.
    public var settle: SettleView?
    public var depositBag: String?
    /// Why the open day is being cancelled, while it is typed.
    public var cancelReason: String?
    /// A drop's bag being accepted: `BAG`, or `BAG AMOUNT REASON` when the bag holds other than the drop said.
    public var dropAcceptance: String?
    public var settleScroll = 0
    /// The service pane: an account action being entered, a mail batch being keyed, and the
    /// open account's work orders and address history.
    public var serviceForm: ServiceForm?
    public var batch: BatchEntry?
    public var service: ServiceView?
    /// The clarification worklist shown on the service pane: the open suspense items.
    public var suspense: [String] = []
    public var serviceScroll = 0
    /// The reports pane: the day's overrides and the settings; a setting's new value being typed.
    public var reports: ReportsView?
    public var reportsRow = 0
    public var settingEdit: String?
    /// A supervisor's new office being typed on the reports pane.
    public var officeForm: OfficeForm?

    public init(size: Size, status: StatusInfo, glyphs: Glyphs = .unicode, nonce: String = "") {
        self.size = size
        self.status = status
        self.glyphs = glyphs
        self.nonce = nonce
    }

    public static let minimumSize = Size(width: 80, height: 24)
    public var isTooSmall: Bool { size.width < Self.minimumSize.width || size.height < Self.minimumSize.height }
}

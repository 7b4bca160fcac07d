import Foundation
import TillCore
import TillLedger
import TillPrinting
import TillUI

/// Runs the pure UI against a real ledger: feeds it events, carries out the effects
/// it asks for, and feeds the results back. No terminal here, so tests drive it
/// with keys and read the grid.
public final class Runtime {
    public private(set) var state: AppState
    public private(set) var theme: Theme
    public private(set) var shouldQuit = false
    /// Ctrl-L asked for the whole screen to be drawn again; the terminal loop clears it.
    public var repaintRequested = false
    public let ledger: Ledger
    public let terminal: String
    let themes: ThemeLibrary
    let colors: Bool
    private var lastKey: Date
    private let now: () -> Date

    public init(ledger: Ledger, terminal: String, size: Size, glyphs: Glyphs = .unicode, themes: ThemeLibrary,
                themeName: String?, colors: Bool, now: @escaping () -> Date = { Date() }) {
        self.ledger = ledger
        self.terminal = terminal
        self.themes = themes
        self.colors = colors
        self.now = now
        lastKey = now()
        let settings = try? ledger.typedSettings()
        let settingName = settings?.theme ?? SettingKey.defaultValue(.theme)
        let choice = themes.resolve(requested: themeName ?? settingName, colors: colors)
        theme = choice.theme
        state = AppState(size: size, status: StatusInfo(utilityName: settings?.utilityName ?? "Till",
                                                       businessDate: try? ledger.openBusinessDay(), terminal: terminal,
                                                       drawer: "none", clock: Self.clock(now())), glyphs: glyphs,
                         nonce: UUID().uuidString)
        state.status.training = settings?.training ?? false
        if let settings { apply(settings) }
        if let warning = choice.warning { state.message = AppState.Message(warning, .warning) }
    }

    public func render() -> Grid { TillUI.render(state) }

    public func key(_ key: Key) {
        lastKey = now()
        // A setting changed on any screen (or by `till settings`) takes effect here at the
        // next key: the settings are a few rows, read fresh each time.
        if let settings = try? ledger.typedSettings() { apply(settings) }
        send(.key(key))
    }

    private func apply(_ settings: TypedSettings) {
        state.idleLockMinutes = settings.idleLockMinutes
        state.registerEntry = settings.registerEntry
        state.scanLine = settings.scanLine
        state.status.utilityName = settings.utilityName
    }

    public func resize(_ size: Size) { send(.resize(size)) }

    /// The clock and idle lock; call about once a second.
    public func tick() {
        let idle = Int(now().timeIntervalSince(lastKey))
        send(.tick(clock: Self.clock(now()), idleSeconds: idle))
        // Between customers: fold the write-ahead log into the database file, so no
        // posting ever waits for it.
        if idle >= 2 { ledger.checkpoint() }
    }

    /// Records the sign-out when Till is stopped from outside (SIGTERM, SIGHUP).
    /// Another terminal has held the ledger for more than a second: say so until it is free.
    public func noteLedgerWait(_ waiting: Bool) {
        if waiting {
            // On PostgreSQL the wait may also be the server restarting or failing over.
            state.message = AppState.Message(ledger.isPostgres ? "Waiting for the ledger: another terminal, or the database server…"
                                             : "Waiting for the ledger: another terminal is writing…", .warning)
        } else if state.message?.text.hasPrefix("Waiting for the ledger") == true {
            state.message = nil
        }
    }

    public func signOut(reason: String) {
        guard let session = state.session else { return }
        try? ledger.audit("signout", detail: reason, operatorID: session.id, terminal: terminal)
    }

    public func send(_ event: Event) {
        var queue = [event]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            for effect in update(&state, next) {
                queue.append(contentsOf: run(effect))
            }
        }
    }

    func run(_ effect: Effect) -> [Event] {
        switch effect {
        case .refreshAccount(let number):
            return [account(number, Event.accountRefreshed)]
        case .addNote(let number, let text):
            do {
                try ledger.addNote(text, account: number, operatorID: state.session?.id ?? 0, terminal: terminal)
            } catch {
                return [.notice(AppState.Message("Note not added: \(error)", .error))]
            }
            return [account(number, Event.accountRefreshed), .notice(AppState.Message("Note added to \(number)"))]
        case .loadDrawer, .openDrawer, .drop, .noSale, .previewClose, .closeDrawer, .loadSettlement, .openDay, .closeDay, .cancelDay, .acceptDrop,
             .printSettlement:
            return runDay(effect)
        case .loadService, .loadSuspense, .loadPledges, .service, .checkBatchLine, .postBatch:
            return runService(effect)
        case .loadReports, .changeSetting, .addOffice:
            return runReports(effect)
        case .postPayment(let submission):
            return post(submission)
        case .loadReceipt(let number):
            return [attempt { try self.receiptLoaded(number) }]
        case .findReceipt(let typed):
            return [attempt { try self.receiptLoaded(try self.ledger.findReceipt(typed)) }]
        case .printReceipt(let number):
            let (failure, preview, printedName) = printReceipt(number)
            let name = printedName ?? receiptName(number)
            return [.receiptLoaded(preview, queue: queueNames()),
                    .notice(failure.map { AppState.Message("Receipt \(name) not printed: \($0)", .error) }
                            ?? AppState.Message("Receipt \(name) printed"))]
        case .printQueue:
            let queue = reprintQueue()
            let failures = queue.compactMap { number in printReceipt(number).failure.map { "\(receiptName(number)): \($0)" } }
            return [attempt { try self.receiptLoaded(nil) },
                    .notice(failures.isEmpty ? AppState.Message("Printed \(queue.count) waiting receipt(s)")
                                             : AppState.Message("Not printed: " + failures.joined(separator: "; "), .error))]
        case .authenticate(let login, let pin):
            switch signIn(login, pin) {
            case .success(let op): return [.signedIn(op)]
            case .failure(let message): return [.signInFailed(message.text)]
            }
        case .unlock(let login, let pin, let sessionLogin):
            switch signIn(login, pin) {
            case .failure(let message): return [.unlockFailed(message.text)]
            case .success(let op):
                guard op.login == sessionLogin || op.role == .supervisor else {
                    return [.unlockFailed("Only \(sessionLogin) or a supervisor can unlock this screen")]
                }
                try? ledger.audit("screen.unlocked", detail: "by \(op.login)", operatorID: state.session?.id, terminal: terminal)
                return [.unlocked(op)]
            }
        case .audit(let event, let detail):
            try? ledger.audit(event, detail: detail, operatorID: state.session?.id, terminal: terminal)
            return []
        case .search(let text):
            return [attempt {
                let found = try self.ledger.searchAccounts(text)
                // An account in an assistance program says so in the list, beside its status.
                let programs = try self.ledger.enrolledPrograms(accounts: found.map(\.number))
                return .searchResults(query: text, found.map { Self.line($0, program: programs[$0.number]) })
            }]
        case .loadAccount(let number):
            return [account(number, Event.accountLoaded)]
        case .readStub(let line):
            return [attempt {
                let match = try self.ledger.readStub(line)
                guard let view = try self.accountView(match.stub.account.rawValue) else {
                    return .notice(AppState.Message("No account \(match.stub.account)", .error))
                }
                return .stubLoaded(view, amount: match.stub.amount, warning: match.warning)
            }]
        case .refreshStatus:
            return [attempt {
                var status = self.state.status
                status.businessDate = try self.ledger.openBusinessDay()
                status.utilityName = try self.ledger.setting(.utilityName)
                status.training = try self.ledger.typedSettings().training
                status.approvers = try self.ledger.approverLogins()
                if let op = self.state.session {
                    let drawer = try self.ledger.currentDrawer(operatorID: op.id, terminal: self.terminal)
                    status.drawer = drawer.map { "open #\($0.id)" } ?? "none"
                    // Over the drawer's cash limit: the status line says to drop cash.
                    if let drawer, try self.ledger.cashOverLimit(session: drawer.id) != nil { status.drawer += " DROP CASH" }
                    // Where a setting lets one operator hold several drawers, the others are named.
                    let others = try self.ledger.otherOpenDrawers(operatorID: op.id, terminal: self.terminal)
                    if !others.isEmpty { status.drawer += " +" + others.joined(separator: ",") }
                    status.drawerSession = drawer?.id
                }
                return .status(status)
            }, .receiptLoaded(nil, queue: queueNames())]
        case .switchTheme(let name):
            let choice = themes.resolve(requested: name, colors: colors)
            theme = choice.theme
            return [.notice(AppState.Message(choice.warning ?? "Theme \(choice.theme.name)", choice.warning == nil ? .info : .warning))]
        case .signOut:
            try? ledger.audit("signout", operatorID: state.session?.id, terminal: terminal)
            return []
        case .quit:
            shouldQuit = true
            return []
        case .repaint:
            repaintRequested = true
            return []
        }
    }

    private struct Failure: Error { let text: String }

    private func signIn(_ login: String, _ pin: String) -> Result<OperatorInfo, Failure> {
        do {
            let op = try ledger.authenticate(try OperatorLogin(login), pin: pin, terminal: terminal)
            return .success(OperatorInfo(id: op.id, login: op.login.rawValue, name: op.displayName, role: op.role))
        } catch {
            return .failure(Failure(text: "\(error)"))
        }
    }

    /// Runs a ledger read, turning an error into a message on screen.
    func attempt(_ body: () throws -> Event) -> Event {
        do { return try body() } catch { return .notice(AppState.Message("\(error)", .error)) }
    }

    /// The account's view wrapped in `event`, or a message saying why not.
    private func account(_ number: String, _ event: (AccountView) -> Event) -> Event {
        attempt { try self.accountView(number).map(event) ?? .notice(AppState.Message("No account \(number)", .error)) }
    }

    private func accountView(_ number: String) throws -> AccountView? {
        guard let detail = try ledger.accountDetail(number) else { return nil }
        let record = detail.record
        var view = AccountView(line: Self.line(record), mailingAddress: record.mailingAddress, phone: record.phone,
                               meter: record.meter, depositHeld: record.depositHeld, cashOnlyUntil: record.cashOnlyUntil)
        view.openCharges = detail.openCharges
        view.aging = detail.aging
        view.payments = detail.payments
        view.notes = detail.notes
        view.alerts = detail.alerts
        return view
    }

    /// Posts the payment (once, whatever happens after), then prints its receipt. The
    /// posting is committed before the printer is touched: a printer failure leaves the
    /// payment posted and the receipt in the reprint queue.
    private func post(_ submission: PaymentSubmission) -> [Event] {
        guard let op = state.session else { return [.paymentFailed("nobody is signed in")] }
        let posted: PostedTransaction
        do {
            posted = try ledger.post(Payment(lines: submission.lines, tenders: submission.tenders), operatorID: op.id,
                                     terminal: terminal, idempotencyKey: submission.idempotencyKey,
                                     drawerSession: submission.drawerSession, memo: submission.memo,
                                     suspense: submission.suspensePayer.map {
                                         SuspenseDetails(reason: "at the counter: account not known", payer: $0,
                                                         reference: submission.tenders.compactMap(\.reference).first ?? "",
                                                         checkNumber: submission.tenders.first { $0.kind == .check }?.reference ?? "")
                                     },
                                     directedTo: try submission.direction.map { try ChargeTarget(spec: $0) },
                                     agency: submission.agency)
        } catch {
            return [.paymentFailed("\(error)")]
        }
        guard let receipt = posted.receipt else { return [.paymentFailed("the ledger issued no receipt number")] }
        let change = (try? Money.sum(submission.tenders.map(\.change))) ?? .zero
        let alreadyPrinted = posted.wasAlreadyPosted && ((try? ledger.hasPrinted(receipt)) ?? false)
        let (failure, preview, printedName) = alreadyPrinted ? (nil, nil, nil) : printReceipt(receipt)
        let shown = preview.map { Event.receiptLoaded($0, queue: queueNames()) } ?? attempt { try self.receiptLoaded(receipt) }
        var payment = PostedPayment(receipt: receipt, change: change, printFailure: failure,
                                    wasAlreadyPosted: posted.wasAlreadyPosted, restoreRequests: posted.restoreRequests)
        // Its name as printed (NORTH-17 where offices count their own); read when it did not print.
        payment.name = printedName ?? (try? ledger.receiptName(receipt)) ?? payment.name
        return [.paymentPosted(payment), shown]
    }

    func printerConfig() -> Result<PrinterConfig, PrintError> { OfficePrinter.config(ledger) }

    var receiptWidth: Int { OfficePrinter.receiptWidth(ledger) }

    /// Prints a receipt (REPRINT if it printed before) and logs the attempt. Returns why it
    /// failed (nil when it printed) and the receipt as the pane now shows it.
    @discardableResult
    func printReceipt(_ number: ReceiptNumber) -> (failure: String?, preview: ReceiptPreview?, name: String?) {
        let printed = OfficePrinter.printReceipt(number, operatorID: state.session?.id, terminal: terminal, ledger)
        guard let receipt = printed.receipt else { return (printed.failure, nil, nil) }
        // Once printed, the next print is a reprint: the preview shows what it would be.
        let lines = ReceiptLayout.lines(receipt, width: receiptWidth, reprint: printed.reprint || printed.failure == nil).map(\.text)
        return (printed.failure, ReceiptPreview(number: number, lines: lines), receipt.name)
    }

    private func reprintQueue() -> [ReceiptNumber] { (try? ledger.reprintQueue(terminal: terminal)) ?? [] }

    /// The waiting receipts by the names people read them by (NORTH-17 where offices count their own).
    private func queueNames() -> [String] { reprintQueue().map(receiptName) }

    private func receiptName(_ number: ReceiptNumber) -> String { (try? ledger.receiptName(number)) ?? "#\(number)" }

    private func receiptLoaded(_ number: ReceiptNumber?) throws -> Event {
        let queue = try ledger.reprintQueue(terminal: terminal).map(receiptName)
        let last = try ledger.lastReceipt(terminal: terminal)
        guard let number = number ?? last else { return .receiptLoaded(nil, queue: queue) }
        guard let receipt = try ledger.receipt(number) else {
            return .notice(AppState.Message("No receipt #\(number)", .error))
        }
        let lines = ReceiptLayout.lines(receipt, width: receiptWidth, reprint: try ledger.hasPrinted(number)).map(\.text)
        return .receiptLoaded(ReceiptPreview(number: number, lines: lines), queue: queue)
    }

    static func line(_ record: AccountRecord, program: String? = nil) -> AccountLine {
        AccountLine(number: record.number, name: record.name, serviceAddress: record.serviceAddress,
                    status: record.status + (program.map { " \($0)" } ?? ""), balance: record.balance)
    }

    static func clock(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970) + TimeZone.current.secondsFromGMT(for: date)
        let minuteOfDay = ((seconds % 86_400) + 86_400) % 86_400 / 60
        return String(format: "%02d:%02d", minuteOfDay / 60, minuteOfDay % 60)
    }
}

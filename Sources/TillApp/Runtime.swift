import Foundation
import TillCore
import TillLedger
import TillUI

/// Runs the pure UI against a real ledger: feeds it events, carries out the effects
/// it asks for, and feeds the results back. No terminal here, so tests drive it
/// with keys and read the grid.
public final class Runtime {
    public private(set) var state: AppState
    public private(set) var theme: Theme
    public private(set) var shouldQuit = false
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
        let settingName = (try? ledger.setting(.theme)) ?? "default"
        let choice = themes.resolve(requested: themeName ?? settingName, colors: colors)
        theme = choice.theme
        state = AppState(size: size, status: StatusInfo(utilityName: (try? ledger.setting(.utilityName)) ?? "Till",
                                                       businessDate: try? ledger.openBusinessDay(), terminal: terminal,
                                                       drawer: "none", clock: Self.clock(now())), glyphs: glyphs)
        state.idleLockMinutes = Int((try? ledger.setting(.idleLockMinutes)) ?? "5") ?? 5
        if let warning = choice.warning { state.message = AppState.Message(warning, .warning) }
    }

    public func render() -> Grid { TillUI.render(state) }

    public func key(_ key: Key) {
        lastKey = now()
        send(.key(key))
    }

    public func resize(_ size: Size) { send(.resize(size)) }

    /// The clock and idle lock; call about once a second.
    public func tick() {
        send(.tick(clock: Self.clock(now()), idleSeconds: Int(now().timeIntervalSince(lastKey))))
    }

    /// Records the sign-out when Till is stopped from outside (SIGTERM, SIGHUP).
    public func signOut(reason: String) {
        guard let session = state.session else { return }
        try? ledger.audit("signout", detail: reason, operatorID: session.id, terminal: terminal)
    }

    public func send(_ event: Event) {
        var queue = [event]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            for effect in update(&state, next) {
                if let result = run(effect) { queue.append(result) }
            }
        }
    }

    private func run(_ effect: Effect) -> Event? {
        switch effect {
        case .authenticate(let login, let pin):
            switch signIn(login, pin) {
            case .success(let op): return .signedIn(op)
            case .failure(let message): return .signInFailed(message.text)
            }
        case .unlock(let login, let pin, let sessionLogin):
            switch signIn(login, pin) {
            case .failure(let message): return .unlockFailed(message.text)
            case .success(let op):
                guard op.login == sessionLogin || op.role == .supervisor else {
                    return .unlockFailed("Only \(sessionLogin) or a supervisor can unlock this screen")
                }
                try? ledger.audit("screen.unlocked", detail: "by \(op.login)", operatorID: state.session?.id, terminal: terminal)
                return .unlocked(op)
            }
        case .audit(let event, let detail):
            try? ledger.audit(event, detail: detail, operatorID: state.session?.id, terminal: terminal)
            return nil
        case .search(let text):
            return attempt { .searchResults(query: text, try self.ledger.searchAccounts(text).map(Self.line)) }
        case .loadAccount(let number):
            return attempt {
                guard let record = try self.ledger.account(number) else {
                    return .notice(AppState.Message("No account \(number)", .error))
                }
                return .accountLoaded(AccountView(line: Self.line(record), mailingAddress: record.mailingAddress,
                                                  phone: record.phone, meter: record.meter,
                                                  depositHeld: record.depositHeld, cashOnlyUntil: record.cashOnlyUntil))
            }
        case .refreshStatus:
            return attempt {
                var status = self.state.status
                status.businessDate = try self.ledger.openBusinessDay()
                status.utilityName = try self.ledger.setting(.utilityName)
                if let op = self.state.session {
                    status.drawer = try self.ledger.drawerState(operatorID: op.id, terminal: self.terminal)
                }
                return .status(status)
            }
        case .switchTheme(let name):
            let choice = themes.resolve(requested: name, colors: colors)
            theme = choice.theme
            return .notice(AppState.Message(choice.warning ?? "Theme \(choice.theme.name)", choice.warning == nil ? .info : .warning))
        case .signOut:
            try? ledger.audit("signout", operatorID: state.session?.id, terminal: terminal)
            return nil
        case .quit:
            shouldQuit = true
            return nil
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
    private func attempt(_ body: () throws -> Event) -> Event {
        do { return try body() } catch { return .notice(AppState.Message("\(error)", .error)) }
    }

    static func line(_ record: AccountRecord) -> AccountLine {
        AccountLine(number: record.number, name: record.name, serviceAddress: record.serviceAddress,
                    status: record.status, balance: record.balance)
    }

    static func clock(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970) + TimeZone.current.secondsFromGMT(for: date)
        let minuteOfDay = ((seconds % 86_400) + 86_400) % 86_400 / 60
        return String(format: "%02d:%02d", minuteOfDay / 60, minuteOfDay % 60)
    }
}

import TillCore

/// The `:` command line for fast operators. Each command is a word and its arguments.
public enum Command: Equatable, Sendable {
    case account(String)
    case pay(Money, TenderKind)
    case lookup(String)
    case drawer, help, lock, quit
    case theme(String)
    /// A payment for no known account: a cart line held in suspense, with the payer's name.
    case suspense(String)
    /// Direct the payment in the cart to a charge of its account.
    case direct(String)
    /// The cart is an assistance agency's payment: each account line fulfils the agency's pledge.
    case agency(String)

    public static let summaries: [(usage: String, description: String)] = [
        (":acct NUMBER", "Open an account by number (also :account)"),
        (":pay AMOUNT TENDER", "Start a payment, e.g. :pay 45.00 cash (cash, check, money-order, card, ach)"),
        (":find TEXT", "Search accounts (also :lookup)"),
        (":drawer", "The cash drawer pane"),
        (":theme NAME", "Switch theme: default, high-contrast, monochrome, green-screen"),
        (":to CHARGE", "Pay a charge of the cart's account first: bill:YYYY-MM-DD, late-fee, nsf-fee, reconnect (:to oldest undoes it)"),
        (":suspense [NAME]", "Take a payment for no known account into suspense (also :susp); F6 lists and applies them"),
        (":agency NAME", "The cart is an agency's payment: each account line fulfils its pledge (:agency none undoes it)"),
        (":lock", "Lock the screen"),
        (":help", "Help for the focused pane"),
        (":quit", "Sign out and quit (also :q)"),
    ]

    /// Parses a command line (without the leading `:`), or says what is wrong with it.
    public static func parse(_ line: String) -> Result<Command, CommandError> {
        let words = line.split(separator: " ").map(String.init)
        guard let verb = words.first?.lowercased() else { return .failure(.init("Type a command, e.g. :help")) }
        let rest = Array(words.dropFirst())
        switch verb {
        case "acct", "account":
            guard rest.count == 1 else { return .failure(.init("Usage: :acct NUMBER")) }
            return .success(.account(rest[0]))
        case "pay":
            guard rest.count == 2 else { return .failure(.init("Usage: :pay AMOUNT TENDER, e.g. :pay 45.00 cash")) }
            let amount: Money
            do { amount = try Money.parse(rest[0]) } catch { return .failure(.init(error.description)) }
            guard amount.isPositive else { return .failure(.init("A payment must be more than $0.00")) }
            guard let tender = TenderKind(spelling: rest[1]) else {
                return .failure(.init("Unknown tender \"\(rest[1])\": use cash, check, money-order, card or ach"))
            }
            return .success(.pay(amount, tender))
        case "find", "lookup":
            guard !rest.isEmpty else { return .failure(.init("Usage: :find TEXT")) }
            return .success(.lookup(rest.joined(separator: " ")))
        case "suspense", "susp": return .success(.suspense(rest.joined(separator: " ")))
        case "to":
            guard rest.count == 1 else { return .failure(.init("Usage: :to CHARGE, e.g. :to bill:2026-10-05, :to late-fee")) }
            let target = rest[0].lowercased()
            guard ["late-fee", "nsf-fee", "reconnect", "oldest"].contains(target)
                    || (target.hasPrefix("bill:") && (try? BusinessDate(String(target.dropFirst(5)))) != nil) else {
                return .failure(.init("Unknown charge \(TextSafety.quoted(rest[0])): bill:YYYY-MM-DD, late-fee, nsf-fee or reconnect"))
            }
            return .success(.direct(target))
        case "agency":
            guard !rest.isEmpty else { return .failure(.init("Usage: :agency NAME (:agency none undoes it)")) }
            return .success(.agency(rest.joined(separator: " ")))
        case "drawer": return .success(.drawer)
        case "help", "h": return .success(.help)
        case "lock": return .success(.lock)
        case "quit", "q": return .success(.quit)
        case "theme":
            guard rest.count == 1 else { return .failure(.init("Usage: :theme NAME")) }
            return .success(.theme(rest[0]))
        default:
            return .failure(.init("Unknown command :\(verb) — :help lists the commands"))
        }
    }
}

public struct CommandError: Error, Equatable, Sendable {
    public let message: String
    init(_ message: String) { self.message = message }
}

func commandKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    guard let line = state.command else { return [] }
    switch key {
    case .character(let c):
        var text = line
        Typing.type(c, into: &text, limit: 120, field: "the command line", &state)
        state.command = text
    case .backspace:
        state.command = line.isEmpty ? nil : String(line.dropLast())
    case .escape:
        if line.isEmpty { state.command = nil } else {
            state.confirmation = .init(question: "Discard the command \(TextSafety.quoted(":" + line))? (y/n)", outcome: .discardCommand)
        }
    case .enter:
        state.command = nil
        switch Command.parse(line) {
        case .failure(let error): state.message = AppState.Message(error.message, .error)
        case .success(let command): return run(command, &state)
        }
    default:
        break
    }
    return []
}

private func run(_ command: Command, _ state: inout AppState) -> [Effect] {
    switch command {
    case .account(let number): return [.loadAccount(number)]
    case .pay(let amount, let tender):
        guard state.account != nil else {
            state.message = AppState.Message("Open an account first (:acct NUMBER or F2), then :pay", .error)
            return []
        }
        addOpenAccountToCart(&state)
        if let index = state.payment.lines.firstIndex(where: { $0.accountNumber == state.account?.line.number }) {
            state.payment.selected = index
            state.payment.entry = amount.decimalString
            state.payment.step = .lineAmount(index)
            _ = paymentKey(.enter, &state)
            if state.confirmation == nil, case .cart = state.payment.step {
                state.payment.entry = ""
                _ = paymentKey(.character(tender.key), &state)
            }
        }
        return []
    case .lookup(let text):
        state.query = text
        state.searched = text
        focus(.lookup, &state)
        return [.search(text)]
    case .drawer: return perform(.drawer, &state)
    case .help: return perform(.help, &state)
    case .lock: return perform(.lock, &state)
    case .quit: return perform(.quit, &state)
    case .theme(let name): return [.switchTheme(name)]
    case .direct(let target):
        let accounts = state.payment.lines.compactMap(\.accountNumber)
        guard accounts.count == 1 else {
            state.message = AppState.Message("A payment is directed to a charge of one account: put the account in the cart (F3), alone", .error)
            return []
        }
        state.payment.direction = target == "oldest" ? nil : target
        state.message = AppState.Message(target == "oldest" ? "The payment pays the oldest charges first"
                                         : "\(accounts[0]) pays \(target) first; the receipt says so")
        return []
    case .agency(let name):
        if name.lowercased() == "none" {
            state.payment.agency = nil
            state.payment.pledges = [:]
            state.message = AppState.Message("The cart is no agency's payment")
            return []
        }
        if let bad = TextSafety.firstUnsafe(in: name) {
            state.message = AppState.Message("The name holds \(TextSafety.describe(bad)): type it again", .error)
            return []
        }
        return [.loadPledges(String(name.prefix(60)))]
    case .suspense(let payer):
        guard !state.payment.lines.contains(where: { if case .suspense = $0.kind { true } else { false } }) else {
            state.message = AppState.Message("The cart already has a suspense line: one payer a payment", .error)
            return []
        }
        if let bad = TextSafety.firstUnsafe(in: payer) {
            state.message = AppState.Message("The name holds \(TextSafety.describe(bad)): type it again", .error)
            return []
        }
        startCartLine(.suspense(payer: String(payer.prefix(100))),
                      message: "Held in suspense until a CSR applies it (F6): type the amount, Enter, then the tender", &state)
        return []
    }
}

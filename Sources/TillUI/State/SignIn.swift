import TillCore

/// The sign-in form and the lock screen: operator id, then PIN (shown as dots).
func signInKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    switch KeyMap.action(for: key, in: KeyMap.signIn) {
    case .help: state.helpOpen = true; state.helpScroll = 0; return []
    case .quit: return requestQuit(&state)
    case .back:
        if !state.credentials.isEmpty {
            state.confirmation = .init(question: "Clear the sign-in form? (y/n)", outcome: .clearSignIn)
        }
        return []
    case .switchField:
        state.credentials.field = state.credentials.field == .login ? .pin : .login
        return []
    case .submit:
        return submit(&state.credentials) { .authenticate(login: $0, pin: $1) }
    default:
        if key == .control("c") { return requestQuit(&state) }
        edit(&state.credentials, key)
        return []
    }
}

func lockedKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    guard var form = state.lock, let session = state.session else { return [] }
    var effects: [Effect] = []
    switch KeyMap.action(for: key, in: KeyMap.locked) {
    case .help: state.helpOpen = true; state.helpScroll = 0
    case .switchField: form.field = form.field == .login ? .pin : .login
    case .submit: effects = submit(&form) { .unlock(login: $0, pin: $1, sessionLogin: session.login) }
    default: edit(&form, key)
    }
    state.lock = form
    return effects
}

private func submit(_ form: inout AppState.Credentials, _ effect: (String, String) -> Effect) -> [Effect] {
    if form.field == .login || form.login.isEmpty {
        if form.login.isEmpty { form.error = "Type your operator id"; form.field = .login; return [] }
        form.field = .pin
        form.error = nil
        return []
    }
    guard !form.pin.isEmpty else { form.error = "Type your PIN"; return [] }
    let login = form.login, pin = form.pin
    form.pin = ""
    form.error = "Checking…"
    return [effect(login, pin)]
}

private func edit(_ form: inout AppState.Credentials, _ key: Key) {
    switch key {
    case .backspace:
        if form.field == .login { _ = form.login.popLast() } else { _ = form.pin.popLast() }
    case .character(let c):
        if form.field == .login {
            if c.isLetter || c.isNumber || c == "." || c == "_" || c == "-" { typeLogin(c, &form) }
        } else if c.isASCII && c.isNumber && form.pin.count < 12 {
            form.pin.append(c)
        } else {
            form.error = "A PIN is digits only"
        }
    default:
        break
    }
}

/// The operator id as typed: at most 32 characters, and never a card number (which would
/// otherwise reach the audit log as an unknown id).
private func typeLogin(_ c: Character, _ form: inout AppState.Credentials) {
    guard form.login.count < 32 else { form.error = "An operator id is at most 32 characters"; return }
    form.login.append(c)
    let ranges = CardNumber.ranges(in: form.login)
    guard !ranges.isEmpty else { return }
    for range in ranges.reversed() { form.login.removeSubrange(range) }
    form.error = "That looks like a full card number, not an operator id: it was taken out"
}

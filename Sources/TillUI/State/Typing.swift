import TillCore

/// Every character typed or pasted into a field of the counter screen goes through here, so
/// every field refuses the same things the same way: a full card number is taken out the
/// moment it is complete (and never echoed), and text longer than the field is refused with
/// a message instead of being cut silently.
enum Typing {
    /// Appends `c` to `text` unless the field is full; if the text then holds a full card
    /// number, the number is removed. Says why on the message line when it refuses.
    /// Returns whether the character stayed.
    @discardableResult
    static func type(_ c: Character, into text: inout String, limit: Int, field: String, _ state: inout AppState) -> Bool {
        guard text.count < limit else {
            state.message = AppState.Message("\(field.capitalizedFirst) takes at most \(limit) characters: "
                                             + "the rest was not typed.", .warning)
            state.message?.staysWhileTyping = true
            return false
        }
        text.append(c)
        guard refuseCardNumber(in: &text, &state) else { return true }
        return false
    }

    /// For a field a stub reader types into as well as a person (the search, a batch line's
    /// account): a scan line arrives one digit at a time, and its first 13 to 19 digits can pass
    /// for a card number. The guard takes them out as it would any card number; they are kept in
    /// `held`, unseen (never shown, searched or written), while digits keep coming, so that Enter
    /// reads `held + text` whole. The caller empties `held` at any other key. An all-digit field
    /// takes up to the scan line's length.
    @discardableResult
    static func typeScanning(_ c: Character, into text: inout String, held: inout String, limit: Int, field: String,
                             format: ScanLineFormat, _ state: inout AppState) -> Bool {
        let before = text, wasHeld = held
        held = ""
        let digits = { (s: String) in s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        let room = c.isASCIIDigit && digits(wasHeld + before) ? max(limit, format.length - wasHeld.count) : limit
        guard type(c, into: &text, limit: room, field: field, &state) else {
            let candidate = wasHeld + before + String(c)
            if digits(candidate) && text.isEmpty && candidate.count < format.length { held = candidate }
            return false
        }
        if c.isASCIIDigit && !wasHeld.isEmpty && digits(text) { held = wasHeld }
        return true
    }

    /// The same for a field kept in the state itself (the search, the payment's input line).
    @discardableResult
    static func type(_ c: Character, at field: WritableKeyPath<AppState, String>, limit: Int, name: String,
                     _ state: inout AppState) -> Bool {
        var text = state[keyPath: field]
        let kept = type(c, into: &text, limit: limit, field: name, &state)
        state[keyPath: field] = text
        return kept
    }

    /// Takes any full card number out of `text`, with the message; true if there was one.
    static func refuseCardNumber(in text: inout String, _ state: inout AppState) -> Bool {
        let ranges = CardNumber.ranges(in: text)
        guard !ranges.isEmpty else { return false }
        for range in ranges.reversed() { text.removeSubrange(range) }
        state.message = AppState.Message(cardNumberRefusal, .error)
        state.message?.staysWhileTyping = true
        return true
    }

    static let cardNumberRefusal = "That looks like a full card number: Till never keeps one, so it was taken out. "
        + "Type only what is asked (a card's last four digits)."

    /// How a field being typed is shown: a long run of digits only by its last four, and the
    /// tail of text longer than the room on screen (what is being typed, not its start).
    static func line(_ prompt: String, _ typed: String, width: Int) -> String {
        prompt + shown(typed, room: max(2, width - DisplayWidth.of(prompt) - 1)) + "_"
    }

    static func shown(_ text: String, room: Int) -> String {
        let masked = CardNumber.masked(text)
        guard DisplayWidth.of(masked) > room, room > 1 else { return masked }
        var tail = ""
        for c in masked.reversed() {
            guard DisplayWidth.of(String(c) + tail) <= room - 1 else { break }
            tail = String(c) + tail
        }
        return "…" + tail
    }
}

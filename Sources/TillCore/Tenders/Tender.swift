/// How a customer pays. Card payments are taken on a separate card terminal:
/// Till keeps only the last four digits and the authorisation code.
public enum TenderKind: String, CaseIterable, Sendable, Codable {
    case cash
    case check
    case moneyOrder = "money-order"
    case card
    case ach

    /// How screens and reports name the tender, in lower case.
    public var title: String {
        switch self {
        case .cash: "cash"
        case .check: "check"
        case .moneyOrder: "money order"
        case .card: "card"
        case .ach: "e-check"
        }
    }

    /// Every way a tender may be written — on the command line, in a batch or payment file, on
    /// the `:` line — and the kind it means. One vocabulary for all of them (docs/CLI.md).
    public static let spellings: [(spelling: String, kind: TenderKind)] = [
        ("cash", .cash), ("check", .check), ("cheque", .check), ("lockbox", .check),
        ("money-order", .moneyOrder), ("moneyorder", .moneyOrder), ("mo", .moneyOrder),
        ("card", .card), ("ach", .ach), ("e-check", .ach), ("echeck", .ach),
    ]

    /// The tender a person wrote, in any letter case; nil for anything else.
    public init?(spelling: String) {
        let text = spelling.trimmingSpacesAndTabs().lowercased()
        guard let kind = Self.spellings.first(where: { $0.spelling == text })?.kind else { return nil }
        self = kind
    }

    /// A kind as the ledger stored it: anything unknown is an error, never a guess.
    public static func stored(_ raw: String) throws(DomainError) -> TenderKind {
        guard let kind = TenderKind(rawValue: raw) else {
            throw DomainError(.invalidTender, "The ledger holds an unknown tender kind (\(raw.count) characters): run till verify")
        }
        return kind
    }

    /// Cash, checks and money orders are kept in the cash drawer; card and e-check are not.
    public var goesInDrawer: Bool { self == .cash || self == .check || self == .moneyOrder }

    /// The book a tender of this kind debits.
    public var book: BookAccount {
        switch self {
        case .cash: .drawerCash
        case .check: .checksOnHand
        case .moneyOrder: .moneyOrdersOnHand
        case .card: .cardClearing
        case .ach: .achClearing
        }
    }
}

public struct Tender: Hashable, Sendable, Codable {
    public var kind: TenderKind
    /// What the tender pays toward the cart (for cash: tendered less change).
    public var amount: Money
    /// Cash handed over; change = tendered − amount. Equals `amount` for other kinds.
    public var tendered: Money
    /// Check number, money-order number, card authorisation code.
    public var reference: String?
    /// Last four digits of a card or bank account.
    public var lastFour: String?
    /// The card's brand as the card terminal shows it (VISA, MC, AMEX, DISC).
    public var brand: String?

    public init(kind: TenderKind, amount: Money, tendered: Money? = nil, reference: String? = nil, lastFour: String? = nil,
                brand: String? = nil) {
        self.brand = brand
        self.kind = kind
        self.amount = amount
        self.tendered = tendered ?? amount
        self.reference = reference
        self.lastFour = lastFour
    }

    public var change: Money { (try? tendered - amount) ?? .zero }

    /// How screens and receipts name the tender: `Check #2041`, `VISA ****1234 AUTH 0A1B2C`.
    public var label: String {
        switch kind {
        case .cash: "Cash"
        case .check: "Check #\(reference ?? "")"
        case .moneyOrder: "Money order #\(reference ?? "")"
        case .card: "\(brand ?? "CARD") ****\(lastFour ?? "") AUTH \(reference ?? "")"
        case .ach: "E-check ****\(lastFour ?? "")"
        }
    }

    public static func cash(_ amount: Money, tendered: Money? = nil) -> Tender {
        Tender(kind: .cash, amount: amount, tendered: tendered)
    }
    public static func check(_ amount: Money, number: String) -> Tender {
        Tender(kind: .check, amount: amount, reference: number)
    }
    public static func moneyOrder(_ amount: Money, number: String) -> Tender {
        Tender(kind: .moneyOrder, amount: amount, reference: number)
    }
    public static func card(_ amount: Money, lastFour: String, authorization: String, brand: String? = nil) -> Tender {
        Tender(kind: .card, amount: amount, reference: authorization, lastFour: lastFour, brand: brand)
    }
    public static func ach(_ amount: Money, lastFour: String) -> Tender {
        Tender(kind: .ach, amount: amount, lastFour: lastFour)
    }

    /// The rules every tender obeys before it is posted.
    public func validate() throws(DomainError) {
        guard amount.isPositive else {
            throw DomainError(.invalidTender, "A \(kind.rawValue) tender must be more than $0.00")
        }
        guard tendered >= amount else {
            throw DomainError(.invalidTender, "Tendered \(tendered.formatted) is less than the \(amount.formatted) applied")
        }
        if kind != .cash && tendered != amount {
            throw DomainError(.invalidTender, "Change is given only for cash")
        }
        switch kind {
        case .cash:
            break
        case .check, .moneyOrder:
            guard let number = reference, !number.isEmpty, number.count <= 20, number.allSatisfy({ $0.isASCIIDigit }) else {
                throw DomainError(.invalidTender, "A \(kind == .check ? "check" : "money order") needs its number (digits only)")
            }
        case .card:
            guard let last = lastFour, last.count == 4, last.allSatisfy(\.isASCIIDigit) else {
                throw DomainError(.invalidTender, "A card tender needs the card's last four digits")
            }
            guard let auth = reference, (1...12).contains(auth.count),
                  auth.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter }) else {
                throw DomainError(.invalidTender, "A card tender needs the card terminal's authorisation code")
            }
        case .ach:
            guard let last = lastFour, last.count == 4, last.allSatisfy(\.isASCIIDigit) else {
                throw DomainError(.invalidTender, "An e-check needs the bank account's last four digits")
            }
        }
        if let brand, !CardBrand.all.contains(brand) {
            throw DomainError(.invalidTender, "Unknown card brand \(brand): use \(CardBrand.all.joined(separator: ", "))")
        }
        for field in [reference, lastFour].compactMap({ $0 }) where CardNumber.looksLikeFullCardNumber(field) {
            throw DomainError(.invalidTender, "That looks like a full card number: Till never stores one")
        }
    }
}

/// Full card numbers (PANs): Till never takes one in, anywhere. A card is 13 to 19 digits
/// passing the Luhn check, written plain or in groups split by spaces, dashes or dots
/// ("4111 1111 1111 1111", "4111-1111-1111-1111", "4111.1111.1111.1111"); full-width and
/// other decimal digits count as digits, so a pasted look-alike is no way round.
public enum CardNumber {
    /// The whole text is one card number (the tender fields' check).
    public static func looksLikeFullCardNumber(_ text: String) -> Bool {
        if isPlainASCIIWithFewDigits(text) { return false }
        let digits = text.filter { $0 != " " && $0 != "-" && $0 != "." }
        guard (13...19).contains(digits.count) else { return false }
        let values = digits.compactMap(digitValue)
        return values.count == digits.count && passesLuhn(values[...])
    }

    /// Whether a card number stands anywhere in the text.
    public static func containsFullCardNumber(_ text: String) -> Bool { !ranges(in: text).isEmpty }

    /// The same for UTF-8 bytes as a database hands them over: plain ASCII with fewer than 13
    /// digits is answered on the bytes, without making a string.
    public static func containsFullCardNumber<Bytes: Collection>(utf8 bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        !isPlainASCIIWithFewDigits(utf8: bytes) && containsFullCardNumber(String(decoding: bytes, as: UTF8.self))
    }

    /// The text with every card number in it replaced by "(card number withheld)": for what
    /// must be kept (an audit line) although a person typed a card number into it.
    public static func withheld(_ text: String) -> String {
        var out = text
        for range in ranges(in: text).reversed() { out.replaceSubrange(range, with: "(card number withheld)") }
        return out
    }

    /// For the screen while a field is typed: a run of 13 or more digits shows only its last four.
    public static func masked(_ text: String, mask: Character = "•") -> String {
        var out = "", run: [Character] = []
        func flush() {
            let digits = run.filter { digitValue($0) != nil }.count
            if digits >= 13 {
                var kept = 0
                out += String(run.map { c -> Character in
                    guard digitValue(c) != nil else { return c }
                    kept += 1
                    return kept > digits - 4 ? c : mask
                })
            } else {
                out += String(run)
            }
            run = []
        }
        for c in text {
            if digitValue(c) != nil || (!run.isEmpty && isSeparator(c)) { run.append(c) } else { flush(); out.append(c) }
        }
        flush()
        return out
    }

    /// Where card numbers stand in the text, in the two forms people write them: a plain run
    /// of 13–19 digits, or the whole of a run of groups split by one kind of separator in the
    /// shapes cards are printed in (fours with a shorter last group, 4-6-5, 4-6-4), each
    /// passing Luhn. Narrow on purpose: the digit groups of a UUID in a file name or an
    /// idempotency key (`3f2504e0-4389-1126-8723-0305e82c3301`) are never a card.
    public static func ranges(in text: String) -> [Range<String.Index>] {
        if isPlainASCIIWithFewDigits(text) { return [] }

        struct Group { var start: String.Index; var end: String.Index; var digits: [Int] }
        // Digit groups, and the one character between two groups when it is a separator.
        var groups: [Group] = [], joins: [Character?] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard let value = digitValue(text[index]) else { index = text.index(after: index); continue }
            var group = Group(start: index, end: text.index(after: index), digits: [value])
            while group.end < text.endIndex, let next = digitValue(text[group.end]) {
                group.digits.append(next)
                group.end = text.index(after: group.end)
            }
            if let last = groups.last {
                let between = text[last.end..<group.start]
                joins.append(between.count == 1 && isSeparator(between.first!) ? between.first : nil)
            }
            groups.append(group)
            index = group.end
        }
        let uuids = uuidRanges(in: text)
        var found: [Range<String.Index>] = []
        // Plain runs.
        for group in groups where (13...19).contains(group.digits.count) && passesLuhn(group.digits[...]) {
            found.append(group.start..<group.end)
        }
        // Grouped: each whole run of groups joined by one separator character.
        var first = 0
        while first < groups.count {
            var last = first
            while last + 1 < groups.count, let join = joins[last], join == joins[first] { last += 1 }
            if last > first, isCardShaped(groups[first...last].map(\.digits.count)),
               !uuids.contains(where: { $0.overlaps(groups[first].start..<groups[last].end) }) {
                let digits = groups[first...last].flatMap(\.digits)
                if passesLuhn(digits[...]) { found.append(groups[first].start..<groups[last].end) }
            }
            first = last + 1
        }
        return found.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// 4-4-4-4 with a last group of one to four (13–19 digits), or 4-6-5 and 4-6-4.
    static func isCardShaped(_ sizes: [Int]) -> Bool {
        let total = sizes.reduce(0, +)
        guard (13...19).contains(total) else { return false }
        if sizes == [4, 6, 5] || sizes == [4, 6, 4] { return true }
        return sizes.dropLast().allSatisfy { $0 == 4 } && (1...4).contains(sizes.last ?? 0)
    }

    /// UUIDs in the text (`8-4-4-4-12` hex digits): their all-digit parts can line up as 4-4-4-4.
    static func uuidRanges(in text: String) -> [Range<String.Index>] {
        let bytes = Array(text.utf8)
        guard bytes.count >= 36 else { return [] }
        let dashes: Set<Int> = [8, 13, 18, 23]
        func isHex(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x41...0x46).contains(b) || (0x61...0x66).contains(b) }
        var ranges: [Range<String.Index>] = []
        var start = 0
        while start + 36 <= bytes.count {
            let matches = (0..<36).allSatisfy { offset in
                dashes.contains(offset) ? bytes[start + offset] == UInt8(ascii: "-") : isHex(bytes[start + offset])
            }
            if matches {
                let lower = text.utf8.index(text.startIndex, offsetBy: start)
                ranges.append(lower..<text.utf8.index(lower, offsetBy: 36))
                start += 36
            } else {
                start += 1
            }
        }
        return ranges
    }

    static func isSeparator(_ c: Character) -> Bool { c == " " || c == "-" || c == "." }

    /// 0–9 for any decimal digit (ASCII, full-width, Arabic-Indic…), nil for anything else.
    /// A quick way out for the many texts the ledger's guard, verify and imports see: plain
    /// ASCII with fewer than 13 digits holds no card number, decided on its bytes without
    /// walking its characters.
    static func isPlainASCIIWithFewDigits(_ text: String) -> Bool { isPlainASCIIWithFewDigits(utf8: text.utf8) }

    static func isPlainASCIIWithFewDigits<Bytes: Sequence>(utf8 bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        var asciiDigits = 0
        for byte in bytes {
            if byte >= 0x30 && byte <= 0x39 { asciiDigits += 1 } else if byte >= 0x80 { return false }
        }
        return asciiDigits < 13
    }

    static func digitValue(_ c: Character) -> Int? {
        guard c.unicodeScalars.count == 1, let scalar = c.unicodeScalars.first,
              scalar.properties.numericType == .decimal, let value = c.wholeNumberValue, (0...9).contains(value) else { return nil }
        return value
    }

    static func passesLuhn(_ digits: ArraySlice<Int>) -> Bool {
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            var value = digit
            if index % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }
}

public enum CardBrand {
    public static let all = ["VISA", "MC", "AMEX", "DISC", "CARD"]
}

import Foundation
import TillCore

/// An ACH (NACHA) file of debit entries in one PPD batch: file header, batch header, entry
/// details, batch control, file control, padded with all-9 records to a multiple of ten.
/// Every record is 94 characters.
public struct NachaFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let kind: BankAccountKind
        public let routing: RoutingNumber
        public let accountNumber: String
        public let amount: Money
        /// The customer's utility account number (the entry's individual identification).
        public let individualID: String
        public let name: String
        public let traceNumber: String

        public init(kind: BankAccountKind, routing: RoutingNumber, accountNumber: String, amount: Money, individualID: String, name: String,
                    traceNumber: String) {
            self.kind = kind
            self.routing = routing
            self.accountNumber = accountNumber
            self.amount = amount
            self.individualID = individualID
            self.name = name
            self.traceNumber = traceNumber
        }
    }

    public var destination: RoutingNumber
    public var destinationName: String
    /// The immediate origin: ten characters, often "1" and the company's tax id.
    public var origin: String
    public var originName: String
    /// YYMMDD and HHMM the file was made (kept, so the file made again is the same file).
    public var createdDate: String
    public var createdTime: String
    public var fileIDModifier: Character
    public var companyName: String
    public var companyID: String
    public var entryDescription: String
    /// YYMMDD: the date the customers are debited.
    public var effectiveDate: String
    /// The originating bank's eight-digit identification (trace numbers start with it).
    public var odfi: String
    public var entries: [Entry]

    public init(destination: RoutingNumber, destinationName: String, origin: String, originName: String, createdDate: String,
                createdTime: String, fileIDModifier: Character, companyName: String, companyID: String, entryDescription: String,
                effectiveDate: String, odfi: String, entries: [Entry]) {
        self.destination = destination
        self.destinationName = destinationName
        self.origin = origin
        self.originName = originName
        self.createdDate = createdDate
        self.createdTime = createdTime
        self.fileIDModifier = fileIDModifier
        self.companyName = companyName
        self.companyID = companyID
        self.entryDescription = entryDescription
        self.effectiveDate = effectiveDate
        self.odfi = odfi
        self.entries = entries
    }

    /// The sum of the entries' receiving-bank ids, its rightmost ten digits.
    public var entryHash: String {
        let sum = entries.reduce(Int64(0)) { $0 + (Int64($1.routing.dfi) ?? 0) }
        return String(String(sum).suffix(10)).leftZeroPadded(10)
    }

    public var totalDebit: Money { Money(cents: entries.reduce(0) { $0 + $1.amount.cents }) }

    /// The file's records, each 94 characters, in a multiple of ten.
    public var records: [String] {
        let total = String(totalDebit.cents)
        var records = [
            "101" + (" " + destination.digits) + Self.alpha(origin, 10, right: true) + createdDate + createdTime + String(fileIDModifier)
                + "094" + "10" + "1" + Self.alpha(destinationName, 23) + Self.alpha(originName, 23) + Self.alpha("", 8),
            "5" + "225" + Self.alpha(companyName, 16) + Self.alpha("", 20) + Self.alpha(companyID, 10) + "PPD"
                + Self.alpha(entryDescription, 10) + Self.alpha("", 6) + effectiveDate + "   " + "1" + odfi.leftZeroPadded(8) + "0000001",
        ]
        for entry in entries {
            records.append("6" + entry.kind.debitCode + entry.routing.dfi + entry.routing.checkDigit + Self.alpha(entry.accountNumber, 17)
                           + String(entry.amount.cents).leftZeroPadded(10) + Self.alpha(entry.individualID, 15) + Self.alpha(entry.name, 22)
                           + "  " + "0" + entry.traceNumber.leftZeroPadded(15))
        }
        records.append("8" + "225" + String(entries.count).leftZeroPadded(6) + entryHash + total.leftZeroPadded(12) + "".leftZeroPadded(12)
                       + Self.alpha(companyID, 10) + Self.alpha("", 19) + Self.alpha("", 6) + odfi.leftZeroPadded(8) + "0000001")
        let count = records.count + 1
        let blocks = (count + 9) / 10
        records.append("9" + "000001" + String(blocks).leftZeroPadded(6) + String(entries.count).leftZeroPadded(8) + entryHash
                       + total.leftZeroPadded(12) + "".leftZeroPadded(12) + Self.alpha("", 39))
        while records.count % 10 != 0 { records.append(String(repeating: "9", count: 94)) }
        return records
    }

    public var text: String { records.joined(separator: "\n") + "\n" }

    /// A field of letters: upper-case ASCII folded as receipts fold (Núñez → NUNEZ, Ødegaard →
    /// ODEGAARD; anything else a space), cut or space-padded to `width` (on the left when `right`).
    public static func alpha(_ text: String, _ width: Int, right: Bool = false) -> String {
        let folded = LatinLetters.spelledPlain(text)
            .folding(options: [.diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var out = ""
        for scalar in folded.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value < 0x7F { out.unicodeScalars.append(scalar) } else { out += " " }
        }
        out = String(out.uppercased().prefix(width))
        return right ? out.leftPadded(width) : out.padded(width)
    }
}

import TillCore

/// A value the ledger stores as text and Till reads back as one of its enums (a tender kind,
/// a book, a transaction kind, a work order's status). Read strictly: an unknown value is an
/// error naming what it is, never quietly taken as cash or as a default.
enum StoredValue {
    static func read<T: RawRepresentable>(_ raw: String, as what: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else {
            throw LedgerError(.database, "The ledger holds an unknown \(what) \(TextSafety.quoted(raw)): it was written by "
                              + "something other than Till; run till verify")
        }
        return value
    }
}

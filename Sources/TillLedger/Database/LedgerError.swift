import GRDB
import TillCore

/// An error from the ledger with a stable code and a message a person can act on.
public struct LedgerError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case noLedger = "ledger.missing"
        case locked = "ledger.locked"
        case database = "ledger.database"
        case dayNotOpen = "day.not-open"
        case dayAlreadyOpen = "day.already-open"
        case unknownAccount = "account.unknown"
        case unknownOperator = "operator.unknown"
        case operatorLocked = "operator.locked"
        case wrongPIN = "operator.wrong-pin"
        case notAuthorized = "operator.not-authorized"
        case unknownTransaction = "transaction.unknown"
        case invalid = "posting.invalid"
        case importFailed = "import.failed"
        case alreadyInitialized = "ledger.initialized"
        case noDrawer = "drawer.none"
        case drawerAlreadyOpen = "drawer.already-open"
        /// Beyond the operator's authority: a lead or supervisor may approve it with their id and PIN.
        case needsOverride = "operator.needs-override"
        /// A full card number in text that would have been written: refused, nothing written.
        case cardNumber = "text.card-number"
        /// An idempotency key reused for a different request: refused, naming the first receipt.
        case keyConflict = "posting.key-conflict"
        /// A sealed row (a day, a drawer, an operator, a setting…) changed outside Till: Till
        /// will not build on it until a supervisor has looked (`till verify`).
        case tampered = "ledger.tampered"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    init(domain: DomainError) {
        self.init(.invalid, domain.message)
    }

    init(database error: DatabaseError, path: String) {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(.locked, "The ledger is busy (another terminal is writing); nothing was changed, try again")
        case .SQLITE_CONSTRAINT where (error.message ?? "").hasPrefix(CardNumberGuard.messagePrefix):
            let text = error.message ?? ""
            self.init(.cardNumber, "Refused: " + text.dropFirst(CardNumberGuard.messagePrefix.count + 1))
        case .SQLITE_CONSTRAINT where (error.message ?? "").hasPrefix(RecordSeals.refusal):
            self.init(.tampered, "Refused: " + (error.message ?? "").dropFirst(RecordSeals.refusal.count + 1))
        case .SQLITE_CONSTRAINT where (error.message ?? "").contains("append-only"):
            self.init(.database, error.message ?? "the ledger is append-only")
        case .SQLITE_FULL:
            self.init(.database, "The disk holding the ledger is full: nothing was written; free some space and try again")
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            self.init(.database, "\(path) is not a readable Till ledger (\(error.message ?? "corrupt"))")
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM:
            self.init(.database, "Cannot write the ledger at \(path): \(error.message ?? "permission denied")")
        default:
            self.init(.database, "Ledger error: \(error.message ?? "\(error.resultCode)")")
        }
    }

    public var description: String { message }
}

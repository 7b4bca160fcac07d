import Crypto
import Foundation
import TillCore

/// The key that seals autopay customers' bank account numbers (AES-256-GCM), kept in a file of
/// its own beside the ledger (`LEDGER.bankkey`, or `TILL_BANK_KEY_FILE`), 0600, like the PIN
/// pepper: the ledger, its write-ahead log and its backups hold only sealed numbers and the
/// last four digits. Made with the first enrolment. Lose it and the drafts cannot be made
/// (the customers enrol again); keep it apart from the ledger's backups (docs/RELIABILITY.md).
enum BankKey {
    static let file = SecretFile(what: "bank-account key", environmentName: "TILL_BANK_KEY_FILE", suffix: ".bankkey")

    /// The first eight hex digits of the key's SHA-256: stored beside each sealed number, so a
    /// wrong key file is named as such rather than failing as a tampered row.
    static func id(_ key: Data) -> String { SHA256.hash(data: key).prefix(4).map { String(format: "%02x", $0) }.joined() }

    /// What the seal is bound to: a sealed number copied onto another account or routing fails to open.
    static func context(account: String, routing: String) -> Data { Data("till-autopay:\(account):\(routing)".utf8) }

    static func seal(_ number: BankAccountNumber, account: String, routing: String, key: Data) throws -> Data {
        do {
            let box = try AES.GCM.seal(Data(number.digits.utf8), using: SymmetricKey(data: key),
                                       authenticating: context(account: account, routing: routing))
            guard let combined = box.combined else { throw LedgerError(.database, "Cannot seal the bank account number") }
            return combined
        } catch let error as LedgerError { throw error } catch {
            throw LedgerError(.database, "Cannot seal the bank account number: \(error)")
        }
    }

    static func open(_ sealed: Data, account: String, routing: String, key: Data) throws -> String {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            let plain = try AES.GCM.open(box, using: SymmetricKey(data: key), authenticating: context(account: account, routing: routing))
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw LedgerError(.database, "The bank account number of \(account) does not open under this key: the row was changed, or it "
                              + "was sealed under another key (till verify)")
        }
    }
}

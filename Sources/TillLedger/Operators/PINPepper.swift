import Crypto
import Foundation

/// A secret mixed into every PIN hash (HMAC-SHA256 of the PIN under it, before PBKDF2), kept
/// in a file of its own beside the ledger (`LEDGER.pepper`, or `TILL_PEPPER_FILE`), 0600. A
/// ledger file or a backup alone, stolen, cannot be searched for 4-digit PINs: without the
/// pepper every guess is as good as any other. Made when the ledger is made (or, for a
/// ledger from before, the first time it is opened to write while no PIN uses one).
public enum PINPepper {
    static let file = SecretFile(what: "PIN pepper", environmentName: "TILL_PEPPER_FILE", suffix: ".pepper")

    public static func path(forLedger ledger: String, filesDirectory: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        file.path(forLedger: ledger, filesDirectory: filesDirectory, environment: environment)
    }

    /// The pepper, or nil when its file does not exist; a file that is not one is an error.
    static func load(_ path: String) throws -> Data? { try file.load(path) }

    /// Makes a new pepper file (never over an existing one).
    static func create(_ path: String) throws -> Data { try file.create(path) }

    /// What PBKDF2 derives from: the PIN under the pepper, or the PIN itself without one.
    static func input(pin: String, pepper: Data?) -> [UInt8] {
        guard let pepper else { return Array(pin.utf8) }
        return Array(HMAC<SHA256>.authenticationCode(for: Data(pin.utf8), using: SymmetricKey(data: pepper)))
    }
}

/// A 32-byte secret kept in a file of its own beside the ledger, 0600, base64: never in the
/// ledger, its write-ahead log or a backup of it.
struct SecretFile: Sendable {
    let what: String
    let environmentName: String
    let suffix: String

    /// Where the secret is: `environmentName` when set, else beside a ledger file. A PostgreSQL
    /// ledger has no file to sit beside: its secrets are `till.pepper` and `till.bankkey` in the
    /// terminal's files directory (`$TILL_FILES_DIR`, by default `XDG_DATA_HOME/till`).
    func path(forLedger ledger: String, filesDirectory: String? = nil,
              environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let named = environment[environmentName].flatMap({ $0.isEmpty ? nil : $0 }) { return named }
        guard LedgerAddress.isPostgresURI(ledger) else { return ledger + suffix }
        let directory = filesDirectory ?? Ledger.postgresFilesDirectory(environment: environment)
        return (directory as NSString).appendingPathComponent("till" + suffix)
    }

    /// The secret, or nil when its file does not exist; a file that is not one is an error.
    func load(_ path: String) throws -> Data? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
            throw LedgerError(.database, "The \(what) \(path) may be read by others: `chmod 600 \(path)`")
        }
        guard let secret = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              secret.count == 32 else {
            throw LedgerError(.database, "\(path) is not Till's \(what) file: restore it from where it is kept (docs/RELIABILITY.md)")
        }
        return secret
    }

    /// Makes a new secret file (never over an existing one).
    func create(_ path: String) throws -> Data {
        var generator = SystemRandomNumberGenerator()
        let secret = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let handle = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard handle >= 0 else {
            if errno == EEXIST, let existing = try load(path) { return existing }
            throw LedgerError(.database, "Cannot write the \(what) \(path)")
        }
        defer { close(handle) }
        let text = Array((secret.base64EncodedString() + "\n").utf8)
        guard write(handle, text, text.count) == text.count, fsync(handle) == 0 else {
            throw LedgerError(.database, "Cannot write the \(what) \(path)")
        }
        return secret
    }
}

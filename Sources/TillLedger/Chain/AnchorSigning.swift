import Crypto
import Foundation

/// The day close's head signed with an Ed25519 key kept outside the ledger's directory
/// (setting `anchor.signing_key` names the private key's file), so a head file cannot be
/// written anew by whoever can write the ledger and its reports: `till verify --anchors DIR
/// --public-key FILE` checks each signature with the public key alone.
public struct AnchorSigner: Sendable {
    /// The private key's raw bytes.
    private let raw: Data
    /// How a signature is written under its head.
    public static let label = "Signature Ed25519 "

    /// Makes a key pair: the private key 0600 (refused where a file exists), the public key beside.
    public static func generate(privateKey: String, publicKey: String) throws {
        for path in [privateKey, publicKey] where FileManager.default.fileExists(atPath: path) {
            throw LedgerError(.invalid, "\(path) already exists: a key is never overwritten")
        }
        let key = Curve25519.Signing.PrivateKey()
        try write(key.rawRepresentation.base64EncodedString() + "\n", to: privateKey, mode: 0o600)
        try write(key.publicKey.rawRepresentation.base64EncodedString() + "\n", to: publicKey, mode: 0o644)
    }

    private static func write(_ text: String, to path: String, mode: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw LedgerError(.invalid, "Cannot write \(path)")
        }
    }

    /// The private key at `path`, refused when it lies in the ledger's directory (or below it),
    /// or others may read it.
    public init(privateKey path: String, ledgerPath: String) throws {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let ledgerDirectory = URL(fileURLWithPath: ledgerPath).deletingLastPathComponent().resolvingSymlinksInPath().path
        if resolved.hasPrefix(ledgerDirectory + "/") {
            throw LedgerError(.invalid, "The signing key \(path) is in the ledger's directory: keep it elsewhere (docs/RELIABILITY.md), "
                              + "or whoever copies the ledger can sign a forged head")
        }
        var info = stat()
        guard stat(resolved, &info) == 0, let data = FileManager.default.contents(atPath: resolved) else {
            throw LedgerError(.invalid, "Cannot read the signing key \(path) (setting anchor.signing_key)")
        }
        if info.st_mode & 0o077 != 0 {
            throw LedgerError(.invalid, "The signing key \(path) may be read by others: `chmod 600 \(path)`")
        }
        guard let raw = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              (try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)) != nil else {
            throw LedgerError(.invalid, "\(path) is not a Till signing key (`till anchor keygen` makes one)")
        }
        self.raw = raw
    }

    /// The signature of a head, base64.
    public func sign(_ head: LedgerHead) throws -> String {
        try Curve25519.Signing.PrivateKey(rawRepresentation: raw).signature(for: head.hash).base64EncodedString()
    }

    /// Whether `signature` (base64) is the public key's signature of the head written as `hex`.
    public static func isValid(signature: String, head hex: String, publicKey path: String) throws -> Bool {
        guard let data = FileManager.default.contents(atPath: path),
              let raw = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw LedgerError(.invalid, "\(path) is not a Till public key (`till anchor keygen` makes one)")
        }
        guard hex.count == 64, let bytes = Data(hex: hex), let signature = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(signature, for: bytes)
    }
}

extension Data {
    /// Bytes from hex digits (an even number of them), or nil.
    init?(hex: String) {
        guard hex.count.isMultiple(of: 2), hex.allSatisfy(\.isHexDigit) else { return nil }
        var bytes = Data()
        var digits = hex.makeIterator()
        while let high = digits.next(), let low = digits.next() { bytes.append(UInt8(String([high, low]), radix: 16)!) }
        self = bytes
    }
}

extension Ledger {
    /// The signer the setting `anchor.signing_key` names, or nil when none is set.
    public func anchorSigner() throws -> AnchorSigner? {
        let path = try setting(.anchorSigningKey)
        return path.isEmpty ? nil : try AnchorSigner(privateKey: path, ledgerPath: isPostgres ? filesDirectory + "/ledger" : self.path)
    }
}

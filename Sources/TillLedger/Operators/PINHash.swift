import Crypto
import _CryptoExtras
import Foundation

/// A PIN stored only as a salted PBKDF2-SHA256 hash.
public struct PINHash: Sendable, Equatable {
    // OWASP's figure for PBKDF2-SHA256, and the least swift-crypto's checked API accepts.
    public static let rounds = 210_000
    public let hash: [UInt8]
    public let salt: [UInt8]
    public let rounds: Int

    /// Whether the PIN was mixed with the ledger's pepper (`PINPepper`) before hashing.
    public let peppered: Bool

    public static func make(pin: String, pepper: Data? = nil, rounds: Int = PINHash.rounds) throws -> PINHash {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return PINHash(hash: try derive(PINPepper.input(pin: pin, pepper: pepper), salt: salt, rounds: rounds), salt: salt,
                       rounds: rounds, peppered: pepper != nil)
    }

    public init(hash: [UInt8], salt: [UInt8], rounds: Int, peppered: Bool = false) {
        self.hash = hash
        self.salt = salt
        self.rounds = rounds
        self.peppered = peppered
    }

    /// Whether `pin` is the PIN; a peppered hash is checked with the pepper.
    public func matches(_ pin: String, pepper: Data? = nil) -> Bool {
        guard let candidate = try? PINHash.derive(PINPepper.input(pin: pin, pepper: peppered ? pepper : nil), salt: salt, rounds: rounds),
              candidate.count == hash.count else { return false }
        // Constant time: compare every byte whatever the first difference.
        var difference: UInt8 = 0
        for (a, b) in zip(candidate, hash) { difference |= a ^ b }
        return difference == 0
    }

    static func derive(_ input: [UInt8], salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: input, salt: salt, using: .sha256,
                                                    outputByteCount: 32, rounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }
}

import ArgumentParser
import Foundation
import TillLedger

/// `till anchor keygen`: the Ed25519 key pair a day close signs its head with (docs/RELIABILITY.md).
struct AnchorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anchor", abstract: "Keys for signing the day close's ledger head.",
        subcommands: [Keygen.self])

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an Ed25519 key pair: the private key (0600) for setting anchor.signing_key, the public key for `till verify --public-key`.",
            discussion: "Keep the private key outside the ledger's directory and its backups; give the public key to whoever checks the heads.")
        @Option(help: "Where the private key goes (never overwritten).") var `private`: String
        @Option(help: "Where the public key goes (never overwritten).") var `public`: String

        func run() throws {
            try reporting {
                try AnchorSigner.generate(privateKey: `private`, publicKey: `public`)
                print("Private key: \(`private`) (mode 0600; set it with `till settings set anchor.signing_key \(`private`)`)")
                print("Public key: \(`public`)")
            }
        }
    }
}

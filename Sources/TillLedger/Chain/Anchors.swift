import Foundation
import GRDB
import TillCore

/// The ledger's head as it is printed and written down: the newest record seal
/// (`RecordSeals`), which covers every record and every transaction committed before it.
public struct LedgerHead: Sendable, Equatable {
    public let hash: Data

    /// The 16 hex digits printed on paper.
    public var short: String { String(full.prefix(16)) }
    /// All 64.
    public var full: String { hash.map { String(format: "%02x", $0) }.joined() }
}

/// Anchors outside the file: the heads a day close, a Z report, a backup and an export
/// printed (and sent to the system log), checked against the ledger by `till verify --anchor`
/// and `--anchors DIR`.
extension Ledger {
    /// The head now.
    public func head() throws -> LedgerHead {
        try read { db in LedgerHead(hash: try RecordSeals.head(db)) }
    }

    /// The head as the drawer's close committed: the last seal of the write that sealed its Z
    /// report's row. The same for the first print and any reprint.
    public func headOfDrawerClose(session: Int64) throws -> LedgerHead? {
        try read { db in
            try Data.fetchOne(db, sql: """
                SELECT hash FROM record_seals WHERE ends_commit = 1 AND seq >= (
                    SELECT MIN(r.seq) FROM record_seals r WHERE r.tbl = 'drawer_closes'
                    AND r.to_id >= (SELECT id FROM drawer_closes WHERE drawer_session_id = ?))
                ORDER BY seq LIMIT 1
                """, arguments: [session]).map(LedgerHead.init)
        }
    }

    /// The head as the business day closed: the last seal of the write that closed it.
    public func headOfDayClose(_ date: BusinessDate) throws -> LedgerHead? {
        try read { db in try Self.headOfDayClose(date, db) }
    }

    static func headOfDayClose(_ date: BusinessDate, _ db: Store) throws -> LedgerHead? {
        try Data.fetchOne(db, sql: """
            SELECT hash FROM record_seals WHERE ends_commit = 1 AND seq >= (
                SELECT MAX(r.seq) FROM record_seals r WHERE r.tbl = 'business_days' AND r.row_key = ?)
            AND EXISTS (SELECT 1 FROM business_days WHERE date = ? AND closed_at IS NOT NULL AND cancelled_at IS NULL)
            ORDER BY seq LIMIT 1
            """, arguments: [date.description, date.description]).map(LedgerHead.init)
    }

    /// Where a head written on paper stands: nil when it is a seal of this ledger (of the record
    /// log, or a transaction seal that an older Z report printed as its "chain head"); otherwise
    /// why not. Whether everything after it is intact is what `verify` proves.
    public func anchorFault(_ written: String) throws -> String? {
        let hex = written.lowercased().filter { !$0.isWhitespace }
        guard hex.count >= 16, hex.count <= 64, hex.count.isMultiple(of: 2), hex.allSatisfy(\.isHexDigit) else {
            throw LedgerError(.invalid, "\(TextSafety.quoted(written)) is not a ledger head: give the 16 hex digits as printed, or all 64")
        }
        let bytes = Data(hex: hex)!
        let found = try read { db -> Bool in
            for table in ["record_seals", "transaction_hashes"] {
                // The prefix of the blob, compared as bytes: no hex() of every row.
                if try Bool.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM \(table) WHERE substr(hash, 1, ?) = ?)
                    """, arguments: [bytes.count, bytes]) == true { return true }
            }
            return false
        }
        return found ? nil : "the head \(hex.prefix(16)) is not in this ledger: the books were rewritten at or before the point it "
            + "was written down (or it was copied wrongly, or it belongs to another ledger)"
    }

    /// A head written in a file, with the signature written under it (a day close's head file).
    public struct WrittenHead: Sendable, Equatable {
        public let file: String
        public let head: String
        public var signature: String?

        public init(file: String, head: String, signature: String? = nil) {
            self.file = file
            self.head = head
            self.signature = signature
        }
    }

    /// Every head written in the files of `directory` (a day close's head file, a Z report, a
    /// report printed to a file): each line with "Ledger head" or "Chain head" and its hex, and
    /// a "Signature Ed25519" line after it.
    public static func writtenHeads(in directory: String) throws -> [WrittenHead] {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: directory) else {
            throw LedgerError(.invalid, "Cannot read the directory \(directory)")
        }
        var heads: [WrittenHead] = []
        for name in names.sorted() {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = fileManager.contents(atPath: path), data.count < 4 << 20,
                  let text = String(data: data, encoding: .utf8) else { continue }
            for line in text.split(whereSeparator: \.isNewline) {
                if line.hasPrefix(AnchorSigner.label), heads.last?.file == name {
                    heads[heads.count - 1].signature = String(line.dropFirst(AnchorSigner.label.count))
                }
                for label in ["Ledger head ", "Chain head "] {
                    guard let range = line.range(of: label) else { continue }
                    let hex = line[range.upperBound...].prefix { $0.isHexDigit }
                    if hex.count >= 16 { heads.append(WrittenHead(file: name, head: String(hex))) }
                }
            }
        }
        return heads
    }
}

/// The system log: each anchor (a head and what it covers) is sent as one line, so a head
/// also exists where a person with the ledger's file cannot rewrite it. `TILL_SYSLOG_SOCKET`
/// names another socket than `/dev/log` (a test's). Sending never stops the close: with no
/// system log running, the line is lost and the paper remains.
public enum SystemLog {
    public static func anchor(_ what: String, head: LedgerHead, ledger: String,
                              environment: [String: String] = ProcessInfo.processInfo.environment) {
        let socketPath = environment["TILL_SYSLOG_SOCKET"].flatMap { $0.isEmpty ? nil : $0 } ?? "/dev/log"
        // local0.notice, as RFC 3164 lays out a line; the program name and process id first.
        let message = "<133>till[\(getpid())]: anchor \(what) ledger head \(head.full) ledger \(ledger)"
        let handle = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard handle >= 0 else { return }
        defer { close(handle) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard socketPath.utf8.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in socketPath.utf8.enumerated() { buffer[index] = byte }
        }
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                message.withCString { text in
                    sendto(handle, text, strlen(text), Int32(MSG_DONTWAIT), socketAddress, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
    }
}

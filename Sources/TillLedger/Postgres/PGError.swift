import CLibPQ
import Foundation

/// What the server (or libpq) said when a statement failed: its SQLSTATE and message.
struct PGError: Error, CustomStringConvertible {
    let sqlState: String
    let message: String
    let detail: String?
    /// The connection is gone (the server restarted, the network broke): the statement may or
    /// may not have been carried out, and only an idempotency key can tell.
    let connectionLost: Bool
    /// The statement that failed (shown where TILL_DEBUG_SQL is set: it names no value).
    var statement: String?

    init(sqlState: String, message: String, detail: String?, connectionLost: Bool) {
        self.sqlState = sqlState
        self.message = Self.oneLine(message)
        self.detail = detail.map(Self.oneLine)
        self.connectionLost = connectionLost
    }

    init(_ result: OpaquePointer, connectionLost: Bool, fallback: String) {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        // An error with no SQLSTATE is libpq's own, not the server's: "server closed the
        // connection unexpectedly", "no connection to the server", "lost synchronization". After
        // a server's immediate shutdown libpq says so before its connection status turns bad.
        let state = field("C")
        let lost = connectionLost || state == nil
        self.init(sqlState: state ?? "08006", message: field("M") ?? fallback, detail: field("D"), connectionLost: lost)
    }

    var description: String {
        message + (detail.map { " (\($0))" } ?? "")
            + (ProcessInfo.processInfo.environment["TILL_DEBUG_SQL"] != nil ? statement.map { " in: \($0)" } ?? "" : "")
    }

    /// Worth trying again under the same idempotency key: the connection broke or the server is
    /// starting or stopping (class 08, 57P01–57P03), the transaction lost a serialization race
    /// or a deadlock (40001, 40P01), or the server is a standby now (25006, after a failover).
    var isRetryable: Bool {
        connectionLost || sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03", "40001", "40P01", "25006"].contains(sqlState)
    }

    /// libpq's messages run over several lines with a trailing newline: one line for a screen.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// A connection refused, with what to do about it. libpq gives no SQLSTATE before a
    /// session exists, so its message is read.
    static func connecting(_ reason: String, to address: String) -> LedgerError {
        let reason = oneLine(reason)
        if reason.contains("database \""), reason.contains("does not exist") {
            return LedgerError(.noLedger, "The PostgreSQL server at \(address) has no such database (\(reason)): "
                               + "create it first (docs/POSTGRES.md), then `till init --db …`; nothing was changed")
        }
        if reason.contains("authentication failed") || reason.contains("no password supplied")
            || (reason.contains("role \"") && reason.contains("does not exist")) || reason.contains("not permitted to log in") {
            return LedgerError(.database, "The PostgreSQL server at \(address) refused the login (\(reason)): check the user, "
                               + "its password or .pgpass, and pg_hba.conf; nothing was changed")
        }
        if reason.contains("No such file or directory") || reason.contains("Connection refused")
            || reason.contains("could not connect") || reason.contains("could not translate host name") || reason.contains("timeout expired") {
            return LedgerError(.locked, "No PostgreSQL server answers at \(address) (\(reason)): start it, or check the host "
                               + "and port; nothing was changed")
        }
        if reason.contains("the database system is shutting down") || reason.contains("the database system is starting up")
            || reason.contains("the database system is in recovery mode") || reason.contains("not yet accepting connections")
            || reason.contains("terminating connection due to administrator command")
            || reason.contains("server closed the connection unexpectedly") {
            return LedgerError(.locked, "The PostgreSQL server at \(address) is restarting (\(reason)): wait for it; nothing was changed")
        }
        if reason.contains("read-write") || reason.contains("session is read-only") {
            return LedgerError(.locked, "Every PostgreSQL server at \(address) is a standby (read-only) just now (\(reason)): "
                               + "wait for a primary; nothing was changed")
        }
        return LedgerError(.database, "Cannot connect to PostgreSQL at \(address): \(reason); nothing was changed")
    }
}

extension LedgerError {
    /// A PostgreSQL error as a message a person can act on, by its SQLSTATE.
    init(postgres error: PGError, address: String) {
        if error.connectionLost || error.isRetryable {
            self.init(.locked, "The PostgreSQL ledger at \(address) did not answer (\(error.message)); nothing was changed, try again")
        } else if error.sqlState == "55P03" {
            self.init(.locked, "The ledger is busy: another terminal's write held it for \(Int(LedgerWaits.limit)) seconds; nothing was "
                      + "changed, try again")
        } else if error.sqlState == "TL002" || error.message.hasPrefix(RecordSeals.refusal) {
            self.init(.tampered, "Refused: " + error.message.dropFirst(RecordSeals.refusal.count + 1))
        } else if error.sqlState == "TL001" {
            self.init(.database, error.message)
        } else if error.sqlState == "42501" {
            self.init(.database, "The PostgreSQL role may not do that (\(error.message)): nothing was changed")
        } else if error.sqlState == "53100" {
            self.init(.database, "The PostgreSQL server's disk is full: nothing was written; free some space and try again")
        } else {
            self.init(.database, "Ledger error on PostgreSQL: \(error.description) [\(error.sqlState)]")
        }
    }
}

/// Where a ledger is: a PostgreSQL connection URI selects PostgreSQL; anything else is a
/// SQLite file.
public enum LedgerAddress: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(uri: String)

    public init(_ value: String) {
        self = Self.isPostgresURI(value) ? .postgres(uri: value) : .sqlite(path: value)
    }

    /// `postgresql://…` or `postgres://…`, as libpq spells its URIs (any case of the scheme).
    public static func isPostgresURI(_ value: String) -> Bool {
        let lowered = value.prefix(13).lowercased()
        return lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres://")
    }

    /// For messages and logs: the address with any password taken out.
    public var described: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let uri): PGAddress.withoutPassword(uri)
        }
    }
}

enum PGAddress {
    /// The password in a URI's user part (`postgresql://user:PASSWORD@host/…`), if any.
    private static func userPasswordRange(in value: String) -> Range<String.Index>? {
        guard LedgerAddress.isPostgresURI(value), let scheme = value.range(of: "://") else { return nil }
        let rest = value[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { "/?".contains($0) }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return nil }
        return value.index(after: colon)..<at
    }

    /// Each `password=` value: where it starts and ends.
    private static func parameterPasswordRanges(in value: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var remaining = value[...]
        while let start = remaining.range(of: "password=", options: .caseInsensitive) {
            let end = value[start.upperBound...].firstIndex(where: { $0 == "&" || $0 == " " }) ?? value.endIndex
            ranges.append(start.upperBound..<end)
            remaining = value[end...]
        }
        return ranges
    }

    /// libpq's own message about a connection string, which may quote it: the string and its
    /// password never reach a screen or a log.
    static func scrub(_ message: String, of connectionString: String) -> String {
        var text = message.replacingOccurrences(of: connectionString, with: withoutPassword(connectionString))
        for password in passwords(in: connectionString) {
            text = text.replacingOccurrences(of: password, with: "***")
        }
        return text
    }

    /// The passwords a connection string carries (a URI's user part, `password=` values).
    static func passwords(in value: String) -> [String] {
        ([userPasswordRange(in: value)].compactMap { $0 } + parameterPasswordRanges(in: value))
            .map { String(value[$0]) }.filter { !$0.isEmpty }
    }

    /// A connection string with its passwords replaced by `***`, so no message or log shows them.
    static func withoutPassword(_ value: String) -> String {
        var text = value
        // From the end, so the earlier ranges stay where they were.
        let ranges = ([userPasswordRange(in: value)].compactMap { $0 } + parameterPasswordRanges(in: value))
            .sorted { $0.lowerBound > $1.lowerBound }
        for range in ranges { text.replaceSubrange(range, with: "***") }
        return text
    }
}

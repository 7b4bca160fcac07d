import Foundation
import GRDB
import TillCore

/// One customer account as the counter sees it.
public struct AccountRecord: Sendable, Equatable {
    public let number: String
    public let name: String
    public let serviceAddress: String
    public let mailingAddress: String
    public let phone: String
    public let meter: String
    public let status: String
    public let balance: Money
    public let depositHeld: Money
    public let cashOnlyUntil: BusinessDate?
}

extension Ledger {
    static let selectedAccountColumns = """
        number, customer_name, service_address, mailing_address, phone, meter_number, status,
        balance_cents, deposit_held_cents, cash_only_until
        """

    public func account(_ number: String) throws -> AccountRecord? {
        try read { db in try Self.accountRecord(number, db) }
    }

    static func accountRecord(_ number: String, _ db: Store) throws -> AccountRecord? {
        try SQLRow.fetchOne(db, sql: "SELECT \(selectedAccountColumns) FROM accounts WHERE number = ?", arguments: [number])
            .map(record)
    }

    /// What the cashier typed, matched as they type: an exact account or meter number
    /// first, then accounts whose number, name, service address, phone or meter has
    /// words starting with every word typed. No ranking work (it would cost most on the
    /// shortest prefixes); matches come in account order and narrow with each key.
    public func searchAccounts(_ text: String, limit: Int = 50) throws -> [AccountRecord] {
        let words = AccountSearch.words(LatinLetters.spelledPlain(text))
        guard !words.isEmpty else { return [] }
        let exactText = text.trimmingCharacters(in: .whitespaces)
        return try readAtOnce { db in
            let exactArguments: SQLArguments = [exactText, exactText.uppercased(), limit]
            // Every word, folded, starts a word of the account (PostgreSQL migrations 11 and 12);
            // both statements asked in one round trip, outside a transaction (the two need no
            // snapshot in common: the exact number and the words each answer on their own).
            let lookup = db.isPostgres ? AccountSearch.PostgresLookup(words: words, limit: limit, counts: try db.lookupPrefixCounts()) : nil
            let lookupArguments = lookup.map { SQLArguments(values: $0.arguments) }
            if let lookup, let lookupArguments {
                try db.readAhead([(AccountSearch.exactSQL, exactArguments), (lookup.sql, lookupArguments)])
            }
            // Prepared once per connection, as a keystroke's lookup runs them again and again.
            let exact = try SQLRow.fetchAll(db.cachedStatement(sql: AccountSearch.exactSQL), arguments: exactArguments).map(Self.record)
            let plan = AccountSearch.Plan(words: words, limit: limit)
            var matches: [AccountRecord]
            if let lookup, let lookupArguments {
                matches = try SQLRow.fetchAll(db.cachedStatement(sql: lookup.sql), arguments: lookupArguments).map(Self.record)
            } else {
                matches = try SQLRow.fetchAll(db.cachedStatement(sql: AccountSearch.matchSQL),
                                              arguments: [plan.expression, plan.ftsLimit]).map(Self.record)
            }
            if !plan.longWords.isEmpty {
                matches = matches.filter { AccountSearch.matches($0, plan.longWords) }
            }
            var seen = Set(exact.map(\.number))
            return exact + matches.filter { seen.insert($0.number).inserted }.prefix(max(0, limit - exact.count))
        }
    }

    /// Records an audit event (sign-out, screen lock and unlock…).
    public func audit(_ event: String, detail: String = "", operatorID: Int64?, terminal: String) throws {
        try writeImmediate { db in
            try Audit.record(db, at: timestamp(), operatorID: operatorID, terminal: terminal, event: event, detail: detail)
        }
    }

    private static func record(_ row: SQLRow) -> AccountRecord {
        AccountRecord(number: row["number"], name: row["customer_name"], serviceAddress: row["service_address"],
                      mailingAddress: row["mailing_address"], phone: row["phone"], meter: row["meter_number"],
                      status: row["status"], balance: Money(cents: row["balance_cents"]),
                      depositHeld: Money(cents: row["deposit_held_cents"]),
                      cashOnlyUntil: (row["cash_only_until"] as String?).flatMap { try? BusinessDate($0) })
    }
}

enum AccountSearch {
    /// The two statements of a lookup, shared with the raw-SQLite baseline of `till bench`.
    static let exactSQL = """
        SELECT \(Ledger.selectedAccountColumns) FROM accounts WHERE number = ? OR meter_number = ? LIMIT ?
        """
    static let matchSQL = """
        SELECT \(Ledger.selectedAccountColumns) FROM accounts
        WHERE id IN (SELECT rowid FROM account_search WHERE account_search MATCH ? LIMIT ?)
        ORDER BY id
        """

    /// PostgreSQL's lookup: every word typed, folded, as a prefix of one of the account's
    /// words, in account order, read from the accounts' word prefixes (`account_prefixes`,
    /// the first one to six characters of each word, migrations 11 and 12) as SQLite reads its
    /// FTS5 prefix indexes: one word's prefix is read in account order from the primary key,
    /// each other word's matched for the same accounts, and the read stops at the limit. A word longer than six characters is matched by its first six, more rows are
    /// asked for, and the whole word is checked on them, exactly as `Plan` does on SQLite
    /// (the same rows on both). Reading every account with a common word from the words index
    /// and sorting them took 35–135 ms on a million accounts. Shared with the bench's floor.
    struct PostgresLookup {
        let sql: String
        /// The statement's text arguments, in order, with `limit` where `sql` asks for it.
        let texts: [String]
        /// The rows to ask for (`Plan.ftsLimit`).
        let limit: Int
        /// How the words' accounts are met (`Form`).
        let form: Form
        var arguments: [SQLValue] { texts.dropLast().map { .text($0) } + [.int(Int64(limit)), .text(texts.last!)] }

        /// How a lookup of several words meets their accounts, each word's read from the
        /// prefixes in account order.
        enum Form: Equatable {
            /// The rarest word's accounts are read and each other word looked up for each one:
            /// for a rare word beside a common one ("1018 riv": 746 accounts looked up in
            /// "riv", where reading both lists side by side reads all 47,000 of "riv").
            case lookedUp
            /// The words' lists are read side by side, as the planner joins them (a merge join
            /// of the two in account order): for words of about the same count ("gonzal fa":
            /// 13,248 and 18,388 accounts on a million, 50 found together after 3,615 of the
            /// first; looking each up took 4.3 ms, reading both 0.75).
            case sideBySide
        }

        /// `counts`: the commonest prefixes' accounts as the planner counts them
        /// (`Store.lookupPrefixCounts`; empty where the server has none yet).
        init(words: [String], limit: Int, counts: [String: Int] = [:]) {
            var seen = Set<String>()
            let prefixes = words.map { String(AccountSearch.fold($0).prefix(AccountSearch.indexedPrefix)) }
                .filter { seen.insert($0).inserted }
            // The account's words themselves (the generated `search_words`) must still hold the
            // prefixes: a row changed with its triggers off has prefixes that no longer say.
            // Checked on the rows the prefixes found, after their limit, and never through the
            // words index (`IS TRUE` is no index condition): beside the prefixes, the planner
            // guessed the check would leave fewer rows than the limit and read every account
            // with the prefix to sort them (350–630 ms for "m8" on a million accounts); after
            // them, it asked the words index for every account with all the words (84 ms for
            // "union hardware #1") to join to the hundred found.
            let checked = ") found JOIN accounts ON accounts.id = found.account_id "
                + "WHERE (accounts.search_words @@ to_tsquery('simple', ?)) IS TRUE ORDER BY found.account_id"
            let query = AccountSearch.postgresQuery(folded: prefixes)
            // The rarest word first, by the counts (a prefix not among the commonest is rarer
            // than all of them); the longer of two alike.
            let ordered = prefixes.sorted { ((counts[$0] ?? 0), -$0.count) < ((counts[$1] ?? 0), -$1.count) }
            form = Self.form(ordered, counts: counts)
            if form == .sideBySide {
                // Which word's prefixes are read and how the others are met is the planner's,
                // from the counts (each prefix a value it sees, so it knows them).
                let joins = ordered.dropFirst().indices.map {
                    "JOIN account_prefixes p\($0) ON p\($0).account_id = p0.account_id AND p\($0).prefix = ? "
                }
                sql = "SELECT \(Ledger.selectedAccountColumns) FROM (SELECT p0.account_id FROM account_prefixes p0 " + joins.joined()
                    + "WHERE p0.prefix = ? ORDER BY p0.account_id LIMIT ?" + checked
                texts = Array(ordered.dropFirst()) + ordered.prefix(1) + [query]
            } else {
                // The rarest word's prefixes are read, and each other word is looked up for
                // each account read (a subquery for a value runs for each row). Each prefix is
                // a value the planner does not see (`(SELECT ?::text)`): the plan is the same
                // for any, and planning with a value compared it with each of the 10,000
                // commonest prefixes' counts (0.48 ms of planning for two words; 0.15 so).
                let others = ordered.dropFirst().indices.map {
                    "AND (SELECT true FROM account_prefixes p\($0) WHERE p\($0).prefix = (SELECT ?::text) AND p\($0).account_id = p0.account_id) "
                }
                sql = "SELECT \(Ledger.selectedAccountColumns) FROM (SELECT p0.account_id FROM account_prefixes p0 WHERE p0.prefix = (SELECT ?::text) "
                    + others.joined() + "ORDER BY p0.account_id LIMIT ?" + checked
                texts = ordered + [query]
            }
            self.limit = AccountSearch.Plan(words: words, limit: limit).ftsLimit
        }

        /// Side by side where there are two words, both counted, the other's accounts fewer
        /// than seven times the rarest's. Either way the lookup reads the rarest word's
        /// accounts up to where the limit is found (the same share of its list); looked up,
        /// each costs an index probe (1.3–1.5 µs on a million accounts), side by side, the
        /// same share of both lists is read in order (0.09–0.12 µs an entry). A word without
        /// a count is rare (fewer accounts than the least of the counted): looked up. Three
        /// words or more are looked up: joining them, the planner read a common third word's
        /// list in parallel workers or hashed it ("o'brien g": 9.3 ms where looking up takes
        /// 4.5). Without counts at all the planner chooses (side by side in the SQL).
        static func form(_ ordered: [String], counts: [String: Int]) -> Form {
            guard !counts.isEmpty else { return .sideBySide }
            guard ordered.count == 2, let rarest = counts[ordered[0]], let other = counts[ordered[1]] else { return .lookedUp }
            return other < 7 * rarest ? .sideBySide : .lookedUp
        }
    }

    /// The commonest prefixes and how many accounts have each, as the planner counts them
    /// (migration 13: the 10,000 commonest, from its sample). The server multiplies each
    /// prefix's share of the rows by the rows it counts and hands back whole numbers.
    static func prefixCounts(_ connection: PGConnection) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try connection.execute("""
            SELECT m.prefix, round(m.share * c.reltuples)::bigint
            FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename AND c.relnamespace = s.schemaname::regnamespace,
                 unnest(s.most_common_vals::text::text[], s.most_common_freqs) AS m(prefix, share)
            WHERE s.schemaname = $1 AND s.tablename = 'account_prefixes' AND s.attname = 'prefix'
            """, [.text(PGSchema.name)]).all {
            if let prefix = row.text(0), let count = try row.int(1) { counts[prefix] = Int(count) }
        }
        return counts
    }

    /// Folded words as a prefix query, `'smi':* & 'oak':*`: each word quoted
    /// (a word holds letters and digits only; a quote or backslash would be doubled).
    static func postgresQuery(folded words: [String]) -> String {
        words.map { word in
            "'" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "':*"
        }.joined(separator: " & ")
    }

    /// The words of a query, letters and digits only: "(555) 201-0001" is 555, 201, 0001.
    static func words(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber) }.map(String.init).filter { !$0.isEmpty }.prefix(8).map { $0 }
    }

    /// The longest prefix with an index of its own (migration v4: prefix = '1 2 3 4 5 6').
    static let indexedPrefix = 6

    /// How a query runs. Each word is matched as a quoted prefix, `"smi"* "oak"*`. A word
    /// longer than the indexed prefixes is matched by its first six characters — one
    /// seekable entry in the prefix index, where the whole word would make FTS5 merge every
    /// matching term's doclist (2–10 ms for a common street name) — and the rows are then
    /// checked against the whole word, from a few more candidates.
    struct Plan {
        let expression: String
        let ftsLimit: Int
        /// Words longer than the indexed prefixes, folded: checked on the rows FTS5 returns.
        let longWords: [String]

        init(words: [String], limit: Int) {
            expression = words.map { "\"\($0.prefix(AccountSearch.indexedPrefix))\"*" }.joined(separator: " ")
            longWords = words.filter { $0.count > AccountSearch.indexedPrefix }.map(AccountSearch.fold)
            ftsLimit = longWords.isEmpty ? limit : limit * 2
        }
    }

    /// Every long word starts a word of the account's number, name, service address,
    /// phone or meter — case and accents folded, as the FTS5 tokenizer does.
    static func matches(_ record: AccountRecord, _ longWords: [String]) -> Bool {
        let fields = [record.name, record.serviceAddress, record.number, record.meter, record.phone]
        return longWords.allSatisfy { word in
            fields.contains { field in fold(field).split { !($0.isLetter || $0.isNumber) }.contains { $0.hasPrefix(word) } }
        }
    }

    /// Lower case without accents, Ø and Ł and the like spelled plain, as the index holds
    /// them (migration v11); plain ASCII (most text) takes the fast path.
    static func fold(_ text: String) -> String {
        text.utf8.allSatisfy({ $0 < 0x80 }) ? text.lowercased()
            : LatinLetters.spelledPlain(text).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}

extension PGSchema {
    /// PostgreSQL migration 7: the counter's lookup by words. Migration 4's trigram index could
    /// not answer a word of one or two letters (no trigram in it): "84" or "fl" read every
    /// account through the regular expression (120–670 ms of 42,000 accounts; seconds of a
    /// million). This index holds each account's words — number, name, service address,
    /// phone and meter, in lower case without accents, split at everything but letters and
    /// digits — and answers "every word typed starts a word of the account" as a prefix
    /// query (`'fl':* & 'oak':*`) on its lexemes, for a word of any length. Building it
    /// locks the accounts against writes while it runs (about 2 s a 42,000 accounts).
    /// Frozen as written: never edit it; change the schema with a new migration.
    static let migration007 = PGMigration(version: 7, name: "lookup-words", sql: #"""
CREATE INDEX accounts_words ON accounts USING gin (to_tsvector('simple'::regconfig,
    regexp_replace(till_search_text(number, customer_name, service_address, phone, meter_number), '[^[:alnum:]]+', ' ', 'g')));
"""#)
}

extension PGSchema {
    /// PostgreSQL migration 4: the counter's lookup. pg_trgm and unaccent (postgresql-contrib;
    /// trusted extensions, so the owner may create them) index the words a cashier can type — an
    /// account's number, name, service address, phone and meter, in lower case without accents — and
    /// answers "every word typed starts a word of the account" from that index, as SQLite's
    /// FTS5 prefix index does (`AccountSearch`).
    /// Frozen as written: never edit it; change the schema with a new migration.
    static let migration004 = PGMigration(version: 4, name: "lookup", sql: #"""
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA till;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA till;
CREATE FUNCTION till_search_text(number text, name text, address text, phone text, meter text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT lower(till.unaccent('till.unaccent'::regdictionary,
                 coalesce(number, '') || ' ' || coalesce(name, '') || ' ' || coalesce(address, '') || ' ' || coalesce(phone, '')
                 || ' ' || coalesce(meter, '')))
$$;
CREATE INDEX accounts_search ON accounts
    USING gin (till_search_text(number, customer_name, service_address, phone, meter_number) gin_trgm_ops);
"""#)
}

extension PGSchema {
    /// PostgreSQL migration 11: the first one and two letters of each account's words, in
    /// account order. A word of one or two characters typed at the counter ("1", "12", "k")
    /// matches thousands of accounts; the words index (migration 10) finds them all and they
    /// must then be sorted for the first 50 (12–35 ms where "12" starts ten thousand account
    /// numbers). Here they are read in account order from the primary key and the read stops
    /// at 50. Kept by a trigger as an account's searched fields change (not its balance), as
    /// the server keeps open items; nothing else writes it, and the terminals' role only reads.
    /// Frozen as written: never edit it; change the schema with a new migration.
    static let migration011 = PGMigration(version: 11, name: "lookup-short-words", sql: #"""
CREATE TABLE account_prefixes (
    prefix TEXT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (prefix, account_id)
);
CREATE FUNCTION till_account_prefixes_kept() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.search_words IS NOT DISTINCT FROM OLD.search_words THEN
            RETURN NULL;
        END IF;
        DELETE FROM account_prefixes WHERE account_id = NEW.id;
    END IF;
    INSERT INTO account_prefixes(prefix, account_id)
    SELECT DISTINCT left(w, n), NEW.id FROM unnest(tsvector_to_array(NEW.search_words)) AS w, generate_series(1, 2) AS n
    WHERE length(w) >= n;
    RETURN NULL;
END $$;
CREATE TRIGGER accounts_prefixes_kept AFTER INSERT OR UPDATE OF number, customer_name, service_address, phone, meter_number
    ON accounts FOR EACH ROW EXECUTE FUNCTION till_account_prefixes_kept();
INSERT INTO account_prefixes(prefix, account_id)
SELECT DISTINCT left(w, n), a.id FROM accounts a, unnest(tsvector_to_array(a.search_words)) AS w, generate_series(1, 2) AS n
WHERE length(w) >= n;
ANALYZE account_prefixes;
"""#)
}

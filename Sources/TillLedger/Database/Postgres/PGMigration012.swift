extension PGSchema {
    /// PostgreSQL migration 12: the first one to six letters of each account's words, in
    /// account order, where migration 11 kept one and two. On a million accounts a lookup with
    /// a common word ("sanchez n", "rivera t") found every account with that word in the words
    /// index (thousands, in no order) and sorted them for the first 50: 35–135 ms. With every
    /// word's prefix kept in account order, the lookup reads the longest word's prefix in
    /// account order and stops at the limit, as SQLite's FTS5 prefix indexes (up to six
    /// characters, its migration v4) do; a longer word is matched by its first six and checked
    /// whole on the rows, as on SQLite. The same trigger keeps them; the accounts already there
    /// get their three- to six-letter prefixes here.
    /// Frozen as written: never edit it; change the schema with a new migration.
    static let migration012 = PGMigration(version: 12, name: "lookup-prefixes-to-six", sql: #"""
CREATE OR REPLACE FUNCTION till_account_prefixes_kept() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.search_words IS NOT DISTINCT FROM OLD.search_words THEN
            RETURN NULL;
        END IF;
        DELETE FROM account_prefixes WHERE account_id = NEW.id;
    END IF;
    INSERT INTO account_prefixes(prefix, account_id)
    SELECT DISTINCT left(w, n), NEW.id FROM unnest(tsvector_to_array(NEW.search_words)) AS w, generate_series(1, 6) AS n
    WHERE length(w) >= n;
    RETURN NULL;
END $$;
INSERT INTO account_prefixes(prefix, account_id)
SELECT DISTINCT left(w, n), a.id FROM accounts a, unnest(tsvector_to_array(a.search_words)) AS w, generate_series(3, 6) AS n
WHERE length(w) >= n;
ANALYZE account_prefixes;
"""#)
}

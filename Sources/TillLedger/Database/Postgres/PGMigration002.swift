extension PGSchema {
    /// PostgreSQL migration 2: a row's digest as the chain encodes fields (`ChainText`), so the
    /// database can tell a sealed row from one changed outside Till, as SQLite's
    /// `till_row_digest` function does: `sha256(till_row_start() || till_field('table'::text) ||
    /// till_field(column) || …)`, one `till_field` for each of the ledger's column types.
    /// Frozen as written: never edit it; change the schema with a new migration.
    static let migration002 = PGMigration(version: 2, name: "row-digests", sql: #"""
CREATE FUNCTION till_row_start() RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT convert_to('till-chain-v1|V', 'UTF8')
$$;
CREATE FUNCTION till_field(value bigint) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN value IS NULL THEN convert_to('-;', 'UTF8') ELSE convert_to('i' || value::text || ';', 'UTF8') END
$$;
CREATE FUNCTION till_field(value text) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN value IS NULL THEN convert_to('-;', 'UTF8')
                ELSE convert_to('s' || octet_length(convert_to(value, 'UTF8'))::text || ':', 'UTF8') || convert_to(value, 'UTF8')
                     || convert_to(';', 'UTF8') END
$$;
CREATE FUNCTION till_field(value bytea) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN value IS NULL THEN convert_to('-;', 'UTF8')
                ELSE convert_to('b' || length(value)::text || ':' || translate(encode(value, 'base64'), E'\n', '') || ';', 'UTF8') END
$$;
"""#)
}

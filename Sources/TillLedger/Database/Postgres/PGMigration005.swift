extension PGSchema {
    /// PostgreSQL migration 5: the accounts and work orders a write touched are noted in the
    /// session's table of rows written (migration 3) when their people-typed text is set, so
    /// the card-number guard (`CardNumberGuard.refuseWritten`) sees every row a write added or
    /// changed before it commits, as SQLite's temporary triggers do.
    /// Frozen as written: never edit it; change the schema with a new migration.
    static let migration005 = PGMigration(version: 5, name: "card-guard-notes", sql: #"""
CREATE TRIGGER accounts_noted AFTER INSERT OR UPDATE OF number, customer_name, service_address, mailing_address, phone, email, meter_number
    ON accounts FOR EACH ROW EXECUTE FUNCTION till_note_version('id');
CREATE TRIGGER service_requests_noted AFTER INSERT OR UPDATE OF notes
    ON service_requests FOR EACH ROW EXECUTE FUNCTION till_note_version('id');
"""#)
}

extension PGSchema {
    /// PostgreSQL migration 3: what SQLite's writing connection does with temporary triggers
    /// (`RecordSeals.install`), done by the database itself. Each write to a sealed table is
    /// noted in the session's `pg_temp.till_pending_records` (made by the writing connection,
    /// emptied at every commit; a session without it notes nothing), so Till seals it before the
    /// commit; and a row of a versioned table that no longer matches its newest seal refuses to
    /// be changed or deleted (SQLSTATE TL002, "sealed: …"), by any role.
    /// Frozen as written: never edit it; change the schema with a new migration.
    static let migration003 = PGMigration(version: 3, name: "pending-records", sql: #"""
CREATE FUNCTION till_note_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass('pg_temp.till_pending_records') IS NOT NULL THEN
        IF TG_OP <> 'INSERT' THEN
            INSERT INTO pg_temp.till_pending_records VALUES (TG_TABLE_NAME, to_jsonb(OLD) ->> TG_ARGV[0]) ON CONFLICT DO NOTHING;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO pg_temp.till_pending_records VALUES (TG_TABLE_NAME, to_jsonb(NEW) ->> TG_ARGV[0]) ON CONFLICT DO NOTHING;
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION till_note_appended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass('pg_temp.till_pending_records') IS NOT NULL THEN
        INSERT INTO pg_temp.till_pending_records VALUES (TG_TABLE_NAME, '*') ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION till_guard_settings() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF to_regclass('pg_temp.till_pending_records') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_temp.till_pending_records WHERE tbl = 'settings' AND row_key = CAST(OLD.key AS TEXT)) THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
    END IF;
    IF sha256(till_row_start() || till_field('settings'::text) || till_field(OLD.key) || till_field(OLD.value))
       IS DISTINCT FROM (SELECT digest FROM record_seals WHERE tbl = 'settings' AND row_key = CAST(OLD.key AS TEXT) ORDER BY seq DESC LIMIT 1) THEN
        RAISE EXCEPTION USING ERRCODE = 'TL002', MESSAGE = 'sealed: a row of settings was changed outside Till since Till sealed it, so Till will not build on it: nothing was saved. A supervisor runs `till verify` (docs/RELIABILITY.md)';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER settings_guarded BEFORE UPDATE OR DELETE ON settings FOR EACH ROW EXECUTE FUNCTION till_guard_settings();
CREATE TRIGGER settings_noted AFTER INSERT OR UPDATE OR DELETE ON settings FOR EACH ROW EXECUTE FUNCTION till_note_version('key');
CREATE FUNCTION till_guard_operators() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF to_regclass('pg_temp.till_pending_records') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_temp.till_pending_records WHERE tbl = 'operators' AND row_key = CAST(OLD.id AS TEXT)) THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
    END IF;
    IF sha256(till_row_start() || till_field('operators'::text) || till_field(OLD.id) || till_field(OLD.login) || till_field(OLD.display_name) || till_field(OLD.role) || till_field(OLD.pin_hash) || till_field(OLD.pin_salt) || till_field(OLD.pin_rounds) || till_field(OLD.failed_attempts) || till_field(OLD.locked_until) || till_field(OLD.active) || till_field(OLD.created_at) || till_field(OLD.pin_peppered))
       IS DISTINCT FROM (SELECT digest FROM record_seals WHERE tbl = 'operators' AND row_key = CAST(OLD.id AS TEXT) ORDER BY seq DESC LIMIT 1) THEN
        RAISE EXCEPTION USING ERRCODE = 'TL002', MESSAGE = 'sealed: a row of operators was changed outside Till since Till sealed it, so Till will not build on it: nothing was saved. A supervisor runs `till verify` (docs/RELIABILITY.md)';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER operators_guarded BEFORE UPDATE OR DELETE ON operators FOR EACH ROW EXECUTE FUNCTION till_guard_operators();
CREATE TRIGGER operators_noted AFTER INSERT OR UPDATE OR DELETE ON operators FOR EACH ROW EXECUTE FUNCTION till_note_version('id');
CREATE FUNCTION till_guard_terminals() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF to_regclass('pg_temp.till_pending_records') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_temp.till_pending_records WHERE tbl = 'terminals' AND row_key = CAST(OLD.id AS TEXT)) THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
    END IF;
    IF sha256(till_row_start() || till_field('terminals'::text) || till_field(OLD.id) || till_field(OLD.description) || till_field(OLD.created_at))
       IS DISTINCT FROM (SELECT digest FROM record_seals WHERE tbl = 'terminals' AND row_key = CAST(OLD.id AS TEXT) ORDER BY seq DESC LIMIT 1) THEN
        RAISE EXCEPTION USING ERRCODE = 'TL002', MESSAGE = 'sealed: a row of terminals was changed outside Till since Till sealed it, so Till will not build on it: nothing was saved. A supervisor runs `till verify` (docs/RELIABILITY.md)';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER terminals_guarded BEFORE UPDATE OR DELETE ON terminals FOR EACH ROW EXECUTE FUNCTION till_guard_terminals();
CREATE TRIGGER terminals_noted AFTER INSERT OR UPDATE OR DELETE ON terminals FOR EACH ROW EXECUTE FUNCTION till_note_version('id');
CREATE FUNCTION till_guard_business_days() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF to_regclass('pg_temp.till_pending_records') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_temp.till_pending_records WHERE tbl = 'business_days' AND row_key = CAST(OLD.date AS TEXT)) THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
    END IF;
    IF sha256(till_row_start() || till_field('business_days'::text) || till_field(OLD.date) || till_field(OLD.opened_by) || till_field(OLD.opened_at) || till_field(OLD.closed_by) || till_field(OLD.closed_at) || till_field(OLD.deposit_bag) || till_field(OLD.deposit_transaction_id) || till_field(OLD.cancelled_by) || till_field(OLD.cancelled_at))
       IS DISTINCT FROM (SELECT digest FROM record_seals WHERE tbl = 'business_days' AND row_key = CAST(OLD.date AS TEXT) ORDER BY seq DESC LIMIT 1) THEN
        RAISE EXCEPTION USING ERRCODE = 'TL002', MESSAGE = 'sealed: a row of business_days was changed outside Till since Till sealed it, so Till will not build on it: nothing was saved. A supervisor runs `till verify` (docs/RELIABILITY.md)';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER business_days_guarded BEFORE UPDATE OR DELETE ON business_days FOR EACH ROW EXECUTE FUNCTION till_guard_business_days();
CREATE TRIGGER business_days_noted AFTER INSERT OR UPDATE OR DELETE ON business_days FOR EACH ROW EXECUTE FUNCTION till_note_version('date');
CREATE FUNCTION till_guard_drawer_sessions() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF to_regclass('pg_temp.till_pending_records') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_temp.till_pending_records WHERE tbl = 'drawer_sessions' AND row_key = CAST(OLD.id AS TEXT)) THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
    END IF;
    IF sha256(till_row_start() || till_field('drawer_sessions'::text) || till_field(OLD.id) || till_field(OLD.operator_id) || till_field(OLD.terminal_id) || till_field(OLD.business_date) || till_field(OLD.opened_at) || till_field(OLD.opening_float_cents) || till_field(OLD.closed_at) || till_field(OLD.float_reason))
       IS DISTINCT FROM (SELECT digest FROM record_seals WHERE tbl = 'drawer_sessions' AND row_key = CAST(OLD.id AS TEXT) ORDER BY seq DESC LIMIT 1) THEN
        RAISE EXCEPTION USING ERRCODE = 'TL002', MESSAGE = 'sealed: a row of drawer_sessions was changed outside Till since Till sealed it, so Till will not build on it: nothing was saved. A supervisor runs `till verify` (docs/RELIABILITY.md)';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER drawer_sessions_guarded BEFORE UPDATE OR DELETE ON drawer_sessions FOR EACH ROW EXECUTE FUNCTION till_guard_drawer_sessions();
CREATE TRIGGER drawer_sessions_noted AFTER INSERT OR UPDATE OR DELETE ON drawer_sessions FOR EACH ROW EXECUTE FUNCTION till_note_version('id');
CREATE FUNCTION till_guard_payment_plans() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF to_regclass('pg_temp.till_pending_records') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_temp.till_pending_records WHERE tbl = 'payment_plans' AND row_key = CAST(OLD.id AS TEXT)) THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
    END IF;
    IF sha256(till_row_start() || till_field('payment_plans'::text) || till_field(OLD.id) || till_field(OLD.account_id) || till_field(OLD.created_at) || till_field(OLD.created_by) || till_field(OLD.starts_on) || till_field(OLD.installments) || till_field(OLD.installment_cents) || till_field(OLD.first_due) || till_field(OLD.status) || till_field(OLD.kind) || till_field(OLD.total_cents) || till_field(OLD.after_transaction_id))
       IS DISTINCT FROM (SELECT digest FROM record_seals WHERE tbl = 'payment_plans' AND row_key = CAST(OLD.id AS TEXT) ORDER BY seq DESC LIMIT 1) THEN
        RAISE EXCEPTION USING ERRCODE = 'TL002', MESSAGE = 'sealed: a row of payment_plans was changed outside Till since Till sealed it, so Till will not build on it: nothing was saved. A supervisor runs `till verify` (docs/RELIABILITY.md)';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER payment_plans_guarded BEFORE UPDATE OR DELETE ON payment_plans FOR EACH ROW EXECUTE FUNCTION till_guard_payment_plans();
CREATE TRIGGER payment_plans_noted AFTER INSERT OR UPDATE OR DELETE ON payment_plans FOR EACH ROW EXECUTE FUNCTION till_note_version('id');
CREATE TRIGGER allocations_noted AFTER INSERT ON allocations FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER audit_events_noted AFTER INSERT ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER account_notes_noted AFTER INSERT ON account_notes FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER receipt_prints_noted AFTER INSERT ON receipt_prints FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER cash_counts_noted AFTER INSERT ON cash_counts FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER cash_count_lines_noted AFTER INSERT ON cash_count_lines FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER drawer_closes_noted AFTER INSERT ON drawer_closes FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER drawer_close_missing_noted AFTER INSERT ON drawer_close_missing FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER overrides_noted AFTER INSERT ON overrides FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER returned_checks_noted AFTER INSERT ON returned_checks FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER adjustments_noted AFTER INSERT ON adjustments FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER refund_requests_noted AFTER INSERT ON refund_requests FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER service_request_events_noted AFTER INSERT ON service_request_events FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER account_changes_noted AFTER INSERT ON account_changes FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER batches_noted AFTER INSERT ON batches FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER batch_lines_noted AFTER INSERT ON batch_lines FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER batch_files_noted AFTER INSERT ON batch_files FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER suspense_items_noted AFTER INSERT ON suspense_items FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER suspense_moves_noted AFTER INSERT ON suspense_moves FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER drop_acceptances_noted AFTER INSERT ON drop_acceptances FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER agencies_noted AFTER INSERT ON agencies FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER program_enrollments_noted AFTER INSERT ON program_enrollments FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER pledges_noted AFTER INSERT ON pledges FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER pledge_payments_noted AFTER INSERT ON pledge_payments FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER autopay_enrollments_noted AFTER INSERT ON autopay_enrollments FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER autopay_stops_noted AFTER INSERT ON autopay_stops FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER autopay_drafts_noted AFTER INSERT ON autopay_drafts FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER autopay_entries_noted AFTER INSERT ON autopay_entries FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER autopay_draft_closes_noted AFTER INSERT ON autopay_draft_closes FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER return_lots_noted AFTER INSERT ON return_lots FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
CREATE TRIGGER returned_items_noted AFTER INSERT ON returned_items FOR EACH STATEMENT EXECUTE FUNCTION till_note_appended();
"""#)
}

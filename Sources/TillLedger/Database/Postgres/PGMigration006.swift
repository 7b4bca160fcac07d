extension PGSchema {
    /// PostgreSQL migration 6: a day's transactions by kind, in id order. The settlement finds
    /// where a day's rows begin and end with `MIN(id)` and `MAX(id)` of each kind on the day;
    /// on SQLite the (business_date, kind) index carries the row id, on PostgreSQL it did not,
    /// and each end was found by reading every transaction of the day (0.4–0.5 s of a
    /// 20,000-payment day's settlement, against 100 ms for all of it). This index answers
    /// each end from its first or last entry, and takes the old one's place.
    /// Frozen as written: never edit it; change the schema with a new migration.
    static let migration006 = PGMigration(version: 6, name: "day-kind-id", sql: #"""
CREATE INDEX transactions_day_kind_id ON transactions(business_date, kind, id);
DROP INDEX transactions_business_date;
"""#)
}

import GRDB

/// An account picked for a benchmark, with what a cashier might type to find it.
public struct BenchAccount: Sendable {
    public let id: Int64
    public let number: String
    public let name: String
    public let address: String
    public let meter: String
    public let phone: String
    /// Pays cash only (after a returned check): no checks, no lockbox.
    public var cashOnly = false
}

extension Ledger {
    /// `count` accounts picked at random by `seed`, the same ones run to run.
    public func benchSample(count: Int, seed: UInt64) throws -> [BenchAccount] {
        var random = DemoRandom(seed: seed)
        return try read { db in
            let maxID = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM accounts") ?? 0
            guard maxID > 0 else { throw LedgerError(.invalid, "The ledger has no accounts: benchmark a demo ledger") }
            var result: [BenchAccount] = []
            while result.count < count {
                let id = Int64(random.next() % UInt64(maxID)) + 1
                if let row = try SQLRow.fetchOne(db, sql: """
                    SELECT id, number, customer_name, service_address, meter_number, phone, cash_only_until IS NOT NULL
                    FROM accounts WHERE id = ?
                    """, arguments: [id]) {
                    result.append(BenchAccount(id: row[0], number: row[1], name: row[2], address: row[3], meter: row[4], phone: row[5],
                                               cashOnly: row[6]))
                }
            }
            return result
        }
    }

    /// The first `limit` accounts that take any tender (none cash-only), oldest first: what a
    /// soak harness pays.
    public func accountsTakingAnyTender(limit: Int) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT number FROM accounts WHERE cash_only_until IS NULL ORDER BY id LIMIT ?", arguments: [limit])
        }
    }

    /// The id of an active operator, by login.
    public func operatorID(_ login: String) throws -> Int64? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT id FROM operators WHERE login = ? AND active = 1", arguments: [login]) }
    }

    public func accountCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts") ?? 0 }
    }

    /// Transactions in the ledger (the newest id: ids are never reused or deleted).
    public func transactionCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM transactions") ?? 0 }
    }
}

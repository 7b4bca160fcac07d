import Foundation
import GRDB
import TillCore

/// Training ledgers: a demo, or a copy of the live ledger with the customers' names, addresses,
/// phones, emails and every typed reference and note scrubbed. `ledger.training` marks one from
/// the moment it is made, and nothing changes it after; `till --training` opens only such a
/// ledger, so a new CSR never practises on the live books.
extension Ledger {
    /// Marks this ledger as a training ledger, through the sealed write path.
    func markTraining() throws {
        try writeImmediate { db in
            try db.execute(sql: "INSERT INTO settings(key, value) VALUES (?, 'true') ON CONFLICT(key) DO UPDATE SET value = 'true'",
                           arguments: [SettingKey.training.rawValue])
            try Audit.record(db, at: timestamp(), operatorID: nil, terminal: nil, event: "ledger.training", detail: "made a training ledger")
        }
    }

    public var isTraining: Bool { (try? typedSettings().training) ?? false }

    /// Copies the live ledger at `source` to `destination` (a new file) as a training ledger: the
    /// books, receipts and days as they are; every person's name, address, phone and email, and
    /// every typed reference, memo, note and audit detail, replaced by plain stand-ins. The copy's
    /// hash chain and record seals are made anew over the scrubbed rows, so `till verify` is
    /// sound on it; the live ledger is only read.
    public static func copyForTraining(from source: String, to destination: String) throws -> Ledger {
        try refuseConnectionURI(destination)
        let fileManager = FileManager.default
        guard !fileManager.fileExists(atPath: destination) else {
            throw LedgerError(.alreadyInitialized, "A file already exists at \(destination): a training copy is a new file")
        }
        let live = try Ledger(path: source)
        guard !live.isTraining else { throw LedgerError(.invalid, "\(source) is a training ledger already") }
        let scratch = destination + ".building"
        let suffixes = ["", "-journal", "-wal", "-shm"]
        for suffix in suffixes { try? fileManager.removeItem(atPath: scratch + suffix) }
        defer { for suffix in suffixes { try? fileManager.removeItem(atPath: scratch + suffix) } }
        // Customers' details until scrubbed: readable by the owner only, from the first byte.
        guard fileManager.createFile(atPath: scratch, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw LedgerError(.noLedger, "Cannot create \(destination)")
        }
        // A consistent snapshot of the live books, read while the office works.
        var readOnly = Configuration()
        readOnly.readonly = true
        readOnly.busyMode = .timeout(10)
        let snapshot = try DatabaseQueue(path: source, configuration: readOnly)
        try snapshot.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [scratch]) }
        try snapshot.close()
        var configuration = Configuration()
        configuration.prepareDatabase { db in db.add(function: RecordSeals.digestFunction) }
        let queue = try DatabaseQueue(path: scratch, configuration: configuration)
        try queue.write { db in try scrub(Store(db)) }
        try queue.vacuum() // the scrubbed text leaves no trace in free pages
        try queue.close()
        // The operators' PINs stay: the PIN pepper goes with the copy, so the same people sign in.
        let pepper = PINPepper.path(forLedger: source)
        if fileManager.fileExists(atPath: pepper) {
            try? fileManager.removeItem(atPath: PINPepper.path(forLedger: destination))
            try fileManager.copyItem(atPath: pepper, toPath: PINPepper.path(forLedger: destination))
            try fileManager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: PINPepper.path(forLedger: destination))
        }
        try fileManager.moveItem(atPath: scratch, toPath: destination)
        let book = try Ledger(path: destination)
        try book.markTraining()
        return book
    }

    /// The scrubbing, in one transaction on the copy: the append-only guards are lifted on the
    /// copy alone, the text replaced, the chain and seals made anew, the guards put back.
    static func scrub(_ db: Store) throws {
        for table in AppendOnly.tables {
            try db.execute(sql: "DROP TRIGGER IF EXISTS \(table)_no_update; DROP TRIGGER IF EXISTS \(table)_no_delete")
        }
        try db.execute(sql: """
            UPDATE accounts SET customer_name = 'Customer ' || number, service_address = (id % 900 + 100) || ' Training Street',
                mailing_address = '', phone = CASE WHEN phone = '' THEN '' ELSE '(555) 010-' || substr('0000' || (id % 10000), -4) END,
                email = CASE WHEN email = '' THEN '' ELSE 'customer' || id || '@example.invalid' END;
            UPDATE tenders SET reference = CASE WHEN reference IS NULL THEN NULL ELSE 'R' || id END;
            UPDATE batch_lines SET reference = 'R' || id;
            UPDATE transactions SET memo = CASE WHEN memo = '' THEN '' ELSE kind || ' (text scrubbed for training)' END,
                idempotency_key = CASE WHEN idempotency_key IS NULL THEN NULL ELSE 'training:' || id END;
            UPDATE account_notes SET text = 'A note (scrubbed for training)';
            UPDATE refund_requests SET payee = 'Payee ' || id, address = 'Training address';
            UPDATE account_changes SET old_value = 'old value', new_value = 'new value';
            UPDATE suspense_items SET account_given = '', payer = CASE WHEN payer = '' THEN '' ELSE 'Payer ' || id END,
                address = '', phone = '', reference = 'R' || id, check_number = '', source_line = '';
            UPDATE suspense_moves SET payee = CASE WHEN payee = '' THEN '' ELSE 'Payee ' || id END, address = '';
            UPDATE returned_checks SET check_number = 'R' || id;
            UPDATE service_requests SET notes = CASE WHEN notes = '' THEN '' ELSE 'Notes scrubbed for training' END;
            UPDATE service_request_events SET note = CASE WHEN note = '' THEN '' ELSE 'scrubbed' END;
            UPDATE audit_events SET detail = '(scrubbed for training)';
            UPDATE overrides SET detail = '(scrubbed for training)';
            UPDATE batches SET source = CASE WHEN source = '' THEN '' ELSE 'file' END;
            UPDATE drawer_closes SET reason = CASE WHEN reason = '' THEN '' ELSE 'scrubbed' END;
            UPDATE drop_acceptances SET reason = CASE WHEN reason = '' THEN '' ELSE 'scrubbed' END;
            UPDATE agencies SET contact = '';
            UPDATE program_enrollments SET case_number = CASE WHEN case_number = '' THEN '' ELSE 'C' || id END;
            UPDATE pledges SET case_number = CASE WHEN case_number = '' THEN '' ELSE 'C' || id END;
            UPDATE autopay_enrollments SET holder = 'Holder ' || id, last_four = '0000', sealed_number = X'', key_id = 'training';
            UPDATE autopay_stops SET reason = 'scrubbed';
            UPDATE returned_items SET reference = 'R' || id, follow_up = CASE WHEN follow_up = '' THEN '' ELSE 'scrubbed' END;
            UPDATE return_lots SET file_name = 'file', sha256 = '';
            DELETE FROM transaction_hashes;
            DELETE FROM record_seals;
            INSERT INTO account_search(account_search) VALUES ('rebuild');
            """)
        for table in AppendOnly.tables { try db.execute(sql: AppendOnly.triggersSQL(for: table)) }
        try Chain.sealPending(db)
        try RecordSeals.sealUnsealed(db)
    }
}

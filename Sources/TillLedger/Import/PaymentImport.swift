import Crypto
import Foundation
import GRDB
import Synchronization
import TillCore

/// `till import payments FILE.csv`: a lockbox, bank or web-portal payment file.
///
/// The whole file is read and checked first, without the write lock: any bad line refuses the
/// file and nothing posts. Then the lines post in short transactions of `importChunk` lines, so a
/// counter payment waits milliseconds, not the whole import. Each line is idempotent by its
/// reference, and the batch is known by the file's SHA-256: running the same file again after a
/// crash or a kill finishes that batch and posts nothing twice.
extension Ledger {
    public static let paymentFileColumns = ["account", "amount", "tender", "reference", "date", "payer", "address", "phone"]

    /// What an earlier import posted under a reference, to tell "posted before" from a conflict.
    struct ImportedPayment {
        let account: String
        let amount: Money
        let tender: TenderKind
        let receipt: ReceiptNumber?
        let batchID: Int64?
        let batchLine: Int?

        func matches(_ line: BatchLine) -> Bool {
            account == line.account.rawValue && amount == line.amount && tender == line.tender
        }

        var described: String {
            "receipt #\(receipt.map { "\($0)" } ?? "-")" + (batchID.map { " (batch #\($0) line \(batchLine ?? 0))" } ?? "")
                + " for account \(account), \(amount.formatted) by \(tender.rawValue)"
        }
    }

    /// The file's lines, checked against the ledger: what to post, what was posted before.
    struct ImportPlan {
        /// The lines to post, with their accounts' row ids.
        var checked: [(line: BatchLine, accountID: Int64)] = []
        var alreadyPosted: [(line: Int, reference: String)] = []
        var problems: [ImportError.Problem] = []

        /// Lines post in the order of their accounts in the ledger (an account's own lines in
        /// the file's order): neighbouring payments then share their pages of the account, its
        /// postings and its open items, and each transaction writes a few pages, not one each.
        /// A lockbox file comes in any order, and this made its import about a third faster.
        var toPost: [BatchLine] {
            checked.sorted { ($0.accountID, $0.line.fileLine ?? 0) < ($1.accountID, $1.line.fileLine ?? 0) }.map(\.line)
        }

        mutating func add(_ other: ImportPlan) {
            checked += other.checked
            alreadyPosted += other.alreadyPosted
            problems += other.problems
        }
    }

    public func importPayments(csv bytes: [UInt8], fileName: String, actor: Actor, slice: Duration = .milliseconds(200),
                               progress: ((_ posted: Int, _ total: Int) -> Void)? = nil) throws -> BatchResult {
        let lines = try Self.paymentFileLines(bytes, fileName: fileName, ceiling: try read { db in try Self.amountCeiling(db) })
        let digest = Self.fileDigest(bytes)
        try read { db in
            _ = try Self.requireOpenDay(db)
            _ = try Self.authorize(.importPayments, amount: nil, actor: actor, db)
        }
        let plan = try planImport(lines)
        if !plan.problems.isEmpty { throw ImportError(file: fileName, problems: plan.problems) }
        let toPost = plan.toPost
        // `slice`: how long one of the import's transactions may hold the write lock when no one
        // else asks for it. A terminal that asks meanwhile takes a ticket in the write queue; the
        // import sees it at the next line and commits, so the payment waits for one line and the
        // commit, and takes its turn before the import's next transaction.
        var result = BatchResult(batchID: nil, kind: .importFile, controlTotal: Money(cents: toPost.reduce(0) { $0 + $1.amount.cents }))
        result.alreadyPosted = plan.alreadyPosted
        guard !toPost.isEmpty else { return result }

        let batchID = try writeImmediate { db in
            try self.openImportBatch(toPost, digest: digest, fileName: fileName, actor: actor, db)
        }
        result.batchID = batchID
        var done = 0
        while done < toPost.count {
            let rest = toPost[done...]
            let posted: (posted: [(line: Int, account: String, amount: Money, receipt: ReceiptNumber?)], skipped: [(line: Int, reference: String)],
                         held: [(line: Int, item: Int64, reason: String)])
            do {
                posted = try writeImmediate { db, anyoneWaiting in
                    try self.postImportChunk(rest, batchID: batchID, actor: actor, fileName: fileName, for: slice,
                                             givingWayTo: anyoneWaiting, db)
                }
            } catch let error as LedgerError {
                // A line turned bad between the check and its posting, or the ledger stopped:
                // what is posted stays posted, and the same file finishes the batch.
                let next = error.message.hasPrefix("line ") ? "fix that line and import the same file again"
                    : "import the same file again to post the rest"
                throw LedgerError(error.code, "\(error.message); \(done) of the file's \(toPost.count) lines to post are posted "
                                  + "in batch #\(batchID) and the rest are not: \(next)")
            }
            result.posted += posted.posted
            result.alreadyPosted += posted.skipped
            result.toSuspense += posted.held
            done += posted.posted.count + posted.skipped.count
            progress?(done, toPost.count)
            checkpointIfLarge()
        }
        return result
    }

    /// Reads and parses the file: every bad line named by the file's own line number.
    static func paymentFileLines(_ bytes: [UInt8], fileName: String, ceiling: Money) throws -> [BatchLine] {
        let file = try ImportFile(bytes: bytes, name: fileName, required: ["account", "amount", "tender", "reference"],
                                  allowed: paymentFileColumns)
        return try file.rows(noun: "payments", parse: { row -> BatchLine in
            let number = try AccountNumber(try file.required("account", in: row))
            let amount = try file.amount("amount", in: row, ceiling: ceiling)
            guard amount.isPositive else { throw DomainError(.csv, "amount must be more than $0.00") }
            let tenderText = try file.required("tender", in: row)
            guard let tender = TenderKind(spelling: tenderText), [.ach, .card, .check].contains(tender) else {
                throw DomainError(.csv, "tender \(TextSafety.quoted(tenderText)) is not ach, card or check (lockbox)")
            }
            let reference = try file.required("reference", in: row)
            guard reference.count <= 40 else { throw DomainError(.csv, "reference is over 40 characters") }
            guard !CardNumber.looksLikeFullCardNumber(reference) else {
                throw DomainError(.csv, "reference looks like a full card number: Till never stores one")
            }
            let date = file.field("date", in: row)
            var line = BatchLine(account: number, amount: amount, tender: tender, reference: reference,
                                 paidOn: date.isEmpty ? nil : try BusinessDate(date))
            line.fileLine = row.line
            // Kept for the clarification worklist if no account matches (the reason is set then).
            line.known = SuspenseDetails(reason: "", accountGiven: number.rawValue, payer: String(file.field("payer", in: row).prefix(100)),
                                         address: String(file.field("address", in: row).prefix(200)),
                                         phone: String(file.field("phone", in: row).prefix(40)), reference: reference,
                                         checkNumber: tender == .check ? reference : "",
                                         sourceLine: String("\(fileName) line \(row.line): \(CSV.line(row.fields))".prefix(1000)))
            return line
        }, identity: \.reference, duplicate: { "reference \($0.reference) repeats line \($1)" })
    }

    /// The file's identity: its SHA-256 in hex.
    static func fileDigest(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined()
    }

    static func importKey(_ line: BatchLine) -> String { "import:\(line.reference)" }

    /// Every line against the ledger, read only: posted before with the same account, amount and
    /// tender (skip), posted before with anything different (a conflict), or to post (checked).
    /// A large file is checked in two halves at once, on two of the pool's reading connections:
    /// every line is checked again when it posts, so the halves need not see one moment.
    func planImport(_ lines: [BatchLine]) throws -> ImportPlan {
        guard lines.count >= 2_000 else { return try read { db in try Self.planImport(lines[...], db) } }
        let halves = [lines[..<(lines.count / 2)], lines[(lines.count / 2)...]]
        let parts = Mutex<[Int: Result<ImportPlan, any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: halves.count) { index in
            let part = Result { try self.read { db in try Self.planImport(halves[index], db) } }
            parts.withLock { $0[index] = part }
        }
        var plan = ImportPlan()
        for index in halves.indices { plan.add(try parts.withLock { $0[index]! }.get()) }
        return plan
    }

    static func planImport(_ lines: ArraySlice<BatchLine>, _ db: Store) throws -> ImportPlan {
        var plan = ImportPlan()
        let day = try requireOpenDay(db)
        let ceiling = try amountCeiling(db)
        let keyPosted = try db.cachedStatement(sql: "SELECT 1 FROM transactions WHERE idempotency_key = ?")
        let toSuspense = try setting(.importUnknownToSuspense, db) != "false"
        for line in lines {
            let fileLine = line.fileLine ?? 0
            if try Bool.fetchOne(keyPosted, arguments: [importKey(line)]) == true, let earlier = try importedPayment(key: importKey(line), db) {
                if earlier.matches(line) {
                    plan.alreadyPosted.append((fileLine, line.reference))
                } else {
                    plan.problems.append(.init(line: fileLine, reason: conflict(line, earlier)))
                }
                continue
            }
            do {
                plan.checked.append((line, try checkLine(line, day: day, intoDrawer: false, ceiling: ceiling, closedIsUnknown: toSuspense, db).id))
            } catch let error as LedgerError where error.code == .unknownAccount && toSuspense {
                plan.checked.append((line, 0)) // to suspense, unless its account is there when it posts
            } catch let error as LedgerError {
                plan.problems.append(.init(line: fileLine, reason: error.message
                                           + (error.code == .unknownAccount ? " (import.unknown_to_suspense is false)" : "")))
            }
        }
        return plan
    }

    static func conflict(_ line: BatchLine, _ earlier: ImportedPayment) -> String {
        "reference \(line.reference) was posted before on \(earlier.described); this line says account \(line.account), "
            + "\(line.amount.formatted) by \(line.tender.rawValue): a conflict, resolve it with whoever sent the file"
    }

    static func importedPayment(key: String, _ db: Store) throws -> ImportedPayment? {
        guard let row = try SQLRow.fetchOne(db.cachedStatement(sql: """
            SELECT t.id, t.receipt_number, COALESCE(a.number, s.account_given) AS number, -p.amount_cents AS amount,
                   (SELECT x.kind FROM tenders x WHERE x.transaction_id = t.id LIMIT 1) AS tender,
                   bl.batch_id, bl.line
            FROM transactions t JOIN postings p ON p.transaction_id = t.id AND p.book IN ('AR', 'SUSPENSE')
            LEFT JOIN accounts a ON a.id = p.account_id
            LEFT JOIN suspense_items s ON s.transaction_id = t.id
            LEFT JOIN batch_lines bl ON bl.transaction_id = t.id
            WHERE t.idempotency_key = ?
            """), arguments: [key]) else { return nil }
        let receipt: Int64? = row["receipt_number"]
        // A lockbox check went to the bank without a tender.
        let tender = try (row["tender"] as String?).map { try TenderKind.stored($0) } ?? .check
        return ImportedPayment(account: row["number"], amount: Money(cents: row["amount"]), tender: tender,
                               receipt: receipt.map(ReceiptNumber.init), batchID: row["batch_id"], batchLine: row["line"])
    }

    /// The batch the file's lines go into: the unfinished batch of the same file on the same day
    /// (a run that was killed), or a new one.
    func openImportBatch(_ lines: [BatchLine], digest: String, fileName: String, actor: Actor, _ db: Store) throws -> Int64 {
        let day = try Self.requireOpenDay(db)
        if let unfinished = try Int64.fetchOne(db, sql: """
            SELECT f.batch_id FROM batch_files f JOIN batches b ON b.id = f.batch_id
            WHERE f.sha256 = ? AND b.business_date = ?
              AND (SELECT COUNT(*) FROM batch_lines l WHERE l.batch_id = b.id) < b.line_count
            ORDER BY f.batch_id DESC LIMIT 1
            """, arguments: [digest, day.description]) {
            return unfinished
        }
        let auth = try Self.authorize(.importPayments, amount: nil, actor: actor, db)
        let total = lines.reduce(0) { $0 + $1.amount.cents }
        let now = timestamp()
        try db.execute(sql: """
            INSERT INTO batches(kind, business_date, at, operator_id, approved_by, control_total_cents, total_cents, line_count, reason, source)
            VALUES ('import', ?, ?, ?, ?, ?, ?, ?, '', ?)
            """, arguments: [day.description, now, actor.operatorID, auth.approver?.id, total, total, lines.count, fileName])
        let batchID = db.lastInsertedRowID
        try db.execute(sql: "INSERT INTO batch_files(batch_id, sha256) VALUES (?, ?)", arguments: [batchID, digest])
        try Audit.record(db, at: now, operatorID: actor.operatorID, terminal: actor.terminal, event: "batch.started",
                         detail: "#\(batchID) import \(lines.count) lines \(Money(cents: total).formatted) from \(fileName)")
        return batchID
    }

    /// Posts the first lines of `lines` for up to `slice`, or until another terminal asks for the
    /// write lock (at least one line), each as its own
    /// payment and receipt. A line another run posted meanwhile is skipped when it is the same
    /// payment, and refuses the rest otherwise. The transaction that posts the last line records
    /// the batch as posted.
    func postImportChunk(_ lines: ArraySlice<BatchLine>, batchID: Int64, actor: Actor, fileName: String, for slice: Duration,
                         givingWayTo anyoneWaiting: () -> Bool = { false }, _ db: Store) throws -> (posted: [(line: Int, account: String, amount: Money, receipt: ReceiptNumber?)],
                                                    skipped: [(line: Int, reference: String)],
                                                    held: [(line: Int, item: Int64, reason: String)]) {
        let start = ContinuousClock.now
        let day = try Self.requireOpenDay(db)
        let ceiling = try Self.amountCeiling(db)
        let keyPosted = try db.cachedStatement(sql: "SELECT 1 FROM transactions WHERE idempotency_key = ?")
        let toSuspense = try Self.setting(.importUnknownToSuspense, db) != "false"
        try Self.recordTerminal(actor.terminal, at: timestamp(), db)
        var held: [(line: Int, item: Int64, reason: String)] = []
        var posted: [(line: Int, account: String, amount: Money, receipt: ReceiptNumber?)] = []
        var skipped: [(line: Int, reference: String)] = []
        let addLine = try db.cachedStatement(sql: """
            INSERT INTO batch_lines(batch_id, line, transaction_id, tender, reference, paid_on) VALUES (?, ?, ?, ?, ?, ?)
            """)
        var finished = true
        for line in lines {
            if !(posted.isEmpty && skipped.isEmpty) && (anyoneWaiting() || ContinuousClock.now - start > slice) {
                finished = false
                break
            }
            let fileLine = line.fileLine ?? 0
            if try Bool.fetchOne(keyPosted, arguments: [Self.importKey(line)]) == true,
               let earlier = try Self.importedPayment(key: Self.importKey(line), db) {
                guard earlier.matches(line) else {
                    throw LedgerError(.invalid, "line \(fileLine): \(Self.conflict(line, earlier))")
                }
                skipped.append((fileLine, line.reference))
                continue
            }
            var account: (id: Int64, name: String, balance: Money, lockedOff: Bool)?
            var unmatched: String?
            do {
                account = try Self.checkLine(line, day: day, intoDrawer: false, ceiling: ceiling, closedIsUnknown: toSuspense, db)
            } catch let error as LedgerError where error.code == .unknownAccount && toSuspense {
                unmatched = error.message
            } catch let error as LedgerError {
                throw LedgerError(error.code, "line \(fileLine): \(error.message)")
            }
            // A lockbox check was deposited by the bank: no tender, straight to the bank. A line
            // whose account is unknown or closed is held in suspense with what the file says.
            let lockbox = line.tender == .check
            var request = PostingRequest(
                kind: .payment, lines: [PostingLine(lockbox ? .bank : line.tender.book, line.amount),
                                        account == nil ? PostingLine(.suspense, Money(cents: -line.amount.cents))
                                            : PostingLine(.receivable, Money(cents: -line.amount.cents), account: line.account)],
                tenders: lockbox ? [] : [line.drawerTender], operatorID: actor.operatorID, terminal: actor.terminal,
                idempotencyKey: Self.importKey(line), memo: "Batch #\(batchID) line \(fileLine)" + (line.paidOn.map { ", paid \($0)" } ?? ""))
            if let unmatched {
                var known = line.known ?? SuspenseDetails(reason: "", accountGiven: line.account.rawValue, reference: line.reference)
                known.reason = unmatched
                request.suspense = known
            }
            let ids = account.map { [line.account: $0.id] } ?? [:]
            var result = try insert(request, businessDate: day, accountIDs: ids, terminalRecorded: true, db)
            if account?.lockedOff == true { result.restoreRequests = try restoreIfPaidUp(request, result, accountIDs: ids, db) }
            try addLine.execute(arguments: [batchID, fileLine, result.id, line.tender.rawValue, line.reference, line.paidOn?.description])
            if let unmatched, let item = try Int64.fetchOne(db, sql: "SELECT id FROM suspense_items WHERE transaction_id = ?", arguments: [result.id]) {
                held.append((fileLine, item, unmatched))
            }
            posted.append((fileLine, account == nil ? "SUSPENSE" : line.account.rawValue, line.amount, result.receipt))
        }
        if finished {
            let row = try SQLRow.fetchOne(db, sql: "SELECT line_count, total_cents FROM batches WHERE id = ?", arguments: [batchID])!
            try Audit.record(db, at: timestamp(), operatorID: actor.operatorID, terminal: actor.terminal, event: "batch.posted",
                             detail: "#\(batchID) import \(row[0] as Int) lines \(Money(cents: row[1]).formatted) from \(fileName)")
        }
        return (posted, skipped, held)
    }
}

import Foundation
import TillCore
import TillLedger
import TillUI

/// The service pane's effects: account actions (with a one-action override), work orders,
/// and mail batches.
extension Runtime {
    func runService(_ effect: Effect) -> [Event] {
        guard let op = state.session else { return [] }
        switch effect {
        case .loadService(let account):
            return [attempt { .serviceLoaded(try self.serviceView(account)) }]
        case .loadPledges(let name):
            return [attempt {
                let found = try self.ledger.agencyPledges(agency: name)
                return .pledgesLoaded(agency: found.agency.name, found.awaited.mapValues { AgencyPledge(amount: $0.amount, caseNumber: $0.caseNumber) })
            }]
        case .loadSuspense:
            return [attempt {
                let today = try self.ledger.today()
                let warn = try self.ledger.suspenseWarnDays()
                return .suspenseLoaded(try self.ledger.suspenseItems().map { $0.shortLine(on: today) + ($0.age(on: today) > warn ? " OLD" : "") })
            }]
        case .service(let submission):
            do {
                let approver = try approverID(submission.approverLogin, submission.approverPIN)
                let actor = Actor(operatorID: op.id, terminal: terminal, approverID: approver)
                let message = try perform(submission, actor: actor, operatorID: op.id, approver: approver)
                return [.serviceDone(message)]
            } catch let error as LedgerError where error.code == .needsOverride {
                return [.serviceNeedsOverride(error.message)]
            } catch {
                return [.serviceFailed("Nothing done: \(error)")]
            }
        case .checkBatchLine(let line):
            do {
                let checked = try ledger.checkBatchLine(BatchLine(account: try AccountNumber(line.account), amount: line.amount,
                                                                  tender: line.tender, reference: line.reference))
                return [.batchLineChecked(BatchEntry.Line(account: line.account, name: checked.name, amount: line.amount,
                                                          tender: line.tender, reference: line.reference))]
            } catch {
                return [.batchLineRefused("\(error)")]
            }
        case .postBatch(let submission):
            do {
                let approver = try approverID(submission.approverLogin, submission.approverPIN)
                guard let drawer = state.status.drawerSession else {
                    return [.batchFailed("A mail batch goes into your drawer: open one first (F4 o)")]
                }
                let lines = try submission.lines.map {
                    BatchLine(account: try AccountNumber($0.account), amount: $0.amount, tender: $0.tender, reference: $0.reference)
                }
                let result = try ledger.postBatch(kind: .mail, controlTotal: submission.control, lines: lines, reason: submission.reason,
                                                  actor: Actor(operatorID: op.id, terminal: terminal, approverID: approver),
                                                  drawerSession: drawer, keyPrefix: submission.key)
                let name = "batch-\(result.batchID ?? 0)"
                let printed = printReport(result.report, name: name, openDrawer: false)
                return [.batchPosted(AppState.Message(
                    "Batch #\(result.batchID.map { "\($0)" } ?? "-") posted: \(result.posted.count) payments, \(result.total.formatted)."
                        + (printed.map { " Report not printed: \($0)" } ?? " Report printed."),
                    printed == nil ? .info : .warning))]
            } catch {
                return [.batchFailed("Batch not posted: \(error)")]
            }
        default:
            return []
        }
    }

    /// The lead or supervisor who approves one action, signed in with their id and PIN at this
    /// terminal (a wrong PIN counts towards their lock like any sign-in); nil when none was given.
    func approverID(_ login: String?, _ pin: String?) throws -> Int64? {
        guard let login, let pin else { return nil }
        return try ledger.authenticate(try OperatorLogin(login), pin: pin, terminal: terminal).id
    }

    /// Runs one account action and says what it did; prints what it wrote (the NSF letter, the refund request).
    private func perform(_ s: ServiceSubmission, actor: Actor, operatorID: Int64, approver: Int64?) throws -> AppState.Message {
        let v = s.values
        func amount(_ name: String) throws -> Money? { (v[name] ?? "").isEmpty ? nil : try Money.parse(v[name]!) }
        func date(_ name: String) throws -> BusinessDate? { (v[name] ?? "").isEmpty ? nil : try BusinessDate(v[name]!) }
        func receipt() throws -> ReceiptNumber {
            guard let typed = v["receipt"], !typed.isEmpty else { throw LedgerError(.invalid, "Give the receipt number") }
            return try ledger.findReceipt(typed)
        }
        func account() throws -> AccountNumber {
            guard let number = s.account else { throw LedgerError(.invalid, "Open the account first") }
            return try AccountNumber(number)
        }
        let reason = v["reason"] ?? ""
        let key = s.key
        let outcome: ServiceOutcome
        switch s.kind {
        case .void:
            let posted = try ledger.void(receipt: try receipt(), reason: reason, operatorID: operatorID, terminal: terminal, approvedBy: approver,
                                         idempotencyKey: key)
            outcome = ServiceOutcome(transaction: posted, summary: "Receipt #\(try receipt()) voided by #\(posted.receipt.map { "\($0)" } ?? "?").")
        case .reversal: outcome = try ledger.reverse(receipt: try receipt(), reason: reason, actor: actor, idempotencyKey: key)
        case .nsf:
            outcome = try ledger.returnCheck(receipt: try receipt(), checkNumber: v["check"], reason: reason, actor: actor, idempotencyKey: key)
        case .transfer:
            outcome = try ledger.transfer(receipt: try receipt(), from: try account(), to: try AccountNumber(v["to"] ?? ""),
                                          amount: try amount("amount"), reason: reason, actor: actor, idempotencyKey: key)
        case .lateFee:
            let fee: BookAccount = v["fee"] == "nsf" ? .nsfFee : v["fee"] == "reconnect" ? .reconnectFee : .lateFee
            outcome = try ledger.reverseFee(fee, account: try account(), amount: try amount("amount"), reason: reason, actor: actor, idempotencyKey: key)
        case .leak:
            guard let credit = try amount("amount"), let from = try date("from"), let to = try date("to") else {
                throw LedgerError(.invalid, "Give the credit and the leak's dates")
            }
            outcome = try ledger.adjustForLeak(account: try account(), amount: credit, from: from, to: to, reason: reason, actor: actor, idempotencyKey: key)
        case .refund:
            outcome = try ledger.refundCredit(account: try account(), amount: try amount("amount"), payee: v["payee"], address: v["address"],
                                              reason: reason, actor: actor, idempotencyKey: key)
        case .depositApply: outcome = try ledger.applyDeposit(account: try account(), amount: try amount("amount"), reason: reason, actor: actor, idempotencyKey: key)
        case .depositRefund:
            outcome = try ledger.refundDeposit(account: try account(), amount: try amount("amount"), payee: v["payee"], address: v["address"],
                                               reason: reason, actor: actor, idempotencyKey: key)
        case .plan:
            outcome = try ledger.createPaymentPlan(account: try account(), installments: Int(v["installments"] ?? "") ?? 0,
                                                   firstDue: try date("first"), actor: actor)
        case .extension:
            guard let until = try date("until") else { throw LedgerError(.invalid, "Give the date") }
            outcome = try ledger.grantExtension(account: try account(), until: until, actor: actor)
        case .request:
            let id = try ledger.createServiceRequest(account: try account(), type: try ServiceRequestType.named(v["type"] ?? ""),
                                                     priority: ServiceRequestPriority(rawValue: v["priority"] ?? "") ?? .normal,
                                                     notes: v["notes"] ?? "", actor: actor)
            outcome = ServiceOutcome(transaction: nil, summary: "Work order #\(id) raised.")
        case .requestUpdate:
            guard let id = Int64(v["id"] ?? ""), let status = ServiceRequestStatus(rawValue: v["status"] ?? "") else {
                throw LedgerError(.invalid, "Give the work order number and its new status")
            }
            try ledger.updateServiceRequest(id, status: status, scheduledFor: try date("date"), note: v["note"] ?? "", actor: actor)
            outcome = ServiceOutcome(transaction: nil, summary: "Work order #\(id) \(status.rawValue).")
        case .writeOff:
            outcome = try ledger.writeOff(account: try account(), amount: try amount("amount"), reason: reason,
                                          referToCollections: (v["collections"] ?? "").lowercased().hasPrefix("y"), actor: actor, idempotencyKey: key)
        case .suspenseApply:
            guard let item = Int64(v["item"] ?? "") else { throw LedgerError(.invalid, "Give the suspense item's number") }
            let to = (v["to"] ?? "").isEmpty ? try account() : try AccountNumber(v["to"]!)
            outcome = try ledger.applySuspense(item: item, to: [(to, try amount("amount"))], reason: reason, actor: actor, idempotencyKey: key)
        case .suspenseRefund:
            guard let item = Int64(v["item"] ?? "") else { throw LedgerError(.invalid, "Give the suspense item's number") }
            outcome = try ledger.refundSuspense(item: item, amount: try amount("amount"), payee: (v["payee"] ?? "").isEmpty ? nil : v["payee"],
                                                address: (v["address"] ?? "").isEmpty ? nil : v["address"], reason: reason, actor: actor,
                                                idempotencyKey: key)
        case .pledge:
            guard let pledged = try amount("amount"), let expires = try date("expires") else { throw LedgerError(.invalid, "Give the amount and the expiry") }
            let pledge = try ledger.pledge(account: try account(), agency: v["agency"] ?? "", amount: pledged, caseNumber: v["case"] ?? "",
                                           expires: expires, actor: actor)
            outcome = ServiceOutcome(transaction: nil, summary: "Pledge #\(pledge.id): \(pledge.amount.formatted) from \(pledge.agency), open until \(pledge.expiresOn).")
        case .autopay:
            let enrolled = try ledger.enrollAutopay(account: try account(), routing: try RoutingNumber(v["routing"] ?? ""),
                                                    bankAccount: try BankAccountNumber(v["bank"] ?? ""),
                                                    kind: BankAccountKind(rawValue: v["bankKind"] ?? "") ?? .checking, holder: v["holder"] ?? "",
                                                    actor: actor)
            outcome = ServiceOutcome(transaction: nil, summary: "\(enrolled.account) on autopay: \(enrolled.kind.rawValue) ****\(enrolled.lastFour) at \(enrolled.routing).")
        case .autopayStop:
            try ledger.stopAutopay(account: try account(), reason: reason, actor: actor)
            outcome = ServiceOutcome(transaction: nil, summary: "Autopay stopped for \(try account()).")
        case .contact:
            guard let field = ContactField(rawValue: v["field"] ?? "") else { throw LedgerError(.invalid, "Unknown field") }
            outcome = try ledger.updateContact(account: try account(), field: field, value: v["value"] ?? "", actor: actor)
        }
        // Letters and refund requests also go to the receipt printer for the customer or accounts payable.
        var failures: [String] = []
        for file in outcome.files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            if let failure = printReport(text.components(separatedBy: "\n"), name: name, openDrawer: false) { failures.append(failure) }
        }
        let summary = outcome.summary + (failures.isEmpty ? "" : " Printer: \(failures[0])")
        return AppState.Message(summary, failures.isEmpty ? .info : .warning)
    }

    /// The open account's work orders and address changes, for the service pane.
    func serviceView(_ account: String) throws -> ServiceView {
        let number = try AccountNumber(account)
        let requests = try ledger.serviceRequests(account: number, limit: 20)
        let changes = try ledger.accountChanges(number).suffix(10).reversed().map { "\($0.at) \($0.by): \($0.field) \"\($0.oldValue)\" → \"\($0.newValue)\"" }
        return ServiceView(account: account, requests: requests.isEmpty ? [] : ServiceReports.requestsText(requests, history: false),
                           changes: Array(changes))
    }
}

extension Runtime {
    /// The reports pane: the open day's overrides and every setting.
    func reportsView() throws -> ReportsView {
        let day = try ledger.openBusinessDay() ?? ledger.localToday()
        let overrides = try ledger.overrides(from: day, to: day).map { r in
            "\(String(r.at.suffix(5))) \(r.action) \(r.operatorLogin)→\(r.approverLogin)" + (r.amount.map { " \($0.formatted)" } ?? "")
                + (r.receipt.map { " #\($0)" } ?? "")
        }
        var view = ReportsView(overrides: overrides, settings: try ledger.settings().map { .init(key: $0.0.rawValue, value: $0.1) })
        view.offices = try ledger.offices().offices.map { office in
            "\(office.code)\(office.isMain ? " (main)" : ""): \(office.name)"
                + (office.terminals.isEmpty ? "" : " · " + office.terminals.joined(separator: ", "))
        }
        return view
    }

    func runReports(_ effect: Effect) -> [Event] {
        switch effect {
        case .loadReports:
            return [attempt { .reportsLoaded(try self.reportsView()) }]
        case .changeSetting(let key, let value):
            guard let op = state.session else { return [] }
            do {
                guard let setting = SettingKey(rawValue: key) else { throw LedgerError(.invalid, "Unknown setting \(key)") }
                try ledger.setSetting(setting, value, by: op.id)
                return [.notice(AppState.Message("\(key) = \(value)")), .reportsLoaded(try reportsView())]
            } catch {
                return [.notice(AppState.Message("Not changed: \(error)", .error))]
            }
        case .addOffice(let code, let name, let address, let bankAccount):
            guard let op = state.session else { return [] }
            do {
                let office = try ledger.addOffice(code: code, name: name, address: address, bankAccount: bankAccount, by: op.id,
                                                  terminal: terminal)
                return [.notice(AppState.Message("Office \(office.code) added" + (office.isMain ? " (the main office)" : ""))),
                        .reportsLoaded(try reportsView())]
            } catch {
                return [.notice(AppState.Message("No office added: \(error)", .error))]
            }
        default:
            return []
        }
    }
}

import Foundation
import TillCore
import TillLedger
import TillPrinting
import TillUI

/// The drawer and settle panes' effects: counts, drops, closes, the day's settlement.
extension Runtime {
    func runDay(_ effect: Effect) -> [Event] {
        guard let op = state.session else { return [] }
        switch effect {
        case .loadDrawer:
            return [attempt { .drawerLoaded(try self.drawerView(op)) }]
        case .openDrawer(let float, let reason):
            do {
                let drawer = try ledger.openDrawer(operatorID: op.id, terminal: terminal, float: float, reason: reason)
                return [.drawerDone(AppState.Message("Drawer #\(drawer.id) open with a float of \(drawer.openingFloat.formatted)"))]
            } catch {
                return [.drawerFailed("\(error)")]
            }
        case .drop(let count, let bag):
            guard let session = state.status.drawerSession else { return [.drawerFailed("No drawer open")] }
            do {
                try ledger.drop(session: session, count: count, bag: bag, operatorID: op.id, terminal: terminal)
                return [.drawerDone(AppState.Message("Dropped \(count.total.formatted) to the safe in bag \(bag)"))]
            } catch {
                return [.drawerFailed("\(error)")]
            }
        case .noSale:
            guard let session = state.status.drawerSession else { return [] }
            do {
                try ledger.noSale(session: session, reason: "", operatorID: op.id, terminal: terminal)
            } catch {
                return [.notice(AppState.Message("\(error)", .error))]
            }
            let slip = ["NO SALE", "Drawer #\(session) \(op.login) at \(terminal)", Self.clock(Date())]
            let failure = printReport(slip, name: "no-sale-\(session)", openDrawer: true)
            return [.notice(failure.map { AppState.Message("No sale recorded; the drawer did not open: \($0)", .warning) }
                            ?? AppState.Message("No sale recorded: drawer open"))]
        case .previewClose(let count, let found, let batch):
            guard let session = state.status.drawerSession else { return [.drawerFailed("No drawer open")] }
            return [attempt {
                // The count as first made is on record before the cashier sees the difference.
                let (balance, needsApproval) = try self.ledger.recordClosingCount(session: session, count: count, found: found, cardBatch: batch,
                                                                                 operatorID: op.id, terminal: self.terminal)
                return .closePreview(balance, needsApproval: needsApproval)
            }]
        case .closeDrawer(let submission):
            guard let session = state.status.drawerSession else { return [.drawerFailed("No drawer open")] }
            do {
                let approver = try approverID(submission.approverLogin, submission.approverPIN)
                let close = try ledger.closeDrawer(session: session, count: DrawerCount(
                    cash: submission.count, checksFound: submission.found, cardBatch: submission.cardBatch,
                    reason: submission.reason, approvedBy: approver), operatorID: op.id, terminal: terminal)
                var text = "Drawer #\(session) closed: Z report No. \(close.zNumber), over/short \(close.balance.total.formatted)."
                if let failure = try OfficePrinter.printZReport(session: session, ledger).failure {
                    text += " Printer: \(failure)"
                }
                return [.drawerDone(AppState.Message(text, close.balance.isBalanced ? .info : .warning))]
            } catch {
                return [.drawerFailed("\(error)")]
            }
        case .loadSettlement:
            return [attempt { .settlementLoaded(try self.settleView()) }]
        case .openDay:
            do {
                let today = ledger.localToday()
                try ledger.openBusinessDay(today, by: op.id, terminal: terminal)
                return [.notice(AppState.Message("Business day \(today) is open")), .settlementLoaded(try settleView())] + run(.refreshStatus)
            } catch {
                return [.notice(AppState.Message("\(error)", .error))]
            }
        case .acceptDrop(let bag, let counted, let reason):
            do {
                let summary = try ledger.acceptDrop(bag: bag, counted: counted, reason: reason, actor: Actor(operatorID: op.id, terminal: terminal))
                return [.notice(AppState.Message(summary)), .settlementLoaded(try settleView())]
            } catch {
                return [.notice(AppState.Message("Not accepted: \(error)", .error))]
            }
        case .cancelDay(let reason):
            do {
                guard let day = try ledger.openBusinessDay() else { return [.notice(AppState.Message("No business day is open", .warning))] }
                try ledger.cancelBusinessDay(day, by: op.id, terminal: terminal, reason: reason)
                return [.notice(AppState.Message("Business day \(day) is cancelled; it may be opened again when it comes")),
                        .settlementLoaded(try settleView())] + run(.refreshStatus)
            } catch {
                return [.notice(AppState.Message("\(error)", .error))]
            }
        case .closeDay(let bag):
            do {
                // A signing key that cannot be used refuses the close before anything is written.
                let signer = try ledger.anchorSigner()
                let settlement = try ledger.closeBusinessDay(by: op.id, terminal: terminal, bag: bag)
                // What the closer must read (and write down) first; any failure before the file names,
                // so that at 80x24 nothing that matters is the part a long path pushes off the line.
                var text = "Business day \(settlement.date) closed. Deposit \(settlement.depositTotal.formatted) in bag \(bag)."
                    + ((settlement.closed?.head).map { " Ledger head \($0.short)." } ?? "")
                    + (settlement.suspenseOverdue.isEmpty ? "" : " \(settlement.suspenseOverdue.count) suspense item(s) older than "
                       + "\(settlement.suspenseWarnDays) days: see the settle pane.")
                var failed = false, files: [String] = []
                do {
                    try ReportFiles.write(settlement, to: ledger.reportsDirectory, signer: signer)
                    files.append("reports/")
                } catch {
                    text += " Report files NOT written: \(error)."
                    failed = true
                }
                if let failure = printReport(ReportText.settlement(settlement, width: receiptWidth), name: "settlement-\(settlement.date)",
                                             openDrawer: false) {
                    text += " Printer: \(failure)."
                    failed = true
                }
                do {
                    let backup = try ledger.backupAfterClose(settlement.date).path
                    files.append("backups/" + (backup as NSString).lastPathComponent)
                } catch {
                    text += " Backup FAILED: \(error); `till day close` makes it."
                    failed = true
                }
                if !files.isEmpty { text += " Written beside the ledger: " + files.joined(separator: ", ") + "." }
                return [.notice(AppState.Message(text, failed ? .error : .info)), .settlementLoaded(try settleView())] + run(.refreshStatus)
            } catch {
                return [.notice(AppState.Message("Day not closed: \(error)", .error))]
            }
        case .printSettlement:
            return [attempt {
                guard let date = try self.ledger.openBusinessDay() ?? self.state.settle?.date else {
                    return .notice(AppState.Message("No business day to print", .warning))
                }
                let lines = ReportText.settlement(try self.ledger.settlement(date), width: self.receiptWidth)
                let failure = self.printReport(lines, name: "settlement-\(date)", openDrawer: false)
                return .notice(failure.map { AppState.Message("Not printed: \($0)", .error) } ?? AppState.Message("Settlement report printed"))
            }]
        default:
            return []
        }
    }

    private func drawerView(_ op: OperatorInfo) throws -> DrawerView {
        let standard = try ledger.standardFloat()
        guard let drawer = try ledger.currentDrawer(operatorID: op.id, terminal: terminal),
              let summary = try ledger.drawer(drawer.id) else {
            // Just closed: show the Z report of the operator's last drawer of the day here.
            if let day = try ledger.openBusinessDay(),
               let last = try ledger.drawers(on: day).last(where: { $0.operatorLogin == op.login && $0.terminal == terminal && !$0.isOpen }) {
                return DrawerView(session: nil, report: ReportText.z(last, try ledger.expectation(session: last.id)), checks: [],
                                  standardFloat: standard)
            }
            return DrawerView(session: nil, report: [], checks: [], standardFloat: standard)
        }
        let expected = try ledger.expectation(session: drawer.id)
        let blind = try ledger.setting(.blindClose) != "false"
        return DrawerView(session: drawer.id, report: ReportText.x(summary, expected), checks: expected.checks, standardFloat: standard,
                          expectedCash: blind ? nil : expected.expectedCash)
    }

    private func settleView() throws -> SettleView {
        let open = try ledger.openBusinessDay()
        guard let date = open ?? state.settle?.date else { return SettleView(date: nil, dayOpen: false, openDrawers: 0, lines: []) }
        let settlement = try ledger.settlement(date)
        return SettleView(date: date, dayOpen: open != nil, openDrawers: settlement.openDrawers.count,
                          lines: ReportText.settlement(settlement))
    }

    /// Prints a report on the receipt printer; nil when it printed, else why not.
    func printReport(_ lines: [String], name: String, openDrawer: Bool) -> String? {
        OfficePrinter.print(lines, name: name, openDrawer: openDrawer, ledger)
    }
}

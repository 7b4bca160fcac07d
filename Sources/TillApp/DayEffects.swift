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
                if let office = try ownDayOffice() {
                    // The business day first if nobody has opened it, then this office's share.
                    if try ledger.openBusinessDay() == nil { try ledger.openBusinessDay(today, by: op.id, terminal: terminal) }
                    let share = try ledger.openOfficeDay(office.code, by: op.id, terminal: terminal)
                    return [.notice(AppState.Message("\(office.name)'s day \(share.date) is open")), .settlementLoaded(try settleView())]
                        + run(.refreshStatus)
                }
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
                var officeText = ""
                if let office = try ownDayOffice() {
                    // This office's share, with its deposit; the last office to close closes the day.
                    let share = try ledger.closeOfficeDay(office.code, by: op.id, terminal: terminal, bag: bag)
                    officeText = "\(office.name)'s day closed. Deposit \(share.depositTotal.formatted) in bag \(bag)."
                    let failure = printReport(ReportText.deposit(share, width: receiptWidth), name: "deposit-\(office.code)-\(share.date)",
                                              openDrawer: false)
                    if let failure { officeText += " Printer: \(failure)." }
                    let open = try ledger.officeDays(on: share.date).filter(\.isOpen).map(\.office.code)
                    guard open.isEmpty else {
                        return [.notice(AppState.Message(officeText + " Still open: \(open.joined(separator: ", ")).", failure == nil ? .info : .error)),
                                .settlementLoaded(try settleView())] + run(.refreshStatus)
                    }
                    officeText += " Every office has closed: "
                }
                let settlement: Settlement
                do {
                    settlement = try ledger.closeBusinessDay(by: op.id, terminal: terminal, bag: bag)
                } catch where !officeText.isEmpty {
                    return [.notice(AppState.Message(officeText + "but the business day did not close: \(error)", .error)),
                            .settlementLoaded(try settleView())] + run(.refreshStatus)
                }
                // What the closer must read (and write down) first; any failure before the file names,
                // so that at 80x24 nothing that matters is the part a long path pushes off the line.
                var text = officeText.isEmpty
                    ? "Business day \(settlement.date) closed. Deposit \(settlement.depositTotal.formatted) in bag \(bag)."
                    : officeText + "business day \(settlement.date) closed."
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
        // Where offices keep their own days, the pane is this terminal's office's share.
        let office = try ownDayOffice()
        let settlement = try ledger.settlement(date, office: office)
        var dayOpen = open != nil, canOpen = true
        if let office, open != nil {
            let share = try ledger.officeDays(on: date).first { $0.office == office }
            dayOpen = share?.isOpen ?? false
            canOpen = !(share?.isClosed ?? false)
        }
        var lines = ReportText.settlement(settlement)
        // A supervisor sees every office beside this one.
        if state.session?.role == .supervisor, !(try ledger.offices().isEmpty) {
            lines = ReportText.officesAtAGlance(try ledger.consolidatedSettlement(from: date, to: date)) + [""] + lines
        }
        var view = SettleView(date: date, dayOpen: dayOpen, openDrawers: settlement.openDrawers.count, lines: lines, office: office?.name)
        view.canOpen = canOpen
        return view
    }

    /// This terminal's office where offices keep their own days (nil: the day is the utility's).
    private func ownDayOffice() throws -> Office? {
        guard try ledger.officesKeepOwnDays() else { return nil }
        return try ledger.offices().office(of: terminal)
    }

    /// Prints a report on the receipt printer; nil when it printed, else why not.
    func printReport(_ lines: [String], name: String, openDrawer: Bool) -> String? {
        OfficePrinter.print(lines, name: name, openDrawer: openDrawer, ledger)
    }
}

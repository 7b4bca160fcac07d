import Foundation
import TillCore
import TillLedger
import TillPrinting

/// The office's receipt printer as the settings describe it, for the screen and the command line.
public enum OfficePrinter {
    /// The printer from the settings; the default spool is `receipts/` beside the ledger file.
    public static func config(_ ledger: Ledger) -> Result<PrinterConfig, PrintError> {
        let spool = (ledger.filesDirectory as NSString).appendingPathComponent("receipts")
        let settings = try? ledger.typedSettings()
        return PrinterConfig.from(kind: settings?.printerKind ?? SettingKey.defaultValue(.printerKind),
                                  target: settings?.printerTarget ?? "", defaultSpool: spool)
    }

    /// The receipt width the settings give (32, 42 or 48 columns).
    public static func receiptWidth(_ ledger: Ledger) -> Int {
        (try? ledger.typedSettings().receiptWidth) ?? Int(SettingKey.defaultValue(.receiptWidth)) ?? 42
    }

    /// A receipt's lines exactly as the next print of it prints: marked REPRINT once it has printed.
    public static func receiptLines(_ number: ReceiptNumber, _ ledger: Ledger) throws -> (receipt: Receipt, lines: [PrintLine], reprint: Bool)? {
        guard let receipt = try ledger.receipt(number) else { return nil }
        let reprint = try ledger.hasPrinted(number)
        return (receipt, trainingMarked(ReceiptLayout.lines(receipt, width: receiptWidth(ledger), reprint: reprint), ledger), reprint)
    }

    /// What every paper of a training ledger says, first and last.
    public static let trainingBanner = "TRAINING — NOT A RECEIPT"

    static func isTraining(_ ledger: Ledger) -> Bool { (try? ledger.typedSettings().training) ?? false }

    /// A training ledger's paper, marked at its head and its foot so it can never pass for a receipt.
    static func trainingMarked(_ lines: [PrintLine], _ ledger: Ledger) -> [PrintLine] {
        guard isTraining(ledger) else { return lines }
        let banner = PrintLine(trainingBanner, emphasis: true)
        return [banner] + lines + [banner]
    }

    /// Whether a print that wants the drawer open opens it on this ledger (for tests).
    public static func opensDrawerForTest(_ wanted: Bool, _ ledger: Ledger) -> Bool { opensDrawer(wanted, ledger) }

    /// In training the drawer stays shut unless `training.opens_drawer` says otherwise.
    static func opensDrawer(_ wanted: Bool, _ ledger: Ledger) -> Bool {
        guard wanted, let settings = try? ledger.typedSettings(), settings.training else { return wanted }
        return settings.trainingOpensDrawer
    }

    /// Prints a receipt (REPRINT if it printed before) and logs the attempt, for the screen and
    /// `till receipt --print`. Returns why it failed (nil when it printed), whether it was a reprint,
    /// and the receipt (nil when it could not be read).
    public static func printReceipt(_ number: ReceiptNumber, operatorID: Int64?, terminal: String,
                                    _ ledger: Ledger) -> (failure: String?, reprint: Bool, receipt: Receipt?) {
        let found: (receipt: Receipt, lines: [PrintLine], reprint: Bool)?
        do { found = try receiptLines(number, ledger) } catch { return ("\(error)", false, nil) }
        guard let found else { return ("no receipt #\(number)", false, nil) }
        var failure: String?
        do {
            try Printer.print(PrintJob(number: number.value, lines: found.lines, openDrawer: opensDrawer(found.receipt.opensDrawer, ledger),
                                       reprint: found.reprint),
                              to: try config(ledger).get())
        } catch {
            failure = error.message
        }
        do {
            try ledger.recordPrint(number, reprint: found.reprint, failure: failure, operatorID: operatorID, terminal: terminal)
        } catch {
            failure = failure ?? "the print was not logged: \(error)"
        }
        return (failure, found.reprint, found.receipt)
    }

    /// A closed drawer's Z report with the ledger's head as it closed, printed (and spooled) as the
    /// screen's close prints it; the command line's `till drawer close` prints the same file.
    public static func printZReport(session: Int64, _ ledger: Ledger) throws -> (lines: [String], failure: String?) {
        guard let summary = try ledger.drawer(session), let close = summary.close else {
            throw LedgerError(.invalid, "Drawer #\(session) is not closed")
        }
        // The ledger's head as the drawer closed (the same on a reprint): a later rewrite of the
        // books shows against this paper (`till verify --anchor`).
        let lines = ReportText.z(summary, try ledger.expectation(session: session), width: receiptWidth(ledger))
            + ((try ledger.headOfDrawerClose(session: session)).map { ["Ledger head \($0.short)"] } ?? [])
        return (lines, print(lines, name: String(format: "z-%06lld", close.zNumber), ledger))
    }

    /// Prints lines of text (a report, a letter) as one job; returns why not, or nil when it printed.
    public static func print(_ lines: [String], name: String, openDrawer: Bool = false, _ ledger: Ledger) -> String? {
        do {
            try Printer.print(PrintJob(number: 0, lines: trainingMarked(lines.map { PrintLine($0) }, ledger),
                                       openDrawer: opensDrawer(openDrawer, ledger), reprint: false, name: name),
                              to: try config(ledger).get())
            return nil
        } catch {
            return error.message
        }
    }
}

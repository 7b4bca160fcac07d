import Foundation
import TillLedger
import TillPrinting

/// The office's receipt printer as the settings describe it, for the screen and the command line.
public enum OfficePrinter {
    /// The printer from the settings; the default spool is `receipts/` beside the ledger file.
    public static func config(_ ledger: Ledger) -> Result<PrinterConfig, PrintError> {
        let spool = ((ledger.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("receipts")
        return PrinterConfig.from(kind: (try? ledger.setting(.printerKind)) ?? "spool",
                                  target: (try? ledger.setting(.printerTarget)) ?? "", defaultSpool: spool)
    }

    /// Prints lines of text (a report, a letter) as one job; returns why not, or nil when it printed.
    public static func print(_ lines: [String], name: String, openDrawer: Bool = false, _ ledger: Ledger) -> String? {
        do {
            try Printer.print(PrintJob(number: 0, lines: lines.map { PrintLine($0) }, openDrawer: openDrawer, reprint: false, name: name),
                              to: try config(ledger).get())
            return nil
        } catch {
            return error.message
        }
    }
}

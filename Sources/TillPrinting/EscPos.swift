import Foundation
import TillCore

/// The ESC/POS byte stream for a receipt printer: initialise, print the lines (bold
/// where emphasised), feed, cut, and pulse the cash drawer only when asked.
public enum EscPos {
    public static let initialize: [UInt8] = [0x1B, 0x40]           // ESC @
    public static let boldOn: [UInt8] = [0x1B, 0x45, 0x01]         // ESC E 1
    public static let boldOff: [UInt8] = [0x1B, 0x45, 0x00]        // ESC E 0
    public static let feedLines: [UInt8] = [0x1B, 0x64, 0x04]      // ESC d 4: print and feed four lines
    public static let partialCut: [UInt8] = [0x1D, 0x56, 0x01]     // GS V 1
    /// ESC p 0 t1 t2: pulse drawer pin 2 for 50 ms on, 500 ms off.
    public static let drawerPulse: [UInt8] = [0x1B, 0x70, 0x00, 0x19, 0xFA]

    public static func encode(_ lines: [PrintLine], openDrawer: Bool) -> [UInt8] {
        var bytes = initialize
        for line in lines {
            if line.emphasis { bytes += boldOn }
            bytes += ascii(line.text)
            if line.emphasis { bytes += boldOff }
            bytes.append(0x0A)
        }
        bytes += feedLines
        bytes += partialCut
        if openDrawer { bytes += drawerPulse }
        return bytes
    }

    /// Printers speak a single-byte code page: accents are folded (Núñez → Nunez), letters
    /// without a decomposition spelled plain (Ødegaard → Odegaard, Łukasz → Lukasz), and
    /// dashes as `-`, and anything else without an ASCII form prints as `?`.
    public static func ascii(_ text: String) -> [UInt8] {
        let folded = LatinLetters.spelledPlain(text)
            .folding(options: [.diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        return folded.unicodeScalars.map { scalar in
            // Dashes print as the hyphen the code page has ("TRAINING — NOT A RECEIPT").
            if scalar == "\u{2014}" || scalar == "\u{2013}" { return UInt8(ascii: "-") }
            return scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F ? UInt8(scalar.value) : UInt8(ascii: "?")
        }
    }
}

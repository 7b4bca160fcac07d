import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where receipts go, from the `printer.kind` and `printer.target` settings.
public enum PrinterConfig: Equatable, Sendable {
    /// One text file per receipt in a directory.
    case spool(directory: String)
    /// An ESC/POS printer's device file, e.g. /dev/usb/lp0.
    case device(path: String)
    /// A CUPS queue, sent raw ESC/POS through `lp -d QUEUE -o raw`.
    case cups(queue: String)
    case none

    /// Reads the settings; `defaultSpool` is used when the spool directory is not set.
    public static func from(kind: String, target: String, defaultSpool: String) -> Result<PrinterConfig, PrintError> {
        switch kind.lowercased() {
        case "spool": return .success(.spool(directory: target.isEmpty ? defaultSpool : target))
        case "escpos", "device":
            return target.isEmpty ? .failure(PrintError("printer.kind is escpos but printer.target names no device"))
                                  : .success(.device(path: target))
        case "lp", "cups":
            return target.isEmpty ? .failure(PrintError("printer.kind is lp but printer.target names no queue"))
                                  : .success(.cups(queue: target))
        case "none": return .success(.none)
        default: return .failure(PrintError("Unknown printer.kind \"\(kind)\": use spool, escpos, lp or none"))
        }
    }
}

public struct PrintError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One receipt to print.
public struct PrintJob: Sendable {
    public let number: Int64
    public let lines: [PrintLine]
    public let openDrawer: Bool
    public let reprint: Bool
    /// A report's spool name (`z-000003`, `settlement-2026-11-20`); nil for a receipt.
    public let name: String?

    public init(number: Int64, lines: [PrintLine], openDrawer: Bool, reprint: Bool, name: String? = nil) {
        self.name = name
        self.number = number
        self.lines = lines
        self.openDrawer = openDrawer
        self.reprint = reprint
    }
}

public enum Printer {
    /// Prints `job`, or throws saying plainly what went wrong. Never retries on its own:
    /// a failed receipt waits in the reprint queue.
    public static func print(_ job: PrintJob, to config: PrinterConfig) throws(PrintError) {
        switch config {
        case .none: return
        case .spool(let directory): try spool(job, directory: directory)
        case .device(let path): try write(EscPos.encode(job.lines, openDrawer: job.openDrawer && !job.reprint), to: path)
        case .cups(let queue): try lp(EscPos.encode(job.lines, openDrawer: job.openDrawer && !job.reprint), queue: queue)
        }
    }

    /// The spool file's name: `receipt-000123.txt`, reprints `receipt-000123-reprint-2.txt`.
    static func spool(_ job: PrintJob, directory: String) throws(PrintError) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw PrintError("cannot use the spool directory \(directory)")
        }
        let base = job.name ?? String(format: "receipt-%06lld", job.number)
        var name = base + ".txt"
        var copy = 1
        while job.reprint || manager.fileExists(atPath: directory + "/" + name) {
            copy += 1
            name = "\(base)-reprint-\(copy).txt"
            if !manager.fileExists(atPath: directory + "/" + name) { break }
        }
        let text = job.lines.map(\.text).joined(separator: "\n") + "\n"
        let path = directory + "/" + name
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw PrintError("cannot write \(path)")
        }
    }

    static func write(_ bytes: [UInt8], to path: String) throws(PrintError) {
        let fd = open(path, O_WRONLY | O_NOCTTY | O_APPEND)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw PrintError("printer \(path) is not available (\(reason)): is it on and connected?")
        }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw PrintError("printer \(path) stopped taking data (\(String(cString: strerror(errno))))")
            }
            offset += written
        }
    }

    static func lp(_ bytes: [UInt8], queue: String) throws(PrintError) {
        guard let lp = ["/usr/bin/lp", "/usr/local/bin/lp", "/bin/lp"].first(where: FileManager.default.isExecutableFile) else {
            throw PrintError("lp is not installed: install cups-client or set printer.kind to spool")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lp)
        process.arguments = ["-d", queue, "-o", "raw"]
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
            try input.fileHandleForWriting.write(contentsOf: Data(bytes))
            try input.fileHandleForWriting.close()
        } catch {
            throw PrintError("cannot run lp for queue \(queue)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw PrintError("lp -d \(queue) failed: \(text.isEmpty ? "exit \(process.terminationStatus)" : text)")
        }
    }
}

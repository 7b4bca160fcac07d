import ArgumentParser
import Foundation
import Glibc
import TillApp
import TillLedger
import TillTerminal
import TillUI

/// `till` with no subcommand: the full-screen application.
struct TerminalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui", abstract: "Open the full-screen counter application (the default).")

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "Theme: default, high-contrast, monochrome, green-screen, or a file name in themes/ (default: the ui.theme setting).")
    var theme: String?

    @Flag(help: "Training: open only a training ledger (till demo --training, till training copy), never the live one.")
    var training = false

    func run() throws {
        try reporting {
            let terminalID = ProcessInfo.processInfo.environment["TILL_TERMINAL"].flatMap { $0.isEmpty ? nil : $0 } ?? "T1"
            let book = try ledger.open(terminal: terminalID)
            if training && !book.isTraining {
                throw Failure(message: "\(ledger.resolvedPath) is not a training ledger: --training never opens the live books. "
                              + "Make one with `till demo --training --db FILE` or `till training copy --to FILE`")
            }
            guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
                throw Failure(message: "The counter screen needs a terminal; `till summary` prints the ledger's summary")
            }
            Signals.install()
            let screen = CursesScreen()
            screen.start()
            defer { screen.restore() }
            let runtime = Runtime(ledger: book, terminal: terminalID, size: screen.size,
                                  glyphs: screen.isUTF8 ? .unicode : .ascii, themes: .standard(), themeName: theme,
                                  colors: screen.hasColors)
            // A post waiting more than a second for another terminal's write says so on the screen
            // (drawn from inside the wait, on this same thread) instead of freezing silently.
            let shared = UncheckedBox((screen, runtime))
            book.waits.onLongWait { waiting in
                let (screen, runtime) = shared.value
                runtime.noteLedgerWait(waiting)
                screen.draw(runtime.render())
            }
            let signal = EventLoop(screen: screen, runtime: runtime).run()
            if let signal {
                screen.restore()
                Glibc.exit(128 + signal)
            }
        }
    }
}

/// Keys and the clock in, frames out, until the UI quits or a signal arrives.
struct EventLoop {
    let screen: CursesScreen
    let runtime: Runtime

    /// Returns the signal that ended the loop, if one did.
    func run() -> Int32? {
        var applied = runtime.theme
        screen.apply(applied)
        screen.draw(runtime.render())
        // `till bench` times a cold start to this first frame on the terminal.
        if ProcessInfo.processInfo.environment["TILL_EXIT_AFTER_FIRST_FRAME"] == "1" { return nil }
        var lastTick = Date()
        while !runtime.shouldQuit {
            if let signal = Signals.pending {
                runtime.signOut(reason: "signal \(signal)")
                return signal
            }
            switch screen.read(milliseconds: 250) {
            case .key(let key): runtime.key(key)
            case .resize(let size):
                screen.invalidate()
                runtime.resize(size)
            case .timeout: break
            }
            if Date().timeIntervalSince(lastTick) >= 1 {
                runtime.tick()
                lastTick = Date()
            }
            if runtime.repaintRequested {
                runtime.repaintRequested = false
                screen.repaint()
            }
            if runtime.theme != applied {
                applied = runtime.theme
                screen.apply(applied)
            }
            screen.draw(runtime.render())
        }
        return nil
    }
}

/// Hands the screen and runtime to the ledger's wait listener, which runs on the same thread
/// that owns them (inside a blocked write), never concurrently.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

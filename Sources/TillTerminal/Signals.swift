import Glibc

/// SIGTERM, SIGHUP (an SSH drop) and SIGINT are noted here and acted on by the main
/// loop, which restores the terminal before exiting. Installed before curses starts,
/// so curses keeps these handlers rather than its own.
public enum Signals {
    nonisolated(unsafe) private static var received: Int32 = 0

    public static func install() {
        for signalNumber in [SIGTERM, SIGHUP, SIGINT] {
            signal(signalNumber) { number in Signals.received = number }
        }
    }

    /// The signal that asked Till to stop, if one has arrived.
    public static var pending: Int32? { received == 0 ? nil : received }
}

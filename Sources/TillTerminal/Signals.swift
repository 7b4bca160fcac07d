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
        // A parent may have left these blocked (the mask is inherited): without SIGWINCH
        // there is no resize, without SIGTERM and SIGHUP no clean exit.
        var wanted = sigset_t()
        sigemptyset(&wanted)
        for signalNumber in [SIGTERM, SIGHUP, SIGINT, SIGWINCH] { sigaddset(&wanted, signalNumber) }
        sigprocmask(SIG_UNBLOCK, &wanted, nil)
    }

    /// The signal that asked Till to stop, if one has arrived.
    public static var pending: Int32? { received == 0 ? nil : received }
}

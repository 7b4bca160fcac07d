import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a PIN from $TILL_PIN or standard input, with echo off when it is a terminal.
enum PINInput {
    static func read(environment: String = "TILL_PIN", prompt: String) throws -> String {
        if let pin = ProcessInfo.processInfo.environment[environment], !pin.isEmpty { return pin }
        return try readLine(prompt: prompt, secret: true)
    }

    static func readLine(prompt: String, secret: Bool) throws -> String {
        let interactive = isatty(STDIN_FILENO) == 1
        if interactive {
            FileHandle.standardError.write(Data(prompt.utf8))
        }
        var saved = termios()
        let hideEcho = interactive && secret && tcgetattr(STDIN_FILENO, &saved) == 0
        if hideEcho {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        }
        defer {
            if hideEcho {
                tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        guard let line = Swift.readLine(strippingNewline: true) else {
            throw Failure(message: "No PIN given: set the PIN variable or type it on standard input")
        }
        return line.trimmingCharacters(in: .whitespaces)
    }
}

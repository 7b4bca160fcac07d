import Foundation
import TillUI

/// Finds theme files and chooses the theme Till starts with.
public struct ThemeLibrary: Sendable {
    public let directories: [String]

    public init(directories: [String]) { self.directories = directories }

    /// `$TILL_THEMES`, a `themes/` folder beside or above the executable (a checkout),
    /// then `~/.local/share/till/themes`, `/usr/local/share/till/themes`, `/usr/share/till/themes`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ThemeLibrary {
        var directories: [String] = []
        if let explicit = environment["TILL_THEMES"], !explicit.isEmpty { directories.append(explicit) }
        var folder = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                         ?? CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<5 {
            directories.append(folder.appendingPathComponent("themes").path)
            folder.deleteLastPathComponent()
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        directories += ["\(home)/.local/share/till/themes", "/usr/local/share/till/themes", "/usr/share/till/themes"]
        return ThemeLibrary(directories: directories)
    }

    public struct Choice: Sendable {
        public let theme: Theme
        /// Why Till is not using the theme asked for, in words for the message line.
        public let warning: String?
    }

    /// The theme to use: monochrome on a terminal without colours; the built-in default
    /// (with a warning naming the file and line) when a theme is missing or broken.
    public func resolve(requested: String, colors: Bool) -> Choice {
        guard colors else {
            return Choice(theme: BuiltInThemes.monochrome,
                          warning: requested == "monochrome" ? nil : "This terminal has no colours: using the monochrome theme")
        }
        guard let path = file(named: requested) else {
            if requested == "default" { return Choice(theme: BuiltInThemes.standard, warning: nil) }
            return Choice(theme: BuiltInThemes.standard, warning: "No theme named \(requested): using the default theme")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return Choice(theme: BuiltInThemes.standard, warning: "Cannot read \(path): using the default theme")
        }
        do {
            return Choice(theme: try ThemeFile.parse(text, file: path), warning: nil)
        } catch {
            return Choice(theme: BuiltInThemes.standard, warning: "Theme error at \(error.description) — using the default theme")
        }
    }

    func file(named name: String) -> String? {
        guard !name.contains("/"), !name.isEmpty else { return nil }
        for directory in directories {
            let path = "\(directory)/\(name).toml"
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }
}

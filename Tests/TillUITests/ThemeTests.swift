import Foundation
import Testing
import TillApp
@testable import TillUI

@Suite("Themes")
struct ThemeTests {
    @Test func theShippedThemesParseAndNameEveryRoleTheyUse() throws {
        for name in ["default", "high-contrast", "monochrome", "green-screen"] {
            let path = "\(UIFixture.repositoryThemes)/\(name).toml"
            let theme = try ThemeFile.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
            #expect(theme.name == name)
            #expect(theme.styles[.focusedBorder] != nil && theme.styles[.statusLine] != nil)
        }
        let monochrome = try ThemeFile.parse(try String(contentsOfFile: "\(UIFixture.repositoryThemes)/monochrome.toml", encoding: .utf8), file: "m")
        #expect(!monochrome.usesColor)
        #expect(monochrome.style(.focusedTitle).attributes == [.reverse, .bold])
    }

    @Test func theBuiltInDefaultIsTheShippedDefault() throws {
        let file = try ThemeFile.parse(try String(contentsOfFile: "\(UIFixture.repositoryThemes)/default.toml", encoding: .utf8), file: "d")
        #expect(file.styles == BuiltInThemes.standard.styles)
    }

    @Test func aBrokenThemeNamesFileAndLineAndTillStartsWithTheDefault() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("till-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "name = \"broken\"\n[status_line]\nfg = \"chartreuse\"\n".write(to: directory.appendingPathComponent("broken.toml"), atomically: true, encoding: .utf8)
        let f = try UIFixture(themes: [directory.path], themeName: "broken")
        #expect(f.runtime.theme == BuiltInThemes.standard)
        #expect(f.runtime.state.message?.text.hasPrefix("Theme error at \(directory.path)/broken.toml:3: unknown colour \"chartreuse\"") == true)
        // The message wraps onto the lines above the message line rather than being cut.
        let message = f.text.split(separator: "\n").suffix(4).dropLast().map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(message.contains("Theme error at \(directory.path)/broken.toml:3: unknown colour \"chartreuse\""))
        #expect(f.text.contains("Sign in"))
    }

    @Test func aTerminalWithoutColoursGetsMonochrome() throws {
        let f = try UIFixture(themeName: "green-screen", colors: false)
        #expect(f.runtime.theme == BuiltInThemes.monochrome)
        #expect(f.text.contains("This terminal has no colours: using the monochrome theme"))
    }

    @Test func themeErrorsSayWhatIsWrong() {
        #expect(throws: ThemeError(file: "t", line: 2, reason: "unknown role [sidebar]; roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))")) {
            try ThemeFile.parse("# x\n[sidebar]\n", file: "t")
        }
        #expect(throws: ThemeError(file: "t", line: 1, reason: "fg must be inside a [role] table")) { try ThemeFile.parse("fg = \"red\"", file: "t") }
        #expect(throws: ThemeError.self) { try ThemeFile.parse("[title]\nattrs = [\"sparkly\"]", file: "t") }
        #expect(throws: ThemeError.self) { try ThemeFile.parse("[title]\nfg = red", file: "t") }
    }

    @Test func switchingThemeFromTheCommandLine() throws {
        let f = try UIFixture()
        f.signIn()
        f.type(":theme green-screen")
        f.press(.enter)
        #expect(f.runtime.theme.name == "green-screen")
        f.type(":theme nosuch")
        f.press(.enter)
        #expect(f.text.contains("No theme named nosuch: using the default theme"))
    }
}

import Foundation
import Testing
import TillApp
import TillCore
import TillLedger
@testable import TillUI

/// A demo ledger in a temporary directory and a runtime over it, driven by keys.
final class UIFixture {
    final class Clock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_795_000_000)
    }

    let ledger: Ledger
    let runtime: Runtime
    let clock = Clock()
    static let repositoryThemes = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes").path

    init(size: Size = Size(width: 80, height: 24), themes: [String] = [UIFixture.repositoryThemes],
         themeName: String? = nil, colors: Bool = true, ledger existing: Ledger? = nil, terminal: String = "T1") throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("till-ui-\(UUID().uuidString)")
        if let existing {
            ledger = existing
        } else {
            (ledger, _) = try Ledger.createDemo(at: directory.appendingPathComponent("ui.sqlite").path,
                                                DemoOptions(accounts: 60, seed: 5, today: try BusinessDate("2026-11-20")))
        }
        let clock = self.clock
        runtime = Runtime(ledger: ledger, terminal: terminal, size: size, themes: ThemeLibrary(directories: themes),
                          themeName: themeName, colors: colors, now: { clock.now })
    }

    var screen: Grid { runtime.render() }

    /// The demo's supervisor, who changes settings.
    var supervisor: Int64 { get throws { try #require(try ledger.operatorNamed(try OperatorLogin("super"))).id } }
    var text: String { screen.text }

    func type(_ text: String) { for character in text { runtime.key(.character(character)); expectWholeAt80() } }
    func press(_ keys: Key...) { for key in keys { runtime.key(key); expectWholeAt80() } }

    /// After every key of every UI test at 80 columns: the question or message the screen
    /// shows is there whole (up to its three lines), and no hint or prompt at the bottom of the
    /// pane beside Lookup is cut. So each message, alert and question a test reaches is checked.
    func expectWholeAt80(_ sourceLocation: SourceLocation = #_sourceLocation) {
        let state = runtime.state
        guard state.size.width == 80, state.screen == .main, !state.helpOpen, state.lock == nil else { return }
        let grid = runtime.render()
        let rows = (0..<grid.size.height).map { grid.line($0) }
        func collapsed(_ text: String) -> String { text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") }
        let shown: String? = state.confirmation?.question
            ?? (state.noteDraft == nil && state.command == nil ? state.message?.text : nil)
        if let shown {
            let bottom = collapsed(rows.suffix(5).joined(separator: " "))
            #expect(bottom.contains(collapsed(shown)), "cut at 80 columns: \(shown)", sourceLocation: sourceLocation)
        }
        // The pane beside Lookup: its last inside row (hints, prompts) never ends cut.
        let last = rows[grid.size.height - 4]
        let pane = String(last.dropFirst(34))
        // (An input line shows the tail of what is typed after "…", by design.)
        let typing = pane.contains("_")
        #expect(typing || !pane.contains("…"), "a pane's bottom line is cut: \(pane)", sourceLocation: sourceLocation)
    }

    /// Goes back to the operator id field and erases it.
    func clearLogin() {
        press(.up)
        for _ in 0..<32 { press(.backspace) }
    }

    /// F4, o, End, Enter: the drawer opened with the standard float as prefilled.
    func openDrawerWithStandardFloat() {
        press(.function(4))
        type("o")
        press(.end, .enter)
    }

    func signIn(_ login: String = "cashier", _ pin: String = "1111") {
        type(login)
        press(.enter)
        type(pin)
        press(.enter)
    }
}

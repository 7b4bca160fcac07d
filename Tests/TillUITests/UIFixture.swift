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
         themeName: String? = nil, colors: Bool = true, ledger existing: Ledger? = nil) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("till-ui-\(UUID().uuidString)")
        if let existing {
            ledger = existing
        } else {
            (ledger, _) = try Ledger.createDemo(at: directory.appendingPathComponent("ui.sqlite").path,
                                                DemoOptions(accounts: 60, seed: 5, today: try BusinessDate("2026-11-20")))
        }
        let clock = self.clock
        runtime = Runtime(ledger: ledger, terminal: "T1", size: size, themes: ThemeLibrary(directories: themes),
                          themeName: themeName, colors: colors, now: { clock.now })
    }

    var screen: Grid { runtime.render() }

    /// The demo's supervisor, who changes settings.
    var supervisor: Int64 { get throws { try #require(try ledger.operatorNamed(try OperatorLogin("super"))).id } }
    var text: String { screen.text }

    func type(_ text: String) { for character in text { runtime.key(.character(character)) } }
    func press(_ keys: Key...) { for key in keys { runtime.key(key) } }

    /// Goes back to the operator id field and erases it.
    func clearLogin() {
        press(.up)
        for _ in 0..<32 { press(.backspace) }
    }

    func signIn(_ login: String = "cashier", _ pin: String = "1111") {
        type(login)
        press(.enter)
        type(pin)
        press(.enter)
    }
}

import Foundation
import Testing
import TillApp
import TillCore
@testable import TillUI

@Suite("The frame: panes, keys, help, command line, resize")
struct FrameTests {
    @Test func tabAndShiftTabMoveTheFocusAndItShowsWithoutColour() throws {
        let f = try UIFixture()
        f.signIn()
        #expect(f.screen.line(2).hasPrefix("╔═ Lookup"))
        f.press(.tab)
        #expect(f.screen.line(1).contains("[Account]"))
        #expect(f.screen.line(2).hasPrefix("┌─ Lookup"))
        #expect(f.screen.line(2).contains("╔═ Account"))
        f.press(.tab, .tab)
        #expect(f.screen.line(1).contains("[Receipt]"))
        f.press(.backTab, .backTab, .backTab)
        #expect(f.screen.line(1).contains("[Lookup]"))
        f.press(.backTab)
        #expect(f.screen.line(1).contains("[Service]"))
        f.press(.function(4))
        #expect(f.screen.line(1).contains("[Drawer]"))
    }

    @Test func helpListsEveryKeyOfTheFocusedPaneFromTheKeyTable() throws {
        let f = try UIFixture(size: Size(width: 132, height: 60))
        f.signIn()
        for pane in [Pane.lookup, .account, .payment] {
            while f.runtime.state.focus != pane { f.press(.tab) }
            f.press(.function(1))
            let screen = f.screen
            #expect(screen.contains("Help — \(pane.title)"))
            for binding in KeyMap.pane(pane) + KeyMap.global {
                #expect(screen.contains(binding.description), "\(binding.description)")
                if !binding.keys.isEmpty { #expect(screen.contains(binding.keyNames)) }
            }
            for command in Command.summaries { #expect(screen.contains(command.usage)) }
            f.press(.escape)
            #expect(!f.text.contains("Help —"))
        }
    }

    @Test func theKeyBarIsTheKeyTable() throws {
        let f = try UIFixture()
        f.signIn()
        let bar = f.screen.line(23)
        for binding in KeyMap.global {
            guard let label = binding.label, case .function(let n) = binding.keys[0] else { continue }
            #expect(bar.contains("\(n)\(label)"))
        }
        // And on the sign-in screen, only its own keys.
        let signIn = try UIFixture().screen.line(23)
        #expect(signIn.contains("1Help") && signIn.contains("10Quit") && !signIn.contains("Lookup"))
    }

    /// A question or message longer than the message line takes the lines above it: at 80x24 the
    /// day-close question keeps its "(y/n)", a long refusal its last words.
    @Test func aLongQuestionOrMessageIsNeverCut() throws {
        var state = AppState(size: Size(width: 80, height: 24),
                             status: StatusInfo(utilityName: "U", businessDate: try? BusinessDate("2026-11-20"), terminal: "FRONT-COUNTER-02",
                                                drawer: "open", clock: "09:00"))
        _ = update(&state, .signedIn(OperatorInfo(id: 1, login: "lead", name: "L", role: .lead)))
        let question = "Close business day 2026-11-20 with deposit bag B-2026-11-20-0001? Nothing posts to it after. (y/n)"
        state.confirmation = .init(question: question, outcome: .closeDay(bag: "B-2026-11-20-0001"))
        var text = render(state).text
        let shown = { (text: String) in text.split(separator: "\n").suffix(4).dropLast().map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") }
        #expect(shown(text).hasSuffix(question), "\(text)")
        #expect(text.split(separator: "\n").last?.contains("10Quit") == true, "the key bar stays")
        state.confirmation = nil
        let refusal = "The deposit slip's checks on hand $1,234.56 differs from the books' $1,200.00: run till verify and call a supervisor"
        state.message = .init(refusal, .error)
        text = render(state).text
        #expect(shown(text).hasSuffix(refusal), "\(text)")
        // A short one stays on its own line, the panes' edge above it untouched.
        state.message = .init("Drawer opened", .info)
        let lines = render(state).text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[22].trimmingCharacters(in: .whitespaces) == "Drawer opened")
        #expect(lines[21].contains("─") || lines[21].contains("-"))
    }

    /// An alert longer than the account pane is wide goes on to the next line: at 80x24 the
    /// shut-off alert's amount was cut ("pay $264.5…").
    @Test func anAccountAlertIsNeverCut() throws {
        var state = AppState(size: Size(width: 80, height: 24),
                             status: StatusInfo(utilityName: "U", businessDate: try? BusinessDate("2026-11-20"), terminal: "T1",
                                                drawer: "open", clock: "09:00"))
        _ = update(&state, .signedIn(OperatorInfo(id: 1, login: "cashier", name: "C", role: .cashier)))
        var view = AccountView(line: AccountLine(number: "100003", name: "Union Hardware", serviceAddress: "1 Main St",
                                                 status: "active", balance: Money(cents: 26_450)),
                               mailingAddress: "", phone: "", meter: "", depositHeld: .zero, cashOnlyUntil: nil)
        view.alerts = [.shutoffPending(date: try BusinessDate("2026-11-27"), stopAmount: Money(cents: 26_450)),
                       .lockedOff(restoreAmount: Money(cents: 123_456), reconnectFee: Money(cents: 5_000))]
        _ = update(&state, .accountLoaded(view))
        let text = render(state).text
        let pane = text.split(separator: "\n").map { line -> String in
            // The account pane is the right-hand box.
            let characters = Array(line)
            return characters.count > 34 ? String(characters[34...]).replacingOccurrences(of: "║", with: " ") : ""
        }.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(pane.contains("Pay $264.50 to stop the shut-off of 2026-11-27"), "\(text)")
        #expect(pane.contains("Pay $1,234.56 to restore service: locked off (includes the $50.00 reconnect fee)"), "\(text)")
        #expect(!text.contains("…"), "nothing cut: \(text)")
    }

    /// At 80 columns every label is whole and a space parts it from the next key's number:
    /// "5Reprint6Service7Reports" read as one word.
    @Test func theKeyBarNeverRunsLabelsTogether() throws {
        for width in [80, 100, 132] {
            let f = try UIFixture(size: Size(width: width, height: 24))
            f.signIn()
            let bar = f.screen.line(23)
            #expect(DisplayWidth.of(bar) <= width)
            let words = bar.split(separator: " ").map(String.init)
            #expect(words == ["1Help", "2Lookup", "3Pay", "4Drawer", "5Reprint", "6Service", "7Reports", "8Settle", "9Lock", "10Quit"],
                    "at \(width) columns: \(bar)")
        }
    }

    @Test func questionMarkIsHelpUnlessTypingASearch() throws {
        let f = try UIFixture()
        f.signIn()
        f.type("?")
        #expect(f.text.contains("Help — Lookup"))
        f.press(.escape)
        f.type("Smith?")
        #expect(!f.text.contains("Help —"))
        #expect(f.text.contains("Find Smith?_"))
    }

    @Test func aTerminalTooSmallSaysSoAndRecovers() throws {
        let f = try UIFixture()
        f.signIn()
        f.runtime.resize(Size(width: 70, height: 20))
        #expect(f.text.contains("Terminal too small: need 80x24, have 70x20"))
        f.press(.tab) // ignored while too small
        f.runtime.resize(Size(width: 132, height: 43))
        #expect(f.screen.line(1).contains("[Lookup]"))
        #expect(f.screen.line(42).contains("10Quit"))
        #expect(f.screen.size == Size(width: 132, height: 43))
    }

    @Test func searchAndOpenAnAccountWithUnicodeNames() throws {
        let f = try UIFixture()
        f.signIn()
        f.type("100002")
        f.press(.enter)
        #expect(f.text.contains("100002"))
        f.press(.enter)
        #expect(f.screen.line(1).contains("[Account]"))
        #expect(f.text.contains("Account 100002"))
        #expect(f.text.contains("Cash only until"))
        var grid = Grid(Size(width: 10, height: 1))
        grid.put("陈伟 Núñez", x: 0, y: 0)
        #expect(grid.line(0) == "陈伟 Núñez")
        #expect(grid[1, 0].text.isEmpty && grid[4, 0].text == " ")
    }

    @Test func commandLineCommands() throws {
        let f = try UIFixture()
        f.signIn()
        func command(_ text: String) {
            f.type(":")
            f.type(text)
            f.press(.enter)
        }
        command("frobnicate")
        #expect(f.text.contains("Unknown command :frobnicate — :help lists the commands"))
        command("acct 100010")
        #expect(f.text.contains("Account 100010"))
        command("pay 45.5 cash")
        if f.runtime.state.confirmation != nil { f.press(.character("y")) } // more than is due: a credit
        #expect(f.screen.line(1).contains("[Payment]"))
        #expect(f.text.contains("$45.50"))
        #expect(f.text.contains("100010"))
        // No drawer is open, so a cash tender is refused and says why.
        f.type("c")
        #expect(f.text.contains("No open drawer"))
        command("pay 12.345 check")
        #expect(f.text.contains("Amount has more than two decimal places"))
        command("acct 999999")
        #expect(f.text.contains("No account 999999"))
        command("drawer")
        #expect(f.screen.line(1).contains("[Drawer]"))
        command("help")
        #expect(f.text.contains("Help — Drawer"))
    }

    @Test func escapeNeverLosesATypedCommandWithoutAsking() throws {
        let f = try UIFixture()
        f.signIn()
        f.type(":acct 10")
        f.press(.escape)
        #expect(f.text.contains("Discard the command \":acct 10\"? (y/n)"))
        f.press(.character("n"))
        #expect(f.text.contains(":acct 10_"))
        f.press(.escape, .character("y"))
        #expect(!f.text.contains(":acct 10"))
    }

    @Test func quittingAsksFirstWhileAPaymentIsBeingEntered() throws {
        let f = try UIFixture()
        f.signIn()
        f.type(":acct 100010")
        f.press(.enter)
        f.type(":pay 10 cash")
        f.press(.enter)
        if f.runtime.state.confirmation != nil { f.press(.character("y")) } // more than is due: a credit
        f.press(.control("c"))
        #expect(f.text.contains("A payment is being entered. Quit and discard it? (y/n)"))
        f.press(.character("n"))
        #expect(!f.runtime.shouldQuit)
        f.press(.function(10), .character("y"))
        #expect(f.runtime.shouldQuit)
    }

    @Test func f10QuitsAndSignsOut() throws {
        let f = try UIFixture()
        f.signIn()
        f.press(.alt("0"))
        #expect(f.runtime.shouldQuit)
        let last = try f.ledger.writer.read { db in try String.fetchOne(db, sql: "SELECT event FROM audit_events ORDER BY id DESC LIMIT 1") }
        #expect(last == "signout")
    }

    @Test func aKeyThatDoesNothingSaysSo() throws {
        let f = try UIFixture()
        f.signIn()
        f.press(.function(12))
        #expect(f.text.contains("F12 does nothing here. F1 or ? lists the keys of this pane."))
    }
}

@Suite("docs/KEYS.md")
struct KeysDocumentTests {
    @Test func theKeysPageListsEveryBindingAndCommand() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/KEYS.md").path
        let page = try String(contentsOfFile: path, encoding: .utf8)
        let tables = KeyMap.global + KeyMap.signIn + Pane.allCases.flatMap(KeyMap.pane)
        for binding in tables {
            let keys = binding.keys.isEmpty ? "(type)" : binding.keyNames
            #expect(page.contains("| \(keys) | \(binding.description) |"), "\(keys): \(binding.description)")
        }
        for command in Command.summaries {
            #expect(page.contains("| \(command.usage) | \(command.description) |"), "\(command.usage)")
        }
    }
}

@Suite("Lookup as you type")
struct LookupAsYouTypeTests {
    @Test func resultsNarrowOnEveryKeyWithoutEnter() throws {
        let f = try UIFixture()
        f.signIn()
        f.type("1000")
        let many = f.runtime.state.results.count
        #expect(many > 10)
        f.type("1")
        #expect(f.runtime.state.results.count < many)
        #expect(f.runtime.state.results.allSatisfy { $0.number.hasPrefix("10001") })
        f.type("0")
        #expect(f.runtime.state.results.first?.number == "100010")
        f.press(.backspace, .backspace, .backspace, .backspace, .backspace, .backspace)
        #expect(f.runtime.state.results.isEmpty)
        #expect(f.text.contains("Account, meter, phone"))
    }

    @Test func resultsShowNumberNameAddressStatusAndBalance() throws {
        let f = try UIFixture()
        f.signIn()
        let account = try #require(try f.ledger.account("100003"))
        let surname = try #require(account.name.split(separator: " ").last)
        f.type(String(surname))
        let screen = f.text
        #expect(screen.contains("100003"))
        #expect(screen.contains(account.serviceAddress))
        #expect(screen.contains(account.balance.formatted))
        // ↓ and Enter open the highlighted one.
        let lines = f.runtime.state.results
        let index = try #require(lines.firstIndex { $0.number == "100003" })
        for _ in 0..<index { f.press(.down) }
        f.press(.enter)
        #expect(f.text.contains("Account 100003"))
        // Esc in Lookup clears the search.
        f.press(.function(2), .escape)
        #expect(f.runtime.state.query.isEmpty && f.runtime.state.results.isEmpty)
    }
}

import ArgumentParser
import Foundation
import TillCore
import TillUI

/// `till bench`: measured figures anyone can reproduce (see docs/PERFORMANCE.md).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure Till's speed.",
        subcommands: [FullBench.self, Render.self, CounterBench.self, DayBench.self, ImportBench.self, AutopayBench.self, GrowthTable.self], defaultSubcommand: FullBench.self)

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time a full screen render and keystroke-to-grid (state update plus render).")

        @Option(help: "Screen width.") var width = 200
        @Option(help: "Screen height.") var height = 60
        @Option(help: "Samples per figure.") var samples = 5_000

        func run() throws {
            var state = RenderBench.busyScreen(Size(width: width, height: height))
            let full = Samples.measure(samples) { _ in _ = TillUI.render(state) }
            // A keystroke in the search box: the update, then the whole frame again.
            let keystroke = Samples.measure(samples) { i in
                _ = update(&state, .key(i % 2 == 0 ? .character("a") : .backspace))
                _ = TillUI.render(state)
            }
            print("screen \(width)x\(height), \(samples) samples each (ms)")
            print("render_full        \(full.summary)")
            print("keystroke_to_grid  \(keystroke.summary)")
        }
    }
}

enum RenderBench {
    /// A full 200x60 render of a busy screen, and a one-field update: the clock changes, the
    /// frame is rendered and compared with the last one cell by cell (what the terminal
    /// backend does before it copies the changed cells).
    static func measure(samples: Int) -> [(String, Samples)] {
        var state = busyScreen(Size(width: 200, height: 60))
        let full = Samples.measure(samples) { _ in _ = TillUI.render(state) }
        var previous = TillUI.render(state)
        var changed = 0
        let update = Samples.measure(samples) { i in
            state.status.clock = i % 2 == 0 ? "10:43" : "10:42"
            let grid = TillUI.render(state)
            for y in 0..<grid.size.height {
                for x in 0..<grid.size.width where grid[x, y] != previous[x, y] { changed += 1 }
            }
            previous = grid
        }
        precondition(changed > 0, "the clock did not change on screen")
        return [("render_full", full), ("render_update", update)]
    }

    /// A signed-in counter with search results and an open account: every part of the frame drawn.
    static func busyScreen(_ size: Size) -> AppState {
        var state = AppState(size: size, status: StatusInfo(utilityName: "Union Public Utility District",
                                                            businessDate: try? BusinessDate("2026-11-20"),
                                                            terminal: "T1", drawer: "open #3", clock: "10:42"))
        state.screen = .main
        state.session = OperatorInfo(id: 1, login: "cashier", name: "Casey Cashier", role: .cashier)
        state.query = "smi"
        state.searched = "smi"
        state.results = (0..<80).map { i in
            AccountLine(number: String(100_001 + i), name: "Smith, José Núñez \(i)", serviceAddress: "\(i) Oak St",
                        status: "active", balance: Money(cents: Int64(i * 1_234 - 5_000)))
        }
        let first = state.results[3]
        state.account = AccountView(line: first, mailingAddress: "PO Box 9, Union", phone: "(555) 201-0001",
                                    meter: "M10000001", depositHeld: Money(cents: 15_000), cashOnlyUntil: try? BusinessDate("2027-03-01"))
        state.message = AppState.Message("Signed in as Casey Cashier (cashier).")
        return state
    }
}

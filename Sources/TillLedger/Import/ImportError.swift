/// Every bad line of an import file, so the whole file can be fixed in one pass.
/// When an import fails, nothing of it is written.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    public struct Problem: Sendable, Equatable {
        public let line: Int
        public let reason: String
    }

    public let file: String
    public let problems: [Problem]

    public var description: String {
        let shown = problems.prefix(200).map { "  line \($0.line): \($0.reason)" }
        let more = problems.count > 200 ? ["  … and \(problems.count - 200) more"] : []
        return (["\(file): \(problems.count) bad line\(problems.count == 1 ? "" : "s"); nothing was imported"] + shown + more)
            .joined(separator: "\n")
    }
}

public struct ImportSummary: Sendable, Equatable {
    public let rows: Int
    public let transactions: Int
}

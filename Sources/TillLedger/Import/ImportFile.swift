import Foundation
import TillCore

/// What every import shares: reading the CSV, checking its header, and parsing each
/// row while collecting every bad line instead of stopping at the first.
struct ImportFile {
    let name: String
    let table: CSV.Table
    /// Each column's place by its lower-cased name (header names are case-insensitive), found
    /// once for the file rather than once a field.
    let columns: [String: Int]

    init(bytes: [UInt8], name: String, required: [String], allowed: [String]) throws {
        self.name = name
        do { table = try CSV.parse(bytes: bytes) } catch {
            throw ImportError(file: name, problems: [.init(line: error.line ?? 1, reason: error.message)])
        }
        // Refused before anything else reads the text, so no message echoes what it holds.
        let unsafe = table.unsafeText.map { ImportError.Problem(line: $0.line, reason: $0.message) }
        if !unsafe.isEmpty { throw ImportError(file: name, problems: unsafe) }
        var problems: [ImportError.Problem] = []
        for column in table.repeatedColumns {
            problems.append(.init(line: 1, reason: "column \(column) appears more than once: keep one"))
        }
        for column in required where !table.hasColumn(column) {
            problems.append(.init(line: 1, reason: "missing column \(column)"))
        }
        for column in table.header where !allowed.contains(column.lowercased()) {
            problems.append(.init(line: 1, reason: "unknown column \(column)"))
        }
        if !problems.isEmpty { throw ImportError(file: name, problems: problems) }
        columns = Dictionary(table.header.enumerated().map { ($1.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Parses every row; a row whose `identity` repeats an earlier row's is a duplicate.
    /// Throws listing every bad line, or returns the rows when all are good.
    func rows<Row>(
        noun: String,
        parse: (CSV.Row) throws -> Row,
        identity: (Row) -> String,
        duplicate: (Row, Int) -> String
    ) throws -> [Row] {
        var problems: [ImportError.Problem] = []
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            do {
                guard row.fields.count == table.header.count else {
                    throw DomainError(.csv, "has \(row.fields.count) fields; the header has \(table.header.count)")
                }
                let parsed = try parse(row)
                if let first = seen[identity(parsed)] {
                    problems.append(.init(line: row.line, reason: duplicate(parsed, first)))
                } else {
                    seen[identity(parsed)] = row.line
                    rows.append(parsed)
                }
            } catch let error as DomainError {
                problems.append(.init(line: row.line, reason: error.message))
            }
        }
        if rows.isEmpty && problems.isEmpty { problems.append(.init(line: 1, reason: "no \(noun) in the file")) }
        if !problems.isEmpty { throw ImportError(file: name, problems: problems) }
        return rows
    }

    func field(_ name: String, in row: CSV.Row) -> String {
        guard let index = columns[name.lowercased()], index < row.fields.count else { return "" }
        let value = row.fields[index]
        // Most fields have nothing to trim: decided on their first and last bytes.
        guard let first = value.utf8.first, let last = value.utf8.last,
              first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 || first >= 0x80 || last >= 0x80 else { return value }
        return value.trimmingCharacters(in: .whitespaces)
    }

    func required(_ name: String, in row: CSV.Row) throws -> String {
        let value = field(name, in: row)
        if value.isEmpty { throw DomainError(.csv, "\(name) is empty") }
        return value
    }

    /// An amount column, with the column's name in the message when it is bad.
    func amount(_ name: String, in row: CSV.Row, ceiling: Money) throws -> Money {
        do { return try Money.parse(try required(name, in: row), ceiling: ceiling) } catch let error as MoneyError {
            throw DomainError(.csv, "\(name): \(error.description)")
        }
    }
}

import Testing
@testable import TillCore

@Suite("CSV reading")
struct CSVTests {
    @Test func readsQuotedFieldsCRLFAndByteOrderMark() throws {
        let text = "\u{FEFF}account_number,customer_name,service_address\r\n100001,\"Smith, Jane\",\"12 \"\"Old\"\" Rd\"\r\n100002,José Núñez,\"line one\nline two\"\r\n"
        let table = try CSV.parse(bytes: Array(text.utf8))
        #expect(table.header == ["account_number", "customer_name", "service_address"])
        #expect(table.rows.count == 2)
        #expect(table.rows[0].fields == ["100001", "Smith, Jane", "12 \"Old\" Rd"])
        #expect(table.rows[1].fields[1] == "José Núñez")
        #expect(table.rows[1].fields[2] == "line one\nline two")
        #expect(table.rows[0].line == 2 && table.rows[1].line == 3)
    }

    @Test func lastLineWithoutNewlineAndBlankLines() throws {
        let table = try CSV.parse("a,b\n\n1,2\n3,4")
        #expect(table.rows.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(table.rows.map(\.line) == [3, 4])
    }

    @Test func rejectsBrokenFilesWithTheLine() {
        #expect(throws: DomainError(.csv, "Line 2: a quoted field is never closed")) { try CSV.parse("a,b\n\"open,2\n") }
        #expect(throws: DomainError(.csv, "Line 2: a quote inside an unquoted field")) { try CSV.parse("a,b\nx\"y,2\n") }
        #expect(throws: DomainError(.csv, "The file is not UTF-8 text; save it as CSV UTF-8")) {
            try CSV.parse(bytes: [0x61, 0x0A, 0xFF, 0xFE, 0x0A])
        }
        #expect(throws: DomainError(.csv, "The file is empty: it needs a header line")) { try CSV.parse("") }
        let huge = "a\n" + String(repeating: "x", count: CSV.maximumFieldLength + 1) + "\n"
        #expect(throws: DomainError.self) { try CSV.parse(huge) }
    }

    @Test func writingQuotesOnlyWhenNeeded() {
        #expect(CSV.line(["plain", "a,b", "say \"hi\"", ""]) == "plain,\"a,b\",\"say \"\"hi\"\"\",")
    }
}

import Foundation

/// A NACHA file read back by a separate, deliberately plain reader: fixed offsets from the
/// record layouts, every count and total added up again from the entries.
struct PlainNacha {
    struct Entry { let code: String; let rdfi: String; let checkDigit: String; let account: String; let cents: Int64; let id: String; let name: String; let trace: String }
    var entries: [Entry] = []
    var effectiveDate = ""
    var problems: [String] = []

    init(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        func field(_ line: String, _ from: Int, _ to: Int) -> String { // 1-based, inclusive, as the layouts are written
            let chars = Array(line)
            return String(chars[(from - 1)..<to])
        }
        if !text.hasSuffix("\n") { problems.append("no final newline") }
        if lines.count % 10 != 0 { problems.append("\(lines.count) records: not blocked by ten") }
        for (i, line) in lines.enumerated() where line.count != 94 || !line.allSatisfy({ $0.isASCII }) {
            problems.append("record \(i + 1) is \(line.count) characters")
        }
        guard problems.isEmpty, lines.count >= 4 else { problems.append("too short"); return }
        var i = 0
        if field(lines[i], 1, 3) != "101" || field(lines[i], 35, 37) != "094" || field(lines[i], 38, 39) != "10" { problems.append("file header") }
        i += 1
        var batches = 0, entryCount = 0, hash: Int64 = 0, debits: Int64 = 0
        while i < lines.count, lines[i].hasPrefix("5") {
            batches += 1
            let header = lines[i]
            if field(header, 51, 53) != "PPD" { problems.append("SEC code \(field(header, 51, 53))") }
            if field(header, 2, 4) != "225" { problems.append("batch service class") }
            effectiveDate = field(header, 70, 75)
            i += 1
            var batchEntries = 0, batchHash: Int64 = 0, batchDebits: Int64 = 0
            while i < lines.count, lines[i].hasPrefix("6") {
                let l = lines[i]
                let entry = Entry(code: field(l, 2, 3), rdfi: field(l, 4, 11), checkDigit: field(l, 12, 12),
                                  account: field(l, 13, 29).trimmingCharacters(in: .whitespaces), cents: Int64(field(l, 30, 39)) ?? -1,
                                  id: field(l, 40, 54).trimmingCharacters(in: .whitespaces), name: field(l, 55, 76).trimmingCharacters(in: .whitespaces),
                                  trace: field(l, 80, 94))
                if !["27", "37"].contains(entry.code) { problems.append("transaction code \(entry.code)") }
                entries.append(entry)
                batchEntries += 1
                batchHash += Int64(entry.rdfi) ?? 0
                batchDebits += entry.cents
                i += 1
            }
            guard i < lines.count, lines[i].hasPrefix("8") else { problems.append("no batch control"); return }
            let control = lines[i]
            if Int(field(control, 5, 10)) != batchEntries { problems.append("batch entry count") }
            if field(control, 11, 20) != String(String(batchHash).suffix(10)).plainZeroPadded(10) { problems.append("batch entry hash") }
            if Int64(field(control, 21, 32)) != batchDebits { problems.append("batch debit total") }
            if Int64(field(control, 33, 44)) != 0 { problems.append("batch credit total") }
            entryCount += batchEntries; hash += batchHash; debits += batchDebits
            i += 1
        }
        guard i < lines.count, lines[i].hasPrefix("9") else { problems.append("no file control"); return }
        let control = lines[i]
        if Int(field(control, 2, 7)) != batches { problems.append("batch count") }
        if Int(field(control, 8, 13)) != lines.count / 10 { problems.append("block count") }
        if Int(field(control, 14, 21)) != entryCount { problems.append("file entry count") }
        if field(control, 22, 31) != String(String(hash).suffix(10)).plainZeroPadded(10) { problems.append("file entry hash") }
        if Int64(field(control, 32, 43)) != debits { problems.append("file debit total") }
        for line in lines[(i + 1)...] where line != String(repeating: "9", count: 94) { problems.append("padding record") }
    }
}

extension String {
    func plainZeroPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

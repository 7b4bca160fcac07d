import Crypto
import Foundation
import Testing
@testable import TillLedger

/// SQLite's migrations, one file each, as PostgreSQL's are: a shipped migration is frozen, so
/// each file's text is pinned here; a change to the schema is a new file and a new pin.
@Suite("SQLite migrations: one file each, frozen")
struct SQLiteMigrationTests {
    static let pinned: [String: String] = [
        "Migration01.swift": "6d4781a220cdf682b04dac8bfd8f2fbd62c6c1ddbb3e6f3a16f0868c6cc3071f",
        "Migration02.swift": "2163df88139031d659752ff133bbb7402faf2852f887d21ed950fe6532aa4a4d",
        "Migration03.swift": "b6fb2614d63388e028d3255b6b9298b9757b8b7afe18de8c64e74ff475574a0a",
        "Migration04.swift": "6652829f35975e4d3ba2d789463299660d3b625d587450a62b9091c7d65aeedf",
        "Migration05.swift": "ae143dca16569d2736d735e110e664c8c762e4f6f4e23032cc94a3abd8226d3f",
        "Migration06.swift": "ae94e37525293b7e23d903c5066152f98c3ab47e0fba390d260a6a19fa60174d",
        "Migration07.swift": "8064a03746f149f813c5bda5d965472d9a83c79ac1e86947650993bc96c2f12a",
        "Migration08.swift": "20d7a5022c828f4861a88130edc160c295f57bc1f949a05e758ad4575fb53b14",
        "Migration09.swift": "f6c52a06746c4902293bb654bbf2ca74620ce5a96e46e1811aa0f1b7328ead5a",
        "Migration10.swift": "d6932d342ee6b777f20914616f829e7f28d1f0b41032d95ba877fea60445e50e",
        "Migration11.swift": "9fa51af5ba1a32954c909f3a45ccebb8f9c4fcda5c2c239710dfd885f29d1db4",
        "Migration12.swift": "dc100516802f15fe43ac4752e81b77ce2b2352512323af33a9e2449e4009b8cc",
        "Migration13.swift": "5398e38eb729d928065d3d61697b82ccdeac86ee1d06298262cf823ba33539fe",
        "Migration14.swift": "1b9a8f1a723096cf62834daa93931785324391bac3363ca4cdb585b211f13567",
        "Migration15.swift": "aaa09b8a9131de6f0159382c2c54e4723307ae9c6d8f72e0a8df80460d367a00",
        "Migration16.swift": "e8d5674e04b1e807f83e276693a0dc11364deed968fecedb615f6814b4310fea",
        "Migration17.swift": "92defdf7d58b795e78b2c74ef80c513fb8b91ff7a0275a9b0a0348e3c08f8263",
        "Migration18.swift": "e26b866df3471f4e341db4ab6826277fb7309cae273a32de749de668ed0a7a73",
        "Migration19.swift": "913955dbb4f2ddf876acf21a581607ad4cbd29fadb8e655510be347289f7e485",
        "Migration20.swift": "b35e329697ffaab8551c3cb82287901c486fbfd6e662d7fe7c420eb8ea656fb3",
    ]

    @Test func eachMigrationFileIsAsShipped() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/TillLedger/Database/SQLite").standardizedFileURL
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".swift") }.sorted()
        #expect(files == Self.pinned.keys.sorted(), "a migration file added or removed: pin it")
        for file in files {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            #expect(digest == Self.pinned[file], "\(file) changed: a shipped migration is never edited")
        }
        // One file a registered migration, in order.
        #expect(Schema.migrator.migrations.count == files.count)
    }
}

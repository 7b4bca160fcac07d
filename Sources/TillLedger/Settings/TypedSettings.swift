import GRDB
import TillCore

/// The settings as typed values, parsed in one place: a stored value that does not parse (written
/// by hand) and a setting the ledger has no row for both take the default from
/// `SettingKey.defaults`, so no caller restates a default (one once read the over/short approval
/// limit as $0.00 instead of $5.00). Read fresh, so a change takes effect at the next read.
public struct TypedSettings: Sendable, Equatable {
    public let utilityName: String
    public let theme: String
    public let receiptWidth: Int
    public let amountCeiling: Money
    public let idleLockMinutes: Int
    public let registerEntry: Bool
    public let printerKind: String
    public let printerTarget: String
    public let overShortApproval: Money
    public let backupKeep: Int
    public let pinMinimumLength: Int
    public let openDayWindowDays: Int
    /// The bill stubs' scan-line layout (`stub.scan_line`).
    public let scanLine: ScanLineFormat
    /// A training ledger: every screen says TRAINING, every paper "TRAINING — NOT A RECEIPT".
    public let training: Bool
    /// In training, whether a receipt opens the cash drawer (`training.opens_drawer`).
    public let trainingOpensDrawer: Bool

    init(_ raw: [SettingKey: String]) {
        func text(_ key: SettingKey) -> String { raw[key] ?? SettingKey.defaultValue(key) }
        // A value that fails its own rule (hand-written into the file) is the default's.
        func valid(_ key: SettingKey) -> String {
            let value = text(key)
            return (try? key.validate(value)) != nil ? value : SettingKey.defaultValue(key)
        }
        func int(_ key: SettingKey) -> Int { Int(valid(key)) ?? Int(SettingKey.defaultValue(key)) ?? 0 }
        func cents(_ key: SettingKey) -> Money { Money(cents: Int64(valid(key)) ?? Int64(SettingKey.defaultValue(key)) ?? 0) }
        utilityName = valid(.utilityName)
        theme = valid(.theme)
        receiptWidth = int(.receiptWidth)
        amountCeiling = cents(.amountCeilingCents)
        idleLockMinutes = int(.idleLockMinutes)
        registerEntry = valid(.registerEntry) == "true"
        printerKind = valid(.printerKind)
        printerTarget = valid(.printerTarget)
        overShortApproval = cents(.overShortApprovalCents)
        backupKeep = max(1, int(.backupKeep))
        pinMinimumLength = int(.pinMinimumLength)
        openDayWindowDays = int(.openDayWindowDays)
        scanLine = (try? ScanLineFormat(spec: valid(.scanLine))) ?? .standard
        training = valid(.training) == "true"
        trainingOpensDrawer = valid(.trainingOpensDrawer) == "true"
    }

    static func read(_ db: Store) throws -> TypedSettings {
        var raw: [SettingKey: String] = [:]
        for row in try SQLRow.fetchAll(db.cachedStatement(sql: Ledger.sealedSettingsSQL(db))) {
            if let key = SettingKey(rawValue: row[0]) { raw[key] = row[1] }
        }
        return TypedSettings(raw)
    }
}

extension Ledger {
    /// Every setting the screen and the commands use, typed, as stored now.
    public func typedSettings() throws -> TypedSettings {
        try read { db in try TypedSettings.read(db) }
    }
}

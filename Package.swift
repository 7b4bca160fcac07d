// swift-tools-version: 6.0
import PackageDescription

// Dependency arrows point one way: till (CLI/UI) → TillLedger (SQLite or PostgreSQL) → TillCore (domain, no I/O).
let package = Package(
    name: "Till",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "till", targets: ["till"]),
        .library(name: "TillCore", targets: ["TillCore"]),
        .library(name: "TillLedger", targets: ["TillLedger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        .target(name: "TillCore", exclude: ["README.md"]),
        .target(
            name: "TillLedger",
            dependencies: [
                "TillCore", "CLibPQ",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        .target(name: "TillUI", dependencies: ["TillCore"], exclude: ["README.md"]),
        .target(name: "TillPrinting", dependencies: ["TillCore"], exclude: ["README.md"]),
        .target(name: "TillApp", dependencies: ["TillCore", "TillLedger", "TillUI", "TillPrinting"], exclude: ["README.md"]),
        .target(name: "TillTerminal", dependencies: ["TillCore", "TillUI", "CNCurses"], exclude: ["README.md"]),
        // The module map links ncursesw; its headers are on the standard include path.
        .systemLibrary(name: "CNCurses", providers: [.apt(["libncursesw5-dev"])]),
        // libpq, PostgreSQL's client library: the module map links it; Debian's libpq-dev.
        .systemLibrary(name: "CLibPQ", providers: [.apt(["libpq-dev"])]),
        .executableTarget(
            name: "till",
            dependencies: [
                "TillCore", "TillLedger", "TillUI", "TillApp", "TillTerminal", "TillPrinting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"]
        ),
        .testTarget(name: "TillCoreTests", dependencies: ["TillCore"]),
        .testTarget(name: "TillLedgerTests", dependencies: ["TillCore", "TillLedger", "TillPrinting"]),
        .testTarget(name: "TillUITests", dependencies: ["TillUI", "TillApp", "TillLedger", "TillCore", "TillPrinting"]),
        .testTarget(name: "TillPrintingTests", dependencies: ["TillPrinting", "TillCore"]),
        .testTarget(name: "TillCLITests", dependencies: ["till", "TillLedger", "TillCore"]),
    ]
)

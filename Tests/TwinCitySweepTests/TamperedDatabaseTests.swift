// A sweep database is a file anyone can edit or send: export, analyze, merge and --resume
// refuse one holding what the sweep it records cannot have written (docs/RELIABILITY.md,
// "Security"), naming the table, the row and the column, and leave it unchanged.
import Foundation
import GRDB
@testable import TwinCitySweep
import XCTest

final class TamperedDatabaseTests: XCTestCase {
    /// A finished grid sweep (4 points × 2 replications), and a copy of its database edited
    /// by `sql` for each case.
    func testTamperedDatabasesAreRefusedByEveryReaderNamingTheRowAndColumn() throws {
        let folder = try scratchFolder()
        let sweep = try write(SweepTestSupport.gridSweep(), to: "grid.toml", in: folder)
        let out = folder.appendingPathComponent("out")
        try runSweep(sweep, into: out, jobs: 1)
        let original = out.appendingPathComponent(SweepDatabase.fileName)
        let quote = "region.gdp@2022"
        let cases: [(name: String, sql: String, reason: String)] = [
            ("replication", "UPDATE runs SET replication = -3 WHERE point = 1 AND replication = 1",
             "(point 1, replication -3): column 'replication' is -3, outside the sweep's replications 0…1"),
            ("point", "UPDATE runs SET point = 77 WHERE point = 3 AND replication = 0",
             "(point 77, replication 0): column 'point' is 77, outside the design's points 0…3"),
            ("text value", "UPDATE outputs SET value = 'abc' WHERE point = 2 AND replication = 0 AND metric = '\(quote)'",
             "column 'value' is 'abc' for metric '\(quote)', not a number"),
            ("points", "UPDATE meta SET value = '9000000000000000000' WHERE key = 'points'",
             "meta data 'points' = 9000000000000000000 × 'replications' = 2 is more than the 1000000 runs a sweep may have (docs/RELIABILITY.md, \"Limits\")"),
            ("sweep", "UPDATE meta SET value = value || ' ' WHERE key = 'sweep'",
             "meta data 'sweep' does not match its content hash 'sweep_hash'; the recorded sweep was changed"),
        ]
        for (name, sql, reason) in cases {
            let copy = folder.appendingPathComponent("\(name).sqlite")
            try? FileManager.default.removeItem(at: copy)
            try FileManager.default.copyItem(at: original, to: copy)
            let queue = try DatabaseQueue(path: copy.path)
            try queue.write { try $0.execute(sql: sql) }
            try queue.close()
            let bytes = try Data(contentsOf: copy)
            for command in [["sweep", "export", copy.path, "--out", folder.appendingPathComponent("export").path], ["sweep", "analyze", copy.path]] {
                let result = try twincity(command)
                XCTAssertEqual(result.status, 2, "\(name) \(command[1]): \(result.standardError)")
                XCTAssertTrue(result.standardError.hasPrefix("twincity: error: \(copy.path) is not a usable sweep database ("), result.standardError)
                XCTAssertTrue(result.standardError.contains(reason), "\(name): \(result.standardError)")
                XCTAssertEqual(result.standardOutput, "")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("export").path), "\(name): nothing exported")
            XCTAssertThrowsError(try SweepDatabase.merge(sources: [copy.path], into: folder.appendingPathComponent("merged.sqlite").path, twinCityVersion: "test"), name)
            XCTAssertEqual(try Data(contentsOf: copy), bytes, "\(name): the database is unchanged")
        }

        // --resume into a tampered database is refused before any run.
        let resumed = folder.appendingPathComponent("resume")
        try FileManager.default.createDirectory(at: resumed, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: folder.appendingPathComponent("replication.sqlite"), to: resumed.appendingPathComponent(SweepDatabase.fileName))
        XCTAssertThrowsError(try runSweep(sweep, into: resumed, jobs: 1, resume: true)) { error in
            XCTAssertTrue("\(error)".contains("column 'replication' is -3"), "\(error)")
        }
        // The untouched database still reads.
        XCTAssertEqual(try twincity(["sweep", "export", out.path]).status, 0)
    }
}

// Default output folders made from names in files (docs/RELIABILITY.md, "Security").
import TwinCityExport
import XCTest

final class PathSlugTests: XCTestCase {
    func testANameBecomesOneSafePathComponent() {
        XCTAssertEqual(PathSlug.make("baseline"), "baseline")
        XCTAssertEqual(PathSlug.make("decision-2020_b"), "decision-2020_b")
        XCTAssertEqual(PathSlug.make("../../../x"), "_________x")
        XCTAssertEqual(PathSlug.make(".."), "__")
        XCTAssertEqual(PathSlug.make(""), "_")
        XCTAssertEqual(PathSlug.make("a\u{0}b\u{1B}c d/é成"), "a_b_c_d___")
        XCTAssertEqual(PathSlug.make(String(repeating: "x", count: 300)).count, PathSlug.maximumLength)
        XCTAssertEqual(PathSlug.path(in: "runs", for: "../victim"), "runs/___victim")
    }
}

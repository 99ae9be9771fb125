// The one function every text of a gnuplot script goes through: single-quoted, so gnuplot
// interprets nothing in it (docs/RELIABILITY.md, "Security").
import TwinCityPlot
import XCTest

final class GnuplotTextTests: XCTestCase {
    func testTextBecomesSingleQuotedStringsGnuplotTakesLiterally() {
        XCTAssertEqual(GnuplotText.quoted("Chengdu"), "('Chengdu')")
        XCTAssertEqual(GnuplotText.quoted("`touch x` $(id) @m \\ \" ;"), "('`touch x` $(id) @m \\ \" ;')")
        XCTAssertEqual(GnuplotText.quoted("O'Neil"), "('O''Neil')")
        XCTAssertEqual(GnuplotText.quoted("first\nsecond"), "('first' . \"\\n\" . 'second')")
        XCTAssertEqual(GnuplotText.quoted("a\rb\u{1B}[2J\u{0}c\u{2028}d\te"), "('a b [2J c d e')")
        XCTAssertEqual(GnuplotText.quoted(""), "('')")
    }
}

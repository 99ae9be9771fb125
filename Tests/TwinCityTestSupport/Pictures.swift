// Checks of the image files a command or a documented example writes.
import Foundation
import XCTest

/// Width and height of a PNG file from its IHDR chunk, after checking the signature.
public func pngSize(_ data: Data, file: StaticString = #filePath, line: UInt = #line) throws -> (width: Int, height: Int) {
    let bytes = [UInt8](data)
    XCTAssertGreaterThan(bytes.count, 24, file: file, line: line)
    XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature", file: file, line: line)
    guard bytes.count > 24 else { return (0, 0) }
    XCTAssertEqual(String(decoding: bytes[12..<16], as: UTF8.self), "IHDR", "first chunk is IHDR", file: file, line: line)
    let integer = { (offset: Int) in bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return (integer(16), integer(20))
}

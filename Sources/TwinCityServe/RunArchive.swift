// A run directory as one zip archive, for the page's download button.
import Foundation
import ZIPFoundation

/// Zips the files of a run directory.
enum RunArchive {
    /// A zip archive of the files of `directory` named in `names` (those present), each as
    /// `<directory name>/<file>`, deflated, with a fixed modification date so that the same
    /// directory always gives the same bytes.
    static func zip(directory: URL, names: [String]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        let folder = directory.lastPathComponent
        let epoch = Date(timeIntervalSince1970: 1_577_836_800)  // 2020-01-01
        for name in names {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            try archive.addEntry(
                with: "\(folder)/\(name)", type: .file, uncompressedSize: Int64(data.count), modificationDate: epoch,
                compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data ?? Data()
    }
}

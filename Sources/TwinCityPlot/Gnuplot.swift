// Runs gnuplot on a generated script: the script and its data go to a temporary folder, the
// picture is written there and then copied into place, so a failed plot leaves nothing.
import Foundation

/// The picture formats `twincity plot` writes.
public enum PlotFormat: String, CaseIterable, Sendable {
    /// PNG raster image (gnuplot's cairo terminal), 1280 × 800 pixels for a line chart.
    case png
    /// SVG vector image (gnuplot's svg terminal), the same size in user units.
    case svg

    /// The gnuplot `set terminal` command for a picture `width` × `height` (pixels).
    func terminal(width: Int, height: Int) -> String {
        switch self {
        case .png:
            return "set terminal pngcairo size \(width),\(height) noenhanced font 'DejaVu Sans,12' background rgb 'white'"
        case .svg:
            return "set terminal svg size \(width),\(height) dynamic noenhanced font 'DejaVu Sans,12' background rgb 'white'"
        }
    }
}

/// A picture gnuplot can draw: its commands (after `set terminal` and `set output`) and the
/// data files they read, by file name.
public protocol GnuplotChart: Sendable {
    /// Width and height of the picture, pixels.
    var size: (width: Int, height: Int) { get }
    /// gnuplot commands drawing the chart; they read `dataFiles` by name from the current
    /// directory.
    var commands: String { get }
    /// Contents of each data file the commands read, by file name (tab-separated columns).
    var dataFiles: [String: String] { get }
}

/// Finds and runs gnuplot.
public enum Gnuplot {
    /// The `gnuplot` executable on the search path `PATH` of `environment`, or `nil`.
    public static func executable(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("gnuplot")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Draws `chart` as a `format` picture at `output`, creating missing parent folders and
    /// replacing an existing file.
    ///
    /// - Throws: `PlotError.gnuplotMissing` when gnuplot is not installed,
    ///   `.gnuplotFailed` when it fails or writes nothing, `.output` when the file cannot be
    ///   written.
    public static func render(_ chart: some GnuplotChart, format: PlotFormat, to output: URL) throws {
        guard let gnuplot = executable() else { throw PlotError.gnuplotMissing }
        let files = FileManager.default
        let work = files.temporaryDirectory.appendingPathComponent("twincity-plot-\(UUID().uuidString)")
        do {
            try files.createDirectory(at: work, withIntermediateDirectories: true)
        } catch {
            throw PlotError.output(path: work.path, reason: "\(error)")
        }
        defer { try? files.removeItem(at: work) }

        let picture = work.appendingPathComponent("plot.\(format.rawValue)")
        let script = [
            "set encoding utf8",
            format.terminal(width: chart.size.width, height: chart.size.height),
            "set output \(GnuplotText.quoted(picture.path))",
            "set datafile separator tab",
            chart.commands,
            "unset output",
        ].joined(separator: "\n") + "\n"
        do {
            for (name, contents) in chart.dataFiles {
                try contents.write(to: work.appendingPathComponent(name), atomically: false, encoding: .utf8)
            }
            try script.write(to: work.appendingPathComponent("plot.gp"), atomically: false, encoding: .utf8)
        } catch {
            throw PlotError.output(path: work.path, reason: "\(error)")
        }

        let process = Process()
        process.executableURL = gnuplot
        process.arguments = ["plot.gp"]
        process.currentDirectoryURL = work
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw PlotError.gnuplotFailed(status: -1, message: "cannot start \(gnuplot.path): \(error)")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let size = (try? files.attributesOfItem(atPath: picture.path)[.size] as? Int) ?? 0
        guard process.terminationStatus == 0, size > 0 else {
            throw PlotError.gnuplotFailed(
                status: process.terminationStatus, message: message.trimmingCharacters(in: .whitespacesAndNewlines))
        }

        do {
            try files.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
            // A copy, not a rename: the temporary folder may be on another file system.
            try Data(contentsOf: picture).write(to: output, options: .atomic)
        } catch {
            throw PlotError.output(path: output.path, reason: "\(error)")
        }
    }
}

// Files twincity reads are trusted for nothing (docs/RELIABILITY.md, "Security"): names from a
// roster, a scenario, a manifest or a folder never run a command through gnuplot or a batch
// script, never pick a path outside the default folder, and --force replaces only what
// twincity wrote. Numbers that size the work are checked against their limits before anything
// is allocated; file names of one character work; a tampered run directory is refused; CRLF
// and LF rosters give the same run. The crafted names live in Fixtures/crafted-names/, which
// .ci/fuzz also seeds its corpus with.
import Foundation
import XCTest

final class SecurityTests: XCTestCase {
    static let crafted = Reliability.fixtures.appendingPathComponent("crafted-names")
    /// Files the payloads of Fixtures/crafted-names/ and of the options below would create
    /// if any of them ran.
    static let markers = ["roster", "dollar", "system", "name", "folder", "title", "compare", "manifest"]
        .map { "/tmp/twincity-pwned-\($0)" }

    func removeMarkers() {
        for marker in Self.markers { try? FileManager.default.removeItem(atPath: marker) }
    }

    func assertNoMarker(file: StaticString = #filePath, line: UInt = #line) {
        for marker in Self.markers {
            XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "\(marker) was created: a payload ran", file: file, line: line)
        }
    }

    /// Copies the crafted-names fixtures into `folder`, with `crafted.toml` and its roster.
    func craftedCopy(in folder: URL) throws -> URL {
        let copy = folder.appendingPathComponent("crafted")
        try FileManager.default.copyItem(at: Self.crafted, to: copy)
        return copy
    }

    // MARK: - gnuplot

    func testNoTextFromARosterManifestFolderOrOptionRunsInGnuplot() throws {
        removeMarkers()
        defer { removeMarkers() }
        let folder = try scratchFolder()
        let fixtures = try craftedCopy(in: folder)
        // The run folder and the compared folder carry payloads in their names.
        let run = folder.appendingPathComponent("r`touch /tmp/twincity-pwned-folder`")
        let other = folder.appendingPathComponent("c$(touch /tmp/twincity-pwned-compare)")
        for out in [run, other] {
            let result = try twincity(["run", fixtures.appendingPathComponent("crafted.toml").path, "--out", out.path, "--quiet"])
            XCTAssertEqual(result.status, 0, result.standardError)
        }
        // A received manifest may name the cities anything.
        let manifestURL = other.appendingPathComponent("manifest.json")
        var manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as! [String: Any]
        var names = manifest["city_names"] as? [String: String] ?? [:]
        names["chongqing"] = "`touch /tmp/twincity-pwned-manifest`"
        manifest["city_names"] = names
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)

        let plots: [[String]] = [
            ["plot", run.path, "--var", "gdp", "--cities", "chengdu,zigong,panzhihua,luzhou,deyang,chongqing", "--compare", other.path,
             "--title", "GDP `touch /tmp/twincity-pwned-title` $(touch /tmp/twincity-pwned-title) 'q' \"d\"\nsecond line",
             "--out", folder.appendingPathComponent("lines.svg").path],
            ["plot", other.path, "--var", "population", "--out", folder.appendingPathComponent("all.png").path],
            ["plot", other.path, "--flows", "population", "--year", "2021", "--top", "40",
             "--title", "`touch /tmp/twincity-pwned-title`", "--out", folder.appendingPathComponent("map.svg").path],
        ]
        for arguments in plots {
            let result = try twincity(arguments)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.standardError)")
        }
        assertNoMarker()
        // The payloads are drawn as text: the legend shows the name as written.
        let svg = try String(contentsOf: folder.appendingPathComponent("lines.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("`touch /tmp/twincity-pwned-roster`"), "the roster's name is shown literally")
        XCTAssertTrue(svg.contains("GDP `touch /tmp/twincity-pwned-title`"), "the title is shown literally")
        let map = try String(contentsOf: folder.appendingPathComponent("map.svg"), encoding: .utf8)
        XCTAssertTrue(map.contains("`touch /tmp/twincity-pwned-manifest`"), "the manifest's name is shown literally")
    }

    // MARK: - Paths chosen by names

    func testAScenarioNameChoosesOnlyAFolderInsideRuns() throws {
        removeMarkers()
        defer { removeMarkers() }
        let folder = try scratchFolder()
        let fixtures = try craftedCopy(in: folder)
        let work = folder.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let result = try twincity(["run", fixtures.appendingPathComponent("crafted.toml").path, "--quiet"], in: work)
        XCTAssertEqual(result.status, 0, result.standardError)
        // "../../`touch /tmp/twincity-pwned-name`\u{1B}[2J" as a slug, inside runs/.
        let slug = "_______touch__tmp_twincity-pwned-name___2J"
        XCTAssertEqual(try contents(work), ["runs"])
        XCTAssertEqual(try contents(work.appendingPathComponent("runs")), [slug])
        XCTAssertEqual(try contents(folder).sorted(), ["crafted", "work"], "nothing written beside the working folder")
        // The terminal sees the escape as text, never the byte itself.
        XCTAssertTrue(result.standardOutput.hasPrefix("Run '../../`touch /tmp/twincity-pwned-name`\\u{1B}[2J': 2020–2022"), result.standardOutput)
        XCTAssertFalse(result.standardOutput.unicodeScalars.contains("\u{1B}"))
        assertNoMarker()
    }

    func testForceReplacesOnlyARunDirectoryTwinCityWroteAndNeverFollowsALink() throws {
        let folder = try scratchFolder()
        let victim = folder.appendingPathComponent("victim")
        try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
        try Data("keep\n".utf8).write(to: victim.appendingPathComponent("notes.txt"))
        let short = ["--set", "time.end=2021", "--quiet"]

        // A scenario named ../victim, run with --force from the scratch folder: runs/___victim.
        let scenario = folder.appendingPathComponent("victim.toml")
        try Data("schema = 1\nextends = \"\(Reliability.baseline.path)\"\nname = \"../victim\"\n".utf8).write(to: scenario)
        let named = try twincity(["run", scenario.path, "--force"] + short, in: folder)
        XCTAssertEqual(named.status, 0, named.standardError)
        XCTAssertEqual(try contents(folder.appendingPathComponent("runs")), ["___victim"])

        // A folder without the marker, a link to one, a regular file: refused, left as they were.
        let link = folder.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: victim)
        let file = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        let refusals = [
            (victim, "output directory '\(victim.path)' was not written by twincity (it has no .twincity-run marker); --force replaces only a run directory twincity wrote — remove it yourself or choose another --out"),
            (link, "output directory '\(link.path)' is a symbolic link; --force replaces only a run directory twincity wrote, never what a link points to"),
            (file, "output directory '\(file.path)' is not a directory; --force replaces only a run directory twincity wrote"),
        ]
        for (target, message) in refusals {
            let result = try twincity(["run", Reliability.baseline.path, "--out", target.path, "--force"] + short)
            XCTAssertEqual(result.status, 2, result.standardError)
            XCTAssertEqual(result.standardError, "twincity: error: \(message)\n")
        }
        XCTAssertEqual(try contents(victim), ["notes.txt"])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link.path), victim.path)

        // A run directory of twincity's that holds a link out: replacing it removes the link only.
        let run = folder.appendingPathComponent("run")
        XCTAssertEqual(try twincity(["run", Reliability.baseline.path, "--out", run.path] + short).status, 0)
        XCTAssertTrue(try contents(run).contains(".twincity-run"))
        try FileManager.default.createSymbolicLink(at: run.appendingPathComponent("escape"), withDestinationURL: victim)
        let replaced = try twincity(["run", Reliability.baseline.path, "--out", run.path, "--force"] + short)
        XCTAssertEqual(replaced.status, 0, replaced.standardError)
        XCTAssertFalse(try contents(run).contains("escape"))
        XCTAssertEqual(try contents(victim), ["notes.txt"], "the link's target is untouched")
    }

    func testANulEscapeInANameIsRefused() throws {
        let folder = try scratchFolder()
        let scenario = folder.appendingPathComponent("nul.toml")
        try Data("schema = 1\nextends = \"\(Reliability.baseline.path)\"\nname = \"x\\u0000y\"\n".utf8).write(to: scenario)
        let result = try twincity(["run", scenario.path, "--quiet"], in: folder)
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.standardError, "twincity: error: \(scenario.path):3:10: TOML syntax error: a string holds the escape of a NUL character (U+0000), which would end the text there; remove it\n")
        XCTAssertEqual(try contents(folder), ["nul.toml"])
    }

    // MARK: - Slurm scripts

    func testSlurmScriptsRefuseALineBreakInAnyPath() throws {
        let folder = try scratchFolder()
        let sweep = try writeSweep(in: folder, name: "s.toml")
        let newline = folder.appendingPathComponent("out\nid > /tmp/twincity-pwned-slurm").path
        let out = try twincity(["sweep", "slurm", sweep.path, "--out", newline])
        XCTAssertEqual(out.status, 2)
        XCTAssertEqual(out.standardError, "twincity: error: --out: the path \(newline.debugDescription) contains the control character U+000A; a line break in a batch script would start a command of its own; choose a path without it\n")
        let oddFile = folder.appendingPathComponent("s\nx.toml")
        try FileManager.default.copyItem(at: sweep, to: oddFile)
        let file = try twincity(["sweep", "slurm", oddFile.path, "--out", folder.appendingPathComponent("o").path])
        XCTAssertEqual(file.status, 2)
        XCTAssertTrue(file.standardError.hasPrefix("twincity: error: the sweep file: the path \(oddFile.path.debugDescription) contains the control character U+000A"), file.standardError)
        XCTAssertEqual(Set(try contents(folder)), ["s.toml", "s\nx.toml"], "no script folder was made")

        // Spaces, quotes and # are quoted for the shell in single quotes; no path goes on an #SBATCH line.
        let awkward = folder.appendingPathComponent("sweep out 'a' #1")
        let written = try twincity(["sweep", "slurm", sweep.path, "--out", awkward.path])
        XCTAssertEqual(written.status, 0, written.standardError)
        let script = try String(contentsOf: awkward.appendingPathComponent("sweep.sbatch"), encoding: .utf8)
        XCTAssertTrue(script.contains("\n#SBATCH --output=slurm-%A_%a.out\n"), "no path on an #SBATCH line: \(script)")
        let quoted = "'" + awkward.path.replacingOccurrences(of: "'", with: "'\\''") + "'"
        XCTAssertTrue(script.contains(" --out \(quoted) --resume "), script)
    }

    /// A small random sweep of the baseline to 2021 in `folder`.
    func writeSweep(in folder: URL, name: String, samples: String = "2", extra: String = "") throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data("""
            schema = 1
            name = "small"
            scenario = "\(Reliability.baseline.path)"
            seed = 1
            set = ["time.end=2021"]
            outputs = ["region.gdp@2021"]
            \(extra)
            [sampler]
            kind = "random"
            samples = \(samples)

            [[parameter]]
            path = "model.hukou_barrier"
            min = 0.5
            max = 1.5

            """.utf8).write(to: url)
        return url
    }

    // MARK: - Limits

    func testNumbersThatSizeTheWorkAreCheckedBeforeAnythingRuns() throws {
        let folder = try scratchFolder()
        let ticks = [
            ("time.end=1e300", "the run from 2020 to 1e+300 with dt = 1 (years) has 1e+300 ticks"),
            ("time.dt=1e-300", "the run from 2020 to 2035 with dt = 1e-300 (years) has 1.5e+301 ticks"),
            ("time.start=-1e308", "the run from -1e+308 to 2035 with dt = 1 (years) has 1e+308 ticks"),
            ("time.end=12020", "the run from 2020 to 12020 with dt = 1 (years) has 10000 ticks"),
        ]
        for (override, text) in ticks {
            let result = try twincity(["run", Reliability.baseline.path, "--set", override, "--out", folder.appendingPathComponent("r").path])
            XCTAssertEqual(result.status, 2, "\(override): \(result.standardError)")
            XCTAssertTrue(result.standardError.hasPrefix("twincity: error: \(Reliability.baseline.path):"), result.standardError)
            XCTAssertTrue(result.standardError.contains(": key 'time': \(text), more than the limit of 1000 (docs/RELIABILITY.md, \"Limits\"); even the 22-city roster would take at least "), result.standardError)
        }
        XCTAssertEqual(try contents(folder), [])

        // Through a sweep's fixed override and through a swept parameter.
        let fixed = try writeSweep(in: folder, name: "fixed.toml").path
        try String(contentsOfFile: fixed, encoding: .utf8).replacingOccurrences(of: "time.end=2021", with: "time.end=1e300")
            .write(toFile: fixed, atomically: true, encoding: .utf8)
        let swept = try writeSweep(in: folder, name: "swept.toml", extra: "").path
        try (String(contentsOfFile: swept, encoding: .utf8) + "[[parameter]]\npath = \"time.end\"\nmin = 2021\nmax = 1e300\n")
            .write(toFile: swept, atomically: true, encoding: .utf8)
        for sweep in [fixed, swept] {
            for command in [["sweep", sweep], ["sweep", "slurm", sweep]] {
                let result = try twincity(command + ["--out", folder.appendingPathComponent("w").path])
                XCTAssertEqual(result.status, 2, "\(command): \(result.standardError)")
                XCTAssertTrue(result.standardError.contains("more than the limit of 1000"), result.standardError)
            }
        }
        // A billion samples, run or scripted.
        let billion = try writeSweep(in: folder, name: "billion.toml", samples: "1000000000").path
        for command in [["sweep", billion], ["sweep", "slurm", billion]] {
            let result = try twincity(command + ["--out", folder.appendingPathComponent("w").path])
            XCTAssertEqual(result.status, 2, result.standardError)
            XCTAssertTrue(result.standardError.hasPrefix("twincity: error: \(billion):8:1: key 'sampler': the sweep asks for 1000000000 runs, more than the limit of 1000000 (docs/RELIABILITY.md, \"Limits\"); its design alone would take 7.5 GiB of memory"), result.standardError)
        }
        XCTAssertFalse(try contents(folder).contains("w"), "no sweep folder was made")
    }

    func testARosterOf5000CitiesIsRefusedWithItsEstimate() throws {
        let folder = try scratchFolder()
        let seed = try String(contentsOf: Reliability.packageRoot.appendingPathComponent("seeds/cities.csv"), encoding: .utf8)
        let lines = seed.split(separator: "\n").map(String.init)
        var rows = [lines[0]]
        for k in 0..<5000 {
            var cells = lines[1 + k % (lines.count - 1)].components(separatedBy: ",")
            cells[0] = "c\(k)"
            rows.append(cells.joined(separator: ","))
        }
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("cities.csv"))
        let scenario = folder.appendingPathComponent("big.toml")
        try Data("schema = 1\nname = \"big\"\nroster = \"cities.csv\"\n[time]\nstart = 2020\nend = 2021\n".utf8).write(to: scenario)
        let message = "5000 cities × 3 sectors = 15000 city-sectors, more than the limit of 9000 (3000 cities with the 3 default sectors; docs/RELIABILITY.md, \"Limits\"); such a run would need about 3.5 GiB of memory and 2 s a tick"
        for command in [["validate", scenario.path], ["run", scenario.path, "--out", folder.appendingPathComponent("r").path]] {
            let result = try twincity(command)
            XCTAssertEqual(result.status, 2, result.standardError)
            XCTAssertTrue(result.standardError.contains(message), result.standardError)
        }
        XCTAssertFalse(try contents(folder).contains("r"))
    }

    func testBootstrapBeyondItsLimitIsRefused() throws {
        let folder = try scratchFolder()
        let sweep = try writeSweep(in: folder, name: "s.toml")
        let out = folder.appendingPathComponent("w")
        XCTAssertEqual(try twincity(["sweep", sweep.path, "--out", out.path, "--quiet"]).status, 0)
        let result = try twincity(["sweep", "analyze", out.path, "--bootstrap", "2000000000"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.hasPrefix("twincity: error: --bootstrap 2000000000 is more than the limit of 100000 (docs/RELIABILITY.md, \"Limits\"); it would hold 29.8 GiB of resampled indices per output"), result.standardError)
    }

    // MARK: - File names

    func testOneCharacterFileNamesWorkForEveryFileArgument() throws {
        let folder = try scratchFolder()
        let seeds = Reliability.packageRoot.appendingPathComponent("seeds")
        try FileManager.default.copyItem(at: seeds.appendingPathComponent("cities.csv"), to: folder.appendingPathComponent("c"))
        for name in ["roles.csv", "links.csv"] {
            try FileManager.default.copyItem(at: seeds.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        try Data("schema = 1\nname = \"t\"\nroster = \"c\"\n[time]\nstart = 2020\nend = 2021\n".utf8).write(to: folder.appendingPathComponent("t"))
        try Data("""
            schema = 1
            name = "s"
            scenario = "t"
            seed = 1
            outputs = ["region.gdp@2021"]
            [sampler]
            kind = "random"
            samples = 2
            [[parameter]]
            path = "model.hukou_barrier"
            min = 0.5
            max = 1.5

            """.utf8).write(to: folder.appendingPathComponent("s"))
        let commands: [[String]] = [
            ["cities", "--roster", "c"], ["validate", "t"], ["run", "t", "--out", "d", "--quiet"], ["compare", "d", "d"],
            ["plot", "d", "--var", "gdp", "--region", "--out", "p"], ["sweep", "s", "--out", "w", "--quiet"],
            ["sweep", "export", "w", "--out", "e"], ["sweep", "analyze", "w"], ["sweep", "slurm", "s", "--out", "u"],
        ]
        for command in commands {
            let result = try twincity(command, in: folder)
            XCTAssertEqual(result.status, 0, "\(command): \(result.standardError)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("d/manifest.json").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("e/runs.csv").path))
    }

    // MARK: - Received run directories and output paths

    func testATamperedEnsembleOrRunDirectoryIsRefusedNamingTheFileAndRow() throws {
        let folder = try scratchFolder()
        let ensemble = folder.appendingPathComponent("ens")
        let made = try twincity(["run", Reliability.baseline.path, "--set", "time.end=2022", "--replications", "3", "--out", ensemble.path, "--quiet"])
        XCTAssertEqual(made.status, 0, made.standardError)
        let cases: [(Any, String)] = [
            (2, "cities.csv:140: column 'replication' is '2'; the manifest records replications 0…1"),
            (-1, "manifest.json: 'replications' is -1; an ensemble records a count from 1 to its number of rows"),
            (Int.max, "manifest.json: 'replications' is 9223372036854775807; an ensemble records a count from 1 to its number of rows"),
        ]
        for (count, message) in cases {
            let copy = folder.appendingPathComponent("copy")
            try? FileManager.default.removeItem(at: copy)
            try FileManager.default.copyItem(at: ensemble, to: copy)
            let url = copy.appendingPathComponent("manifest.json")
            var manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
            manifest["replications"] = count
            try JSONSerialization.data(withJSONObject: manifest).write(to: url)
            let result = try twincity(["plot", copy.path, "--var", "gdp", "--region", "--out", folder.appendingPathComponent("e.png").path])
            XCTAssertEqual(result.status, 2)
            XCTAssertEqual(result.standardError, "twincity: error: run directory '\(copy.path)': \(message)\n")
        }

        // A single run whose cities.csv is only its header, or holds a text for a number.
        let run = folder.appendingPathComponent("run")
        XCTAssertEqual(try twincity(["run", Reliability.baseline.path, "--set", "time.end=2022", "--out", run.path, "--quiet"]).status, 0)
        let header = folder.appendingPathComponent("header")
        try FileManager.default.copyItem(at: run, to: header)
        let cities = try String(contentsOf: run.appendingPathComponent("cities.csv"), encoding: .utf8)
        try Data((cities.split(separator: "\n")[0] + "\n").utf8).write(to: header.appendingPathComponent("cities.csv"))
        let compared = try twincity(["compare", run.path, header.path])
        XCTAssertEqual(compared.status, 2)
        XCTAssertEqual(compared.standardError, "twincity: error: \(header.path)/cities.csv: has no rows; a run directory records one row per year and city\n")
        XCTAssertEqual(compared.standardOutput, "")

        let text = folder.appendingPathComponent("text")
        try FileManager.default.copyItem(at: run, to: text)
        var lines = cities.split(separator: "\n").map(String.init)
        var cells = lines[1].components(separatedBy: ",")
        let gdp = lines[0].components(separatedBy: ",").firstIndex(of: "gdp")!
        cells[gdp] = "abc"
        lines[1] = cells.joined(separator: ",")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: text.appendingPathComponent("cities.csv"))
        let plotted = try twincity(["plot", text.path, "--var", "gdp", "--out", folder.appendingPathComponent("t.png").path])
        XCTAssertEqual(plotted.status, 2)
        XCTAssertEqual(plotted.standardError, "twincity: error: run directory '\(text.path)': cities.csv:2: column 'gdp' is 'abc', not a number\n")
    }

    func testPlotAndExportWriteOnlyARegularFileOrANewPath() throws {
        let folder = try scratchFolder()
        let run = folder.appendingPathComponent("run")
        XCTAssertEqual(try twincity(["run", Reliability.baseline.path, "--set", "time.end=2021", "--out", run.path, "--quiet"]).status, 0)
        let fifo = folder.appendingPathComponent("pipe")
        XCTAssertEqual(mkfifo(fifo.path, 0o644), 0)
        let directory = folder.appendingPathComponent("dir")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let link = folder.appendingPathComponent("link.png")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: folder.appendingPathComponent("elsewhere.png").path)
        for (target, kind) in [(fifo, "a named pipe"), (directory, "a directory"), (link, "a symbolic link")] {
            let result = try twincity(["plot", run.path, "--var", "gdp", "--region", "--out", target.path])
            XCTAssertEqual(result.status, 2)
            XCTAssertEqual(result.standardError, "twincity: error: --out: '\(target.path)' is \(kind); expected a regular file or a new path, which is then written or replaced\n")
        }
        XCTAssertEqual(OutputKind.of(fifo.path), S_IFIFO, "the pipe is still a pipe")
        let regular = folder.appendingPathComponent("old.png")
        try Data("old".utf8).write(to: regular)
        XCTAssertEqual(try twincity(["plot", run.path, "--var", "gdp", "--region", "--out", regular.path]).status, 0)
        XCTAssertNotEqual(try Data(contentsOf: regular), Data("old".utf8))

        let sweep = try writeSweep(in: folder, name: "s.toml")
        let out = folder.appendingPathComponent("w")
        XCTAssertEqual(try twincity(["sweep", sweep.path, "--out", out.path, "--quiet"]).status, 0)
        let exported = try twincity(["sweep", "export", out.path, "--out", regular.path])
        XCTAssertEqual(exported.status, 2)
        XCTAssertEqual(exported.standardError, "twincity: error: --out: '\(regular.path)' is a regular file; expected a folder or a new path, which is then written or replaced\n")
    }

    // MARK: - Line ends

    func testCRLFAndLFRostersGiveBitwiseTheSameRun() throws {
        let folder = try scratchFolder()
        let seeds = Reliability.packageRoot.appendingPathComponent("seeds")
        var runs: [URL] = []
        for (name, lineEnd) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
            let roster = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: roster, withIntermediateDirectories: true)
            for file in ["cities.csv", "roles.csv", "links.csv"] {
                let text = try String(contentsOf: seeds.appendingPathComponent(file), encoding: .utf8)
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                // A blank line inside, as spreadsheets leave them.
                let edited = Array(lines.prefix(3)) + [""] + Array(lines.dropFirst(3))
                try Data(edited.joined(separator: lineEnd).utf8).write(to: roster.appendingPathComponent(file))
            }
            let scenario = folder.appendingPathComponent("\(name).toml")
            try Data("schema = 1\nextends = \"\(Reliability.baseline.path)\"\nname = \"\(name)\"\nroster = \"\(name)/cities.csv\"\n".utf8).write(to: scenario)
            let out = folder.appendingPathComponent("run-\(name)")
            let result = try twincity(["run", scenario.path, "--set", "time.end=2024", "--out", out.path, "--quiet"])
            XCTAssertEqual(result.status, 0, result.standardError)
            runs.append(out)
        }
        for file in ["cities.csv", "region.csv", "flows_population.csv", "flows_capital.csv", "flows_industry.csv"] {
            let reference = try Data(contentsOf: runs[0].appendingPathComponent(file))
            for run in runs.dropFirst() {
                XCTAssertEqual(try Data(contentsOf: run.appendingPathComponent(file)), reference, "\(run.lastPathComponent)/\(file)")
            }
        }
    }
}

/// The file type at a path, links not followed.
enum OutputKind {
    static func of(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }
}

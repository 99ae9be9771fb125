#!/usr/bin/env bash
# Runs every benchmark of the model core and the numpy reference, checks that they agree, and
# writes Benchmarks/RESULTS.md. About a minute and a half after a build (a clean release build
# of the benchmark package takes a few minutes more; waiting for an idle machine up to three).
# Usage, from anywhere:
#
#     Benchmarks/run.sh
#
# Needs swift, python3 with numpy and scipy. Intermediate files go to Benchmarks/.work/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
work="$here/.work"
rm -rf "$work"
mkdir -p "$work"

load() { cut -d' ' -f1 /proc/loadavg; }

echo "== building the benchmarks (release)"
# Touching the manifest makes SwiftPM look again at the main package's source files.
touch Package.swift
swift build -c release 2>&1 | tail -n 3
bench="$(swift build -c release --show-bin-path)/TwinCityBench"

# Other work on the machine slows both sides and hides any scaling with cores: wait up to
# three minutes for the 1-minute load average to fall below 0.5 (BENCH_NO_WAIT=1 skips it).
if [ -z "${BENCH_NO_WAIT:-}" ]; then
    for _ in $(seq 36); do
        awk -v l="$(load)" 'BEGIN { exit !(l < 0.5) }' && break
        sleep 5
    done
fi
load_start="$(load)"
date_start="$(date -u '+%Y-%m-%d %H:%M UTC')"
echo "== load average $load_start"

echo "== memory bandwidth"
"$bench" bandwidth --out "$work/bandwidth-start.json"

echo "== time per tick"
"$bench" size --cities 22 --years 30 --repeats 5 --export "$work/tick-22" --out "$work/size-22.json"
"$bench" size --cities 200 --years 15 --repeats 5 --export "$work/tick-200" --out "$work/size-200.json"
"$bench" size --cities 1000 --years 8 --repeats 3 --export "$work/tick-1000" --out "$work/size-1000.json"
"$bench" size --cities 3000 --years 4 --repeats 3 --export "$work/tick-3000" --out "$work/size-3000.json"

echo "== 22-city runs"
"$bench" export-run --repeats 5 --out "$work/run-22"

echo "== sweep throughput"
"$bench" sweep --runs 48 --out "$work/sweep.json"

echo "== whole-command sweep"
# What a user waits for: `twincity sweep` of the shipped Sobol example (512 runs, each loaded,
# calibrated, simulated and recorded in SQLite), on one job and on every core, from the main
# package's release build.
swift build -c release --package-path "$here/.." --product twincity 2>&1 | tail -n 1
twincity="$(swift build -c release --package-path "$here/.." --show-bin-path)/twincity"
cores="$(nproc)"
for jobs in 1 "$cores"; do
    rm -rf "$work/sweep-cli-$jobs"
    "$twincity" sweep "$here/../scenarios/sweeps/sobol-key-parameters.toml" --out "$work/sweep-cli-$jobs" \
        --jobs "$jobs" --quiet > "$work/sweep-cli-$jobs.txt"
    grep '^Throughput' "$work/sweep-cli-$jobs.txt"
done
python3 - "$work" "$cores" <<'EOF'
import json, re, sys
work, cores = sys.argv[1], int(sys.argv[2])
rates = {}
for jobs in sorted({1, cores}):
    text = open(f"{work}/sweep-cli-{jobs}.txt").read()
    m = re.search(r"Throughput: (\d+) runs in ([\d.]+) s", text)
    rates[jobs] = dict(runs=int(m.group(1)), seconds=float(m.group(2)))
json.dump(dict(scenario="scenarios/sweeps/sobol-key-parameters.toml", jobs=rates), open(f"{work}/sweep-cli.json", "w"), indent=2)
EOF

echo "== whole-process run against the model alone"
# `twincity run` of the baseline as a user types it (process start, loading, calibration, the
# run, the CSV files, the manifest), best of 20, against the same work in process without
# writing anything (TwinCityBench scenario) and against the process start alone (--version).
"$bench" scenario --scenario "$here/../scenarios/baseline.toml" --repeats 20 --out "$work/scenario.json"
python3 - "$twincity" "$here/../scenarios/baseline.toml" "$work" <<'EOF'
import json, subprocess, sys, time
twincity, scenario, work = sys.argv[1:]
def best(command, repeats=20):
    fastest = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        fastest = min(fastest, time.perf_counter() - start)
    return fastest
run = best([twincity, "run", scenario, "--out", f"{work}/cli-run", "--quiet", "--force"])
start = best([twincity, "--version"])
json.dump(dict(runSeconds=run, startSeconds=start, repeats=20), open(f"{work}/cli-run.json", "w"), indent=2)
print(f"twincity run: {run * 1e3:.1f} ms, process start {start * 1e3:.1f} ms (best of 20)")
EOF

echo "== numpy reference and cross-check"
status=0
python3 reference/bench_reference.py --work "$work" --out "$work/python.json" || status=$?

"$bench" bandwidth --out "$work/bandwidth-end.json"

python3 - "$work/machine.json" "$date_start" "$load_start" "$(load)" "$(swift --version 2>&1 | head -n 1)" <<'EOF'
import json, os, re, sys
import numpy as np
out, date, load_start, load_end, swift = sys.argv[1:]
cpu = "unknown"
with open("/proc/cpuinfo") as f:
    for line in f:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
with open("/proc/meminfo") as f:
    mem_kib = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
try:
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    numpy_blas = f"{blas.get('name')} {blas.get('version')}, {os.cpu_count()} threads (default)"
except Exception:
    numpy_blas = "unknown"
json.dump(dict(date=date, cpu=cpu, cores=os.cpu_count(), memory=f"{mem_kib / 2**20:.1f} GiB",
               loadStart=load_start, loadEnd=load_end, swift=swift, numpyBlas=numpy_blas),
          open(out, "w"), indent=2)
EOF

python3 report.py --work "$work" --machine "$work/machine.json" --out "$here/RESULTS.md"
echo "== wrote $here/RESULTS.md"
if [ "$status" -ne 0 ]; then
    echo "the numpy reference disagreed with the model (see RESULTS.md)" >&2
    exit "$status"
fi

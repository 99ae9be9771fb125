"""Times the numpy reference on the problems the Swift benchmark exported, and checks that it
reproduces the model's results on them to 1e-8 relative.

    python3 bench_reference.py --work DIR --out FILE

DIR holds one folder per problem (problem.json and the float64 matrices): `tick-N` folders
(one tick: the equilibrium from the previous tick's prices, utility, fiscal accounts and the
flows), and `run-22` (the 22-city prepared setup, for a 30-year run). Exit status 1 when any
check fails; the results are written in every case.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import platform
import sys
import time

import numpy as np
import scipy

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import twincity_ref as ref  # noqa: E402

TOLERANCE = 1e-8


def max_rel(a, b):
    a = np.asarray(a, float).ravel()
    b = np.asarray(b, float).ravel()
    scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), np.finfo(float).tiny)
    return float((np.abs(a - b) / scale).max())


def blas_threads():
    try:
        from threadpoolctl import threadpool_info
        return [(i.get("internal_api"), i.get("num_threads")) for i in threadpool_info()]
    except ImportError:
        return None


def tick_problem(folder, repeats):
    prob = ref.Problem(folder)
    js = prob.json
    n, S = prob.n, prob.S
    state = prob.state()
    start = None
    if js["start"] is not None:
        start = dict(prices=np.array(js["start"]["prices"]).reshape(n, S), wages=np.array(js["start"]["wages"]))
    subsidy, retention = np.array(js["subsidy"]), np.array(js["retention"])
    share, arrivals = np.array(js["publicSpendingShare"]), np.array(js["lastArrivals"])
    investment_subsidy = np.array(js["investmentSubsidy"])
    base_investment_price = np.array(js["baseInvestmentPrice"])
    solver = ref.TradeEquilibrium(prob)
    flows = ref.FlowIntegrator(prob)
    best = dict(equilibrium=np.inf, agents=np.inf, flows=np.inf, total=np.inf)
    for _ in range(repeats):
        t0 = time.perf_counter()
        eq = solver.solve(state, start, investment_subsidy)
        t1 = time.perf_counter()
        utility = ref.real_utility(prob, state, eq)
        fiscal = ref.fiscal_accounts(prob, eq, state.Tr, state.Tc, subsidy, share, arrivals)
        t2 = time.perf_counter()
        after, moved = flows.integrate(state, eq, utility, subsidy, retention, fiscal["publicSpending"],
                                       base_investment_price, js["dt"])
        t3 = time.perf_counter()
        for k, v in dict(equilibrium=t1 - t0, agents=t2 - t1, flows=t3 - t2, total=t3 - t0).items():
            best[k] = min(best[k], v)
    sw, sa = js["swiftEquilibrium"], js["swiftAfter"]
    checks = dict(
        prices=max_rel(eq["prices"], sw["prices"]), wages=max_rel(eq["wages"], sw["wages"]),
        gdp=max_rel(eq["gdp"], sw["gdp"]), urbanPopulation=max_rel(after.L, sa["urbanPopulation"]),
        capital=max_rel(after.K, sa["capital"]), ruralPopulation=max_rel(after.R, sa["ruralPopulation"]),
        publicServices=max_rel(after.G, sa["publicServices"]))
    return dict(cities=n, solver=eq["solver"], iterations=int(eq["iterations"]), swiftIterations=sw["iterations"],
                odeSteps=int(moved["steps"]), odeEvaluations=int(moved["evaluations"]),
                relocations=int(moved["relocations"][0].size), timing=best, repeats=repeats,
                swiftTiming=js["swiftTiming"], agreement=checks,
                passed=all(v <= TOLERANCE for v in checks.values()))


def run_problem(folder, years, repeats):
    prob = ref.Problem(folder)
    js = prob.json
    end = js["startYear"] + years

    def best(solver):
        fastest = np.inf
        for _ in range(repeats):
            t0 = time.perf_counter()
            ref.run(prob, js["startYear"], end, js["dt"], seed=js["seed"], solver=solver)
            fastest = min(fastest, time.perf_counter() - t0)
        return fastest

    seconds = best(None)
    seconds_powell = best("powell")
    # The same run without productivity shocks, against the model's.
    quiet = ref.run(prob, js["startYear"], js["endYear"], js["dt"], seed=js["seed"], shock_sd=0.0)
    final = js["swiftNoShockFinal"]
    checks = dict(
        realGDP=max_rel(quiet["realGDP"], js["swiftNoShockRealGDP"]),
        urbanPopulation=max_rel(quiet["final"].L, final["urbanPopulation"]),
        capital=max_rel(quiet["final"].K, final["capital"]),
        prices=max_rel(quiet["equilibrium"]["prices"], js["swiftNoShockFinalPrices"]))
    return dict(cities=prob.n, years=years, repeats=repeats, seconds=seconds, secondsPowell=seconds_powell,
                swiftSeconds=js["swiftRunSeconds"], swiftSecondsPowell=js["swiftRunSecondsPowell"],
                worstIdentity=quiet["worstIdentity"], worstExternal=quiet["worstExternal"], agreement=checks,
                passed=all(v <= TOLERANCE for v in checks.values()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--years", type=int, default=30)
    args = ap.parse_args()
    work = pathlib.Path(args.work)
    result = dict(python=platform.python_version(), numpy=np.__version__, scipy=scipy.__version__,
                  blas=blas_threads(), ticks={}, run=None)
    ok = True
    for folder in sorted(work.glob("tick-*"), key=lambda p: int(p.name.split("-")[1])):
        n = int(folder.name.split("-")[1])
        r = tick_problem(folder, repeats=2 if n >= 1000 else 5)
        result["ticks"][str(n)] = r
        ok &= r["passed"]
        print(f"numpy N = {n}: equilibrium {r['timing']['equilibrium']:.4f} s ({r['iterations']} iterations), "
              f"flows {r['timing']['flows']:.4f} s ({r['odeSteps']} steps); "
              f"worst disagreement {max(r['agreement'].values()):.1e} {'ok' if r['passed'] else 'FAILED'}")
    if (work / "run-22").exists():
        r = run_problem(work / "run-22", args.years, repeats=3)
        result["run"] = r
        ok &= r["passed"]
        print(f"numpy 22-city {args.years}-year run: {r['seconds']:.3f} s (hybrid Powell {r['secondsPowell']:.3f} s); "
              f"no-shock run vs model {max(r['agreement'].values()):.1e} {'ok' if r['passed'] else 'FAILED'}")
    pathlib.Path(args.out).write_text(json.dumps(result, indent=2))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

"""A numpy/scipy reference implementation of the twincity model core.

Written as a careful numpy user would write the model of docs/MODEL.md: arrays of shape
(N,) for cities, (N, S) for varieties (row-major, the Swift index i*S + s) and (S, N, N) for
the trade weights; vectorised, with Python loops over the S = 3 sectors or the provinces
only, never over cities or city pairs.

- Equilibrium (MODEL.md 3.1): the damped fixed point on log prices with the wage solve and
  the agriculture rescaling of TradeEquilibrium.fixedPoint, or scipy.optimize.root (MINPACK
  hybrd, the method GSL's hybrids implements) on the logs for small N, chosen as the model's
  solver = "auto" does.
- Flows (MODEL.md 3.3): logit migration, investment, relocation, external industry and
  capital with the coefficients frozen at the tick's equilibrium, integrated with
  scipy.integrate.solve_ivp (DOP853) at the model's tolerance, then the origin-destination
  accounts.
- A run loop: equilibrium, agents (growth tournament), fiscal accounts, flows, accounting
  identities, productivity (MODEL.md 3.2-3.6), without policies.

Inputs come from the files the Swift benchmark exports (see ../README.md): the exact state,
structure matrices and parameters of a problem.
"""
from __future__ import annotations

import json
import pathlib

import numpy as np
from scipy import integrate, optimize


class Problem:
    """An exported problem: structure, parameters and the state(s) it starts from."""

    def __init__(self, folder):
        folder = pathlib.Path(folder)
        self.folder = folder
        self.json = json.loads((folder / "problem.json").read_text())
        st = self.json["structure"]
        self.n = n = st["n"]
        self.S = S = st["sectors"]
        self.city_ids = st["cityIDs"]
        self.provinces = np.array(st["provinces"])
        self.shares = np.array(st["expenditureShares"])
        self.aH = st["housingShare"]
        self.agg = st["agglomeration"]
        files = st["files"]
        self.t = np.fromfile(folder / files["travelTimes"], "<f8").reshape(n, n)
        self.T = np.fromfile(folder / files["tradeWeights"], "<f8").reshape(S, n, n)
        self.W = np.fromfile(folder / files["accessibility"], "<f8").reshape(n, n)
        self.p = Parameters(self.json["parameters"])
        self.aA = 1 - self.aH - self.shares.sum()

    def state(self, key="state"):
        return State(self.json[key], self.n, self.S)


class Parameters:
    def __init__(self, d):
        self.d = d
        secs = d["sectors"]
        self.beta = np.array([s["capitalShare"] for s in secs])
        self.sigma = np.array([s["elasticity"] for s in secs])
        for k, v in d.items():
            if not isinstance(v, (list, dict)):
                setattr(self, k, v)


class State:
    FIELDS = ["urbanPopulation", "ruralPopulation", "capital", "productivity", "ruralProductivity",
              "housing", "publicServices", "transfers", "amenity", "exports"]

    def __init__(self, d, n, S):
        self.L = np.array(d["urbanPopulation"], float)
        self.R = np.array(d["ruralPopulation"], float)
        self.K = np.array(d["capital"], float).reshape(n, S)
        self.A = np.array(d["productivity"], float).reshape(n, S)
        self.qA = np.array(d["ruralProductivity"], float)
        self.H = np.array(d["housing"], float)
        self.G = np.array(d["publicServices"], float)
        self.Tr = np.array(d["transfers"], float)
        self.B = np.array(d["amenity"], float)
        self.X = np.array(d["exports"], float).reshape(n, S)

    def copy(self):
        c = object.__new__(State)
        for k, v in self.__dict__.items():
            setattr(c, k, v.copy())
        return c


class EquilibriumFailure(RuntimeError):
    pass


class AndersonMixer:
    """Anderson acceleration (type II) of x <- g(x), as the model's AndersonMixer: the last
    `memory` differences, least squares by the normal equations with a 1e-12 ridge."""

    def __init__(self, memory):
        self.memory = memory
        self.reset()

    def reset(self):
        self.px = self.pf = None
        self.dX, self.dF = [], []

    def next(self, x, g):
        f = g - x
        if self.px is not None:
            self.dX.append(x - self.px)
            self.dF.append(f - self.pf)
            if len(self.dX) > self.memory:
                self.dX.pop(0)
                self.dF.pop(0)
        self.px, self.pf = x, f
        if not self.dF:
            return g
        F = np.array(self.dF)
        A = F @ F.T
        scale = A.diagonal().max()
        if not (scale > 0 and np.isfinite(scale)):
            return g
        A[np.diag_indices_from(A)] += 1e-12 * scale
        try:
            gamma = np.linalg.solve(A, F @ f)
        except np.linalg.LinAlgError:
            gamma = None
        if gamma is None or not np.all(np.isfinite(gamma)):
            self.reset()
            return g
        return g - gamma @ (np.array(self.dX) + F)


class TradeEquilibrium:
    """The short-run equilibrium of MODEL.md 3.1 (all sectors with capital share > 0)."""

    powell_limit = 600
    powell_offset = 16.0
    anderson_memory = 5

    def __init__(self, prob: Problem, solver=None):
        self.prob = prob
        self.solver = solver
        p = prob.p
        self.b = p.beta
        self.sigma = p.sigma
        self.log1mb = np.log(1 - self.b)
        assert np.all(self.b > 0), "the reference covers sectors with a capital share above 0"

    # -- inputs
    def load(self, s: State):
        pr = self.prob
        self.labour = s.L
        self.rural = s.qA * s.R
        self.transfers = s.Tr
        self.active = s.K > 0
        with np.errstate(divide="ignore"):
            self.lnK = np.where(self.active, np.log(s.K), -np.inf)
        self.lnA = np.log(s.A) + pr.agg * np.log(s.L)[:, None]
        self.exports = np.where(self.active, s.X, 0.0)
        self.exports_total = s.X.sum()

    def modern_income_target(self):
        pr = self.prob
        rural, tr = self.rural.sum(), self.transfers.sum()
        return (rural + self.exports_total + tr) * (1 - pr.aH) / pr.aA - rural - tr

    def initial_guess(self):
        w0 = np.log(max(self.modern_income_target(), 1e-300) / self.labour.sum())
        lnw = np.full(self.prob.n, w0)
        return lnw[:, None] - self.lnA, lnw

    # -- evaluation
    def labour_log(self, lnp, lnw):
        with np.errstate(invalid="ignore"):
            return self.lnK + (self.log1mb + lnp + self.lnA - lnw[:, None]) / self.b

    def evaluate(self, lnp, lnw):
        """Supply, expenditure, price indices and demand at (ln p, ln w): 2 S matrix-vector products."""
        pr = self.prob
        b = self.b
        lnL = self.labour_log(lnp, lnw)
        with np.errstate(invalid="ignore"):
            lnv = lnp + self.lnA + (1 - b) * lnL + b * self.lnK
        y = np.exp(lnw) * self.labour + self.rural + self.transfers + np.where(self.active, b * np.exp(lnv), 0).sum(1)
        E = y / (1 - pr.aH)
        D = np.empty_like(lnp)
        phi = np.empty_like(lnp)
        for s in range(pr.S):
            x = np.where(self.active[:, s], np.exp((1 - self.sigma[s]) * lnp[:, s]), 0.0)
            ph = pr.T[s].T @ x
            z = pr.T[s] @ (pr.shares[s] * E / ph)
            phi[:, s] = ph
            D[:, s] = x * z
        D += self.exports
        return lnL, lnv, D, phi, E

    def solve_wages(self, lnp, lnw):
        """ln w with sum_s L_i^s = L_i: Newton in each city until its own step is below 1e-15."""
        u = lnw.copy()
        target = np.log(self.labour)
        base = self.log1mb + lnp + self.lnA
        todo = np.arange(self.prob.n)
        for _ in range(100):
            if todo.size == 0:
                break
            with np.errstate(invalid="ignore"):
                e = np.exp(self.lnK[todo] + (base[todo] - u[todo, None]) / self.b)
            e = np.where(self.active[todo], e, 0.0)
            total = e.sum(1)
            slope = -(e / self.b).sum(1)
            step = (np.log(total) - target[todo]) / (slope / total)
            u[todo] -= step
            todo = todo[np.abs(step) > 1e-15 * np.maximum(1, np.abs(u[todo]))]
        return u

    def fixed_point(self, lnp, lnw, tol, max_iter):
        """TradeEquilibrium.fixedPoint: the damped step, Anderson-accelerated (memory 5)."""
        b = self.b
        modern_target = self.modern_income_target()
        mixer = AndersonMixer(self.anderson_memory)
        iteration, best = 0, np.inf
        while True:
            current = lnp
            lnw = self.solve_wages(lnp, lnw)
            lnL = self.labour_log(lnp, lnw)
            with np.errstate(invalid="ignore"):
                v = np.where(self.active, b * np.exp(lnp + self.lnA + (1 - b) * lnL + b * self.lnK), 0)
            modern = (np.exp(lnw) * self.labour).sum() + v.sum()
            lnc = np.log(modern_target / modern)
            lnp = lnp + lnc
            lnw = lnw + lnc
            _, lnv, D, _, _ = self.evaluate(lnp, lnw)
            with np.errstate(invalid="ignore", divide="ignore"):
                gap = np.where(self.active, np.log(D) - lnv, 0.0)
            last = np.abs(gap).max()
            mapped = lnp + gap / self.sigma
            if last <= tol:
                lnp = mapped
                break
            iteration += 1
            if not np.isfinite(last) or iteration >= max_iter:
                raise EquilibriumFailure(f"fixed point: residual {last} after {iteration} iterations")
            if last > 100 * best:
                mixer.reset()
            best = min(best, last)
            lnp = mixer.next(current.ravel(), mapped.ravel()).reshape(lnp.shape)
        return lnp, self.solve_wages(lnp, lnw), iteration

    def residuals(self, lnp, lnw):
        lnL, lnv, D, _, _ = self.evaluate(lnp, lnw)
        goods = (lnv - np.log(D))[self.active]
        with np.errstate(invalid="ignore"):
            labour = np.log(np.where(self.active, np.exp(lnL), 0).sum(1)) - np.log(self.labour)
        return np.concatenate([goods, labour])

    def powell(self, lnp, lnw, tol, max_iter):
        act = self.active
        na = int(act.sum())
        off = self.powell_offset
        lnp = lnp.copy()

        def fun(u):
            lnp[act] = u[:na] - off
            return self.residuals(lnp, u[na:] - off)

        u = np.concatenate([lnp[act], lnw]) + off
        evaluations = 0
        for _ in range(6):  # the model's Powell restarts from a stall at most five times
            sol = optimize.root(fun, u, method="hybr", options={"xtol": 1e-15, "maxfev": max_iter * (u.size + 1)})
            u = sol.x
            evaluations += sol.nfev
            if np.abs(fun(u)).max() <= tol:
                break
        else:
            raise EquilibriumFailure(f"hybr: residual {np.abs(fun(u)).max()}")
        lnp[act] = u[:na] - off
        return lnp, u[na:] - off, evaluations

    def solve(self, state: State, start=None):
        p = self.prob.p
        self.load(state)
        unknowns = int(self.active.sum()) + self.prob.n
        kind = self.solver or p.solver
        if kind == "auto":
            kind = "powell" if unknowns <= self.powell_limit else "fixed_point"
        tol, max_iter = p.equilibriumTolerance, p.equilibriumMaxIterations
        if start is not None:
            with np.errstate(divide="ignore"):
                lnp = np.where(start["prices"] > 0, np.log(np.maximum(start["prices"], 1e-300)), 0.0)
            lnw = np.log(start["wages"])
        else:
            lnp, lnw = self.initial_guess()
        if kind == "fixed_point":
            lnp, lnw, it = self.fixed_point(lnp, lnw, tol, max_iter)
        else:
            if start is None:
                try:
                    lnp, lnw, _ = self.fixed_point(lnp, lnw, 1e-6, 200)
                except EquilibriumFailure:
                    pass
            lnp, lnw, it = self.powell(lnp, lnw, tol, max_iter)
        return self.finish(lnp, lnw, it, kind)

    def finish(self, lnp, lnw, iterations, kind):
        pr = self.prob
        b = self.b
        lnL, lnv, D, phi, E = self.evaluate(lnp, lnw)
        act = self.active
        prices = np.where(act, np.exp(lnp), 0.0)
        wages = np.exp(lnw)
        revenue = np.where(act, np.exp(lnv), 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            returns = np.where(act, b * revenue / np.exp(self.lnK), 0.0)
            output = np.where(act, revenue / prices, 0.0)
        rent = pr.aH * E
        gdp = wages * self.labour + self.rural + (b * revenue).sum(1) + rent
        return dict(prices=prices, wages=wages, revenue=revenue, output=output, returns=returns,
                    priceIndex=phi ** (1 / (1 - self.sigma)), expenditure=E, rent=rent, gdp=gdp,
                    sectorLabour=np.where(act, np.exp(lnL), 0.0), iterations=iterations, solver=kind)


def real_utility(prob: Problem, s: State, eq):
    p = prob.p
    ln_price = (prob.shares * np.log(eq["priceIndex"])).sum(1)
    if prob.aH > 0:
        ln_price = ln_price + prob.aH * np.log(eq["rent"] / s.H)
    lnV = np.log(s.B) + np.log(eq["wages"]) - ln_price
    if p.publicServiceElasticity != 0:
        lnV = lnV + p.publicServiceElasticity * np.log(s.G / (s.L + s.R))
    return np.exp(lnV)


def fiscal_accounts(prob: Problem, eq, transfers, subsidy, spending_share, last_arrivals):
    revenue = prob.p.taxRate * eq["gdp"]
    net = np.maximum(0, revenue - subsidy * last_arrivals + transfers)
    return dict(revenue=revenue, publicSpending=spending_share * net)


class FlowIntegrator:
    """One tick of flows (MODEL.md 3.3, logit migration, no policy effects)."""

    def __init__(self, prob: Problem):
        self.prob = prob

    def integrate(self, s: State, eq, utility, subsidy, retention, income, public_spending, dt):
        pr, p = self.prob, self.prob.p
        n, S = pr.n, pr.S
        K = s.K
        r = eq["returns"]
        # Migration weights.
        delta = p.migrationElasticity * np.log(utility)
        attraction = np.exp(delta - delta.max())
        denominators = pr.W @ attraction
        # Investment.
        ok = (K > 0) & (r > 0)
        with np.errstate(divide="ignore"):
            lnr = np.where(ok, np.log(np.where(ok, r, 1.0)), 0.0)
        home_w = np.where(ok, K * np.exp(p.returnElasticity * lnr), 0.0)
        attract = np.where(ok, K * np.exp(p.returnElasticity * (lnr - np.log(1 - subsidy)[:, None])), 0.0)
        pool_total = attract.sum()
        savings = p.savingRate * income
        pooled = savings.sum() * (1 - p.homeBias)
        home = home_w.sum(1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            investment = np.where(home > 0, p.homeBias * savings[:, None] * home_w / home, 0.0)
        if pool_total > 0:
            investment = investment + pooled * attract / pool_total
        # External industry (designation weight 1 everywhere).
        region_capital = K.sum(0)
        weight_total = attract.sum(0)
        with np.errstate(invalid="ignore", divide="ignore"):
            external = np.where(weight_total > 0, p.externalInflowRate * region_capital * attract / weight_total, 0.0)
        # Relocation: rho[s, i, j], origin i, destination j, built in place.
        rho = np.zeros((S, n, n))
        dest = lnr - np.log(1 - subsidy)[:, None]
        origin = lnr + retention[:, None]
        cost = p.relocationCostPerHour * pr.t
        for k in range(S):
            if region_capital[k] <= 0:
                continue
            g = rho[k]
            np.subtract(dest[None, :, k], origin[:, k, None], out=g)
            g -= cost
            np.fill_diagonal(g, 0.0)
            g[~ok[:, k], :] = 0.0
            g[:, ~ok[:, k]] = 0.0
            np.maximum(g, 0.0, out=g)
            g *= (p.relocationRate * K[:, k] / region_capital[k])[None, :]
        rho_out = rho.sum(2).T  # (n, S)
        housing_growth = np.full(n, p.housingGrowth)
        nat, urb, nu = p.naturalGrowth, p.urbanisationRate, p.migrationRate
        V = n * S
        oL, oR, oK, oG, oH, oCL, oCK = 0, n, 2 * n, 2 * n + V, 3 * n + V, 4 * n + V, 5 * n + V
        end = 7 * n + 2 * V
        inflow_const = investment + external

        def rhs(_t, y):
            L, R = y[oL:oR], y[oR:oK]
            Kc = y[oK:oG].reshape(n, S)
            dy = np.empty_like(y)
            dy[oL:oR] = nu * attraction * (pr.W.T @ (L / denominators)) - nu * L + nat * L + urb * R
            dy[oR:oK] = (nat - urb) * R
            relocated_in = np.stack([rho[k].T @ Kc[:, k] for k in range(S)], 1)
            dy[oK:oG] = (inflow_const - p.depreciation * Kc + relocated_in - rho_out * Kc).ravel()
            dy[oG:oH] = public_spending - p.publicServiceDepreciation * y[oG:oH]
            dy[oH:oCL] = housing_growth * y[oH:oCL]
            dy[oCL:oCK] = L
            dy[oCK:oCK + V] = y[oK:oG]
            dy[oCK + V:] = 0.0  # the replicator's accumulators
            return dy

        y0 = np.zeros(end)
        y0[oL:oR], y0[oR:oK], y0[oK:oG], y0[oG:oH], y0[oH:oCL] = s.L, s.R, K.ravel(), s.G, s.H
        sol = integrate.solve_ivp(rhs, (0.0, dt), y0, method="DOP853", rtol=p.flowTolerance,
                                  atol=p.flowTolerance, first_step=0.1)
        if not sol.success:
            raise RuntimeError(f"solve_ivp: {sol.message}")
        y = sol.y[:, -1]
        cumL = y[oCL:oCK]
        cumK = y[oCK:oCK + V].reshape(n, S)
        # Origin-destination accounts.
        movers = nu * cumL / denominators
        population = movers[:, None] * pr.W
        population *= attraction[None, :]
        np.fill_diagonal(population, 0.0)
        pool_share = attract.sum(1) / pool_total if pool_total > 0 else np.zeros(n)
        capital = (savings * (1 - p.homeBias) * dt)[:, None] * pool_share[None, :]
        np.fill_diagonal(capital, 0.0)
        industry = np.zeros((n, n))
        industry_out, industry_in, relocations = np.zeros((n, S)), np.zeros((n, S)), []
        for k in range(S):
            i, j = np.nonzero(rho[k])
            amount = rho[k][i, j] * cumK[i, k]
            industry[i, j] += amount
            industry_out[:, k] = np.bincount(i, amount, minlength=n)
            industry_in[:, k] = np.bincount(j, amount, minlength=n)
            relocations.append((i, j, np.full(i.size, k), amount))
        relocations = tuple(np.concatenate(parts) for parts in zip(*relocations))
        rate = nat - urb
        rural_integral = s.R * dt if rate == 0 else s.R * (np.exp(rate * dt) - 1) / rate
        after = s.copy()
        after.L, after.R, after.G, after.H = y[oL:oR].copy(), y[oR:oK].copy(), y[oG:oH].copy(), y[oH:oCL].copy()
        after.K = y[oK:oG].reshape(n, S).copy()
        flows = dict(population=population, capital=capital, industry=industry,
                     industryOut=industry_out, industryIn=industry_in,
                     external=external * dt, investment=investment * dt, relocations=relocations,
                     urbanisation=urb * rural_integral, naturalGrowth=nat * (cumL + rural_integral),
                     depreciation=p.depreciation * cumK, steps=sol.t.size - 1, evaluations=sol.nfev)
        return after, flows


def conservation(prob: Problem, before: State, after: State, flows, income, eq, dt):
    p = prob.p

    def rel(a, b):
        scale = max(abs(a), abs(b))
        return 0.0 if scale == 0 else abs(a - b) / scale

    population = rel((after.L + after.R).sum(), (before.L + before.R).sum() * np.exp(p.naturalGrowth * dt))
    migration = rel(flows["population"].sum(1).sum(), flows["population"].sum(0).sum())
    inv, ext = flows["investment"].sum() / dt, flows["external"].sum() / dt
    k0, decay = before.K.sum(), np.exp(-p.depreciation * dt)
    expected = k0 * decay + (inv + ext) * (1 - decay) / p.depreciation if p.depreciation > 0 else k0 + (inv + ext) * dt
    capital = rel(after.K.sum(), expected)
    industry = rel(flows["industryOut"].sum(), flows["industryIn"].sum())
    savings = p.savingRate * income.sum()
    total_gdp = eq["gdp"].sum()
    tr = before.Tr.sum()
    money = max(rel(inv, savings), abs(tr) / total_gdp, rel(eq["expenditure"].sum(), total_gdp + tr))
    return max(population, migration, capital, industry, money)


def tournament(prob: Problem, subsidy, retention, growth, revenue, arrivals, loss, dt):
    """The growth tournament of MODEL.md 3.2, vectorised within each province."""
    p = prob.p
    subsidy, retention = subsidy.copy(), retention.copy()
    step = p.subsidyStep * dt
    for prov in np.unique(prob.provinces):
        m = prob.provinces == prov
        median = np.median(growth[m])
        sub = np.clip(subsidy[m] + np.where(growth[m] < median, step, -step), 0, p.maxSubsidy)
        arr = arrivals[m]
        with np.errstate(divide="ignore", invalid="ignore"):
            sub = np.where(arr > 0, np.minimum(sub, p.subsidyBudgetShare * revenue[m] / arr), sub)
        subsidy[m] = sub
        retention[m] = np.minimum(p.maxRetention, p.retentionResponse * loss[m])
    return subsidy, retention


def spillover_weights(prob: Problem):
    w = np.exp(-prob.t / prob.p.spilloverDecayHours)
    np.fill_diagonal(w, 0.0)
    return w / w.sum(1, keepdims=True)


def advance_productivity(prob: Problem, A, weights, rng, dt, shock_sd):
    p = prob.p
    logs = np.log(A)
    catch_up = np.empty_like(logs)
    for k in range(prob.S):
        gap = logs[None, :, k] - logs[:, k, None]
        catch_up[:, k] = (weights * np.maximum(gap, 0.0)).sum(1)
    shocks = rng.standard_normal(logs.shape)
    change = p.productivityGrowth * dt + p.spilloverRate * dt * catch_up + shock_sd * np.sqrt(dt) * shocks
    return np.exp(logs + change)


def run(prob: Problem, start_year, end_year, dt, seed, shock_sd=None, solver=None):
    """Every tick of a run from the exported base-year setup (Simulation.run without policies).
    Returns the region's real GDP per tick, the final state and the final equilibrium."""
    p = prob.p
    n = prob.n
    shock_sd = p.productivityShockSD if shock_sd is None else shock_sd
    base_prices = np.array(prob.json["basePrices"]).reshape(n, prob.S)
    base_rent = np.array(prob.json["baseRent"])
    s = prob.state()
    solver = TradeEquilibrium(prob, solver)
    flows = FlowIntegrator(prob)
    weights = spillover_weights(prob)
    rng = np.random.default_rng(seed)
    subsidy, retention = np.zeros(n), np.zeros(n)
    spending_share = np.full(n, p.publicSpendingShare)
    last_arrivals, last_loss = np.zeros(n), np.zeros(n)
    previous, previous_real = None, None
    real_gdp_total, worst_identity = [], 0.0
    ticks = int((end_year - start_year) / dt + 1e-9)
    solver.solve(s)  # the base-year solve Simulation.run makes for policies
    for tick in range(ticks + 1):
        s.Tr = np.zeros(n)
        s.X = np.zeros((n, prob.S))
        eq = solver.solve(s, previous)
        if not (np.all(np.isfinite(eq["prices"])) and np.all(eq["expenditure"] > 0)):
            raise RuntimeError(f"tick {tick}: non-finite equilibrium")
        real = s.qA * s.R + base_rent * s.H + (base_prices * eq["output"]).sum(1)
        utility = real_utility(prob, s, eq)
        if previous_real is not None:
            growth = (real / previous_real - 1) / dt
            subsidy, retention = tournament(prob, subsidy, retention, growth, p.taxRate * eq["gdp"],
                                            last_arrivals, last_loss, dt)
        fiscal = fiscal_accounts(prob, eq, s.Tr, subsidy, spending_share, last_arrivals)
        real_gdp_total.append(real.sum())
        if tick == ticks:
            break
        before = s
        income = eq["expenditure"] * (1 - prob.aH)
        s, moved = flows.integrate(s, eq, utility, subsidy, retention, income, fiscal["publicSpending"], dt)
        worst_identity = max(worst_identity, conservation(prob, before, s, moved, income, eq, dt))
        capital_in = moved["capital"].sum(0)
        last_arrivals = (capital_in + moved["industry"].sum(0) + moved["external"].sum(1)) / dt
        cap = before.K.sum(1)
        last_loss = np.where(cap > 0, moved["industry"].sum(1) / np.where(cap > 0, cap, 1) / dt, 0.0)
        s.A = advance_productivity(prob, s.A, weights, rng, dt, shock_sd)
        s.qA = s.qA * np.exp(p.agriculturalProductivityGrowth * dt)
        previous, previous_real = eq, real
    return dict(realGDP=np.array(real_gdp_total), final=s, equilibrium=eq, worstIdentity=worst_identity)

"""A numpy/scipy reference implementation of the twincity model core.

Written as a careful numpy user would write the model of docs/MODEL.md: arrays of shape
(N,) for cities, (N, S) for varieties (row-major, the Swift index i*S + s) and (S, N, N) for
the trade weights; vectorised, with Python loops over the S = 3 sectors or the provinces
only, never over cities or city pairs.

- Equilibrium (MODEL.md 3.1), closed by the rest of China: saving out of disposable income
  buys the investment bundle, allocated over varieties inside the equilibrium (home bias,
  the regional pool at subsidised returns), external demand for every variety and imports
  through the rest of China's weight in each price index, transfers from the region's and
  the central government. Solved by the damped fixed point on log prices with the wage solve
  of TradeEquilibrium.fixedPoint (Anderson-accelerated; the agriculture rescaling only for a
  closed region), or scipy.optimize.root (MINPACK hybrd, the method GSL's hybrids
  implements) on the logs; solver "auto" is the fixed point with hybrd as the fallback when it
  stops, as in the model.
- Flows (MODEL.md 3.3): logit migration of urban and rural movers (utility and size terms),
  the equilibrium's investment installed at the investment-goods price relative to the base
  year, relocation, external industry and capital with the coefficients frozen at the
  tick's equilibrium, integrated with scipy.integrate.solve_ivp (DOP853) at the model's
  tolerance, then the origin-destination accounts.
- A run loop: flows, productivity (with each city's drift), external demand growth, central
  transfers, equilibrium, agents (growth tournament), fiscal accounts (MODEL.md 3.2-3.6),
  without policies.

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
        self.mu = np.array(st["importWeights"], float).reshape(n, S)
        self.bundle = np.array(st["investmentShares"], float)
        self.open = bool(np.any(self.mu > 0))
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
        self.productivityDrift = d.get("productivityDrift") or {}
        if isinstance(self.productivityDrift, list):  # a Swift dictionary may encode as [key, value, ...]
            it = iter(self.productivityDrift)
            self.productivityDrift = dict(zip(it, it))


class State:
    FIELDS = ["urbanPopulation", "ruralPopulation", "capital", "productivity", "ruralProductivity",
              "housing", "publicServices", "transfers", "amenity", "exports", "externalDemand",
              "centralTransfers"]

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
        self.eps = np.array(d["externalDemand"], float).reshape(n, S)
        self.Tc = np.array(d["centralTransfers"], float)

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

    auto_fixed_point_limit = 500
    powell_offset = 16.0
    anderson_memory = 5

    def __init__(self, prob: Problem, solver=None):
        self.prob = prob
        self.solver = solver
        p = prob.p
        self.b = p.beta
        self.sigma = p.sigma
        self.log1mb = np.log(1 - self.b)
        self.logb = np.log(self.b)
        self.s, self.iota, self.h, self.theta = p.savingRate, p.residentialInvestmentShare, p.homeBias, p.returnElasticity
        # Disposable income (Y + T) / (1 - (1 - s) a_H): rent is income of the city.
        self.disposable_factor = 1 / (1 - (1 - self.s) * prob.aH)
        assert np.all(self.b > 0), "the reference covers sectors with a capital share above 0"

    # -- inputs
    def load(self, s: State, subsidy=None, blocked=None, fund=None):
        pr = self.prob
        n, S = pr.n, pr.S
        self.labour = s.L
        self.rural = s.qA * s.R
        self.transfers = s.Tr + s.Tc
        self.active = s.K > 0
        with np.errstate(divide="ignore"):
            self.lnK = np.where(self.active, np.log(s.K), -np.inf)
        self.lnA = np.log(s.A) + pr.agg * np.log(s.L)[:, None]
        self.exports = np.where(self.active, s.X, 0.0)
        self.exports_total = s.X.sum()
        self.external_demand = s.eps
        subsidy = np.zeros(n) if subsidy is None else np.asarray(subsidy, float)
        self.net_log = -np.log(1 - subsidy)
        self.invests = self.active if blocked is None else self.active & ~np.asarray(blocked).reshape(n, S)
        self.fund = np.zeros((n, S)) if fund is None else np.asarray(fund, float).reshape(n, S)

    def modern_income_target(self):
        pr = self.prob
        rural, tr = self.rural.sum(), self.transfers.sum()
        consumption = (rural + self.exports_total + tr + self.fund.sum()) / pr.aA
        target = consumption * (1 - (1 - self.s) * pr.aH) / (1 - self.s) - rural - tr
        return max(target, rural) if pr.open else target

    def initial_guess(self):
        w0 = np.log(max(self.modern_income_target(), 1e-300) / self.labour.sum())
        lnw = np.full(self.prob.n, w0)
        return lnw[:, None] - self.lnA, lnw

    # -- evaluation
    def labour_log(self, lnp, lnw):
        with np.errstate(invalid="ignore"):
            return self.lnK + (self.log1mb + lnp + self.lnA - lnw[:, None]) / self.b

    def allocate(self, saving, lnv):
        """InvestmentAllocation at the returns r = beta pQ / K of ln(pQ) = lnv: a share h of
        each city's productive saving (1 - iota) S to its own varieties by K r^theta, the rest
        pooled over every variety by K (r / (1 - sub))^theta, plus the fund's injections."""
        ok = self.invests
        with np.errstate(invalid="ignore"):
            lnr = self.logb + lnv - self.lnK
            home_w = np.where(ok, np.exp(self.lnK + self.theta * lnr), 0.0)
            pool_w = np.where(ok, np.exp(self.lnK + self.theta * (lnr + self.net_log[:, None])), 0.0)
        own = (1 - self.iota) * saving
        home = home_w.sum(1)
        has_home = home > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            investment = np.where(has_home[:, None], self.h * own[:, None] * home_w / home[:, None], 0.0)
        pooled_saving = np.where(has_home, (1 - self.h) * own, own)
        pool_total = pool_w.sum()
        if pool_total > 0:
            investment = investment + pooled_saving.sum() * pool_w / pool_total
            pool_share = pool_w.sum(1) / pool_total
        else:
            pool_share = np.zeros_like(saving)
        investment = investment + self.fund
        spending = self.iota * saving + investment.sum(1)
        if pool_total == 0:  # nowhere to invest: the pooled saving builds housing where it was saved
            spending = spending + pooled_saving
            pooled_saving = np.zeros_like(saving)
        return dict(investment=investment, spending=spending, pooledSaving=pooled_saving,
                    poolShare=pool_share, poolWeight=pool_w)

    def evaluate(self, lnp, lnw):
        """Supply, incomes, the investment allocation, price indices and demand at (ln p, ln w):
        2 S matrix-vector products."""
        pr = self.prob
        b = self.b
        lnL = self.labour_log(lnp, lnw)
        with np.errstate(invalid="ignore"):
            lnv = lnp + self.lnA + (1 - b) * lnL + b * self.lnK
        y = np.exp(lnw) * self.labour + self.rural + np.where(self.active, b * np.exp(lnv), 0).sum(1)
        disposable = (y + self.transfers) * self.disposable_factor
        C = (1 - self.s) * disposable
        saving = self.s * disposable
        alloc = self.allocate(saving, lnv)
        spending = alloc["spending"]
        D = np.empty_like(lnp)
        phi = np.empty_like(lnp)
        imports = np.empty_like(lnp)
        for s in range(pr.S):
            x = np.where(self.active[:, s], np.exp((1 - self.sigma[s]) * lnp[:, s]), 0.0)
            ph = pr.T[s].T @ x + pr.mu[:, s]
            m = (pr.shares[s] * C + pr.bundle[s] * spending) / ph
            phi[:, s] = ph
            imports[:, s] = m * pr.mu[:, s]
            D[:, s] = np.where(self.active[:, s], x * (pr.T[s] @ m + self.external_demand[:, s]) + self.exports[:, s], 0.0)
        self.last = dict(consumption=C, saving=saving, allocation=alloc, imports=imports)
        return lnL, lnv, D, phi, C + spending

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
        """TradeEquilibrium.fixedPoint: the damped step, Anderson-accelerated (memory 5); a
        closed region rescaled so that agriculture clears, an open one anchored by the rest of
        China's prices."""
        b = self.b
        closed = not self.prob.open
        modern_target = self.modern_income_target()
        mixer = AndersonMixer(self.anderson_memory)
        iteration, best = 0, np.inf
        while True:
            current = lnp
            lnw = self.solve_wages(lnp, lnw)
            if closed:
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

    def solve(self, state: State, start=None, subsidy=None):
        """The tick's equilibrium; `subsidy` is what its investment allocation sees (the
        subsidies in force, those of the previous decision)."""
        p = self.prob.p
        self.load(state, subsidy)
        kind = self.solver or p.solver
        tol, max_iter = p.equilibriumTolerance, p.equilibriumMaxIterations
        if start is not None:
            with np.errstate(divide="ignore"):
                lnp = np.where(start["prices"] > 0, np.log(np.maximum(start["prices"], 1e-300)), 0.0)
            lnw = np.log(start["wages"])
        else:
            lnp, lnw = self.initial_guess()
        if kind == "auto":
            # As the model's auto: the fixed point, and Powell from the same start if it stops.
            try:
                lnp2, lnw2, it = self.fixed_point(lnp.copy(), lnw.copy(), tol, min(max_iter, self.auto_fixed_point_limit))
                return self.finish(lnp2, lnw2, it, "fixed_point")
            except EquilibriumFailure:
                kind = "powell"
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
        last = self.last
        C, alloc = last["consumption"], last["allocation"]
        act = self.active
        prices = np.where(act, np.exp(lnp), 0.0)
        wages = np.exp(lnw)
        revenue = np.where(act, np.exp(lnv), 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            returns = np.where(act, b * revenue / np.exp(self.lnK), 0.0)
            output = np.where(act, revenue / prices, 0.0)
            x = np.where(act, np.exp((1 - self.sigma) * lnp), 0.0)
        price_index = phi ** (1 / (1 - self.sigma))
        rent = pr.aH * C
        gdp = wages * self.labour + self.rural + (b * revenue).sum(1) + rent
        return dict(prices=prices, wages=wages, revenue=revenue, output=output, returns=returns,
                    priceIndex=price_index, expenditure=E, rent=rent, gdp=gdp,
                    sectorLabour=np.where(act, np.exp(lnL), 0.0), consumption=C, saving=last["saving"],
                    investment=alloc["investment"], investmentSpending=alloc["spending"],
                    pooledSaving=alloc["pooledSaving"], poolShare=alloc["poolShare"], poolWeight=alloc["poolWeight"],
                    investmentPriceIndex=np.exp((pr.bundle * np.log(price_index)).sum(1)),
                    externalSales=np.where(act, x * self.external_demand + self.exports, 0.0),
                    imports=last["imports"].sum(1), agricultureNetExports=self.rural - pr.aA * C,
                    iterations=iterations, solver=kind)


def real_utility(prob: Problem, s: State, eq):
    p = prob.p
    ln_price = (prob.shares * np.log(eq["priceIndex"])).sum(1)
    if prob.aH > 0:
        ln_price = ln_price + prob.aH * np.log(eq["rent"] / s.H)
    lnV = np.log(s.B) + np.log(eq["wages"]) - ln_price
    if p.publicServiceElasticity != 0:
        lnV = lnV + p.publicServiceElasticity * np.log(s.G / (s.L + s.R))
    return np.exp(lnV)


def fiscal_accounts(prob: Problem, eq, transfers, central, subsidy, spending_share, last_arrivals):
    revenue = prob.p.taxRate * eq["gdp"]
    net = np.maximum(0, revenue - subsidy * last_arrivals + transfers + central)
    return dict(revenue=revenue, publicSpending=spending_share * net)


def central_transfers(prob: Problem, gdp, s: State):
    """Simulation.centralTransfers: a share c of the region's last GDP shared per resident."""
    population = s.L + s.R
    return prob.p.centralTransferShare * gdp.sum() * population / population.sum()


class FlowIntegrator:
    """One tick of flows (MODEL.md 3.3, logit migration, no policy effects)."""

    def __init__(self, prob: Problem):
        self.prob = prob

    def integrate(self, s: State, eq, utility, subsidy, retention, public_spending, base_investment_price, dt):
        pr, p = self.prob, self.prob.p
        n, S = pr.n, pr.S
        K = s.K
        r = eq["returns"]
        # Migration weights: delta = theta ln V + lambda ln L; urban and rural movers.
        delta = p.migrationElasticity * np.log(utility) + p.destinationSizeElasticity * np.log(s.L)
        attraction = np.exp(delta - delta.max())
        denominators = pr.W @ attraction
        # Investment: the equilibrium's allocation, installed at the investment-goods price
        # relative to the base year.
        investment = eq["investment"] / (eq["investmentPriceIndex"] / base_investment_price)[:, None]
        # External industry (designation weight 1 everywhere), spread like pooled investment.
        region_capital = K.sum(0)
        attract = eq["poolWeight"]
        weight_total = attract.sum(0)
        with np.errstate(invalid="ignore", divide="ignore"):
            external = np.where(weight_total > 0, p.externalInflowRate * region_capital * attract / weight_total, 0.0)
        # Relocation: rho[s, i, j], origin i, destination j, built in place.
        ok = (K > 0) & (r > 0) & (region_capital > 0)[None, :]
        with np.errstate(divide="ignore"):
            lnr = np.where(ok, np.log(np.where(ok, r, 1.0)), 0.0)
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
            dy[oL:oR] = attraction * (pr.W.T @ ((nu * L + urb * R) / denominators)) - nu * L + nat * L
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
        rate = nat - urb
        rural_integral = s.R * dt if rate == 0 else s.R * (np.exp(rate * dt) - 1) / rate
        # Origin-destination accounts.
        movers = (nu * cumL + urb * rural_integral) / denominators
        population = movers[:, None] * pr.W
        population *= attraction[None, :]
        np.fill_diagonal(population, 0.0)
        capital = (eq["pooledSaving"] * dt)[:, None] * eq["poolShare"][None, :]
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
        after = s.copy()
        after.L, after.R, after.G, after.H = y[oL:oR].copy(), y[oR:oK].copy(), y[oG:oH].copy(), y[oH:oCL].copy()
        after.K = y[oK:oG].reshape(n, S).copy()
        flows = dict(population=population, capital=capital, industry=industry,
                     industryOut=industry_out, industryIn=industry_in,
                     external=external * dt, investment=investment * dt, relocations=relocations,
                     urbanisation=urb * rural_integral, naturalGrowth=nat * (cumL + rural_integral),
                     depreciation=p.depreciation * cumK, steps=sol.t.size - 1, evaluations=sol.nfev)
        return after, flows


def conservation(prob: Problem, before: State, after: State, flows, eq, dt):
    """Simulation.conservation without policies (no fund, no outside funding): the identities
    that hold by construction and the external account."""
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
    total_gdp = eq["gdp"].sum()
    tr, central = before.Tr.sum(), before.Tc.sum()
    money = rel(eq["investment"].sum(), (1 - p.residentialInvestmentShare) * eq["saving"].sum()) if np.any(eq["poolShare"] > 0) else 0.0
    money = max(money, abs(tr) / total_gdp, rel(eq["expenditure"].sum(), total_gdp + tr + central))
    trade_balance = eq["externalSales"].sum() + eq["agricultureNetExports"].sum() - eq["imports"].sum()
    external = abs(trade_balance + central) / total_gdp
    return max(population, migration, capital, industry, money), external


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


def advance_productivity(prob: Problem, A, weights, drift, rng, dt, shock_sd):
    p = prob.p
    logs = np.log(A)
    catch_up = np.empty_like(logs)
    for k in range(prob.S):
        gap = logs[None, :, k] - logs[:, k, None]
        catch_up[:, k] = (weights * np.maximum(gap, 0.0)).sum(1)
    shocks = rng.standard_normal(logs.shape)
    change = ((p.productivityGrowth + drift) * dt)[:, None] + p.spilloverRate * dt * catch_up + shock_sd * np.sqrt(dt) * shocks
    return np.exp(logs + change)


def run(prob: Problem, start_year, end_year, dt, seed, shock_sd=None, solver=None):
    """Every tick of a run from the exported base-year setup (Simulation.run without policies).
    Returns the region's real GDP per tick, the final state and the final equilibrium."""
    p = prob.p
    n = prob.n
    shock_sd = p.productivityShockSD if shock_sd is None else shock_sd
    base_prices = np.array(prob.json["basePrices"]).reshape(n, prob.S)
    base_rent = np.array(prob.json["baseRent"])
    base_investment_price = np.array(prob.json["baseInvestmentPrice"])
    drift = np.array([p.productivityDrift.get(c, 0.0) for c in prob.city_ids])
    s = prob.state()
    solver = TradeEquilibrium(prob, solver)
    flows = FlowIntegrator(prob)
    weights = spillover_weights(prob)
    rng = np.random.default_rng(seed)
    subsidy, retention = np.zeros(n), np.zeros(n)
    spending_share = np.full(n, p.publicSpendingShare)
    last_arrivals, last_loss = np.zeros(n), np.zeros(n)
    previous = previous_real = previous_utility = fiscal = None
    real_gdp_total, worst_identity, worst_external = [], 0.0, 0.0
    ticks = int((end_year - start_year) / dt + 1e-9)
    for tick in range(ticks + 1):
        if previous is not None:
            # The flows over the interval after the previous tick, with its frozen equilibrium
            # and decisions; productivity, rural productivity and external demand move on;
            # central transfers from the last GDP, shared per resident.
            before = s
            s, moved = flows.integrate(s, previous, previous_utility, subsidy, retention,
                                       fiscal["publicSpending"], base_investment_price, dt)
            exact, external = conservation(prob, before, s, moved, previous, dt)
            worst_identity, worst_external = max(worst_identity, exact), max(worst_external, external)
            last_arrivals = (moved["capital"].sum(0) + moved["industry"].sum(0) + moved["external"].sum(1)) / dt
            cap = before.K.sum(1)
            last_loss = np.where(cap > 0, moved["industry"].sum(1) / np.where(cap > 0, cap, 1) / dt, 0.0)
            s.A = advance_productivity(prob, s.A, weights, drift, rng, dt, shock_sd)
            s.qA = s.qA * np.exp(p.agriculturalProductivityGrowth * dt)
            s.eps = s.eps * np.exp(p.externalDemandGrowth * dt)
            s.Tc = central_transfers(prob, previous["gdp"], s)
        s.Tr = np.zeros(n)
        s.X = np.zeros((n, prob.S))
        eq = solver.solve(s, previous, subsidy)
        if not (np.all(np.isfinite(eq["prices"])) and np.all(eq["expenditure"] > 0)):
            raise RuntimeError(f"tick {tick}: non-finite equilibrium")
        real = s.qA * s.R + base_rent * s.H + (base_prices * eq["output"]).sum(1)
        utility = real_utility(prob, s, eq)
        if previous_real is not None:
            growth = (real / previous_real - 1) / dt
            subsidy, retention = tournament(prob, subsidy, retention, growth, p.taxRate * eq["gdp"],
                                            last_arrivals, last_loss, dt)
        fiscal = fiscal_accounts(prob, eq, s.Tr, s.Tc, subsidy, spending_share, last_arrivals)
        real_gdp_total.append(real.sum())
        previous, previous_real, previous_utility = eq, real, utility
    return dict(realGDP=np.array(real_gdp_total), final=s, equilibrium=eq, worstIdentity=worst_identity,
                worstExternal=worst_external)

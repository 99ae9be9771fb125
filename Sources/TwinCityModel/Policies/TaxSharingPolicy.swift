import Foundation

/// 稅收分成 / 稅收增量跨地區分享 (decision 三(十), 三(十三)): when capacity relocates from an origin to
/// a destination, the origin keeps a share of the tax on its value added for `years` years:
/// the fixed `share`, or, with a `bargainingWeight`, the share the two governments agree on
/// by Nash bargaining (`bargainedShare`).
///
/// Hooks: transfers from destination d to origin o, per year,
/// `φ · τ · Σ amount · e^{−δ (t − t_move)} · (pQ/K)_d^s` over relocations o→d of age
/// below `years`; and `retainedLossShare[o] = 1 − φ_o`, so the origin's retention effort
/// answers only the tax base it still stands to lose (φ_o: the fixed share, or the bargained
/// shares of the origin's latest relocations weighted by amount; the bargaining weight before
/// it has any).
public struct TaxSharingPolicy: Policy {
    /// Name of this policy kind in scenario files.
    public static let kind = "tax_sharing"
    /// Years in force.
    public var window: PolicyWindow
    /// Share of the tax kept by the origin, in [0, 1] (when not bargained).
    public var share: Double
    /// Years during which the origin keeps its share (> 0).
    public var years: Double
    /// Origins covered (empty: all).
    public var origins: [String]
    /// Destinations covered (empty: all).
    public var destinations: [String]
    /// The origin government's bargaining weight β in [0, 1]; nil: the fixed `share` applies.
    public var bargainingWeight: Double?

    public init(
        window: PolicyWindow, share: Double = 0.4, years: Double = 10, origins: [String] = [], destinations: [String] = [],
        bargainingWeight: Double? = nil
    ) {
        self.window = window
        self.share = share
        self.years = years
        self.origins = origins
        self.destinations = destinations
        self.bargainingWeight = bargainingWeight
    }

    public var namedCities: [String] { origins + destinations }

    /// The share φ of the tax on relocated capacity the origin keeps, by Nash bargaining over
    /// the relocated tax base: `argmax (φ T_d − T_o)^β ((1 − φ) T_d)^{1−β}`, i.e.
    /// `φ = 1 − (1 − β)(1 − T_o/T_d)` when the capacity is worth more taxed at the destination
    /// (T_d > T_o), and 1 otherwise (there is no gain to share).
    ///
    /// T_o and T_d are the tax per yuan of the capacity at the origin and at the destination,
    /// τ·(pQ/K) of the sector: without an agreement the capacity stays (the origin's retention
    /// and approval are needed for a move), so the origin's disagreement payoff is T_o and the
    /// destination's zero; the agreement splits the gain T_d − T_o by the weights β and 1 − β.
    package static func bargainedShare(weight beta: Double, originBase: Double, destinationBase: Double) -> Double {
        guard destinationBase > originBase, destinationBase > 0 else { return 1 }
        return 1 - (1 - beta) * (1 - max(0, originBase) / destinationBase)
    }

    public func apply(to effects: inout PolicyEffects, context: PolicyContext) {
        let sCount = context.sectorCount
        let from = Set(context.indices(origins))
        let to = Set(context.indices(destinations))
        let tax = context.parameters.taxRate
        let delta = context.parameters.depreciation
        let perCapital = context.lastRevenuePerCapital
        func agreed(_ r: Relocation) -> Double {
            guard let beta = bargainingWeight else { return share }
            return Self.bargainedShare(
                weight: beta, originBase: perCapital[r.origin * sCount + r.sector],
                destinationBase: perCapital[r.destination * sCount + r.sector])
        }
        // The origin's retention answers the share of its base it would still lose: under a
        // bargain, that of the latest relocations it has had to covered destinations.
        var latest = [Double](repeating: -.infinity, count: context.cityCount)
        var kept = [Double](repeating: 0, count: context.cityCount)
        var moved = [Double](repeating: 0, count: context.cityCount)
        if bargainingWeight != nil {
            for r in context.relocations where from.contains(r.origin) && to.contains(r.destination) && r.amount > 0 {
                if r.year > latest[r.origin] + 1e-9 { latest[r.origin] = r.year; kept[r.origin] = 0; moved[r.origin] = 0 }
                guard abs(r.year - latest[r.origin]) <= 1e-9 else { continue }
                kept[r.origin] += agreed(r) * r.amount
                moved[r.origin] += r.amount
            }
        }
        for o in from {
            let phi = bargainingWeight.map { beta in moved[o] > 0 ? kept[o] / moved[o] : beta } ?? share
            effects.retainedLossShare[o] *= 1 - phi
        }
        for r in context.relocations where r.year >= window.start - 1e-9 && from.contains(r.origin) && to.contains(r.destination) {
            let age = context.year - r.year
            guard age < years else { continue }
            let valueAdded = r.amount * Foundation.exp(-delta * age) * perCapital[r.destination * sCount + r.sector]
            let payment = agreed(r) * tax * valueAdded
            effects.transfers[r.origin] += payment
            effects.transfers[r.destination] -= payment
        }
    }
}

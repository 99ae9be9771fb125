import Foundation

/// 稅收分成 / 稅收增量跨地區分享 (decision 三(十), 三(十三)): when capacity relocates from an origin to
/// a destination, the origin keeps `share` of the tax on its value added for `years` years.
///
/// Hooks: transfers from destination d to origin o, per year,
/// `share · τ · Σ amount · e^{−δ (t − t_move)} · (pQ/K)_d^s` over relocations o→d of age
/// below `years`; and `retainedLossShare[o] = 1 − share`, so the origin's retention effort
/// answers only the tax base it still stands to lose.
public struct TaxSharingPolicy: Policy {
    /// Name of this policy kind in scenario files.
    public static let kind = "tax_sharing"
    /// Years in force.
    public var window: PolicyWindow
    /// Share of the tax kept by the origin, in [0, 1].
    public var share: Double
    /// Years during which the origin keeps its share (> 0).
    public var years: Double
    /// Origins covered (empty: all).
    public var origins: [String]
    /// Destinations covered (empty: all).
    public var destinations: [String]

    public init(window: PolicyWindow, share: Double = 0.4, years: Double = 10, origins: [String] = [], destinations: [String] = []) {
        self.window = window
        self.share = share
        self.years = years
        self.origins = origins
        self.destinations = destinations
    }

    public var namedCities: [String] { origins + destinations }

    public func apply(to effects: inout PolicyEffects, context: PolicyContext) {
        let sCount = context.sectorCount
        let from = Set(context.indices(origins))
        let to = Set(context.indices(destinations))
        for o in from { effects.retainedLossShare[o] *= 1 - share }
        let tax = context.parameters.taxRate
        let delta = context.parameters.depreciation
        for r in context.relocations where r.year >= window.start - 1e-9 && from.contains(r.origin) && to.contains(r.destination) {
            let age = context.year - r.year
            guard age < years else { continue }
            let valueAdded = r.amount * Foundation.exp(-delta * age) * context.lastRevenuePerCapital[r.destination * sCount + r.sector]
            let payment = share * tax * valueAdded
            effects.transfers[r.origin] += payment
            effects.transfers[r.destination] -= payment
        }
    }
}

// Real utility of an urban resident (MODEL.md §3.1).
import Foundation

/// Real utility of urban residents.
public enum Utility {
    /// `V_i = B_i · (G_i / (L_i + R_i))^η · w_i / (Π_s (P_i^s)^a_s · h_i^a_H)` with rent per
    /// dwelling `h_i = a_H E_i / H_i`; agriculture's price is 1. Dimensionless index (utility
    /// in units of the numeraire deflated by local prices).
    public static func realUtility(
        state: EconomyState, equilibrium: Equilibrium, structure: EconomyStructure,
        parameters: ModelParameters
    ) -> [Double] {
        let eta = parameters.publicServiceElasticity
        return (0..<structure.cityCount).map { i in
            let lnPrice = logConsumerPrice(i, state: state, equilibrium: equilibrium, structure: structure)
            var lnV = Foundation.log(state.amenity[i]) + Foundation.log(equilibrium.wages[i]) - lnPrice
            if eta != 0 {
                let residents = state.urbanPopulation[i] + state.ruralPopulation[i]
                lnV += eta * Foundation.log(state.publicServices[i] / residents)
            }
            return Foundation.exp(lnV)
        }
    }

    /// The consumer price level of each city, the deflator of utility:
    /// `P_i = Π_s (P_i^s)^a_s · h_i^a_H`, with CES sector price indices `P_i^s` and rent per
    /// dwelling `h_i = a_H E_i / H_i` (numeraire units). Divided by its base-year value it is
    /// the consumer price index of the outputs (base year = 1).
    package static func consumerPriceLevel(
        state: EconomyState, equilibrium: Equilibrium, structure: EconomyStructure
    ) -> [Double] {
        (0..<structure.cityCount).map { Foundation.exp(logConsumerPrice($0, state: state, equilibrium: equilibrium, structure: structure)) }
    }

    /// `ln P_i` of `consumerPriceLevel`, summed sector by sector, then housing.
    static func logConsumerPrice(
        _ i: Int, state: EconomyState, equilibrium: Equilibrium, structure: EconomyStructure
    ) -> Double {
        let sCount = structure.sectorCount
        let aH = structure.housingShare
        var lnPrice = 0.0
        for s in 0..<sCount {
            lnPrice += structure.expenditureShares[s] * Foundation.log(equilibrium.priceIndex[i * sCount + s])
        }
        if aH > 0 { lnPrice += aH * Foundation.log(equilibrium.rent[i] / state.housing[i]) }
        return lnPrice
    }
}

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
        let n = structure.cityCount
        let sCount = structure.sectorCount
        let eta = parameters.publicServiceElasticity
        let aH = structure.housingShare
        return (0..<n).map { i in
            var lnPrice = 0.0
            for s in 0..<sCount {
                lnPrice += structure.expenditureShares[s] * Foundation.log(equilibrium.priceIndex[i * sCount + s])
            }
            if aH > 0 { lnPrice += aH * Foundation.log(equilibrium.rent[i] / state.housing[i]) }
            var lnV = Foundation.log(state.amenity[i]) + Foundation.log(equilibrium.wages[i]) - lnPrice
            if eta != 0 {
                let residents = state.urbanPopulation[i] + state.ruralPopulation[i]
                lnV += eta * Foundation.log(state.publicServices[i] / residents)
            }
            return Foundation.exp(lnV)
        }
    }
}

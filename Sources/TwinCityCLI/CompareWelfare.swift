// The welfare part of `twincity compare`: the equivalent variation of run B against run A
// (docs/MODEL.md §4.1, docs/OUTPUTS.md "compare").
import Foundation
import TwinCityModel
import TwinCityScenario

extension CompareCommand {
    /// One table: the region, then each city; the equivalent variation in yuan per urban
    /// resident per year (discounted mean over the years compared) and in percent of the
    /// reference income, then its parts in yuan per resident per year: what every resident
    /// gets where they live (income, prices and rents, public services, amenities) and the
    /// movers' part (the value of the choice of where to live).
    static func welfareTable(_ welfare: WelfareComparison) -> String {
        let span = "\(RunSummary.year(welfare.firstYear))–\(RunSummary.year(welfare.lastYear))"
        let text = "\nequivalent variation of B against A, \(span), discounted at \(String(format: "%g", 100 * welfare.discountRate)) %/yr"
            + " (yuan per urban resident per year, at A's prices)\n"
        var table = TextTable(columns: [
            ("welfare", .left), ("EV", .right), ("EV % income", .right), ("income", .right),
            ("prices/rents", .right), ("public services", .right), ("amenities", .right), ("movers", .right),
        ])
        func row(_ label: String, _ ev: EquivalentVariation) -> [String] {
            [label, number(ev.total), String(format: "%+.3f", 100 * ev.share), number(ev.income), number(ev.prices),
             number(ev.publicServices), number(ev.amenities), number(ev.mobility)]
        }
        table.rows.append(row("region", welfare.region))
        for (city, ev) in zip(welfare.cities, welfare.cityVariation) { table.rows.append(row(city, ev)) }
        return text + "\n" + table.render()
    }
}

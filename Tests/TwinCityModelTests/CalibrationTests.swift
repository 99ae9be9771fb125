// Calibration to 2020 (MODEL.md §5): GDP, migration, urban shares, capital, normalisation.
import XCTest
import TwinCityModel

final class CalibrationTests: XCTestCase {
    func testBaseYearGDPEqualsDataFromAColdStart() throws {
        let roster = try realRoster()
        let calibrated = try Calibration.calibrate(roster: roster, parameters: ModelParameters())
        // A forward solve with no warm start must land on the observed GDP of every city.
        for solver in [EquilibriumSolverKind.powell, .fixedPoint] {
            var p = ModelParameters()
            p.solver = solver
            let eq = try TradeEquilibrium(structure: calibrated.structure).solve(calibrated.state, parameters: p)
            let data = roster.cities.map(\.gdp2020)
            XCTAssertLessThan(maxRelativeError(eq.gdp, data), 1e-8, "\(solver): model GDP vs 2020 data, 1e-8 relative")
            // Walras' law: agriculture clears without being an equation.
            XCTAssertLessThan(abs(eq.agricultureExcess), 1e-10)
        }
    }

    func testProductivityNormalisedToFirstCityAndIdentifiedUpToThatFactor() throws {
        let roster = try realRoster()
        let calibrated = try Calibration.calibrate(roster: roster, parameters: ModelParameters())
        let sCount = calibrated.structure.sectorCount
        for s in 0..<sCount { XCTAssertEqual(calibrated.state.productivity[s], 1, accuracy: 1e-12) }
        XCTAssertEqual(roster.cities[0].id, "chengdu")
    }

    func testUrbanSharesMeetProvinceCensusTargets() throws {
        let roster = try realRoster()
        let p = ModelParameters()
        let calibrated = try Calibration.calibrate(roster: roster, parameters: p)
        for (province, target) in p.urbanShareTargets {
            let members = roster.cities.indices.filter { roster.cities[$0].province == province }
            let pop = members.reduce(0.0) { $0 + roster.cities[$1].population2020 }
            let urban = members.reduce(0.0) { $0 + roster.cities[$1].population2020 * calibrated.urbanShares[$1] }
            XCTAssertEqual(urban / pop, target, accuracy: 1e-12, province)
        }
        // Published shares are used as given; only the units without one are estimated: three
        // Sichuan prefectures and Chongqing's two parts (no 2020 district shares found).
        let estimated = roster.cities.indices.filter { calibrated.urbanShareEstimated[$0] }.map { roster.cities[$0].id }
        XCTAssertEqual(estimated, ["aba", "ganzi", "liangshan", "chongqing_core", "chongqing_rest"])
        // The central urban area, richer per head, is the more urban part.
        let core = roster.index(of: "chongqing_core")!, rest = roster.index(of: "chongqing_rest")!
        XCTAssertGreaterThan(calibrated.urbanShares[core], calibrated.urbanShares[rest])
        for (i, city) in roster.cities.enumerated() {
            if let given = city.urbanShare2020 { XCTAssertEqual(calibrated.urbanShares[i], given, city.id) }
        }
        XCTAssertEqual(calibrated.urbanShares[roster.index(of: "chengdu")!], 0.7876)
        // Richer cities are more urban: Chengdu above Ganzi.
        let chengdu = roster.index(of: "chengdu")!, ganzi = roster.index(of: "ganzi")!
        XCTAssertGreaterThan(calibrated.urbanShares[chengdu], calibrated.urbanShares[ganzi])
    }

    func testAmenitiesReproduceCensusMigrationNetOfNaturalGrowth() throws {
        let roster = try realRoster()
        let p = ModelParameters()
        let calibrated = try Calibration.calibrate(roster: roster, parameters: p)
        let utility = Utility.realUtility(state: calibrated.state, equilibrium: calibrated.equilibrium, structure: calibrated.structure, parameters: p)
        let migration = Migration(structure: calibrated.structure, cities: roster.cities, parameters: p)
        let state = calibrated.state
        let inflows = migration.inflows(
            delta: migration.delta(utility: utility, urbanPopulation: state.urbanPopulation),
            urbanPopulation: state.urbanPopulation, ruralPopulation: state.ruralPopulation)
        for i in roster.cities.indices {
            // Arrivals (urban movers and rural movers, staying included) less everyone who moved.
            let net = inflows[i] - p.migrationRate * state.urbanPopulation[i] - p.urbanisationRate * state.ruralPopulation[i]
            XCTAssertEqual(net, calibrated.migrationTargets[i], accuracy: 1e-9 * max(1, abs(net)), roster.cities[i].id)
        }
        // Targets from the census: (pop2020 − pop2010 − natural growth)/10, less the
        // region's external balance in proportion to urban population.
        let chengdu = roster.cities[0]
        let natural = chengdu.population2010 / 1e4 * (pow(1 + p.calibrationNaturalGrowth, 10) - 1)
        let raw = (chengdu.population2020 - chengdu.population2010) / 1e4 - natural
        let share = calibrated.state.urbanPopulation[0] / calibrated.state.urbanPopulation.reduce(0, +)
        XCTAssertEqual(calibrated.migrationTargets[0], raw / 10 - calibrated.externalMigration * share, accuracy: 1e-9)
        XCTAssertEqual(calibrated.migrationTargets.reduce(0, +), 0, accuracy: 1e-9)
    }

    func testAMigrationElasticityTooSmallForTheCensusIsRefusedBeforeTheRun() throws {
        // θ = 0.001 is inside the loader's range (θ > 0) but needs amenities e^1000 apart:
        // the calibration refuses it with the parameter and the default named.
        let roster = try realRoster()
        var p = ModelParameters()
        p.migrationElasticity = 0.001
        XCTAssertThrowsError(try Calibration.calibrate(roster: roster, parameters: p)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("parameter 'migration_elasticity': with θ = 0.001 the amenities that reproduce base-year migration would differ between cities by a factor e^"), text)
            XCTAssertTrue(text.hasSuffix("beyond what the model can represent (at most e^200); the elasticity is too small for the census migration: raise migration_elasticity (the default is 2)"), text)
        }
        // An elasticity a tenth of the default still calibrates, with every amenity finite.
        p.migrationElasticity = 0.2
        let calibrated = try Calibration.calibrate(roster: roster, parameters: p)
        XCTAssertTrue(calibrated.state.amenity.allSatisfy { $0.isFinite && $0 > 0 })
    }

    func testCapitalFollowsCapitalOutputRatioAndReturnsAreEqualAcrossCities() throws {
        let roster = try realRoster()
        let p = ModelParameters()
        let calibrated = try Calibration.calibrate(roster: roster, parameters: p)
        let eq = calibrated.equilibrium
        for (v, k) in calibrated.state.capital.enumerated() {
            XCTAssertEqual(k, p.capitalOutputRatio * eq.revenue[v], accuracy: 1e-9 * k)
            let beta = p.sectors[v % p.sectors.count].capitalShare
            XCTAssertEqual(eq.returns[v], beta / p.capitalOutputRatio, accuracy: 1e-10)
        }
    }

    func testSectorMixFollowsRoleTags() throws {
        let roster = try realRoster()
        let calibrated = try Calibration.calibrate(roster: roster, parameters: ModelParameters())
        let deyang = roster.index(of: "deyang")!, neijiang = roster.index(of: "neijiang")!
        // Deyang (世界級重大裝備制造基地) carries a manufacturing tag; Neijiang a services one.
        XCTAssertGreaterThan(calibrated.sectorMix[deyang * 3 + 0], calibrated.sectorMix[neijiang * 3 + 0])
        XCTAssertGreaterThan(calibrated.sectorMix[neijiang * 3 + 2], calibrated.sectorMix[deyang * 3 + 2])
        for i in roster.cities.indices {
            XCTAssertEqual(calibrated.sectorMix[(i * 3)..<(i * 3 + 3)].reduce(0, +), 1, accuracy: 1e-14)
        }
    }

    func testCityWhoseGDPIsBelowRuralOutputIsReported() throws {
        let roster = try realRoster()
        var cities = roster.cities
        let aba = roster.index(of: "aba")!
        cities[aba].gdp2020 = 5  // far below what its farmers produce
        XCTAssertThrowsError(try Calibration.calibrate(roster: Roster(cities: cities, links: roster.links), parameters: ModelParameters())) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("city 'aba': 2020 GDP 5.00 亿元 is not above"), text)
        }
    }

    func testBadDataAndParametersAreRejectedBeforeTheRun() throws {
        let roster = try realRoster()
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "no error" } catch { return "\(error)" }
        }
        var cities = roster.cities
        cities[3].population2020 = -1
        XCTAssertEqual(message { _ = try Calibration.calibrate(roster: Roster(cities: cities), parameters: ModelParameters()) },
                       "city 'luzhou': pop_2020 must be a positive number, found -1.0")
        cities = roster.cities
        cities[5].gdp2020 = .nan
        XCTAssertEqual(message { _ = try Calibration.calibrate(roster: Roster(cities: cities), parameters: ModelParameters()) },
                       "city 'mianyang': gdp_2020 must be a positive number, found nan")
        var p = ModelParameters()
        p.sectors[0].elasticity = 1
        XCTAssertEqual(message { _ = try Calibration.calibrate(roster: roster, parameters: p) },
                       "parameter 'sectors.manufacturing.elasticity': σ must be above 1, found 1.0")
        p = ModelParameters()
        p.sectors[1].baseMix = 0.3
        XCTAssertEqual(message { try p.validate() },
                       "parameter 'sectors.*.base_mix': the sectors' base mixes must sum to 1, they sum to 1.18")
        p = ModelParameters()
        p.migrationRate = .infinity
        XCTAssertEqual(message { try p.validate() }, "parameter 'migration_rate': inf is outside [0, 1] (per year)")
        p = ModelParameters()
        XCTAssertEqual(message { try p.set("saving_rate", to: -0.1) }, "parameter 'saving_rate': -0.1 is outside [0, 1) (share of disposable income)")
        XCTAssertEqual(message { try p.set("migraton_rate", to: 0.1) }, "parameter 'migraton_rate': unknown parameter")
    }

    // MARK: - The open region's base year

    func testCentralTransfersAreSharedPerResident() throws {
        let roster = try realRoster()
        let p = ModelParameters()
        let c = try Calibration.calibrate(roster: roster, parameters: p)
        let gdp = roster.cities.reduce(0.0) { $0 + $1.gdp2020 }
        let residents = roster.cities.reduce(0.0) { $0 + $1.population2020 }
        for (i, city) in roster.cities.enumerated() {
            XCTAssertEqual(c.state.centralTransfers[i], p.centralTransferShare * gdp * city.population2020 / residents,
                           accuracy: 1e-9 * c.state.centralTransfers[i], city.id)
        }
    }

    func testTheFullRegistrationWedgeStandsAtCitiesAboveTheThreshold() throws {
        // 300万 urban residents: Chengdu and both parts of Chongqing (the rest of Chongqing is
        // one city of the roster, with 1,460万 urban residents together).
        let roster = try realRoster()
        let p = ModelParameters()
        let c = try Calibration.calibrate(roster: roster, parameters: p)
        let full = roster.cities.indices.filter { c.structure.entryBarriers![$0] == p.hukouBarrier }.map { roster.cities[$0].id }
        XCTAssertEqual(full, ["chengdu", "chongqing_core", "chongqing_rest"])
        for i in roster.cities.indices where !full.contains(roster.cities[i].id) {
            XCTAssertEqual(c.structure.entryBarriers![i], p.smallCityHukouBarrier, roster.cities[i].id)
        }
    }

    func testEveryCityImportsTheSameShareOfEachSector() throws {
        // μ_j^s / Φ_j^s is the import share: calibrated to one m_s per sector (docs/MODEL.md §5.3).
        let roster = try realRoster()
        let c = try Calibration.calibrate(roster: roster, parameters: ModelParameters())
        let s = c.structure
        var shares: [Double] = []
        for k in 0..<s.sectorCount {
            let sigma = s.sectors[k].elasticity
            let byCity = (0..<s.cityCount).map { j -> Double in
                let v = j * s.sectorCount + k
                return s.importWeights[v] / Foundation.pow(c.equilibrium.priceIndex[v], 1 - sigma)
            }
            for m in byCity { XCTAssertEqual(m, byCity[0], accuracy: 1e-9) }
            shares.append(byCity[0])
        }
        // The values docs/MODEL.md §5.3 quotes, to two decimals.
        XCTAssertEqual(shares[0], 0.49, accuracy: 0.005)
        XCTAssertEqual(shares[1], 0.76, accuracy: 0.005)
        XCTAssertEqual(shares[2], 0.06, accuracy: 0.005)
    }

    func testBaseYearsThatTheOpenRegionCannotMatchAreRefusedWithTheParameterToChange() throws {
        let roster = try realRoster()
        func message(_ configure: (inout ModelParameters) -> Void) -> String {
            var p = ModelParameters()
            configure(&p)
            do { _ = try Calibration.calibrate(roster: roster, parameters: p); return "" } catch { return "\(error)" }
        }
        // Too small a housing share leaves more services to sell at home than the region buys.
        let services = message { $0.housingShare = 0.08 }
        XCTAssertTrue(services.hasPrefix("sector 'services': the region's base-year sales at home"), services)
        XCTAssertTrue(services.hasSuffix("outside [0, 1); raise sectors.services.export_share or its consumption_weight"), services)
        // Too large a one imputes more rent than a city's tertiary value added.
        let rent = message { $0.housingShare = 0.85; $0.agricultureShare = 0.1 }
        XCTAssertTrue(rent.hasPrefix("city 'zigong': its tertiary value added"), rent)
        XCTAssertTrue(rent.contains("is not above the housing rent the model imputes"), rent)
        XCTAssertTrue(rent.hasSuffix("; lower housing_share"), rent)
    }
}

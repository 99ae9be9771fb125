/// New or faster links (decision 三(九): 成渝中線高鐵, 成達萬, 成自宜, 川南城際…): from the
/// start year the links' scheduled times join the network, changing travel times everywhere
/// they are a shortcut, and with them trade costs, migration costs and spillovers.
public struct TransportPolicy: Policy {
    /// Name of this policy kind in scenario files.
    public static let kind = "transport"
    /// Years in force.
    public var window: PolicyWindow
    public var links: [TransportLink]

    public init(window: PolicyWindow, links: [TransportLink]) {
        self.window = window
        self.links = links
    }

    public var namedCities: [String] { links.flatMap { [$0.from, $0.to] } }

    public func apply(to effects: inout PolicyEffects, context: PolicyContext) {
        effects.links.append(contentsOf: links)
    }
}

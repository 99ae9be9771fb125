// The version `twincity --version` prints and every run directory and sweep database records.
// In the export layer, which writes it into manifests, so that the tests can read it without
// importing the command-line program.

/// Version of the twincity tool, semantic versioning; printed by `twincity --version` and
/// written into run outputs so results can be traced to the code that made them.
public let twinCityVersion = "0.1.0"

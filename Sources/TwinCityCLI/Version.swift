// The version `twincity --version` prints.

/// Version of the twincity tool, semantic versioning; printed by `twincity --version` and
/// meant to be written into run outputs so results can be traced to the code that made them.
let twinCityVersion = "0.1.0"

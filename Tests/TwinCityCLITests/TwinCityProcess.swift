// The CLI tests run the built `twincity` executable as a user would, from the package root,
// through TwinCityTestSupport (`TwinCityProcess.run`, `ProcessResult`, `parseCSV`), which
// every file of this target sees through this import.
@_exported import TwinCityTestSupport

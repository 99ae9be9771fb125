// The scenario tests find the checkout and scratch space through TwinCityTestSupport.
@_exported import TwinCityTestSupport

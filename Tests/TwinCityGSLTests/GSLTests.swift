// The process-wide set-up and the error type.
import TwinCityGSL
import XCTest

final class GSLTests: XCTestCase {
    func testVersionIsTheLinkedLibrary() {
        GSL.initialize()
        GSL.initialize()  // idempotent
        XCTAssertTrue(GSL.version.hasPrefix("2."), "GSL.version = \(GSL.version), this machine has libgsl 2.7.1")
    }

    func testErrorCarriesGSLText() {
        let error = GSLError(routine: "gsl_root_fsolver_set", status: GSLStatus.invalidArgument)
        // gsl_strerror's text for GSL_EINVAL, from GSL's err/strerror.c.
        XCTAssertEqual(error.reason, "invalid argument supplied by user")
        XCTAssertEqual(error.status, 4)  // GSL_EINVAL in gsl_errno.h
        XCTAssertTrue(error.description.contains("gsl_root_fsolver_set"))
    }
}

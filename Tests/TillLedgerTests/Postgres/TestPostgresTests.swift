import Testing

@Suite("The test command's PostgreSQL server")
struct TestPostgresTests {
    @Test("scripts/test started a server, so no PostgreSQL test is skipped there")
    func serverIsThereWhenRequired() {
        if TestPostgres.required {
            #expect(TestPostgres.available, "TILL_TEST_POSTGRES_REQUIRED is set but TILL_TEST_POSTGRES is not")
        }
    }
}

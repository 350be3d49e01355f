namespace Closer.BrowserTests;

/// <summary>
/// What these suites need from the machine; a missing piece skips the test with a reason, or fails it under
/// CLOSER_REQUIRE_ALL=1 (as in CI).
/// </summary>
public static class Requirements
{
    public static bool RequireAll => Environment.GetEnvironmentVariable("CLOSER_REQUIRE_ALL") is "1" or "true" or "yes";

    public static string? Postgres => Environment.GetEnvironmentVariable("CLOSER_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    public static void Need(bool available, string what)
    {
        if (available)
        {
            return;
        }
        if (RequireAll)
        {
            Assert.Fail($"{what} is not available, and CLOSER_REQUIRE_ALL=1 forbids skipping.");
        }
        Assert.Skip($"{what} is not available.");
    }

    public static string NeedPostgres()
    {
        Need(Postgres is not null, "PostgreSQL (CLOSER_TEST_POSTGRES)");
        return Postgres!;
    }
}

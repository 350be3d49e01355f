namespace Closer.Testing;

/// <summary>
/// What the suites need from the machine. Tests that need a real PostgreSQL, Redis or Chromium skip with a
/// reason when it is absent; with CLOSER_REQUIRE_ALL=1 (as in CI) a missing dependency fails them instead.
/// Shared by both test projects (linked from tests/Shared).
/// </summary>
public static class Requirements
{
    public static bool RequireAll =>
        Environment.GetEnvironmentVariable("CLOSER_REQUIRE_ALL") is "1" or "true" or "yes";

    public static string? PostgresConnectionString =>
        Environment.GetEnvironmentVariable("CLOSER_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    /// <summary>Skips (or, under CLOSER_REQUIRE_ALL, fails) the current test when <paramref name="available"/> is false.</summary>
    public static void Need(bool available, string what)
    {
        if (available)
        {
            return;
        }
        var reason = $"{what} is not available";
        if (RequireAll)
        {
            Assert.Fail($"{reason}, and CLOSER_REQUIRE_ALL=1 forbids skipping.");
        }
        Assert.Skip(reason + ".");
    }

    public static string NeedPostgres()
    {
        Need(PostgresConnectionString is not null, "PostgreSQL (CLOSER_TEST_POSTGRES)");
        return PostgresConnectionString!;
    }
}

namespace Closer.Web.Infrastructure.Security;

/// <summary>The roles of Closer. A role applies within the user's organisation and/or countries.</summary>
public static class Roles
{
    public const string PlatformAdmin = nameof(PlatformAdmin);
    public const string CountryCoordinator = nameof(CountryCoordinator);
    public const string OrgFocalPoint = nameof(OrgFocalPoint);
    public const string Editor = nameof(Editor);
    public const string Translator = nameof(Translator);
    public const string Moderator = nameof(Moderator);
    public const string Viewer = nameof(Viewer);

    public static IReadOnlyList<string> All { get; } =
        [PlatformAdmin, CountryCoordinator, OrgFocalPoint, Editor, Translator, Moderator, Viewer];

    public static string? Normalize(string? role) =>
        All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Claim types Closer adds to a signed-in principal.</summary>
public static class CloserClaims
{
    public const string Organisation = "closer:org";
    public const string Country = "closer:country";
    public const string Token = "closer:token";
    /// <summary>"on" when the account signs in with a second factor.</summary>
    public const string TwoFactor = "closer:2fa";
}

/// <summary>Named authorization policies; every page and endpoint names one of these (or is explicitly anonymous).</summary>
public static class Policies
{
    /// <summary>Any signed-in person with at least one role: the back office.</summary>
    public const string Staff = nameof(Staff);
    public const string PlatformAdmin = nameof(PlatformAdmin);
    /// <summary>Any authenticated caller of the API, by token or by cookie.</summary>
    public const string ApiUser = nameof(ApiUser);
}

using System.Globalization;

namespace Closer.Web.Features.Coordination.Reports;

public sealed record ReportDto(
    int Id, string Org, string Status, string? ReturnReason, string? ImplementingPartner, string Country, string Admin1, string Sector,
    string Indicator, string Month, string PopulationGroup, long Girls, long Boys, long Women, long Men, long Other, long Total,
    long? ReachedToDate, bool Cash, long? CashUsd, int Version)
{
    // The names next to the codes, in the request's language (lists, exports and single reports; see ReportNames).
    public string? OrgName { get; init; }
    public string? CountryName { get; init; }
    public string? Admin1Name { get; init; }
    public string? SectorName { get; init; }
    public string? IndicatorName { get; init; }
}

public sealed record ReportPage(IReadOnlyList<ReportDto> Items, int Page, int PageSize, int Total);

public sealed record ReportInput(
    string? Org, string? ImplementingPartner, string? Country, string? Admin1, string? Sector, string? Indicator, string? Month,
    string? PopulationGroup, long? Girls, long? Boys, long? Women, long? Men, long? Other, long? Total, long? ReachedToDate,
    bool? Cash, long? CashUsd)
{
    /// <summary>The input as the text cells <see cref="ReportRows.Parse"/> reads, keyed by column key.</summary>
    public Dictionary<string, string?> Cells(string? defaultOrg) => new(StringComparer.Ordinal)
    {
        ["org"] = Org ?? defaultOrg, ["partner"] = ImplementingPartner, ["country"] = Country, ["admin1"] = Admin1,
        ["sector"] = Sector, ["indicator"] = Indicator, ["month"] = Month, ["group"] = PopulationGroup,
        ["girls"] = S(Girls), ["boys"] = S(Boys), ["women"] = S(Women), ["men"] = S(Men), ["other"] = S(Other),
        ["total"] = S(Total), ["todate"] = S(ReachedToDate), ["cash"] = Cash is { } c ? (c ? "yes" : "no") : null, ["cashusd"] = S(CashUsd),
    };

    private static string? S(long? n) => n?.ToString(CultureInfo.InvariantCulture);
}

public sealed record ReturnInput(string? Reason);
public sealed record BulkInput(IReadOnlyList<int>? Ids, string? Action, string? Reason);
public sealed record RevisionDto(int Version, DateTimeOffset ChangedAt, string? ChangedBy, string Snapshot);
public sealed record PeriodLockDto(string Country, string Month, bool Locked);
public sealed record BulkResult(int Changed);
public sealed record SyncToken(string Token);

/// <summary>The optional body of a lock or unlock: why (required to unlock, and to lock over open reports) and the override.</summary>
public sealed record LockInput(string? Reason, bool? Override);

namespace Closer.Web.Features.Dashboards;

/// <summary>
/// The INSERTs of the "to date" tables (<see cref="ResponseToDate"/>, <see cref="ResponseAreaToDate"/>) for one plan year,
/// over a partition filter (organisations × countries, or none for the whole year in a rebuild).
/// <para>
/// Each is two GROUP BYs and no window: the twelve months of the year are few and fixed, so a series' best month among
/// January to each month M is twelve conditional maxima of one GROUP BY per series (<c>B1</c>…<c>B12</c>); the second
/// GROUP BY sums them per organisation × country × sector (× area); a join with the twelve months then gives one row per
/// month from the first one that has a report. The reports are read (and sorted) once; an earlier version (a running
/// window, then every series row carried to the months up to its next one and grouped again) sorted them three times
/// and made a full rebuild of 1,000,000 rows ten times slower.
/// </para>
/// <para>
/// A month without any series yet gives NULL (SUM of nothing): <c>x + 0 * B</c> keeps a non-people series' presence
/// (the organisation is a partner there) while adding 0 to the people reached. Standard SQL: SQLite and PostgreSQL.
/// </para>
/// </summary>
internal static class ToDateSql
{
    private static string[] Months(string year) => [.. Enumerable.Range(1, 12).Select(m => $"{year}-{m:D2}")];

    /// <summary>A CASE picking, for the month mo."M", the column of <paramref name="prefix"/> + its number in the year from g.</summary>
    private static string Pick(string[] months, string prefix) =>
        "CASE mo.\"M\" " + string.Join(' ', months.Select((m, i) => $"WHEN '{m}' THEN g.\"{prefix}{i + 1}\"")) + " END";

    private static string MonthTable(string[] months) =>
        "(" + string.Join(" UNION ALL ", months.Select(m => $"SELECT '{m}' AS \"M\"")) + ")";

    private static string Columns(string[] months, Func<string, int, string> column) =>
        string.Join(",\n            ", months.Select((m, i) => column(m, i + 1)));

    /// <summary>
    /// Per organisation × country × sector and month: Σ over its people series of their best validated month among January
    /// to M (<see cref="ResponseMonth.Reached"/>), how many people series it has by M, and its validated reports in M.
    /// <paramref name="partition"/>: an AND filter on "OrganisationId" and "CountryIso3" (or empty).
    /// </summary>
    public static string Organisations(string year, string partition)
    {
        var months = Months(year);
        return $"""
            INSERT INTO "ResponseToDates" ("Year", "Month", "CountryIso3", "SectorCode", "OrganisationId", "PeopleSeries", "Reached", "ReportsInMonth")
            SELECT {year}, mo."M", g."CountryIso3", g."SectorCode", g."OrganisationId", {Pick(months, "P")}, {Pick(months, "S")}, {Pick(months, "R")}
            FROM (
                SELECT s."CountryIso3", s."SectorCode", s."OrganisationId",
                    {Columns(months, (_, n) => $"SUM(CASE WHEN s.\"IsPeople\" THEN s.\"B{n}\" ELSE 0 END + 0 * s.\"B{n}\") AS \"S{n}\"")},
                    {Columns(months, (_, n) => $"SUM(CASE WHEN s.\"IsPeople\" AND s.\"B{n}\" IS NOT NULL THEN 1 ELSE 0 END) AS \"P{n}\"")},
                    {Columns(months, (_, n) => $"SUM(s.\"R{n}\") AS \"R{n}\"")}
                FROM (
                    SELECT "CountryIso3", "SectorCode", "OrganisationId", "IsPeople",
                        {Columns(months, (m, n) => $"MAX(CASE WHEN \"Month\" <= '{m}' THEN \"Reached\" END) AS \"B{n}\"")},
                        {Columns(months, (m, n) => $"SUM(CASE WHEN \"Month\" = '{m}' THEN \"Reports\" ELSE 0 END) AS \"R{n}\"")}
                    FROM "ResponseMonths" WHERE "Year" = {year} AND "Status" = 'Validated'{partition}
                    GROUP BY "CountryIso3", "IndicatorCode", "PopulationGroup", "OrganisationId", "SectorCode", "IsPeople") s
                GROUP BY s."CountryIso3", s."SectorCode", s."OrganisationId") g
            CROSS JOIN {MonthTable(months)} mo
            WHERE {Pick(months, "S")} IS NOT NULL
            """;
    }

    /// <summary>
    /// Per organisation × country × admin1 area × sector and month, from the validated reports (the other aggregates sum
    /// admin1 out): Σ over its people series in the area of their best report among January to M (reached to date, else
    /// the month's total); a row once it has any validated report there. <paramref name="raw"/>: an AND filter on
    /// r."OrganisationId" and r."CountryIso3" (or empty). Indicators are joined after the first GROUP BY (one row per
    /// series, not per report).
    /// </summary>
    public static string Areas(string year, string raw)
    {
        var months = Months(year);
        return $"""
            INSERT INTO "ResponseAreaToDates" ("Year", "Month", "CountryIso3", "Admin1PCode", "SectorCode", "OrganisationId", "Reached")
            SELECT {year}, mo."M", g."CountryIso3", g."Admin1PCode", g."SectorCode", g."OrganisationId", {Pick(months, "S")}
            FROM (
                SELECT s."CountryIso3", s."Admin1PCode", i."SectorCode", s."OrganisationId",
                    {Columns(months, (_, n) => $"SUM(CASE WHEN i.\"Unit\" = 'People' THEN s.\"B{n}\" ELSE 0 END + 0 * s.\"B{n}\") AS \"S{n}\"")}
                FROM (
                    SELECT r."CountryIso3", r."Admin1PCode", r."IndicatorCode", r."OrganisationId",
                        {Columns(months, (m, n) => $"MAX(CASE WHEN r.\"Month\" <= '{m}' THEN COALESCE(r.\"ReachedToDate\", r.\"Total\") END) AS \"B{n}\"")}
                    FROM "ActivityReports" r
                    WHERE r."DeletedAt" IS NULL AND r."Status" = 'Validated'{raw} AND r."Month" LIKE '{year}-%'
                    GROUP BY r."CountryIso3", r."Admin1PCode", r."IndicatorCode", r."PopulationGroup", r."OrganisationId") s
                JOIN "Indicators" i ON i."Code" = s."IndicatorCode"
                GROUP BY s."CountryIso3", s."Admin1PCode", i."SectorCode", s."OrganisationId") g
            CROSS JOIN {MonthTable(months)} mo
            WHERE {Pick(months, "S")} IS NOT NULL
            """;
    }
}

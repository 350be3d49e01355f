using Closer.Web.Features.Coordination;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.OpenData;

public sealed record DatasetDownload(string Format, string Url, string MediaType);

/// <summary>A published dataset as the downloads page and <c>/api/v1/datasets</c> describe it (HDX-style metadata).</summary>
public sealed record DatasetInfo(string Id, string Title, string Description, string Licence, string? LicenceUrl, string UpdateFrequency,
    DateTimeOffset? LastUpdated, string? DataAsOf, string Methodology, IReadOnlyList<string> HxlTags, string Endpoint, bool Available,
    IReadOnlyList<DatasetDownload> Downloads, HdxMetadata Hdx);

/// <summary>The fields HDX asks for when a dataset is mirrored there (licence id and update frequency in HDX's codes).</summary>
public sealed record HdxMetadata(string LicenseId, string? LicenseOther, string DataUpdateFrequency, string DatasetSource, string Methodology, string? MethodologyOther);

/// <summary>The list of every dataset Closer publishes; text keys are English UI strings (area "opendata").</summary>
public sealed class DatasetCatalog(CloserDbContext db, EndpointDataSource endpoints, TimeProvider time, IStringLocalizer<SharedResource> t)
{
    public const string CcBy = "Creative Commons Attribution 4.0 International (CC BY 4.0)";
    public const string CcByUrl = "https://creativecommons.org/licenses/by/4.0/";

    private sealed record Entry(string Id, string Title, string Description, bool OwnData, string Frequency, string Methodology,
        string[] Datasets, IReadOnlyList<string> Hxl, string Endpoint, string Pattern, string[] Formats)
    {
        /// <summary>HDX's update-frequency codes: days, or -2 for "as needed".</summary>
        public string HdxFrequency => Id switch
        {
            "response-plan" => "365",
            "response-reached" or "activities-5w" or "funding" => "30",
            _ => "-2",
        };
    }

    private static IReadOnlyList<Entry> Entries(int year) =>
    [
        new("population-figures", "Refugees and migrants from Venezuela by country",
            "How many refugees and migrants from Venezuela each country hosts, month by month, with recognised refugees, asylum seekers and residence permits where known.",
            false, "When governments publish new figures, usually every few months",
            "Figures are entered by the country coordinators from official government sources as published by the regional platform; each row keeps its source and whether it is exact, rounded or an estimate. Figures of different dates are never added up.",
            [DataStamps.Figures], OpenDataColumns.Figures.Select(c => c.Hxl).ToList(), "/api/v1/figures", "api/v1/figures", ["json", "csv", "xlsx"]),
        new("response-plan", "Response plan: sectors, targets and requirements",
            "The regional response plan of the year: sectors and Protection sub-sectors, indicators, targets per country, indicator and population group, people in need and financial requirements in US dollars.",
            true, "Once a year, with revisions during the year",
            "Targets and people in need are set by the national and sub-regional platforms for each indicator and population group; requirements are the costed plan of the partners. Demo years are marked as such in their source.",
            [DataStamps.Plan], OpenDataColumns.PlanTargets.Select(c => c.Hxl).ToList(), $"/api/v1/plan/{year}", "api/v1/plan/{year}", ["json", "csv", "xlsx"]),
        new("response-reached", "People reached against targets",
            "People reached by sector and country against the plan's targets, from validated activity reports only.",
            true, "Monthly, as reports are validated",
            "Reached counts come from validated 5W reports; people are counted once per month and activity, and the people reached to date are the partners' de-duplicated figures, never a sum of months.",
            [DataStamps.Reports, DataStamps.Plan], [Hxl.Year.Tag, Hxl.CountryCode.Tag, Hxl.CountryName.Tag, Hxl.SectorCode.Tag, Hxl.SectorName.Tag, Hxl.Reached.Tag, Hxl.Targeted.Tag], $"/api/v1/dashboards/response?year={year}",
            "api/v1/dashboards/response", ["json", "csv", "xlsx"]),
        new("activities-5w", "Validated 5W activities",
            "Who does what, where, when and for whom: every validated monthly activity report by organisation, country, admin1 area, indicator and population group, with people reached by age and sex.",
            true, "Monthly, as reports are validated",
            "Partners report each month; country coordinators validate or return each report. Only validated reports are published; drafts, returned reports and the revision history are not.",
            [DataStamps.Reports], ActivitiesDataset.Columns.Select(c => c.Hxl).ToList(), "/api/v1/activities", "api/v1/activities", ["json", "csv", "xlsx"]),
        new("organisations", "Partner organisations",
            "The partner organisations of the platform, their type and the countries they work in.",
            true, "When an organisation's profile changes",
            "Each organisation keeps its own profile up to date; demo organisations are fictional and marked as such.",
            [DataStamps.Organisations], [Hxl.OrgCode.Tag, Hxl.OrgName.Tag, Hxl.OrgType.Tag, Hxl.CountryCode.Tag], "/api/v1/organisations", "api/v1/organisations", ["json", "csv", "xlsx"]),
        new("funding", "Funding received against the plan",
            "Funding reported against the plan's financial requirements, by sector and country.",
            true, "As funding is reported",
            "Funding is reported by the partners and compared with the plan's requirements in US dollars.",
            [DataStamps.Funding, DataStamps.Plan], [Hxl.Year.Tag, Hxl.CountryCode.Tag, Hxl.SectorCode.Tag, Hxl.RequirementUsd.Tag, Hxl.FundingUsd.Tag],
            "/api/v1/funding", "api/v1/funding", ["json", "csv", "xlsx"]),
    ];

    public async Task<IReadOnlyList<DatasetInfo>> ListAsync(string lang, CancellationToken ct)
    {
        var year = time.GetUtcNow().Year;
        var plans = await db.ResponsePlans.AsNoTracking().Select(p => p.Year).ToListAsync(ct);
        if (plans.Count > 0 && !plans.Contains(year))
        {
            year = plans.Max();
        }
        var stamps = await DataStamps.AllLatestAsync(db, ct);
        var figuresAsOf = await db.PopulationFigures.AsNoTracking().MaxAsync(f => (string?)f.AsOf, ct);
        var reportsAsOf = await db.ActivityReports.AsNoTracking().Where(r => r.Status == ReportStatus.Validated && r.DeletedAt == null)
            .MaxAsync(r => (string?)r.Month, ct);
        var mapped = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => Normalise(e.RoutePattern.RawText)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Entries(year).Select(e =>
        {
            var changed = e.Datasets.Select(d => stamps.TryGetValue(d, out var at) ? at : DataStamps.Epoch).Max();
            var asOf = e.Id switch
            {
                "population-figures" => figuresAsOf,
                "activities-5w" or "response-reached" => reportsAsOf,
                "response-plan" => year.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
            var available = mapped.Contains(Normalise(e.Pattern));
            var separator = e.Endpoint.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var downloads = available
                ? e.Formats.Select(f => new DatasetDownload(f, f == "json" ? e.Endpoint : $"{e.Endpoint}{separator}format={f}", f switch
                {
                    "csv" => TabularContentTypes.CsvMediaType,
                    "xlsx" => TabularContentTypes.Xlsx,
                    _ => "application/json",
                })).ToList()
                : [];
            return new DatasetInfo(e.Id, t[e.Title], t[e.Description], e.OwnData ? CcBy : t["Source terms: each figure keeps the terms of its source; cite the source given on each row."],
                e.OwnData ? CcByUrl : null, t[e.Frequency], changed > DataStamps.Epoch ? changed : null, asOf, t[e.Methodology], e.Hxl, e.Endpoint,
                available, downloads, new HdxMetadata(e.OwnData ? "cc-by" : "hdx-other",
                    e.OwnData ? null : "Source terms: each figure keeps the terms of its source; cite the source given on each row.",
                    e.HdxFrequency, e.OwnData ? "Regional inter-agency coordination platform (Closer)" : "Governments, as published by the regional platform (R4V)",
                    "Other", e.Methodology));
        }).ToList();
    }

    /// <summary>A route pattern without leading slash and constraints: "/api/v1/plan/{year:int}" → "api/v1/plan/{year}".</summary>
    private static string Normalise(string? pattern) =>
        System.Text.RegularExpressions.Regex.Replace((pattern ?? "").Trim('/'), @"\{([^}:=?]+)[^}]*\}", "{$1}");
}

using Closer.Web.Features.Funding;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards.Gaps;

/// <summary><c>GET /api/v1/dashboards/gaps</c>: the gap view as JSON, CSV (header row, HXL row, rows) or XLSX.</summary>
public static class GapsApi
{
    /// <summary>The download's columns, HXL 1.1 hashtags; the JSON keys are the column keys.</summary>
    public static IReadOnlyList<TabularColumn<GapRow>> Columns { get; } =
    [
        new("country", "#country+code", "Country code", "Código de país", "Código do país", "Kódigo di pais", r => r.Country),
        new("countryName", "#country+name", "Country", "País", "País", "Pais", r => r.CountryName),
        new("sector", "#sector+code", "Sector code", "Código de sector", "Código do setor", "Kódigo di sektor", r => r.Sector),
        new("sectorName", "#sector+name", "Sector", "Sector", "Setor", "Sektor", r => r.SectorName),
        new("inNeed", "#inneed", "People in need", "Personas con necesidades", "Pessoas com necessidades", "Hende ku nesesidat", r => r.InNeed),
        new("targeted", "#targeted", "People targeted", "Personas meta", "Pessoas-alvo", "Hende apuntá", r => r.Targeted),
        new("reached", "#reached", "People reached", "Personas alcanzadas", "Pessoas alcançadas", "Hende alkansá", r => r.Reached),
        new("targetedPct", Hxl.TargetedPct.Tag, "Targeted of in need (%)", "Meta sobre necesidades (%)", "Alvo sobre necessidades (%)", "Apuntá riba nesesidat (%)", r => r.TargetedPct),
        new("reachedPct", Hxl.ReachedPct.Tag, "Reached of targeted (%)", "Alcanzadas sobre meta (%)", "Alcançadas sobre alvo (%)", "Alkansá riba meta (%)", r => r.ReachedPct),
        new("requiredUsd", "#value+requirement+usd", "Required (USD)", "Requerido (USD)", "Necessário (USD)", "Nesesario (USD)", r => r.RequiredUsd),
        new("receivedUsd", "#value+funding+usd", "Received (USD)", "Recibido (USD)", "Recebido (USD)", "Risibí (USD)", r => r.ReceivedUsd),
        new("fundedPct", Hxl.CoveragePct.Tag, "Funded (%)", "Financiado (%)", "Financiado (%)", "Finansiá (%)", r => r.FundedPct),
        new("planAsOf", Hxl.PlanAsOf.Tag, "Plan figures as of", "Cifras del plan al", "Números do plano em", "Sifranan di plan te", r => r.PlanAsOf),
        new("reachedAsOf", Hxl.Reported.Tag, "Reached as of (YYYY-MM)", "Alcanzadas al (AAAA-MM)", "Alcançadas em (AAAA-MM)", "Alkansá te (AAAA-MM)", r => r.ReachedAsOf),
        new("fundingAsOf", Hxl.FundingAsOf.Tag, "Funding as of", "Financiamiento al", "Financiamento em", "Finansiamentu te", r => r.FundingAsOf),
    ];

    /// <summary>The JSON answer: the year, filters, order, rows and the plan's sources.</summary>
    public sealed record GapsAnswer(int Year, string? Country, string? Sector, string Sort, string Dir, IReadOnlyList<GapRow> Rows, IReadOnlyList<string> Sources)
    {
        /// <summary>How "reached" is counted (<see cref="CountingRule"/>).</summary>
        public string ReachedRule => CountingRule.Code;
    }

    public static RouteGroupBuilder MapGapsApi(this RouteGroupBuilder g)
    {
        // Cached and evicted with reports, plan, funding and countries (OpenData's PublicApi.ByPath).
        g.MapGet("/gaps", GapsAsync).OneOf("sort", GapData.SortKeys).OneOf("dir", ["asc", "desc"])
            .CountryCodes().SectorCodes(withSubSectors: true);
        return g;
    }

    /// <summary>People in need, targeted, reached (validated) and funding required vs received per country × sector of a plan year.</summary>
    private static async Task<Results<Ok<GapsAnswer>, FileContentHttpResult, ProblemHttpResult>> GapsAsync(HttpContext http, CloserDbContext db, FundingCoverage coverage,
        DisclosureControl disclosure, TimeProvider time, HybridCache cache, IStringLocalizer<SharedResource> t, int? year, string? country, string? sector, string? sort, string? dir, string? format, CancellationToken ct)
    {
        var f = (format ?? "json").Trim().ToLowerInvariant();
        if (f is not ("json" or "csv" or "xlsx"))
        {
            return new BadRequestError("unknown-format", "The format must be json, csv or xlsx.").ToProblem(http);
        }
        var lang = http.Language();
        var names = await Names.LoadAsync(db, lang, ct);
        // A filter the plan does not know is refused, not answered with no rows (which would read as "nothing there").
        var years = await DashboardData.PlanYearsAsync(db, ct);
        if (year is { } asked && !years.Contains(asked))
        {
            return new BadRequestError("unknown-year", t["Unknown plan year: {0}. The plan years are {1}.", asked, string.Join(", ", years)].Value).ToProblem(http);
        }
        if (!string.IsNullOrWhiteSpace(country) && !names.Countries.ContainsKey(country.Trim().ToUpperInvariant()))
        {
            return new BadRequestError("unknown-country", t["Unknown country: {0}. Use the ISO3 code of a plan country.", Clip(country)].Value).ToProblem(http);
        }
        if (!string.IsNullOrWhiteSpace(sector) && !names.Sectors.ContainsKey(sector.Trim().ToUpperInvariant()))
        {
            return new BadRequestError("unknown-sector", t["Unknown sector: {0}.", Clip(sector)].Value).ToProblem(http);
        }
        var y = year ?? DashboardData.CurrentYear(years, time);
        var gaps = await GapData.BuildAsync(db, coverage, disclosure, names, y, country, sector, sort, dir, ct, cache);
        CountingRule.Mark(http.Response);
        if (f == "json")
        {
            return TypedResults.Ok(new GapsAnswer(gaps.Year, gaps.Country, gaps.Sector, gaps.Sort, gaps.Descending ? "desc" : "asc", gaps.Rows, gaps.Sources));
        }
        var (content, type, extension) = Table(gaps).File(f, lang);
        return TypedResults.File(content, type, $"gaps-{y}{extension}");
    }

    private static string Clip(string value) => value.Trim() is { Length: > 40 } v ? v[..40] + "…" : value.Trim();

    /// <summary>The rows as the dashboards' download table (header row, HXL row, rows).</summary>
    public static ExportTable Table(GapFigures gaps) =>
        new("gaps", Columns, gaps.Rows.Select(r => Columns.Select(c => c.Value(r)).ToArray()).ToList());
}

using System.Text.RegularExpressions;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Plan;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.OpenData;

/// <summary>One row of the population figures: a country at a month, with source and precision.</summary>
public sealed record FigureRow(string Country, string CountryName, string AsOf, long RefugeesAndMigrants, long? RecognisedRefugees,
    long? AsylumSeekers, long? RegularStayPermits, string Precision, string Source);

/// <summary>One target of a plan year: country × indicator × population group, with its sector and sub-sector.</summary>
public sealed record PlanTargetRow(int Year, string Country, string CountryName, string Sector, string SectorName, string? SubSector,
    string Indicator, string IndicatorName, string Unit, string PopulationGroup, long Targeted, long InNeed, long RequirementUsd);

/// <summary>One sector (or sub-sector) of a plan year.</summary>
public sealed record PlanSectorRow(int Year, string Sector, string SectorName, string? Parent, long InNeed, long Targeted, long RequirementUsd, int Partners);

public sealed record PlanSectorNode(string Code, string Name, long PeopleInNeed, long PeopleTargeted, long RequirementUsd, int Partners,
    IReadOnlyList<PlanSectorNode> SubSectors, IReadOnlyList<IndicatorDto> Indicators);

public sealed record PlanTargetTotals(long Targeted, long InNeed, long RequirementUsd);

/// <summary>The plan of a year as open data: sectors with sub-sectors and indicators, every target, the totals.</summary>
public sealed record PlanDocument(int Year, long RequirementUsd, long PeopleInNeed, long PeopleTargeted, int Partners, string? Source,
    PlanTargetTotals TargetTotals, IReadOnlyList<PlanSectorNode> Sectors, IReadOnlyList<PlanTargetRow> Targets);

/// <summary>The columns of the published tables, with their HXL hashtags.</summary>
public static class OpenDataColumns
{
    public static IReadOnlyList<TabularColumn<FigureRow>> Figures { get; } =
    [
        new("country", Hxl.CountryCode.Tag, "Country code", "Código de país", "Código do país", "Kódigo di pais", r => r.Country),
        new("countryName", Hxl.CountryName.Tag, "Country", "País", "País", "Pais", r => r.CountryName),
        new("asOf", Hxl.Reported.Tag, "Date (YYYY-MM)", "Fecha (AAAA-MM)", "Data (AAAA-MM)", "Fecha (AAAA-MM)", r => r.AsOf),
        new("refugeesAndMigrants", Hxl.RefugeesAndMigrants.Tag, "Refugees and migrants", "Refugiados y migrantes", "Refugiados e migrantes", "Refugiado i migrante", r => r.RefugeesAndMigrants),
        new("recognisedRefugees", Hxl.Refugees.Tag, "Recognised refugees", "Refugiados reconocidos", "Refugiados reconhecidos", "Refugiado rekonosí", r => r.RecognisedRefugees),
        new("asylumSeekers", Hxl.AsylumSeekers.Tag, "Asylum seekers", "Solicitantes de asilo", "Solicitantes de refúgio", "Solisitante di asilo", r => r.AsylumSeekers),
        new("regularStayPermits", Hxl.RegularStay.Tag, "Residence permits and regular stay", "Permisos de residencia y estancia regular", "Autorizações de residência e permanência regular", "Pèrmit di residensia i estadia regular", r => r.RegularStayPermits),
        new("precision", Hxl.Precision.Tag, "Precision", "Precisión", "Precisão", "Preshishon", r => r.Precision),
        new("source", Hxl.Source.Tag, "Source", "Fuente", "Fonte", "Fuente", r => r.Source),
    ];

    public static IReadOnlyList<TabularColumn<PlanTargetRow>> PlanTargets { get; } =
    [
        new("year", Hxl.Year.Tag, "Year", "Año", "Ano", "Aña", r => (long)r.Year),
        new("country", Hxl.CountryCode.Tag, "Country code", "Código de país", "Código do país", "Kódigo di pais", r => r.Country),
        new("countryName", Hxl.CountryName.Tag, "Country", "País", "País", "Pais", r => r.CountryName),
        new("sector", Hxl.SectorCode.Tag, "Sector code", "Código de sector", "Código do setor", "Kódigo di sektor", r => r.Sector),
        new("sectorName", Hxl.SectorName.Tag, "Sector", "Sector", "Setor", "Sektor", r => r.SectorName),
        new("subSector", Hxl.SubsectorCode.Tag, "Sub-sector code", "Código de subsector", "Código do subsetor", "Kódigo di subsektor", r => r.SubSector),
        new("indicator", Hxl.IndicatorCode.Tag, "Indicator code", "Código de indicador", "Código do indicador", "Kódigo di indikadó", r => r.Indicator),
        new("indicatorName", Hxl.IndicatorName.Tag, "Indicator", "Indicador", "Indicador", "Indikadó", r => r.IndicatorName),
        new("unit", Hxl.IndicatorUnit.Tag, "Unit", "Unidad", "Unidade", "Unidat", r => r.Unit),
        new("populationGroup", Hxl.PopulationGroup.Tag, "Population group", "Grupo de población", "Grupo populacional", "Grupo di poblashon", r => r.PopulationGroup),
        new("targeted", Hxl.Targeted.Tag, "Target", "Meta", "Meta", "Meta", r => r.Targeted),
        new("inNeed", Hxl.InNeed.Tag, "People in need", "Personas con necesidades", "Pessoas com necessidades", "Hende ku nesesidat", r => r.InNeed),
        new("requirementUsd", Hxl.RequirementUsd.Tag, "Financial requirement (USD)", "Requerimiento financiero (USD)", "Requisito financeiro (USD)", "Rekisito finansiero (USD)", r => r.RequirementUsd),
    ];

    public static IReadOnlyList<TabularColumn<PlanSectorRow>> PlanSectors { get; } =
    [
        new("year", Hxl.Year.Tag, "Year", "Año", "Ano", "Aña", r => (long)r.Year),
        new("sector", Hxl.SectorCode.Tag, "Sector code", "Código de sector", "Código do setor", "Kódigo di sektor", r => r.Sector),
        new("sectorName", Hxl.SectorName.Tag, "Sector", "Sector", "Setor", "Sektor", r => r.SectorName),
        new("parent", Hxl.MainSectorCode.Tag, "Main sector code", "Código del sector principal", "Código do setor principal", "Kódigo di sektor prinsipal", r => r.Parent),
        new("inNeed", Hxl.InNeed.Tag, "People in need", "Personas con necesidades", "Pessoas com necessidades", "Hende ku nesesidat", r => r.InNeed),
        new("targeted", Hxl.Targeted.Tag, "People targeted", "Personas meta", "Pessoas-alvo", "Hende apuntá", r => r.Targeted),
        new("requirementUsd", Hxl.RequirementUsd.Tag, "Financial requirement (USD)", "Requerimiento financiero (USD)", "Requisito financeiro (USD)", "Rekisito finansiero (USD)", r => r.RequirementUsd),
        new("partners", Hxl.PartnerCount.Tag, "Partners", "Socios", "Parceiros", "Sosio", r => (long)r.Partners),
    ];
}

/// <summary>The open-data API: population figures, the plan of a year, validated 5W activities, the dataset list.</summary>
public static partial class OpenDataApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Open data").AllowAnonymous();
        api.MapGet("/figures", FiguresAsync).FromDatasets(DataStamps.Figures).Paged().CountryCodes()
            .WithSummary("Population figures: refugees and migrants per country over time, with source and precision");
        api.MapGet("/plan/{year:int}", PlanEndpointAsync).FromDatasets(DataStamps.Plan)
            .WithSummary("The response plan of a year: sectors, indicators, targets, people in need and requirements");
        api.MapGet("/activities", ActivitiesAsync).FromDatasets(DataStamps.Reports).Paged()
            .CountryCodes().SectorCodes(withSubSectors: true).Shaped("month", QueryRules.MonthPattern, "YYYY-MM").Shaped("year", @"^\d{4}$", "YYYY")
            .WithSummary("Validated 5W activities (who, what, where, when, for whom)");
        api.MapGet("/datasets", DatasetsAsync).FromDatasets([.. DataStamps.Known]).Paged()
            .WithSummary("Every published dataset with licence, update frequency, last update, methodology and HXL tags");
        DatasetPackages.Map(api, app);
    }

    private static async Task<Results<JsonHttpResult<object>, FileContentHttpResult, ProblemHttpResult>> FiguresAsync(HttpContext http, CloserDbContext db, string? format, string? country, string? from, string? to,
        CancellationToken ct)
    {
        if (!TabularResults.TryParseFormat(format, out var f))
        {
            return TabularResults.BadFormat.ToProblem(http);
        }
        var errors = new List<FieldError>();
        var fromMonth = MonthBound(from, start: true, "from", errors);
        var toMonth = MonthBound(to, start: false, "to", errors);
        var countries = (country ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => c.ToUpperInvariant()).ToList();
        if (countries.Any(c => !Iso3().IsMatch(c)))
        {
            errors.Add(new FieldError(null, "country", "Countries are ISO 3166 alpha-3 codes, separated by commas."));
        }
        if (errors.Count > 0)
        {
            return new BadRequestError("bad-filter", errors[0].Message).ToProblem(http);
        }
        var rows = await FigureRowsAsync(db, http.Language(), countries, fromMonth, toMonth, ct);
        return TabularResults.Result(f, OpenDataColumns.Figures, Paging.Page(http, rows), http.Language(), "population-figures");
    }

    internal static async Task<List<FigureRow>> FigureRowsAsync(CloserDbContext db, string lang, IReadOnlyCollection<string> countries,
        string? fromMonth, string? toMonth, CancellationToken ct)
    {
        var q = db.PopulationFigures.AsNoTracking();
        if (countries.Count > 0)
        {
            q = q.Where(x => countries.Contains(x.CountryIso3));
        }
        var names = await db.Countries.AsNoTracking().ToDictionaryAsync(c => c.Iso3, c => c.Name(lang), StringComparer.Ordinal, ct);
        // Months are YYYY-MM: ordinal order is date order. The series is small; filter it here on both providers alike.
        return (await q.ToListAsync(ct))
            .Where(x => (fromMonth is null || string.CompareOrdinal(x.AsOf, fromMonth) >= 0) && (toMonth is null || string.CompareOrdinal(x.AsOf, toMonth) <= 0))
            .OrderBy(x => x.CountryIso3, StringComparer.Ordinal).ThenBy(x => x.AsOf, StringComparer.Ordinal)
            .Select(x => new FigureRow(x.CountryIso3, names.GetValueOrDefault(x.CountryIso3, x.CountryIso3), x.AsOf, x.RefugeesAndMigrants,
                x.RecognisedRefugees, x.AsylumSeekers, x.RegularStayPermits, x.Precision, x.Source))
            .ToList();
    }

    /// <summary>A YYYY or YYYY-MM bound as a month: the first month of a year for "from", the last for "to".</summary>
    private static string? MonthBound(string? value, bool start, string name, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        value = value.Trim();
        if (Month().IsMatch(value))
        {
            return value;
        }
        if (Year().IsMatch(value))
        {
            return value + (start ? "-01" : "-12");
        }
        errors.Add(new FieldError(null, name, "Dates are written YYYY or YYYY-MM."));
        return null;
    }

    private static async Task<Results<JsonHttpResult<object>, FileContentHttpResult, ProblemHttpResult>> PlanEndpointAsync(int year, HttpContext http, CloserDbContext db, string? format, string? table, CancellationToken ct)
    {
        if (!TabularResults.TryParseFormat(format, out var f))
        {
            return TabularResults.BadFormat.ToProblem(http);
        }
        if (table is not (null or "" or "targets" or "sectors"))
        {
            return new BadRequestError("bad-table", "The table is targets or sectors.").ToProblem(http);
        }
        var lang = http.Language();
        var plan = await PlanAsync(db, year, lang, ct);
        if (plan is null)
        {
            return new NotFoundError("plan-not-found", "No response plan for this year.").ToProblem(http);
        }
        if (table == "sectors")
        {
            var sectors = plan.Sectors.SelectMany(s => s.SubSectors.Prepend(s).Select(x => new PlanSectorRow(year, x.Code, x.Name,
                ReferenceEquals(x, s) ? null : s.Code, x.PeopleInNeed, x.PeopleTargeted, x.RequirementUsd, x.Partners))).ToList();
            return TabularResults.Result(f, OpenDataColumns.PlanSectors, sectors, lang, $"plan-{year}-sectors", plan);
        }
        return TabularResults.Result(f, OpenDataColumns.PlanTargets, plan.Targets, lang, $"plan-{year}-targets", plan);
    }

    /// <summary>The plan of a year as published (the same tables as <c>GET /api/v1/plans/{year}</c>), or null.</summary>
    public static async Task<PlanDocument?> PlanAsync(CloserDbContext db, int year, string lang, CancellationToken ct)
    {
        var plan = await db.ResponsePlans.AsNoTracking().FirstOrDefaultAsync(p => p.Year == year, ct);
        if (plan is null)
        {
            return null;
        }
        var sectorPlans = await db.SectorPlans.AsNoTracking().Where(s => s.Year == year).ToDictionaryAsync(s => s.SectorCode, StringComparer.Ordinal, ct);
        var sectors = await db.Sectors.AsNoTracking().OrderBy(s => s.SortOrder).ToListAsync(ct);
        var indicators = await db.Indicators.AsNoTracking().OrderBy(i => i.Code).ToListAsync(ct);
        var countries = await db.Countries.AsNoTracking().ToDictionaryAsync(c => c.Iso3, c => c.Name(lang), StringComparer.Ordinal, ct);
        var sectorByCode = sectors.ToDictionary(s => s.Code, StringComparer.Ordinal);
        var indicatorByCode = indicators.ToDictionary(i => i.Code, StringComparer.Ordinal);

        PlanSectorNode Node(Sector s)
        {
            var p = sectorPlans.GetValueOrDefault(s.Code);
            return new PlanSectorNode(s.Code, s.Name(lang), p?.PeopleInNeed ?? 0, p?.PeopleTargeted ?? 0, p?.RequirementUsd ?? 0, p?.Partners ?? 0,
                sectors.Where(x => x.ParentCode == s.Code).Select(Node).ToList(),
                indicators.Where(i => i.SectorCode == s.Code).Select(i => new IndicatorDto(i.Code, i.SectorCode, i.Unit.ToString(), i.Name(lang))).ToList());
        }

        var targets = (await db.PlanTargets.AsNoTracking().Where(t => t.Year == year).ToListAsync(ct))
            .OrderBy(t => t.CountryIso3, StringComparer.Ordinal).ThenBy(t => t.IndicatorCode, StringComparer.Ordinal)
            .ThenBy(t => t.PopulationGroup, StringComparer.Ordinal)
            .Select(t =>
            {
                var indicator = indicatorByCode.GetValueOrDefault(t.IndicatorCode);
                var sector = indicator is null ? null : sectorByCode.GetValueOrDefault(indicator.SectorCode);
                var main = sector?.ParentCode is { } parent ? sectorByCode.GetValueOrDefault(parent) ?? sector : sector;
                return new PlanTargetRow(year, t.CountryIso3, countries.GetValueOrDefault(t.CountryIso3, t.CountryIso3), main?.Code ?? "",
                    main?.Name(lang) ?? "", sector?.ParentCode is null ? null : sector.Code, t.IndicatorCode, indicator?.Name(lang) ?? t.IndicatorCode,
                    indicator?.Unit.ToString() ?? "", t.PopulationGroup, t.Target, t.PeopleInNeed, t.RequirementUsd);
            }).ToList();
        var totals = new PlanTargetTotals(targets.Sum(t => t.Targeted), targets.Sum(t => t.InNeed), targets.Sum(t => t.RequirementUsd));
        return new PlanDocument(plan.Year, plan.RequirementUsd, plan.PeopleInNeed, plan.PeopleTargeted, plan.Partners, plan.Source, totals,
            sectors.Where(s => s.ParentCode is null).Select(Node).ToList(), targets);
    }

    /// <summary>
    /// Validated 5W rows after disclosure control, filtered and paged. Disclosure runs on whole quarters and series before
    /// the page is cut, so paging never changes what is hidden.
    /// </summary>
    private static async Task<Results<JsonHttpResult<object>, FileContentHttpResult, ProblemHttpResult>> ActivitiesAsync(HttpContext http, CloserDbContext db,
        DisclosureControl disclosure, PublicActivities activities, string? format, string? country, string? month, string? year, string? sector, CancellationToken ct)
    {
        if (!TabularResults.TryParseFormat(format, out var f))
        {
            return TabularResults.BadFormat.ToProblem(http);
        }
        if (!string.IsNullOrWhiteSpace(country) && !Iso3().IsMatch(country.Trim().ToUpperInvariant()))
        {
            return new BadRequestError("bad-country", "Countries are ISO 3166-1 alpha-3 codes, such as COL.").ToProblem(http);
        }
        if ((!string.IsNullOrWhiteSpace(month) && !Month().IsMatch(month.Trim())) || (!string.IsNullOrWhiteSpace(year) && !Year().IsMatch(year.Trim())))
        {
            return new BadRequestError("bad-filter", "Dates are written YYYY or YYYY-MM.").ToProblem(http);
        }
        var audience = DisclosureAudience.For(http.User);
        var filters = new ActivityFilters(country, month?.Trim(), sector, year?.Trim());
        var lang = http.Language();
        IReadOnlyList<ActivityRow> page;
        if (audience.IsPublic)
        {
            // The public table is computed once per data version; a page is a slice of it, named in the asked language.
            var (table, staleAsOf) = await activities.TableAsync(db, ct);
            if (staleAsOf is { } asOf)
            {
                // The previous version's table while the current one is built: said by its own time, never kept in a cache.
                ConditionalRequests.AnswerAsOf(http, asOf);
            }
            var (published, applied) = table.Filter(filters);
            var names = table.References.Names(lang);
            page = Paging.Page(http, published).Select(names.Row).ToList();
            DisclosureResponse.Mark(http, applied, audience, disclosure);
        }
        else
        {
            var rows = await ActivitiesDataset.RowsAsync(db, disclosure, audience, lang, filters, ct);
            DisclosureResponse.Mark(http, rows.Any(r => r.Disclosure is not null), audience, disclosure);
            page = Paging.Page(http, rows);
        }
        // JSON straight from the records (their properties are the columns' keys, in order), not a dictionary per row.
        return TabularResults.Result(f, ActivitiesDataset.Columns, page, lang, "activities-5w-validated", f == TabularFormat.Json ? page : null);
    }

    private static async Task<Ok<IReadOnlyList<DatasetInfo>>> DatasetsAsync(HttpContext http, DatasetCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.ListAsync(http.Language(), ct));

    [GeneratedRegex(@"^\d{4}-(0[1-9]|1[0-2])$")]
    private static partial Regex Month();

    [GeneratedRegex(@"^\d{4}$")]
    private static partial Regex Year();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex Iso3();
}

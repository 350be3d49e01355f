using System.Globalization;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Geography;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.OpenData;

/// <summary>
/// A validated 5W row as published: no ids, no people, no revision history; names next to codes in the asked language; a
/// count is null where disclosure control suppressed it, and <see cref="Disclosure"/> says what was done to the row.
/// </summary>
public sealed record ActivityRow(string Org, string OrgName, string? ImplementingPartner, string Country, string CountryName, string? Admin1,
    string? Admin1Name, string Sector, string SectorName, string Indicator, string IndicatorName, string Month, string PopulationGroup,
    long? Girls, long? Boys, long? Women, long? Men, long? Other, long? Total, string? Disclosure);

/// <summary>The activities dataset's filters: a country, a month (YYYY-MM), a sector and a year (YYYY), each optional.</summary>
public sealed record ActivityFilters(string? Country, string? Month, string? Sector, string? Year = null)
{
    /// <summary>Whether a row of <paramref name="rowSector"/> is in the asked <paramref name="sector"/>: the sector itself or, for a main sector (PRO), one of its sub-sectors (PRO-CP), as on the dashboards.</summary>
    public static bool InSector(string rowSector, string sector) =>
        string.Equals(rowSector, sector, StringComparison.OrdinalIgnoreCase)
        || (rowSector.Length > sector.Length && rowSector[sector.Length] == '-' && rowSector.StartsWith(sector, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The validated 5W activities as open data, after disclosure control (<see cref="ActivityDisclosure"/>).</summary>
public static class ActivitiesDataset
{
    public static IReadOnlyList<TabularColumn<ActivityRow>> Columns { get; } =
    [
        new("org", Hxl.OrgCode.Tag, "Organisation code", "Código de la organización", "Código da organização", "Kódigo di organisashon", r => r.Org),
        new("orgName", Hxl.OrgName.Tag, "Organisation", "Organización", "Organização", "Organisashon", r => r.OrgName),
        new("implementingPartner", Hxl.OrgImplementing.Tag, "Implementing partner", "Socio implementador", "Parceiro implementador", "Socio implementadó", r => r.ImplementingPartner),
        new("country", Hxl.CountryCode.Tag, "Country code", "Código de país", "Código do país", "Kódigo di pais", r => r.Country),
        new("countryName", Hxl.CountryName.Tag, "Country", "País", "País", "Pais", r => r.CountryName),
        new("admin1", Hxl.Adm1Code.Tag, "Admin1 P-code", "Código P admin1", "Código P admin1", "Kódigo P admin1", r => r.Admin1),
        new("admin1Name", Hxl.Adm1Name.Tag, "Admin1 area", "Área admin1", "Área admin1", "Área admin1", r => r.Admin1Name),
        new("sector", Hxl.SectorCode.Tag, "Sector code", "Código de sector", "Código do setor", "Kódigo di sektor", r => r.Sector),
        new("sectorName", Hxl.SectorName.Tag, "Sector", "Sector", "Setor", "Sektor", r => r.SectorName),
        new("indicator", Hxl.IndicatorCode.Tag, "Indicator code", "Código de indicador", "Código do indicador", "Kódigo di indikadó", r => r.Indicator),
        new("indicatorName", Hxl.IndicatorName.Tag, "Indicator", "Indicador", "Indicador", "Indikadó", r => r.IndicatorName),
        new("month", Hxl.Month.Tag, "Month (YYYY-MM; the year, YYYY, when the row is withheld)", "Mes (AAAA-MM; el año, AAAA, si la fila se suprimió)", "Mês (AAAA-MM; o ano, AAAA, quando a linha foi suprimida)", "Luna (AAAA-MM; e aña, AAAA, ora ku e liña ta suprimí)", r => r.Month),
        new("populationGroup", Hxl.PopulationGroup.Tag, "Population group", "Grupo de población", "Grupo populacional", "Grupo di poblashon", r => r.PopulationGroup),
        new("girls", Hxl.ReachedGirls.Tag, "Girls", "Niñas", "Meninas", "Mucha muhé", r => r.Girls),
        new("boys", Hxl.ReachedBoys.Tag, "Boys", "Niños", "Meninos", "Mucha hòmber", r => r.Boys),
        new("women", Hxl.ReachedWomen.Tag, "Women", "Mujeres", "Mulheres", "Muhé", r => r.Women),
        new("men", Hxl.ReachedMen.Tag, "Men", "Hombres", "Homens", "Hòmber", r => r.Men),
        new("other", Hxl.ReachedOther.Tag, "Other or unknown", "Otro o desconocido", "Outro ou desconhecido", "Otro òf deskonosí", r => r.Other),
        new("total", Hxl.ReachedTotal.Tag, "Total", "Total", "Total", "Total", r => r.Total),
        new("disclosure", Hxl.Disclosure.Tag, "Disclosure control", "Control de divulgación", "Controle de divulgação", "Kontrol di divulgashon", r => r.Disclosure),
    ];

    /// <summary>
    /// The published rows for <paramref name="audience"/>, straight from the database. Disclosure control runs on whole
    /// quarters before the month filter (a rolled-up quarter answers for each of its months), and on whole series (country
    /// and sector filters keep them whole). Anonymous answers come from <see cref="PublicActivities"/> (the same rows,
    /// computed once per data version); this path serves signed-in scopes and is the reference the tests compare with.
    /// </summary>
    public static async Task<List<ActivityRow>> RowsAsync(CloserDbContext db, DisclosureControl disclosure, DisclosureAudience audience, string lang,
        ActivityFilters filters, CancellationToken ct)
    {
        var q = db.ActivityReports.AsNoTracking().Where(r => r.Status == ReportStatus.Validated && r.DeletedAt == null);
        if (!string.IsNullOrWhiteSpace(filters.Country))
        {
            var c = filters.Country.Trim().ToUpperInvariant();
            q = q.Where(r => r.CountryIso3 == c);
        }
        // Months are YYYY-MM text: a year is its twelve months. A month is read with its whole year: disclosure control
        // decides on a country × sector of a year (a withheld cell answers for each of its months).
        var year = !string.IsNullOrWhiteSpace(filters.Year) ? filters.Year.Trim()
            : !string.IsNullOrWhiteSpace(filters.Month) ? ActivityDisclosure.Year(filters.Month.Trim()) : null;
        if (year is not null)
        {
            var months = Enumerable.Range(1, 12).Select(m => string.Create(CultureInfo.InvariantCulture, $"{year}-{m:00}")).ToList();
            q = q.Where(r => months.Contains(r.Month));
        }
        var references = await ActivityReferences.LoadAsync(db, ct);
        if (!string.IsNullOrWhiteSpace(filters.Sector))
        {
            // A sector is its indicators and its sub-sectors' (series are per indicator, so they stay whole for disclosure control).
            var sector = filters.Sector.Trim();
            var codes = references.Indicators.Where(i => ActivityFilters.InSector(i.SectorCode, sector)).Select(i => i.Code).ToList();
            q = q.Where(r => codes.Contains(r.IndicatorCode));
        }
        var counts = await CountsAsync(db, q, references, ct);
        var names = references.Names(lang);
        var hidden = await HiddenCells.LoadAsync(db, disclosure, audience, ct);
        return Ordered(ActivityDisclosure.Apply(counts, disclosure, audience, hidden)
                .Where(d => string.IsNullOrWhiteSpace(filters.Month) || ActivityDisclosure.Covers(d.Period, filters.Month)))
            .Select(names.Row).ToList();
    }

    /// <summary>
    /// The counts of the reports <paramref name="q"/> selects, with each indicator's sector. The reports are read straight
    /// into their counts (no intermediate list, the organisation's acronym from a dictionary rather than a join), and the
    /// codes, months and groups that repeat on every row are kept once: the public table holds every published row in
    /// memory, and a few thousand strings instead of millions is most of its size.
    /// </summary>
    internal static async Task<List<ActivityCounts>> CountsAsync(CloserDbContext db, IQueryable<ActivityReport> q, ActivityReferences references, CancellationToken ct)
    {
        var sectorOf = references.Indicators.ToDictionary(i => i.Code, i => i.SectorCode, StringComparer.Ordinal);
        var acronyms = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Acronym, ct);
        var pool = new HashSet<string>(StringComparer.Ordinal);
        string Pooled(string value)
        {
            if (pool.TryGetValue(value, out var kept))
            {
                return kept;
            }
            pool.Add(value);
            return value;
        }
        var counts = new List<ActivityCounts>();
        var reports = q.Select(r => new
        {
            r.OrganisationId, r.ImplementingPartner, r.CountryIso3, r.Admin1PCode, r.IndicatorCode, r.Month, r.PopulationGroup,
            r.Girls, r.Boys, r.Women, r.Men, r.Other, r.Total,
        });
        await foreach (var r in reports.AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!acronyms.TryGetValue(r.OrganisationId, out var org))
            {
                // A report whose organisation is gone is not published (as an inner join would leave it out).
                continue;
            }
            var indicator = Pooled(r.IndicatorCode);
            counts.Add(new ActivityCounts(r.OrganisationId, org, r.ImplementingPartner.Length == 0 ? null : Pooled(r.ImplementingPartner), Pooled(r.CountryIso3),
                Pooled(r.Admin1PCode), sectorOf.GetValueOrDefault(indicator, ""), indicator, Pooled(r.Month), Pooled(r.PopulationGroup),
                r.Girls, r.Boys, r.Women, r.Men, r.Other, r.Total));
        }
        return counts;
    }

    /// <summary>The published order: month, country, organisation, admin1, indicator, population group (none depends on the language).</summary>
    internal static IOrderedEnumerable<DisclosedActivity> Ordered(IEnumerable<DisclosedActivity> rows) =>
        rows.OrderBy(d => d.Period, StringComparer.Ordinal).ThenBy(d => d.Source.Country, StringComparer.Ordinal).ThenBy(d => d.Source.Org, StringComparer.Ordinal)
            .ThenBy(d => d.Admin1 ?? "", StringComparer.Ordinal).ThenBy(d => d.Source.Indicator, StringComparer.Ordinal).ThenBy(d => d.Source.Group, StringComparer.Ordinal);
}

/// <summary>The reference data the activities name their codes with: indicators (and their sectors), sectors, countries, admin1 areas, organisations.</summary>
public sealed class ActivityReferences
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ActivityNames> _names = new(StringComparer.Ordinal);

    public required IReadOnlyList<Indicator> Indicators { get; init; }
    public required IReadOnlyList<Sector> Sectors { get; init; }
    public required IReadOnlyList<Country> Countries { get; init; }
    public required IReadOnlyList<Admin1Area> Admin1Areas { get; init; }
    public required IReadOnlyDictionary<int, string> OrganisationNames { get; init; }

    public static async Task<ActivityReferences> LoadAsync(CloserDbContext db, CancellationToken ct) => new()
    {
        Indicators = await db.Indicators.AsNoTracking().ToListAsync(ct),
        Sectors = await db.Sectors.AsNoTracking().ToListAsync(ct),
        Countries = await db.Countries.AsNoTracking().ToListAsync(ct),
        Admin1Areas = await db.Admin1Areas.AsNoTracking().ToListAsync(ct),
        OrganisationNames = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Name, ct),
    };

    /// <summary>The names in <paramref name="lang"/> (built once per language).</summary>
    public ActivityNames Names(string lang) => _names.GetOrAdd(lang, l => new ActivityNames(
        OrganisationNames,
        Countries.ToDictionary(c => c.Iso3, c => c.Name(l), StringComparer.Ordinal),
        Admin1Areas.ToDictionary(a => a.PCode, a => a.LocalName(l), StringComparer.Ordinal),
        Sectors.ToDictionary(s => s.Code, s => s.Name(l), StringComparer.Ordinal),
        Indicators.ToDictionary(i => i.Code, i => i.Name(l), StringComparer.Ordinal)));
}

/// <summary>Codes to names in one language; <see cref="Row"/> writes a published row.</summary>
public sealed record ActivityNames(IReadOnlyDictionary<int, string> Organisations, IReadOnlyDictionary<string, string> Countries,
    IReadOnlyDictionary<string, string> Admin1Areas, IReadOnlyDictionary<string, string> Sectors, IReadOnlyDictionary<string, string> Indicators)
{
    public ActivityRow Row(DisclosedActivity d) => new(d.Source.Org, Organisations.GetValueOrDefault(d.Source.OrganisationId, d.Source.Org), d.Partner, d.Source.Country,
        Countries.GetValueOrDefault(d.Source.Country, d.Source.Country), d.Admin1, d.Admin1 is null ? null : Admin1Areas.GetValueOrDefault(d.Admin1, d.Admin1),
        d.Source.Sector, Sectors.GetValueOrDefault(d.Source.Sector, d.Source.Sector), d.Source.Indicator,
        Indicators.GetValueOrDefault(d.Source.Indicator, d.Source.Indicator), d.Period, d.Source.Group,
        d.Girls, d.Boys, d.Women, d.Men, d.Other, d.Total, d.Disclosure);
}

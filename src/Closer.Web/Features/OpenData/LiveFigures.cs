using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Closer.Web.Features.Coordination;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;

namespace Closer.Web.Features.OpenData;

/// <summary>A figure campaign content can quote by its token, with the date and source it is shown with.</summary>
public sealed record LiveFigure(string Token, string Label, long Value, string Date, string Source, bool IsAlias = false);

/// <summary>
/// Live figures for campaign content: tokens such as <c>{{figure:refugees-migrants:COL}}</c> or
/// <c>{{figure:reached:HEA:2025}}</c> (optionally <c>:COL</c> after the year) are replaced at render time by the current
/// value, formatted in the page's language, with its date and source as a small note. Values come from the population
/// figures and from validated reports only; they are cached and dropped when those datasets change.
/// An unknown token renders as a dash, never as an error.
/// </summary>
public sealed partial class LiveFigures(CloserDbContext db, HybridCache cache, Disclosure.DisclosureControl disclosure)
{
    public const string ReachedSource = "Validated 5W reports";

    private static readonly string[] PopulationKinds = ["refugees-migrants", "recognised-refugees", "asylum-seekers", "regular-stay"];

    /// <summary>Every figure a token can name today, by token (case-insensitive).</summary>
    public async Task<IReadOnlyDictionary<string, LiveFigure>> AllAsync(CancellationToken ct = default)
    {
        // Campaign text is public: the cached figures are the anonymous ones, after disclosure control (v2: v1 entries were not).
        var list = await cache.GetOrCreateAsync("opendata:live-figures:v2-public", async token => await LoadAsync(token),
            new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(30), LocalCacheExpiration = TimeSpan.FromMinutes(5) },
            [DataStamps.Tag(DataStamps.Figures), DataStamps.Tag(DataStamps.Reports), DataStamps.Tag(DataStamps.Plan)], ct);
        return list.DistinctBy(f => f.Token, StringComparer.OrdinalIgnoreCase).ToDictionary(f => f.Token, StringComparer.OrdinalIgnoreCase);
    }

    private async Task<List<LiveFigure>> LoadAsync(CancellationToken ct)
    {
        var result = new List<LiveFigure>();
        var figures = await db.PopulationFigures.AsNoTracking().ToListAsync(ct);
        foreach (var country in figures.GroupBy(f => f.CountryIso3).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var kind in PopulationKinds)
            {
                var latest = country.Select(f => (f.AsOf, f.Source, Value: kind switch
                {
                    "recognised-refugees" => f.RecognisedRefugees,
                    "asylum-seekers" => f.AsylumSeekers,
                    "regular-stay" => f.RegularStayPermits,
                    _ => (long?)f.RefugeesAndMigrants,
                }))
                    .Where(x => x.Value is not null).OrderByDescending(x => x.AsOf, StringComparer.Ordinal).FirstOrDefault();
                if (latest.Value is { } value)
                {
                    result.Add(new LiveFigure($"{{{{figure:{kind}:{country.Key}}}}}", $"{kind} {country.Key}", value, latest.AsOf, latest.Source));
                }
            }
        }

        // People reached: the dashboards' validated totals per year × country × sector (Features/Dashboards/README.md:
        // per series the highest month, summed; months never added up), so a campaign figure is the number /data shows.
        var sectors = await db.Sectors.AsNoTracking().ToListAsync(ct);
        var parents = sectors.ToDictionary(s => s.Code, s => s.ParentCode, StringComparer.Ordinal);
        // "{{figure:reached:health:2025}}" works as well as "{{figure:reached:HEA:2025}}".
        var aliases = sectors.ToDictionary(s => s.Code, s => Slugs.Slugify(s.NameEn), StringComparer.Ordinal);
        var totals = await db.ResponseTotals.AsNoTracking().Where(t => t.ReachedValidated > 0)
            .Select(t => new { t.Year, t.CountryIso3, t.SectorCode, t.ReachedValidated }).ToListAsync(ct);
        var lastMonths = (await db.ResponseMonths.AsNoTracking().Where(m => m.IsPeople && m.Status == ReportStatus.Validated)
                .GroupBy(m => new { m.Year, m.CountryIso3, m.SectorCode })
                .Select(g => new { g.Key.Year, g.Key.CountryIso3, g.Key.SectorCode, Last = g.Max(m => m.Month) }).ToListAsync(ct))
            .ToDictionary(m => (m.Year, m.CountryIso3, m.SectorCode), m => m.Last);
        // Disclosure control as on /data and the API: a hidden figure has no token (it renders as a dash, like an unknown one).
        // The one public decision (HiddenCells), made on the same table the dashboards decide on.
        var hidden = await Disclosure.HiddenCells.LoadAsync(db, disclosure, Disclosure.DisclosureAudience.Public, ct);
        var mains = totals.GroupBy(t => t.Year).ToDictionary(g => g.Key.ToString(CultureInfo.InvariantCulture),
            g => g.Select(t => parents.GetValueOrDefault(t.SectorCode)).OfType<string>().ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var keys = totals.Select(t => new
        {
            t.CountryIso3, Sector = t.SectorCode, Year = t.Year.ToString(CultureInfo.InvariantCulture), Reached = t.ReachedValidated,
            LastMonth = lastMonths.GetValueOrDefault((t.Year, t.CountryIso3, t.SectorCode)) ?? $"{t.Year}-12",
        }).ToList();
        var bySector = keys
            .SelectMany(k =>
            {
                var sector = k.Sector;
                var main = parents.GetValueOrDefault(sector);
                return main is null ? new[] { (Sector: sector, k) } : [(Sector: sector, k), (Sector: main, k)];
            })
            .SelectMany(x => new[] { (x.Sector, x.k.Year, Country: (string?)null, x.k), (x.Sector, x.k.Year, Country: (string?)x.k.CountryIso3, x.k) })
            .GroupBy(x => (x.Sector, x.Year, x.Country))
            .OrderBy(g => g.Key.Year, StringComparer.Ordinal).ThenBy(g => g.Key.Sector, StringComparer.Ordinal).ThenBy(g => g.Key.Country ?? "", StringComparer.Ordinal);
        foreach (var g in bySector)
        {
            var key = mains[g.Key.Year].Contains(g.Key.Sector)
                ? Disclosure.CountrySectorKeys.MainSector(g.Key.Country, g.Key.Sector)
                : Disclosure.CountrySectorKeys.Cell(g.Key.Country, g.Key.Sector);
            if (hidden.IsSuppressed(int.Parse(g.Key.Year, CultureInfo.InvariantCulture), key))
            {
                continue;
            }
            var token = g.Key.Country is null ? $"{{{{figure:reached:{g.Key.Sector}:{g.Key.Year}}}}}" : $"{{{{figure:reached:{g.Key.Sector}:{g.Key.Year}:{g.Key.Country}}}}}";
            var figure = new LiveFigure(token, $"reached {g.Key.Sector} {g.Key.Year}{(g.Key.Country is null ? "" : " " + g.Key.Country)}",
                g.Sum(x => x.k.Reached), g.Max(x => x.k.LastMonth)!, ReachedSource);
            result.Add(figure);
            result.Add(figure with { Token = token.Replace($":{g.Key.Sector}:", $":{aliases[g.Key.Sector]}:", StringComparison.Ordinal), IsAlias = true });
        }
        return result;
    }

    /// <summary>Replaces the tokens in sanitized HTML (the Markdown renderer's output) by the figures, with their notes.</summary>
    public async Task<string> ExpandHtmlAsync(string html, string language, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(html) || !html.Contains("{{figure:", StringComparison.OrdinalIgnoreCase))
        {
            return html;
        }
        var all = await AllAsync(ct);
        var culture = Languages.Culture(language);
        return Token().Replace(html, m =>
        {
            var token = WebUtility.HtmlDecode(m.Value);
            if (!all.TryGetValue(token.Trim(), out var f))
            {
                return "<span class=\"opendata-figure-missing\">—</span>";
            }
            return $"<strong class=\"opendata-figure\">{f.Value.ToString("N0", culture)}</strong> "
                + $"<small class=\"opendata-figure-note\">({WebUtility.HtmlEncode(f.Source)}, {WebUtility.HtmlEncode(FormatDate(f.Date, culture))})</small>";
        });
    }

    /// <summary>True when <paramref name="value"/> is exactly one figure token.</summary>
    public static bool IsToken(string? value) => value is not null && Token().Match(value) is { Success: true } m && m.Length == value.Length;

    /// <summary>Plain text (a summary) as HTML with its tokens replaced.</summary>
    public Task<string> TextToHtmlAsync(string? text, string language, CancellationToken ct = default) =>
        ExpandHtmlAsync(WebUtility.HtmlEncode(text ?? ""), language, ct);

    /// <summary>"2021-11" → "November 2021" in the page's language.</summary>
    public static string FormatDate(string month, CultureInfo culture) =>
        DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("MMMM yyyy", culture)
            : month;

    [GeneratedRegex(@"\{\{figure:[A-Za-z0-9:-]{1,60}\}\}", RegexOptions.IgnoreCase)]
    private static partial Regex Token();
}

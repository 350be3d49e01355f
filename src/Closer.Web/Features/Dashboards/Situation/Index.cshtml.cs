using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Dashboards.Situation;

/// <summary>One published report in the index: its scope, month and name in the reader's language.</summary>
public sealed record PublishedReport(string Scope, string Month, string Name, DateTimeOffset PublishedAt)
{
    public string MonthLabel => Months.Label(Month);
}

/// <summary>
/// The public index of published situation reports (<c>/{lang}/data/situation</c>): newest month first, the region before the
/// countries within a month, optionally one country or the region only (<c>?scope=</c>, a GET form: no script). Drafts never
/// appear. Output-cached for anonymous readers and evicted with every publication, like the reports.
/// </summary>
[AllowAnonymous]
[OutputCache(PolicyName = SituationFeature.CachePolicy, VaryByQueryKeys = ["scope"])]
public sealed class SituationIndexModel(CloserDbContext db, IStringLocalizer<Infrastructure.Localization.SharedResource> t) : Shared.PublicPageModel
{
    public IReadOnlyList<PublishedReport> Reports { get; private set; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Scopes { get; private set; } = [];
    /// <summary>The scope asked for and known (a plan country with a published report, or the region); null for all.</summary>
    public string? Scope { get; private set; }
    public bool UnknownScope { get; private set; }

    public async Task OnGetAsync(string? scope, CancellationToken ct)
    {
        var names = await Names.LoadAsync(db, Lang, ct);
        var rows = await db.SituationReports.AsNoTracking().Where(r => r.PublishedAt != null)
            .Select(r => new { r.Scope, r.Month, r.PublishedAt }).ToListAsync(ct);
        var region = t["The region"].Value;
        string Name(string code) => code == SituationScope.Region ? region : names.Countries.GetValueOrDefault(code.Trim()) ?? code.Trim();
        var all = rows.Select(r => new PublishedReport(r.Scope.Trim(), r.Month, Name(r.Scope), r.PublishedAt!.Value))
            .OrderByDescending(r => r.Month, StringComparer.Ordinal).ThenBy(r => r.Scope == SituationScope.Region ? 0 : 1)
            .ThenBy(r => r.Name, StringComparer.CurrentCulture).ToList();
        Scopes = all.Select(r => r.Scope).Distinct(StringComparer.Ordinal)
            .Select(s => KeyValuePair.Create(s, Name(s))).OrderBy(s => s.Key == SituationScope.Region ? 0 : 1).ThenBy(s => s.Value, StringComparer.CurrentCulture).ToList();
        if (!string.IsNullOrWhiteSpace(scope))
        {
            var asked = SituationScope.Parse(scope, "2000-01")?.Code;
            Scope = Scopes.Any(s => s.Key == asked) ? asked : null;
            UnknownScope = Scope is null;
        }
        Reports = Scope is null ? all : all.Where(r => r.Scope == Scope).ToList();
        var title = Scope is null ? t["Monthly situation reports"].Value : t["Monthly situation reports: {0}", Name(Scope)].Value;
        Describe(title, t["Every published monthly situation report of the plan's countries and the region, newest first, as a page and a PDF in four languages."]);
        Title = title;
    }

    public string Title { get; private set; } = "";
}

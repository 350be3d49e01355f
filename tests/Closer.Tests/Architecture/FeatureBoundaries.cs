namespace Closer.Tests.Architecture;

/// <summary>
/// The rules features meet by. A feature may use another feature only
/// - when the other is part of the foundation every feature stands on (countries, organisations, accounts, the outbox), or
/// - through one of the seams the other feature offers (listed below, by type or namespace), never its internals;
/// and outside the foundation no two features may depend on each other, directly or round a longer loop.
/// </summary>
public static class FeatureBoundaries
{
    /// <summary>Features every other may use: reference data, people, organisations, the e-mail outbox, the layout and public page base.</summary>
    public static readonly IReadOnlySet<string> Foundation = new HashSet<string>(StringComparer.Ordinal)
    {
        "Geography", "Organisations", "Accounts", "Notifications", "Shared",
    };

    /// <summary>
    /// What each feature offers the others. An entry ending in '.' is a namespace (its types, not its sub-namespaces');
    /// any other entry is one type (with its nested types).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Seams = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        // The coordination data itself (plan, reports, sectors, indicators) is read by dashboards, open data, funding
        // and subscriptions; of its rooms, others may use only: the audit log (every feature's changes are audited), the
        // import result shape (funding's import answers the same way), the report visibility rules (the partner
        // dashboard shows what ReportQueries lets a person see) and the plan's indicator shape (open data's plan tree).
        ["Coordination"] =
        [
            "Closer.Web.Features.Coordination.", "Closer.Web.Features.Coordination.Audit.AuditLog",
            "Closer.Web.Features.Coordination.Imports.ImportResult", "Closer.Web.Features.Coordination.Reports.ReportQueries",
            "Closer.Web.Features.Coordination.Plan.IndicatorDto",
        ],
        // The public page base and the content and pledge read services the home page shows.
        ["Campaign"] =
        [
            "Closer.Web.Features.Campaign.Public.CampaignPageModel",
            // Pages that show campaign cards (the home) read their pictures' sizes in one go.
            "Closer.Web.Features.Campaign.Public.PictureSizes",
            // The home's hero picture and cards are drawn by the campaign's picture partial.
            "Closer.Web.Features.Campaign.Public.PictureView",
            "Closer.Web.Features.Campaign.Content.ContentService", "Closer.Web.Features.Campaign.Content.ContentView",
            "Closer.Web.Features.Campaign.Content.ContentKind", "Closer.Web.Features.Campaign.Content.ContentItem",
            "Closer.Web.Features.Campaign.Pledges.PledgeService", "Closer.Web.Features.Campaign.Pledges.PledgeSummary",
            "Closer.Web.Features.Campaign.Pledges.Pledge",
            // Search's index follows every saved change of a language version (it reads them itself, with SQL).
            "Closer.Web.Features.Campaign.Content.ContentTranslation",
        ],
        // Live figures for campaign text, and the dataset stamps every writer's changes are recorded by.
        ["OpenData"] =
        [
            "Closer.Web.Features.OpenData.LiveFigures", "Closer.Web.Features.OpenData.LiveFigure",
            "Closer.Web.Features.OpenData.DataStamps", "Closer.Web.Features.OpenData.DataStamp",
        ],
        // The aggregate tables are a read model others may read.
        ["Dashboards"] =
        [
            "Closer.Web.Features.Dashboards.ResponseMonth", "Closer.Web.Features.Dashboards.ResponseYear",
            "Closer.Web.Features.Dashboards.ResponseTotal",
            // A country's map by admin1 area, shown on the campaign's country pages.
            "Closer.Web.Features.Dashboards.Maps.CountryMaps", "Closer.Web.Features.Dashboards.Maps.CountryMapView",
            "Closer.Web.Features.Dashboards.Maps.CountryMapSection",
            // The subscription digests announce a published situation report once, with the four PDFs it archived.
            "Closer.Web.Features.Dashboards.Situation.SituationReport", "Closer.Web.Features.Dashboards.Situation.SituationReportDocument",
        ],
        // Funding coverage against the plan, for the dashboards and the OData feed.
        ["Funding"] =
        [
            "Closer.Web.Features.Funding.FundingCoverage", "Closer.Web.Features.Funding.CoverageReport",
            "Closer.Web.Features.Funding.CoverageView", "Closer.Web.Features.Funding.CoverageLine",
        ],
        // Entities the subscription digests read.
        ["Forum"] = ["Closer.Web.Features.Forum."],
        ["Documents"] =
        [
            "Closer.Web.Features.Documents.Document", "Closer.Web.Features.Documents.DocumentTranslation",
            "Closer.Web.Features.Documents.DocumentType", "Closer.Web.Features.Documents.DocumentSectors",
            "Closer.Web.Features.Documents.DocumentVisibility", "Closer.Web.Features.Documents.DocumentService",
            "Closer.Web.Features.Documents.DocumentsFeature",
            // The situation reports are archived in the library as documents (their input shape).
            "Closer.Web.Features.Documents.DocumentInput", "Closer.Web.Features.Documents.DocumentText",
            // Search's index follows every uploaded file version.
            "Closer.Web.Features.Documents.DocumentVersion",
        ],
        ["Subscriptions"] = ["Closer.Web.Features.Subscriptions.SubscriptionSettings"],
    };

    /// <summary>
    /// Loops between features that exist today and are on the list to be cut; a new one fails the build's tests.
    /// Each is written "A <-> B" with the two names in ordinal order.
    /// </summary>
    public static readonly IReadOnlySet<string> KnownLoops = new HashSet<string>(StringComparer.Ordinal)
    {
        // The forum's own daily digest skips people whose subscription settings already bring followed spaces in their
        // digest, and the subscription digests read forum posts. Cut it by moving the forum digest into Subscriptions.
        "Forum <-> Subscriptions",
    };

    /// <summary>
    /// Platform seams hosted by a feature: every writer goes through them whatever its feature, so a use of them (or
    /// by them, to map entities to datasets) is not a dependency between features. Data stamps live in OpenData because
    /// their table does; moving the entity would rename it in both migration snapshots.
    /// </summary>
    public static readonly IReadOnlySet<string> PlatformSeams = new HashSet<string>(StringComparer.Ordinal)
    {
        "Closer.Web.Features.OpenData.DataStamps", "Closer.Web.Features.OpenData.DataStamp",
        "Closer.Web.Features.OpenData.DataStampInterceptor", "Closer.Web.Features.OpenData.DataStampPruner",
        // Disclosure control: every public output passes through it, whatever feature serves it (issue 21).
        "Closer.Web.Features.OpenData.Disclosure.DisclosureControl", "Closer.Web.Features.OpenData.Disclosure.DisclosureAudience",
        "Closer.Web.Features.OpenData.Disclosure.DisclosureResult", "Closer.Web.Features.OpenData.Disclosure.DisclosureCell",
        "Closer.Web.Features.OpenData.Disclosure.DisclosureGroup", "Closer.Web.Features.OpenData.Disclosure.DisclosureResponse",
        "Closer.Web.Features.OpenData.Disclosure.CountrySectorKeys", "Closer.Web.Features.OpenData.Disclosure.ActivityDisclosure",
        "Closer.Web.Features.OpenData.Disclosure.HiddenCells",
        // The one full-text index: a list with its own query box (the document library) ranks through it rather than scan
        // text itself (issue 22), while the index reads every feature's texts.
        "Closer.Web.Features.Search.SearchService", "Closer.Web.Features.Search.RankedSource", "Closer.Web.Features.Search.PassagePart",
    };

    public static bool IsSeam(string feature, string typeName)
    {
        if (!Seams.TryGetValue(feature, out var seams))
        {
            return false;
        }
        foreach (var seam in seams)
        {
            if (seam.EndsWith('.'))
            {
                if (typeName.StartsWith(seam, StringComparison.Ordinal) && !typeName[seam.Length..].Contains('.', StringComparison.Ordinal))
                {
                    return true;
                }
            }
            else if (typeName == seam || typeName.StartsWith(seam + "/", StringComparison.Ordinal) || typeName.StartsWith(seam + "`", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Every use that breaks the rules, as a sentence a developer can act on.</summary>
    public static IReadOnlyList<string> Violations(IEnumerable<FeatureDependencies.Use> uses)
    {
        var list = uses.ToList();
        var problems = new List<string>();
        foreach (var use in list.Where(u => !Foundation.Contains(u.ToFeature) && !IsSeam(u.ToFeature, u.ToType)
            && !PlatformSeams.Contains(u.ToType) && !PlatformSeams.Contains(u.FromType)))
        {
            problems.Add($"{use.FromType} ({use.FromFeature}) uses {use.ToType}, an internal of {use.ToFeature}: go through one of its seams or add one");
        }
        problems.AddRange(Loops(list).Where(l => !KnownLoops.Contains(l)).Select(l => $"features depend on each other: {l}"));
        return problems;
    }

    /// <summary>Pairs of non-foundation features that reach each other (directly or through others).</summary>
    public static IReadOnlyList<string> Loops(IEnumerable<FeatureDependencies.Use> uses)
    {
        var edges = uses.Where(u => !Foundation.Contains(u.FromFeature) && !Foundation.Contains(u.ToFeature))
            .Where(u => !PlatformSeams.Contains(u.FromType) && !PlatformSeams.Contains(u.ToType))
            .GroupBy(u => u.FromFeature, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(u => u.ToFeature).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        HashSet<string> Reach(string from)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var todo = new Stack<string>([from]);
            while (todo.TryPop(out var f))
            {
                foreach (var next in edges.GetValueOrDefault(f) ?? [])
                {
                    if (seen.Add(next))
                    {
                        todo.Push(next);
                    }
                }
            }
            return seen;
        }
        var reach = edges.Keys.ToDictionary(f => f, Reach, StringComparer.Ordinal);
        return reach.Keys
            .SelectMany(a => reach[a].Where(b => string.CompareOrdinal(a, b) < 0 && reach.TryGetValue(b, out var back) && back.Contains(a)).Select(b => $"{a} <-> {b}"))
            .Order(StringComparer.Ordinal).ToList();
    }
}

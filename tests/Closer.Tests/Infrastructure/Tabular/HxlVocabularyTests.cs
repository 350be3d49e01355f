using System.Reflection;
using System.Text.RegularExpressions;
using Closer.Web.Infrastructure.Tabular;

namespace Closer.Tests.Infrastructure.Tabular;

/// <summary>
/// The rules of the HXL 1.1 standard this test checks, written from the tagging conventions
/// (hxlstandard.org/standard/1-1final/tagging/) and the hashtag dictionary (hxlstandard.org/standard/1-1final/dictionary/):
/// 1. a hashtag is '#' and a name (a letter, then letters, digits or '_'); each attribute is '+' and a name of the same form;
///    Closer writes them in lower case without spaces;
/// 2. the hashtag is one of the dictionary's core hashtags;
/// 3. an attribute appears once; '+code' and '+name' are not both on one column;
/// 4. a core attribute is placed only on the hashtags the dictionary lists for it (e.g. '+f' on people counts, '+impl' on #org);
///    attributes outside the core are allowed by the standard, and Closer declares each of its own with its reason;
/// 5. hashtags whose every value must be a number (#affected, #inneed, #population, #reached, #targeted, #value) tag number
///    columns only — a text category under #population is the mistake this vocabulary fixed — and #date tags dates.
/// </summary>
public static class Hxl11Rules
{
    public static readonly IReadOnlySet<string> CoreHashtags = new HashSet<string>(StringComparer.Ordinal)
    {
        "access", "activity", "adm1", "adm2", "adm3", "adm4", "adm5", "affected", "beneficiary", "capacity", "cause", "channel", "contact",
        "country", "crisis", "currency", "date", "description", "event", "frequency", "geo", "group", "impact", "indicator", "inneed", "item",
        "loc", "meta", "modality", "need", "operations", "org", "output", "population", "reached", "region", "respondee", "sector", "service",
        "severity", "status", "subsector", "targeted", "value",
    };

    public static readonly IReadOnlySet<string> NumberHashtags = new HashSet<string>(StringComparer.Ordinal)
    {
        "affected", "inneed", "population", "reached", "targeted", "value",
    };

    private static readonly string[] People = ["affected", "inneed", "population", "reached", "targeted"];
    private static readonly string[] Places = ["adm1", "adm2", "adm3", "adm4", "adm5", "country", "loc", "region"];

    /// <summary>Core attributes and the hashtags the dictionary places them on.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> CoreAttributes = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["adolescents"] = People, ["adults"] = People, ["children"] = People, ["elderly"] = People, ["f"] = People, ["m"] = People, ["i"] = People,
        ["hh"] = People, ["ind"] = People, ["infants"] = People, ["displaced"] = People, ["idps"] = People, ["incamp"] = People,
        ["noncamp"] = People, ["refugees"] = People,
        ["abducted"] = ["affected", "inneed", "reached", "targeted"], ["infected"] = ["affected", "inneed", "reached", "targeted"],
        ["injured"] = ["affected", "inneed", "reached", "targeted"], ["killed"] = ["affected"],
        ["activity"] = ["activity"], ["programme"] = ["activity"], ["project"] = ["activity"], ["cluster"] = ["sector"],
        ["funder"] = ["org"], ["impl"] = ["org"], ["prog"] = ["org"], ["provided"] = ["item", "service"], ["used"] = ["item", "service"],
        ["code"] = ["activity", .. Places[..6], "beneficiary", "cause", "channel", "crisis", "currency", "event", "group", "impact", "indicator",
            "item", "loc", "modality", "need", "org", "output", "region", "sector", "service", "severity", "status", "subsector"],
        ["name"] = ["activity", .. Places[..6], "beneficiary", "cause", "channel", "contact", "crisis", "event", "group", "impact", "indicator",
            "item", "loc", "modality", "need", "org", "output", "region", "sector", "service", "severity", "status", "subsector"],
        ["type"] = ["access", "activity", "beneficiary", "capacity", "cause", "contact", "crisis", "description", "event", "frequency", "group",
            "impact", "indicator", "item", "loc", "need", "operations", "org", "output", "sector", "service", "severity", "subsector"],
        ["bounds"] = ["geo"], ["coord"] = ["geo"], ["elevation"] = ["geo"], ["lat"] = ["geo"], ["lon"] = ["geo"],
        ["dest"] = Places, ["origin"] = Places,
        ["approved"] = ["date"], ["canceled"] = ["date"], ["converted"] = ["date"], ["end"] = ["date"], ["occurred"] = ["date"],
        ["reported"] = ["date"], ["start"] = ["date"],
        ["email"] = ["contact"], ["phone"] = ["contact"], ["id"] = ["meta"], ["source"] = ["meta"],
        ["num"] = ["capacity", "indicator", "output"], ["text"] = ["indicator"],
        ["url"] = ["activity", "contact", "meta", "org", "service"],
    };

    private static readonly Regex Syntax = new(@"^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$", RegexOptions.CultureInvariant);

    /// <summary>What is wrong with a tag, or nothing.</summary>
    public static IEnumerable<string> Problems(string tag, HxlValue? value, IReadOnlyDictionary<string, string> custom, string customPrefix)
    {
        if (!Syntax.IsMatch(tag))
        {
            yield return $"{tag}: not '#name' followed by '+attribute's in lower case";
            yield break;
        }
        var parts = tag[1..].Split('+');
        var hashtag = parts[0];
        var attributes = parts[1..];
        if (!CoreHashtags.Contains(hashtag))
        {
            yield return $"{tag}: #{hashtag} is not a core hashtag of HXL 1.1";
        }
        if (attributes.Distinct(StringComparer.Ordinal).Count() != attributes.Length)
        {
            yield return $"{tag}: an attribute is repeated";
        }
        if (attributes.Contains("code") && attributes.Contains("name"))
        {
            yield return $"{tag}: +code and +name on one column";
        }
        foreach (var a in attributes)
        {
            if (CoreAttributes.TryGetValue(a, out var on))
            {
                if (!on.Contains(hashtag))
                {
                    yield return $"{tag}: +{a} belongs on {string.Join(' ', on.Select(h => "#" + h))}, not on #{hashtag}";
                }
            }
            else if (!custom.ContainsKey(a) && !a.StartsWith(customPrefix, StringComparison.Ordinal))
            {
                yield return $"{tag}: +{a} is neither a core attribute nor one Closer declares";
            }
        }
        if (value is { } v)
        {
            if (NumberHashtags.Contains(hashtag) && v != HxlValue.Number)
            {
                yield return $"{tag}: every value of #{hashtag} must be a number, this column holds {v}";
            }
            if (hashtag == "date" && v != HxlValue.Date)
            {
                yield return $"{tag}: #date holds dates, this column holds {v}";
            }
        }
    }
}

public sealed class HxlVocabularyTests
{
    private static List<string> Problems(string tag, HxlValue? value) =>
        Hxl11Rules.Problems(tag, value, Hxl.CustomAttributes, Hxl.ValueAttributePrefix).ToList();

    [Fact]
    public void EveryTermOfTheVocabulary_FollowsTheHxl11Dictionary()
    {
        var problems = Hxl.All.SelectMany(t => Problems(t.Tag, t.Value)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(Hxl.All.Count, Hxl.All.Select(t => Hxl.Key(t.Tag)).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("#population+type", HxlValue.Text)]
    [InlineData("#org+num", HxlValue.Number)]
    [InlineData("#org+f", HxlValue.Text)]
    [InlineData("#reached+children+children", HxlValue.Number)]
    [InlineData("#adm1+code+name", HxlValue.Text)]
    [InlineData("#sektor", HxlValue.Text)]
    [InlineData("#Org", HxlValue.Text)]
    [InlineData("#org+1x", HxlValue.Text)]
    [InlineData("#date+year", HxlValue.Text)]
    [InlineData("#org+made_up", HxlValue.Text)]
    public void TheRules_RefuseWhatTheDictionaryRefuses(string tag, HxlValue value) =>
        Assert.NotEmpty(Problems(tag, value));

    [Fact]
    public void EveryColumnClosersTablesDeclare_IsTaggedFromTheVocabulary()
    {
        static bool Holds(Type type) => type.IsAssignableTo(typeof(TabularColumn)) || type.IsAssignableTo(typeof(IEnumerable<TabularColumn>));
        const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var columns = typeof(Hxl).Assembly.GetTypes().Where(t => !t.ContainsGenericParameters)
            .SelectMany(t => t.GetFields(Static).Where(f => Holds(f.FieldType)).Select(f => SafeGet(() => f.GetValue(null)))
                .Concat(t.GetProperties(Static).Where(p => p.GetIndexParameters().Length == 0 && Holds(p.PropertyType)).Select(p => SafeGet(() => p.GetValue(null)))))
            .SelectMany(v => v switch { TabularColumn c => [c], IEnumerable<TabularColumn> e => e, _ => [] })
            .Distinct().ToList();
        Assert.True(columns.Count > 60, $"found {columns.Count} columns");
        var unknown = columns.Where(c => Hxl.Term(c.Hxl) is null).Select(c => $"{c.Key}: {c.Hxl}").ToList();
        Assert.True(unknown.Count == 0, "columns tagged outside the vocabulary:\n" + string.Join("\n", unknown));
        // The activities dataset and the 5W export tag the same columns alike.
        var activities = Closer.Web.Features.OpenData.ActivitiesDataset.Columns.ToDictionary(c => c.Key, c => c.Hxl, StringComparer.Ordinal);
        var reports = Closer.Web.Features.Coordination.Reports.ReportColumns.Export.ToDictionary(c => c.Key, c => c.Hxl, StringComparer.Ordinal);
        foreach (var (a, r) in new[] { ("org", "org"), ("implementingPartner", "partner"), ("country", "country"), ("admin1", "admin1"), ("sector", "sector"),
            ("indicator", "indicator"), ("month", "month"), ("populationGroup", "group"), ("girls", "girls"), ("boys", "boys"), ("women", "women"),
            ("men", "men"), ("other", "other"), ("total", "total"), ("orgName", "orgName"), ("countryName", "countryName"),
            ("admin1Name", "admin1Name"), ("sectorName", "sectorName"), ("indicatorName", "indicatorName") })
        {
            Assert.Equal(activities[a], reports[r]);
        }
    }

    [Fact]
    public void APivotsValueColumns_AreValidHxl() =>
        Assert.Empty(Problems("#reached+" + Closer.Web.Features.Dashboards.PartnerModel.HxlAttribute("2026-01"), HxlValue.Number));

    [Theory]
    [InlineData("#population+type", "#beneficiary+code")]
    [InlineData("#org", "#org+code")]
    [InlineData("#date+reported", "#date+month")]
    [InlineData("#sector", "#sector+code")]
    [InlineData("#org+funding", "#org+funder+name")]
    public void OlderTags_StillNameTheirColumnInImports(string older, string current)
    {
        var column = new TabularColumn("x", current, "X", "X", "X", "X");
        Assert.Same(column, HeaderMatcher.Match(older, [column]));
    }

    private static object? SafeGet(Func<object?> get)
    {
        try
        {
            return get();
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }
}

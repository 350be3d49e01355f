namespace Closer.Web.Infrastructure.Tabular;

/// <summary>What the cells under a hashtag hold (HXL 1.1 asks numbers under #reached, #targeted, #value…, dates under #date).</summary>
public enum HxlValue
{
    Text,
    Number,
    Date,
}

/// <summary>
/// One term of the vocabulary: the hashtag with its attributes, what its cells hold, what it means, and the older tags
/// Closer wrote or partners' files carry for the same column (imports still recognise them; nothing writes them).
/// </summary>
public sealed record HxlTerm(string Tag, HxlValue Value, string Meaning, params string[] Aliases);

/// <summary>
/// The one HXL vocabulary of every table Closer reads or writes (exports, API, imports, templates): a column names its
/// hashtag only through a term here, so the same column is tagged the same way everywhere. HXL 1.1 core hashtags and,
/// where the core dictionary allows them, core attributes; the few custom attributes are listed in
/// <see cref="CustomAttributes"/> with their reason. Documented as one table in Features/OpenData/README.md and checked
/// against the HXL 1.1 dictionary's rules in tests/…/Infrastructure/Tabular/HxlVocabularyTests.cs.
/// </summary>
public static class Hxl
{
    public static readonly HxlTerm CountryCode = new("#country+code", HxlValue.Text, "Country, ISO 3166-1 alpha-3 code");
    public static readonly HxlTerm CountryName = new("#country+name", HxlValue.Text, "Country name, in the asked language");
    public static readonly HxlTerm Adm1Code = new("#adm1+code", HxlValue.Text, "Admin1 area, P-code");
    public static readonly HxlTerm Adm1Name = new("#adm1+name", HxlValue.Text, "Admin1 area name, in the asked language");
    public static readonly HxlTerm OrgCode = new("#org+code", HxlValue.Text, "Reporting organisation, its acronym (Closer's code)", "#org", "#org+acronym");
    public static readonly HxlTerm OrgName = new("#org+name", HxlValue.Text, "Reporting organisation, full name");
    public static readonly HxlTerm OrgType = new("#org+type", HxlValue.Text, "Organisation type");
    public static readonly HxlTerm OrgImplementing = new("#org+impl", HxlValue.Text, "Implementing partner, as the reporting organisation wrote it");
    public static readonly HxlTerm OrgFunder = new("#org+funder+name", HxlValue.Text, "Donor", "#org+funding");
    public static readonly HxlTerm OrgFunderType = new("#org+funder+type", HxlValue.Text, "Donor type", "#org+funding+type");
    public static readonly HxlTerm OrgRecipient = new("#org+prog+code", HxlValue.Text, "Organisation receiving the funding (the programming partner)", "#org+recipient");
    public static readonly HxlTerm SectorCode = new("#sector+code", HxlValue.Text, "Sector or Protection sub-sector, code", "#sector");
    public static readonly HxlTerm SectorName = new("#sector+name", HxlValue.Text, "Sector or sub-sector name, in the asked language");
    public static readonly HxlTerm MainSectorCode = new("#sector+code+main", HxlValue.Text, "Main sector of a sub-sector, code");
    public static readonly HxlTerm SubsectorCode = new("#subsector+code", HxlValue.Text, "Sub-sector, code");
    public static readonly HxlTerm IndicatorCode = new("#indicator+code", HxlValue.Text, "Indicator, code");
    public static readonly HxlTerm IndicatorName = new("#indicator+name", HxlValue.Text, "Indicator name, in the asked language");
    public static readonly HxlTerm IndicatorUnit = new("#indicator+type", HxlValue.Text, "What the indicator counts: People, Items or Usd", "#indicator+unit");
    public static readonly HxlTerm PartnerCount = new("#indicator+num+partners", HxlValue.Number, "Number of partner organisations", "#org+num", "#org+count");
    public static readonly HxlTerm CoveragePct = new("#indicator+num+coverage+pct", HxlValue.Number, "Funding coverage, per cent", "#indicator+coverage+pct");
    public static readonly HxlTerm TargetedPct = new("#indicator+num+targeted+pct", HxlValue.Number, "People targeted of people in need, per cent");
    public static readonly HxlTerm ReachedPct = new("#indicator+num+reached+pct", HxlValue.Number, "People reached of people targeted, per cent");
    public static readonly HxlTerm PlanAsOf = new("#date+plan", HxlValue.Date, "Date the plan figures were last set (YYYY-MM-DD, or the plan year)");
    public static readonly HxlTerm FundingAsOf = new("#date+funding", HxlValue.Date, "Date of the latest contribution counted (YYYY-MM-DD)");
    public static readonly HxlTerm PopulationGroup = new("#beneficiary+code", HxlValue.Text, "Population group (in-destination, in-transit, pendular, returnees, host community), code", "#population+type");
    public static readonly HxlTerm Year = new("#date+year", HxlValue.Date, "Plan year (YYYY)");
    public static readonly HxlTerm Month = new("#date+month", HxlValue.Date, "Reporting month (YYYY-MM), or quarter (YYYY-Qn) where small counts were rolled up", "#date+reported");
    public static readonly HxlTerm Reported = new("#date+reported", HxlValue.Date, "Date a figure was published by its source (YYYY-MM)");
    public static readonly HxlTerm Date = new("#date", HxlValue.Date, "Date (YYYY-MM-DD)");
    public static readonly HxlTerm Reached = new("#reached", HxlValue.Number, "People reached (see the dashboards' definition)");
    public static readonly HxlTerm ReachedGirls = new("#reached+f+children", HxlValue.Number, "Girls reached");
    public static readonly HxlTerm ReachedBoys = new("#reached+m+children", HxlValue.Number, "Boys reached");
    public static readonly HxlTerm ReachedWomen = new("#reached+f+adults", HxlValue.Number, "Women reached");
    public static readonly HxlTerm ReachedMen = new("#reached+m+adults", HxlValue.Number, "Men reached");
    public static readonly HxlTerm ReachedOther = new("#reached+unknown", HxlValue.Number, "People reached whose sex or age is other or unknown");
    public static readonly HxlTerm ReachedTotal = new("#reached+total", HxlValue.Number, "People reached in the month, total");
    public static readonly HxlTerm ReachedToDate = new("#reached+todate", HxlValue.Number, "People reached to date, de-duplicated by the partner");
    public static readonly HxlTerm Targeted = new("#targeted", HxlValue.Number, "People targeted by the plan");
    public static readonly HxlTerm InNeed = new("#inneed", HxlValue.Number, "People in need");
    public static readonly HxlTerm RefugeesAndMigrants = new("#affected+refugees+migrants", HxlValue.Number, "Refugees and migrants from Venezuela hosted");
    public static readonly HxlTerm Refugees = new("#affected+refugees", HxlValue.Number, "Recognised refugees");
    public static readonly HxlTerm AsylumSeekers = new("#affected+asylum_seekers", HxlValue.Number, "Asylum seekers");
    public static readonly HxlTerm RegularStay = new("#affected+permits+regular", HxlValue.Number, "Residence permits and regular stay granted");
    public static readonly HxlTerm RequirementUsd = new("#value+requirement+usd", HxlValue.Number, "Financial requirement, US dollars");
    public static readonly HxlTerm FundingUsd = new("#value+funding+usd", HxlValue.Number, "Funding received, US dollars");
    public static readonly HxlTerm PaidUsd = new("#value+paid+usd", HxlValue.Number, "Funding paid, US dollars");
    public static readonly HxlTerm CommittedUsd = new("#value+committed+usd", HxlValue.Number, "Funding committed, US dollars");
    public static readonly HxlTerm PledgedUsd = new("#value+pledged+usd", HxlValue.Number, "Funding pledged, US dollars");
    public static readonly HxlTerm AmountUsd = new("#value+usd", HxlValue.Number, "Amount of a contribution, US dollars");
    public static readonly HxlTerm CashUsd = new("#value+cash+usd", HxlValue.Number, "Cash transferred, US dollars");
    public static readonly HxlTerm Cash = new("#modality+cash", HxlValue.Text, "Cash-based activity (yes/no)");
    public static readonly HxlTerm Status = new("#status", HxlValue.Text, "Status of a report or contribution");
    public static readonly HxlTerm Source = new("#meta+source", HxlValue.Text, "Source of the row");
    public static readonly HxlTerm Precision = new("#meta+precision", HxlValue.Text, "Whether a figure is exact, rounded or an estimate");
    public static readonly HxlTerm Id = new("#meta+id", HxlValue.Text, "Closer's identifier of the row");
    public static readonly HxlTerm Level = new("#meta+level", HxlValue.Text, "Level of a summary row (total, country, sector, cell)");
    public static readonly HxlTerm Count = new("#meta+count", HxlValue.Number, "Number of records summed in the row");
    public static readonly HxlTerm Disclosure = new("#meta+disclosure", HxlValue.Text,
        "Disclosure control applied to the row: suppressed, rolled-up-admin1 (empty when none)");

    /// <summary>Attributes that are not in the HXL 1.1 core dictionary (HXL lets a publisher add its own), and why each is needed.</summary>
    public static readonly IReadOnlyDictionary<string, string> CustomAttributes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["main"] = "the main sector a sub-sector belongs to",
        ["partners"] = "a count of partner organisations",
        ["coverage"] = "funding coverage",
        ["targeted"] = "the people targeted (as a share of people in need)",
        ["reached"] = "the people reached (as a share of people targeted)",
        ["plan"] = "the response plan's figures",
        ["pct"] = "a percentage",
        ["year"] = "a year (the core has no date granularity attributes)",
        ["month"] = "a month (the core has no date granularity attributes)",
        ["unknown"] = "sex or age other or unknown",
        ["total"] = "a total over the disaggregated columns",
        ["todate"] = "a cumulative, de-duplicated figure",
        ["migrants"] = "refugees and migrants together (the regional platform's population)",
        ["asylum_seekers"] = "asylum seekers",
        ["permits"] = "residence permits",
        ["regular"] = "regular stay",
        ["requirement"] = "a financial requirement",
        ["funding"] = "funding received",
        ["paid"] = "funding paid",
        ["committed"] = "funding committed",
        ["pledged"] = "funding pledged",
        ["usd"] = "US dollars",
        ["cash"] = "cash-based assistance",
        ["precision"] = "precision of a figure",
        ["level"] = "level of a summary row",
        ["count"] = "a count of records",
        ["disclosure"] = "statistical disclosure control applied",
    };

    /// <summary>Prefix of the generated attributes of a pivot's value columns (<c>#reached+v_2026_01</c>), as HXL suggests for values.</summary>
    public const string ValueAttributePrefix = "v_";

    public static IReadOnlyList<HxlTerm> All { get; } = typeof(Hxl).GetFields()
        .Where(f => f.FieldType == typeof(HxlTerm)).Select(f => (HxlTerm)f.GetValue(null)!).ToList();

    private static readonly Dictionary<string, HxlTerm> ByTag = All.ToDictionary(t => Key(t.Tag), StringComparer.Ordinal);

    /// <summary>The term a column's tag belongs to, or null when the tag is not in the vocabulary.</summary>
    public static HxlTerm? Term(string tag) => ByTag.GetValueOrDefault(Key(tag));

    /// <summary>Whether a tag found in a file names the column tagged <paramref name="columnTag"/>: the same tag, or one of its older spellings.</summary>
    public static bool Names(string fileTag, string columnTag)
    {
        var key = Key(fileTag);
        return key == Key(columnTag) || (Term(columnTag) is { } term && term.Aliases.Any(a => Key(a) == key));
    }

    /// <summary>A tag in a form fit for comparing: lower case, no spaces, attributes in order (HXL: order does not matter).</summary>
    public static string Key(string tag)
    {
        var parts = tag.Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Split('+');
        return parts[0] + string.Concat(parts.Skip(1).Order(StringComparer.Ordinal).Select(a => "+" + a));
    }
}

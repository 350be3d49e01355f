using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace Closer.Web.Features.OpenData.OData;

/// <summary>
/// One published cell of the 5W reports, aggregated as on the dashboards: validated reports of an organisation in a
/// country, indicator, month and population group, admin1 areas summed. The key is the aggregate table's own key order,
/// so server-driven paging walks its primary-key index instead of sorting (OData orders
/// composite keys by name unless [Column(Order)] says otherwise, and pages by the key order).
/// </summary>
public sealed class ReportCell
{
    [Key, Column(Order = 0)]
    public int Year { get; set; }
    [Key, Column(Order = 1)]
    public string Country { get; set; } = "";
    [Key, Column(Order = 2)]
    public string Indicator { get; set; } = "";
    /// <summary>YYYY-MM; YYYY for a series whose cells disclosure control withholds (one row for its year, <see cref="Suppressed"/>).</summary>
    [Key, Column(Order = 3)]
    public string Month { get; set; } = "";
    [Key, Column(Order = 4)]
    public string PopulationGroup { get; set; } = "";
    [Key, Column(Order = 5)]
    public int OrganisationId { get; set; }
    /// <summary>The organisation's acronym (Closer's code).</summary>
    public string Organisation { get; set; } = "";
    public string Sector { get; set; } = "";
    /// <summary>Whether the indicator counts people (items and USD are never added to people).</summary>
    public bool IsPeople { get; set; }
    /// <summary>Validated reports summed in the cell; null where disclosure control withholds the cell.</summary>
    public int? Reports { get; set; }
    public long? Girls { get; set; }
    public long? Boys { get; set; }
    public long? Women { get; set; }
    public long? Men { get; set; }
    public long? Other { get; set; }
    public long? Total { get; set; }
    /// <summary>The month's figure of the dashboards: Σ over admin1 of (reached to date ?? total).</summary>
    public long? Reached { get; set; }
    /// <summary>True when disclosure control withheld this cell's counts (they are then null).</summary>
    public bool Suppressed { get; set; }
    /// <summary>The organisation's full name.</summary>
    public string OrganisationName { get; set; } = "";
    /// <summary>Names in English (the feed's one language), next to the codes.</summary>
    public string CountryName { get; set; } = "";
    public string SectorName { get; set; } = "";
    public string IndicatorName { get; set; } = "";
}

/// <summary>A plan target: country × indicator × population group of a plan year.</summary>
public sealed class PlanTargetEntry
{
    [Key, Column(Order = 0)]
    public int Year { get; set; }
    [Key, Column(Order = 1)]
    public string Country { get; set; } = "";
    [Key, Column(Order = 2)]
    public string Indicator { get; set; } = "";
    [Key, Column(Order = 3)]
    public string PopulationGroup { get; set; } = "";
    public string Sector { get; set; } = "";
    public long Targeted { get; set; }
    public long InNeed { get; set; }
    public long RequirementUsd { get; set; }
    /// <summary>Names in English (the feed's one language), next to the codes.</summary>
    public string CountryName { get; set; } = "";
    public string SectorName { get; set; } = "";
    public string IndicatorName { get; set; } = "";
}

/// <summary>A population figure: refugees and migrants in a country at a month, with source and precision.</summary>
public sealed class PopulationFigureEntry
{
    [Key, Column(Order = 0)]
    public string Country { get; set; } = "";
    /// <summary>YYYY-MM.</summary>
    [Key, Column(Order = 1)]
    public string AsOf { get; set; } = "";
    public long RefugeesAndMigrants { get; set; }
    public long? RecognisedRefugees { get; set; }
    public long? AsylumSeekers { get; set; }
    public long? RegularStayPermits { get; set; }
    public string Precision { get; set; } = "";
    public string Source { get; set; } = "";
    /// <summary>The country's name in English (the feed's one language).</summary>
    public string CountryName { get; set; } = "";
}

/// <summary>
/// Funding against the plan's requirements of a year, at one level (total, country, sector, or country × sector cell).
/// <see cref="Id"/> is "year:level:country:sector" (empty parts for levels without them), as OData keys cannot be null.
/// </summary>
public sealed class FundingEntry
{
    public string Id { get; set; } = "";
    public int Year { get; set; }
    public string Level { get; set; } = "";
    public string? Country { get; set; }
    public string? Sector { get; set; }
    public string Label { get; set; } = "";
    public decimal RequirementUsd { get; set; }
    public decimal ReceivedUsd { get; set; }
    public decimal PaidUsd { get; set; }
    public decimal CommittedUsd { get; set; }
    public decimal PledgedUsd { get; set; }
    public decimal? CoveragePct { get; set; }
}

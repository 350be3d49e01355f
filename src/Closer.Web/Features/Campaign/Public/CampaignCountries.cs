namespace Closer.Web.Features.Campaign.Public;

/// <summary>A country the campaign runs in that is not one of the regional response plan's countries: no plan data.</summary>
public sealed record CampaignOnlyCountry(string Iso3, string NameEn, string NameEs, string NamePt, string NamePap)
{
    public string Name(string language) => language switch
    {
        "es" => NameEs,
        "pt" => NamePt,
        "pap" => NamePap,
        _ => NameEn,
    };
}

/// <summary>
/// The campaign runs in 25 countries: the 17 of the regional response plan (the <c>Countries</c> table, with figures,
/// reports and pledges) and the 8 below, where the campaign is shown but the plan has no data. The shared reference data
/// names only the 17; these 8 are the demo deployment's choice (neighbours of plan countries and Caribbean islands where
/// the campaign's languages, Papiamentu included, are spoken).
/// </summary>
public static class CampaignCountries
{
    public const int Total = 25;

    public static readonly IReadOnlyList<CampaignOnlyCountry> CampaignOnly =
    [
        new("BES", "Bonaire", "Bonaire", "Bonaire", "Boneiru"),
        new("SXM", "Sint Maarten", "Sint Maarten", "São Martinho", "Sint Maarten"),
        new("BRB", "Barbados", "Barbados", "Barbados", "Barbados"),
        new("JAM", "Jamaica", "Jamaica", "Jamaica", "Jamaika"),
        new("BLZ", "Belize", "Belice", "Belize", "Belize"),
        new("GTM", "Guatemala", "Guatemala", "Guatemala", "Guatemala"),
        new("HND", "Honduras", "Honduras", "Honduras", "Honduras"),
        new("SLV", "El Salvador", "El Salvador", "El Salvador", "El Salvador"),
    ];

    public static CampaignOnlyCountry? Find(string iso3) => CampaignOnly.FirstOrDefault(c => c.Iso3 == iso3);
}

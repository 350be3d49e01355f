using Closer.Web.Infrastructure.Tabular;
using Closer.Web.Infrastructure.Text;

namespace Closer.Web.Features.Funding;

/// <summary>The columns of the contributions spreadsheet (key, HXL, four headers, required).</summary>
public static class FundingColumns
{
    public static readonly TabularColumn Year = new("year", Hxl.Year.Tag, "Plan year", "Año del plan", "Ano do plano", "Aña di plan", true);
    public static readonly TabularColumn Donor = new("donor", Hxl.OrgFunder.Tag, "Donor", "Donante", "Doador", "Donante", true);
    public static readonly TabularColumn DonorType = new("donortype", Hxl.OrgFunderType.Tag, "Donor type", "Tipo de donante", "Tipo de doador", "Tipo di donante", false);
    public static readonly TabularColumn Recipient = new("recipient", Hxl.OrgRecipient.Tag, "Recipient organisation", "Organización receptora", "Organização beneficiária", "Organisashon risibidó", true);
    public static readonly TabularColumn Country = new("country", Hxl.CountryCode.Tag, "Country", "País", "País", "Pais", false);
    public static readonly TabularColumn Sector = new("sector", Hxl.SectorCode.Tag, "Sector", "Sector", "Setor", "Sektor", false);
    public static readonly TabularColumn Amount = new("amount", Hxl.AmountUsd.Tag, "Amount (USD)", "Monto (USD)", "Valor (USD)", "Suma (USD)", true);
    public static readonly TabularColumn Status = new("status", Hxl.Status.Tag, "Status", "Estado", "Situação", "Estado", true);
    public static readonly TabularColumn Date = new("date", Hxl.Date.Tag, "Date (YYYY-MM-DD)", "Fecha (AAAA-MM-DD)", "Data (AAAA-MM-DD)", "Fecha (AAAA-MM-DD)", true);
    public static readonly TabularColumn Reference = new("reference", Hxl.Source.Tag, "Source or reference", "Fuente o referencia", "Fonte ou referência", "Fuente òf referensia", false);

    /// <summary>The columns of the import template, in order.</summary>
    public static IReadOnlyList<TabularColumn> Import { get; } = [Year, Donor, DonorType, Recipient, Country, Sector, Amount, Status, Date, Reference];

    /// <summary>Status words accepted in any of the four languages.</summary>
    public static ContributionStatus? ParseStatus(string text) => SearchText.Fold(text.Trim()) switch
    {
        "pledged" or "pledge" or "prometido" or "promesa" or "promessa" or "priminti" or "promete" => ContributionStatus.Pledged,
        "committed" or "commitment" or "comprometido" or "compromiso" or "compromisso" or "kompromete" => ContributionStatus.Committed,
        "paid" or "pagado" or "pago" or "paga" or "disbursed" or "desembolsado" => ContributionStatus.Paid,
        _ => null,
    };
}

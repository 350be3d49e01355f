using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Organisations;

public sealed class ListModel(CloserDbContext db) : PageModel
{
    public List<Organisation> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Items = await db.Organisations.AsNoTracking().OrderBy(o => o.Acronym).ToListAsync(ct);
}

public static class OrganisationTypes
{
    /// <summary>The English label (a UI-string key) of an organisation type.</summary>
    public static string Label(OrganisationType type) => type switch
    {
        OrganisationType.UnAgency => "UN agency",
        OrganisationType.InternationalNgo => "International NGO",
        OrganisationType.NationalNgo => "National NGO",
        OrganisationType.RedCross => "Red Cross / Red Crescent",
        OrganisationType.FaithBased => "Faith-based organisation",
        OrganisationType.Academia => "Academia",
        OrganisationType.RefugeeMigrantLed => "Refugee- or migrant-led organisation",
        _ => type.ToString(),
    };
}

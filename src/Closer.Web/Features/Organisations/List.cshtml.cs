using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Organisations;

public sealed class ListModel(CloserDbContext db) : PageModel
{
    public List<Organisation> Items { get; private set; } = [];
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Country { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public OrganisationType? Type { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var q = db.Organisations.AsNoTracking().Include(o => o.Countries).AsQueryable();
        if (!string.IsNullOrWhiteSpace(Country))
        {
            var c = Country.Trim().ToUpperInvariant();
            q = q.Where(o => o.Countries.Any(x => x.CountryIso3 == c));
        }
        if (Type is { } type)
        {
            q = q.Where(o => o.Type == type);
        }
        Items = await q.OrderBy(o => o.Acronym).ToListAsync(ct);
    }
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

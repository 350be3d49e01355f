using Closer.Web.Features.Geography;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination.Countries;

public sealed record CountryLine(Country Country, PopulationFigure? Latest, int Admin1, int Organisations);

/// <summary>The 17 countries with their latest population figure.</summary>
public sealed class CountriesModel(CloserDbContext db) : PageModel
{
    public List<CountryLine> Lines { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var figures = (await db.PopulationFigures.AsNoTracking().ToListAsync(ct)).GroupBy(f => f.CountryIso3)
            .ToDictionary(g => g.Key, g => g.MaxBy(f => f.AsOf, StringComparer.Ordinal), StringComparer.Ordinal);
        var admin1 = await db.Admin1Areas.AsNoTracking().GroupBy(a => a.CountryIso3).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        var orgs = await db.OrganisationCountries.AsNoTracking().GroupBy(a => a.CountryIso3).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        Lines = (await db.Countries.AsNoTracking().ToListAsync(ct)).OrderBy(c => c.Platform).ThenBy(c => c.Iso3, StringComparer.Ordinal)
            .Select(c => new CountryLine(c, figures.GetValueOrDefault(c.Iso3), admin1.GetValueOrDefault(c.Iso3), orgs.GetValueOrDefault(c.Iso3))).ToList();
    }
}

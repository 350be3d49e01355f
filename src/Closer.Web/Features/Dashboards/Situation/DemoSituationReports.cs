using Closer.Web.Features.Accounts;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Dashboards.Situation;

/// <summary>
/// The demo's published situation reports: the region's and Colombia's for the latest month with validated reports, with the coordinators'
/// highlights in four languages (marked as demo text), published as a coordinator would (the PDFs archived in the library),
/// so a visitor finds reports on <c>/{lang}/data/situation</c>. Runs after the aggregates are built. Nothing is announced:
/// the demo's followers would be mailed again at every new demo database, and a mail's signed links would need the data
/// protection key ring, which is written on its own connection while the seeding holds SQLite's write lock.
/// </summary>
internal sealed class DemoSituationReports(SituationPublisher publisher, TimeProvider time) : IDemoSeeder
{
    public int Order => 95;

    private static readonly Dictionary<string, Dictionary<string, string>> Highlights = new(StringComparer.Ordinal)
    {
        [SituationScope.Region] = new(StringComparer.Ordinal)
        {
            ["en"] = "Demo text. Partners in the region kept their monthly reporting on time: most validated reports arrived before the 10th.\n\n"
                + "Health and protection remain the sectors with the widest gap between people targeted and people reached. Funding received is still well below the plan's requirement.",
            ["es"] = "Texto de demostración. Los socios de la región mantuvieron sus informes mensuales al día: la mayoría de los informes validados llegaron antes del día 10.\n\n"
                + "Salud y protección siguen siendo los sectores con la mayor brecha entre personas meta y personas alcanzadas. Los fondos recibidos siguen muy por debajo de lo que requiere el plan.",
            ["pt"] = "Texto de demonstração. Os parceiros da região mantiveram seus relatórios mensais em dia: a maioria dos relatórios validados chegou antes do dia 10.\n\n"
                + "Saúde e proteção continuam sendo os setores com a maior lacuna entre pessoas-alvo e pessoas alcançadas. O financiamento recebido ainda está muito abaixo do que o plano requer.",
            ["pap"] = "Teksto di demostrashon. E sosionan den e region a tene nan informenan mensual na dia: mayoria di e informenan validá a yega promé cu dia 10.\n\n"
                + "Salú i proteccion ta keda e sektornan cu e brecha mas grandi entre hende na meta i hende alcansá. E fondonan risibí ta keda hopi bou di loke e plan ta rekerí.",
        },
        ["COL"] = new(StringComparer.Ordinal)
        {
            ["en"] = "Demo text. Partners in the border departments reported more people reached with health care and legal orientation than in the previous month.\n\n"
                + "Shelter capacity in the north-east remained under pressure; the coordination meeting agreed to keep one shared map of services.",
            ["es"] = "Texto de demostración. Los socios en los departamentos fronterizos informaron más personas alcanzadas con atención en salud y orientación jurídica que el mes anterior.\n\n"
                + "La capacidad de alojamiento en el nororiente siguió bajo presión; la reunión de coordinación acordó mantener un solo mapa de servicios compartido.",
            ["pt"] = "Texto de demonstração. Os parceiros nos departamentos de fronteira relataram mais pessoas alcançadas com atendimento de saúde e orientação jurídica do que no mês anterior.\n\n"
                + "A capacidade de abrigo no nordeste continuou sob pressão; a reunião de coordenação acordou manter um único mapa de serviços compartilhado.",
            ["pap"] = "Teksto di demostrashon. E sosionan den e departamentonan di frontera a reportá mas hende alcansá cu atencion di salú i orientacion legal cu e luna anterior.\n\n"
                + "E capacidad di albergue den nortost a keda bou di preshon; e reunion di coordinacion a palabrá di tene un solo mapa di servisio compartí.",
        },
    };

    public async Task SeedAsync(CloserDbContext db, CancellationToken cancellationToken)
    {
        // The latest month with validated reports before this one (the current month's reports are still coming in).
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var thisMonth = today.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var months = await db.ActivityReports.Where(r => r.Status == Coordination.ReportStatus.Validated && r.DeletedAt == null)
            .Select(r => r.Month).Distinct().ToListAsync(cancellationToken);
        var month = months.Where(m => string.CompareOrdinal(m, thisMonth) < 0).Max(StringComparer.Ordinal);
        if (month is null)
        {
            return;
        }
        // Published as the platform's administrators would (no person: the audit log shows the demo seeding).
        var admin = new Actor(null, "demo seeding", new ScopeUser(new HashSet<string>(StringComparer.Ordinal) { Roles.PlatformAdmin }, null,
            new HashSet<string>(StringComparer.Ordinal)));
        foreach (var (code, texts) in Highlights)
        {
            var scope = new SituationScope(code, month);
            var saved = await publisher.SaveHighlightsAsync(scope, texts.ToDictionary(t => t.Key, t => (string?)t.Value, StringComparer.Ordinal), admin, cancellationToken);
            if (saved.Error is NotFoundError)
            {
                // No plan for that month's year (a demo started in January before the year's plan): nothing to publish.
                continue;
            }
            if (saved.Error is { } error)
            {
                throw new InvalidOperationException($"Demo situation report {code} {month}: {error.Code}");
            }
            var published = await publisher.PublishAsync(scope, admin, announce: false, cancellationToken);
            if (published.Error is { } failed)
            {
                throw new InvalidOperationException($"Demo situation report {code} {month}: {failed.Code}");
            }
        }
    }
}

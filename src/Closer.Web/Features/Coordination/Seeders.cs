using System.Globalization;
using Closer.Web.Features.Coordination.Plan;
using Closer.Web.Features.Geography;
using Closer.Web.Features.Organisations;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Features.Coordination;

/// <summary>
/// Coordination reference data: admin1 areas with their P-codes, the population figures and the 2020 plan from
/// shared/data (embedded), the sectors and indicators, and plan years with reporting periods. Runs with the demo seeders.
/// </summary>
internal sealed class CoordinationReferenceSeeder(TimeProvider time) : IDemoSeeder
{
    public int Order => 5;

    internal static readonly (string Code, string? Parent, string En, string Es, string Pt, string Pap)[] SectorList =
    [
        ("EDU", null, "Education", "Educación", "Educação", "Edukashon"),
        ("FSC", null, "Food Security", "Seguridad alimentaria", "Segurança alimentar", "Seguridat di kuminda"),
        ("HEA", null, "Health", "Salud", "Saúde", "Salú"),
        ("HTR", null, "Humanitarian Transportation", "Transporte humanitario", "Transporte humanitário", "Transporte humanitario"),
        ("INT", null, "Integration", "Integración", "Integração", "Integrashon"),
        ("NUT", null, "Nutrition", "Nutrición", "Nutrição", "Nutrishon"),
        ("PRO", null, "Protection", "Protección", "Proteção", "Protekshon"),
        ("PRO-CP", "PRO", "Child Protection", "Protección de la infancia", "Proteção da criança", "Protekshon di mucha"),
        ("PRO-GBV", "PRO", "Gender-Based Violence", "Violencia basada en género", "Violência baseada em gênero", "Violensia basá riba género"),
        ("PRO-HTS", "PRO", "Human Trafficking and Smuggling", "Trata y tráfico de personas", "Tráfico de pessoas e contrabando de migrantes", "Trata i tráfiko di hende"),
        ("SHE", null, "Shelter", "Alojamiento", "Abrigo", "Fugiu"),
        ("NFI", null, "Non-Food Items", "Artículos no alimentarios", "Itens não alimentares", "Artíkulo ku no ta kuminda"),
        ("WSH", null, "WASH", "Agua, saneamiento e higiene", "Água, saneamento e higiene", "Awa, saneamentu i higiena"),
        ("MPC", null, "Multipurpose Cash", "Transferencias monetarias multipropósito", "Transferências monetárias multipropósito", "Plaka kèsh multiuso"),
        ("SUP", null, "Support Services", "Servicios de apoyo", "Serviços de apoio", "Servisio di apoyo"),
    ];

    internal static readonly (string Code, string Sector, IndicatorUnit Unit, string En, string Es, string Pt, string Pap)[] IndicatorList =
    [
        ("EDU-01", "EDU", IndicatorUnit.People, "Children and adolescents enrolled in formal education", "Niñas, niños y adolescentes matriculados en educación formal", "Crianças e adolescentes matriculados na educação formal", "Mucha i hóben inskribí den edukashon formal"),
        ("EDU-02", "EDU", IndicatorUnit.Items, "Learning kits distributed", "Kits escolares entregados", "Kits escolares distribuídos", "Paketenan di skol partí"),
        ("FSC-01", "FSC", IndicatorUnit.People, "People receiving food assistance", "Personas que reciben asistencia alimentaria", "Pessoas que recebem assistência alimentar", "Hende ku ta risibí asistensia di kuminda"),
        ("HEA-01", "HEA", IndicatorUnit.People, "Primary health care consultations", "Consultas de atención primaria en salud", "Consultas de atenção primária à saúde", "Konsulta di kuido primario di salú"),
        ("HEA-02", "HEA", IndicatorUnit.People, "People vaccinated", "Personas vacunadas", "Pessoas vacinadas", "Hende vakuná"),
        ("HTR-01", "HTR", IndicatorUnit.People, "People supported with humanitarian transportation", "Personas apoyadas con transporte humanitario", "Pessoas apoiadas com transporte humanitário", "Hende yudá ku transporte humanitario"),
        ("INT-01", "INT", IndicatorUnit.People, "People supported with jobs or livelihoods", "Personas apoyadas con empleo o medios de vida", "Pessoas apoiadas com emprego ou meios de vida", "Hende yudá ku trabou òf medio di bida"),
        ("NUT-01", "NUT", IndicatorUnit.People, "Children under five screened for malnutrition", "Niñas y niños menores de cinco años evaluados por desnutrición", "Crianças menores de cinco anos triadas para desnutrição", "Mucha bou di sinku aña evaluá pa malnutrishon"),
        ("PRO-01", "PRO", IndicatorUnit.People, "People receiving protection orientation or legal assistance", "Personas que reciben orientación de protección o asistencia legal", "Pessoas que recebem orientação de proteção ou assistência jurídica", "Hende ku ta risibí orientashon di protekshon òf yudansa legal"),
        ("PRO-CP-01", "PRO-CP", IndicatorUnit.People, "Children receiving child protection case management", "Niñas y niños atendidos con gestión de casos de protección", "Crianças atendidas com gestão de casos de proteção", "Mucha atendí ku manehamentu di kaso di protekshon"),
        ("PRO-GBV-01", "PRO-GBV", IndicatorUnit.People, "Survivors of gender-based violence receiving specialised services", "Sobrevivientes de violencia basada en género que reciben servicios especializados", "Sobreviventes de violência baseada em gênero que recebem serviços especializados", "Sobrebibientenan di violensia basá riba género ku ta risibí servisio spesialisá"),
        ("PRO-HTS-01", "PRO-HTS", IndicatorUnit.People, "People reached by trafficking prevention activities", "Personas alcanzadas por actividades de prevención de la trata", "Pessoas alcançadas por atividades de prevenção ao tráfico", "Hende alkansá pa aktividat di prevenshon di trata"),
        ("SHE-01", "SHE", IndicatorUnit.People, "People in collective or temporary shelters", "Personas en alojamientos colectivos o temporales", "Pessoas em abrigos coletivos ou temporários", "Hende den fugiu kolektivo òf temporal"),
        ("NFI-01", "NFI", IndicatorUnit.Items, "Non-food item kits distributed", "Kits de artículos no alimentarios entregados", "Kits de itens não alimentares distribuídos", "Paketenan di artíkulo ku no ta kuminda partí"),
        ("WSH-01", "WSH", IndicatorUnit.People, "People with access to safe water", "Personas con acceso a agua segura", "Pessoas com acesso a água segura", "Hende ku akseso na awa sigur"),
        ("MPC-01", "MPC", IndicatorUnit.People, "People receiving multipurpose cash", "Personas que reciben transferencias multipropósito", "Pessoas que recebem transferências multipropósito", "Hende ku ta risibí plaka kèsh multiuso"),
        ("MPC-02", "MPC", IndicatorUnit.Usd, "Multipurpose cash transferred (USD)", "Monto de transferencias multipropósito (USD)", "Valor das transferências multipropósito (USD)", "Suma di plaka kèsh multiuso transferí (USD)"),
        ("SUP-01", "SUP", IndicatorUnit.People, "Partner staff trained in coordination and information management", "Personal de socios capacitado en coordinación y gestión de información", "Equipe de parceiros capacitada em coordenação e gestão de informação", "Personal di sosionan trein den koordinashon i manehamentu di informashon"),
    ];

    public async Task SeedAsync(CloserDbContext db, CancellationToken ct)
    {
        foreach (var row in EmbeddedCsv.Read("admin1.csv"))
        {
            db.Admin1Areas.Add(new Admin1Area
            {
                PCode = row["pcode"], CountryIso3 = row["iso3"], Name = row["name"],
                NameEn = Blank(row["name_en"]), NameEs = Blank(row["name_es"]), NamePt = Blank(row["name_pt"]), NamePap = Blank(row["name_pap"]),
            });
        }
        foreach (var row in EmbeddedCsv.Read("population-figures.csv"))
        {
            db.PopulationFigures.Add(new PopulationFigure
            {
                CountryIso3 = row["iso3"], AsOf = row["as_of"],
                RefugeesAndMigrants = long.Parse(row["refugees_and_migrants"], CultureInfo.InvariantCulture),
                Source = row["source"], Precision = row["precision"],
            });
        }
        var order = 0;
        foreach (var s in SectorList.OrderBy(s => s.Parent is null ? 0 : 1))
        {
            db.Sectors.Add(new Sector { Code = s.Code, ParentCode = s.Parent, NameEn = s.En, NameEs = s.Es, NamePt = s.Pt, NamePap = s.Pap, SortOrder = Array.IndexOf(SectorList, s) });
            order++;
        }
        await db.SaveChangesAsync(ct);
        foreach (var i in IndicatorList)
        {
            db.Indicators.Add(new Indicator { Code = i.Code, SectorCode = i.Sector, Unit = i.Unit, NameEn = i.En, NameEs = i.Es, NamePt = i.Pt, NamePap = i.Pap });
        }

        // The 2020 regional plan, from shared/data/plan-2020-sectors.csv (per-sector figures approximate).
        db.ResponsePlans.Add(new ResponsePlan
        {
            Year = 2020, RequirementUsd = 1_350_000_000, Partners = 137, Source = "RMRP 2020 (shared/data/plan-2020-sectors.csv)",
        });
        var byName = SectorList.ToDictionary(s => s.En, s => s.Code, StringComparer.Ordinal);
        foreach (var row in EmbeddedCsv.Read("plan-2020-sectors.csv"))
        {
            db.SectorPlans.Add(new SectorPlan
            {
                Year = 2020, SectorCode = byName[row["sector"]], PeopleInNeed = Long(row["people_in_need"]), PeopleTargeted = Long(row["people_targeted"]),
                RequirementUsd = Long(row["requirement_usd"]), Partners = (int)Long(row["partners"]),
            });
        }
        var year = time.GetUtcNow().Year;
        foreach (var y in new[] { year - 1, year })
        {
            db.ResponsePlans.Add(new ResponsePlan { Year = y, Source = "Demo plan: targets derived from RMRP 2020 sector ratios × R4V Jul 2024 population, not official figures" });
        }
        foreach (var y in new[] { 2020, year - 1, year })
        {
            for (var m = 1; m <= 12; m++)
            {
                var first = new DateOnly(y, m, 1);
                db.ReportingPeriods.Add(new ReportingPeriod { Month = first.ToString("yyyy-MM", CultureInfo.InvariantCulture), Year = y, Deadline = first.AddMonths(1).AddDays(9) });
            }
        }
        await db.SaveChangesAsync(ct);

        // Demo targets for the current plan year: every country of the plan × every indicator × three population groups,
        // sized by DemoTargets from the 2020 plan's sector ratios and the country's latest population figure.
        // Each country's latest figure (Jul 2024; Curaçao's latest is Nov 2021).
        var figures = (await db.PopulationFigures.AsNoTracking().ToListAsync(ct)).GroupBy(f => f.CountryIso3, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(f => f.AsOf, StringComparer.Ordinal)!.RefugeesAndMigrants, StringComparer.Ordinal);
        var sectors = EmbeddedCsv.Read("plan-2020-sectors.csv").ToDictionary(r => byName[r["sector"]], r => (Long(r["people_in_need"]), Long(r["people_targeted"]), Long(r["requirement_usd"])), StringComparer.Ordinal);
        var now = time.GetUtcNow();
        long total = 0;
        foreach (var country in EmbeddedCsv.Read("countries.csv").Select(r => r["iso3"]))
        {
            foreach (var t in DemoTargets.For(country, figures.GetValueOrDefault(country, 10_000), sectors))
            {
                t.Year = year;
                t.SetAt = now;
                total += t.RequirementUsd;
                db.PlanTargets.Add(t);
            }
        }
        await db.SaveChangesAsync(ct);
        var plan = await db.ResponsePlans.FirstAsync(p => p.Year == year, ct);
        plan.RequirementUsd = total;
        // The demo plan's sector lines add up its targets (people-unit indicators only for people).
        var sectorOf = IndicatorList.ToDictionary(i => i.Code, i => (i.Sector, i.Unit), StringComparer.Ordinal);
        foreach (var g in db.PlanTargets.Local.Where(t => t.Year == year).GroupBy(t => sectorOf[t.IndicatorCode].Sector))
        {
            var people = g.Where(t => sectorOf[t.IndicatorCode].Unit == IndicatorUnit.People).ToList();
            db.SectorPlans.Add(new SectorPlan
            {
                Year = year, SectorCode = g.Key, PeopleInNeed = people.Sum(t => t.PeopleInNeed), PeopleTargeted = people.Sum(t => t.Target),
                RequirementUsd = g.Sum(t => t.RequirementUsd),
            });
        }
        await db.SaveChangesAsync(ct);
    }

    private static long Long(string s) => string.IsNullOrWhiteSpace(s) ? 0 : long.Parse(s, CultureInfo.InvariantCulture);

    private static string? Blank(string s) => string.IsNullOrWhiteSpace(s) ? null : s;
}

/// <summary>Demo coordination data: organisations' countries of operation and a year of monthly 5W reports at mixed statuses.</summary>
internal sealed class DemoCoordination(TimeProvider time) : IDemoSeeder
{
    public int Order => 20;

    internal static readonly Dictionary<string, string[]> CountriesOfOperation = new(StringComparer.Ordinal)
    {
        ["AREF"] = ["COL", "PER", "ECU", "BRA", "CHL", "ARG", "PAN", "MEX", "CRI", "DOM", "TTO", "GUY", "ABW", "CUW", "URY", "PRY", "BOL"],
        ["OIMR"] = ["COL", "PER", "ECU", "BRA", "CHL", "ARG", "PAN", "MEX", "DOM", "TTO", "GUY", "BOL"],
        ["FINF"] = ["COL", "PER", "ECU", "BRA", "GUY", "TTO"],
        ["PAL"] = ["COL", "ECU", "PER"],
        ["OSAL"] = ["COL", "PER", "ECU", "BRA", "CHL"],
        ["CAMINO"] = ["COL", "ECU", "PER", "CHL"],
        ["REFH"] = ["COL", "BRA", "TTO", "ABW", "CUW"],
        ["NINEZ"] = ["COL", "PER", "ECU"],
        ["AGUA"] = ["COL", "BRA"],
        ["TECHO"] = ["COL", "PER", "CHL"],
        ["EDUC"] = ["COL", "ECU", "PER"],
        ["CASH"] = ["COL", "ECU", "PER", "BRA"],
        ["PROT"] = ["COL", "PER", "ECU", "CHL", "MEX", "PAN"],
        ["FPUENTE"] = ["COL"],
        ["ACOGIDA"] = ["PER", "ECU"],
        ["MANOS"] = ["CHL", "ARG", "URY", "PRY"],
        ["CAMPO"] = ["COL"],
        ["ABRIGO"] = ["BRA"],
        ["LAZOS"] = ["COL", "ECU"],
        ["SERENA"] = ["CHL"],
        ["ISTMO"] = ["PAN", "CRI"],
        ["KARIBE"] = ["CUW", "ABW"],
        ["CRCOL"] = ["COL"],
        ["CRPER"] = ["PER"],
        ["CVBRA"] = ["BRA"],
        ["PASTOR"] = ["COL", "ECU", "PER"],
        ["SJMIG"] = ["COL", "ECU", "PER", "BRA"],
        ["ADVEN"] = ["COL", "PER", "BRA", "BOL", "PRY"],
        ["UNIMIG"] = ["CHL", "ARG"],
        ["VENUNI"] = ["PER"],
        ["JUNTOS"] = ["COL"],
        ["MUJERES"] = ["COL", "PER", "ECU"],
    };

    public async Task SeedAsync(CloserDbContext db, CancellationToken ct)
    {
        var orgs = await db.Organisations.ToListAsync(ct);
        foreach (var org in orgs)
        {
            foreach (var iso3 in CountriesOfOperation.GetValueOrDefault(org.Acronym, []))
            {
                db.OrganisationCountries.Add(new OrganisationCountry { OrganisationId = org.Id, CountryIso3 = iso3 });
            }
            org.Website ??= $"https://{org.Acronym.ToLowerInvariant()}.example.org";
        }
        await db.SaveChangesAsync(ct);

        var admin1 = (await db.Admin1Areas.AsNoTracking().OrderBy(a => a.PCode).ToListAsync(ct))
            .GroupBy(a => a.CountryIso3).ToDictionary(g => g.Key, g => g.Select(a => a.PCode).ToList(), StringComparer.Ordinal);
        var indicators = CoordinationReferenceSeeder.IndicatorList;
        var now = time.GetUtcNow();
        var thisMonth = new DateOnly(now.Year, now.Month, 1);
        var months = Enumerable.Range(1, 12).Select(k => thisMonth.AddMonths(-k)).OrderBy(d => d).ToList();
        // The demo's reach is sized against the demo plan, so the dashboards tell a plausible story: where a series has a
        // target (every country of the plan has them), its partners together reach 40–90 % of it at their best month, growing through
        // the year; elsewhere the monthly figures follow the country's population of refugees and migrants.
        var year = now.Year;
        var targets = await db.PlanTargets.AsNoTracking().Where(t => t.Year == year)
            .ToDictionaryAsync(t => (t.CountryIso3, t.IndicatorCode, t.PopulationGroup), t => t.Target, ct);
        var population = (await db.PopulationFigures.AsNoTracking().ToListAsync(ct))
            .GroupBy(f => f.CountryIso3, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(f => f.AsOf, StringComparer.Ordinal).Last().RefugeesAndMigrants, StringComparer.Ordinal);
        var series = new List<(Organisation Org, int Seed, string Country, string PCode, int K, string Indicator, string Sector, string Group)>();
        var seed = 0;
        foreach (var org in orgs.OrderBy(o => o.Acronym, StringComparer.Ordinal))
        {
            seed++;
            foreach (var country in CountriesOfOperation.GetValueOrDefault(org.Acronym, []).Take(3))
            {
                var areas = admin1.GetValueOrDefault(country);
                var pcode = areas is null ? "" : areas[(seed * 7 + country[0]) % areas.Count];
                for (var k = 0; k < 2; k++)
                {
                    var indicator = indicators[(seed * 3 + k * 5 + country[1]) % indicators.Length];
                    var group = (seed + k) % 4 == 0 ? PopulationGroups.HostCommunity : PopulationGroups.InDestination;
                    series.Add((org, seed, country, pcode, k, indicator.Code, indicator.Sector, group));
                }
            }
        }
        var partnersPerSeries = series.GroupBy(x => (x.Country, x.Indicator, x.Group)).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (org, s, country, pcode, k, indicator, sector, group) in series)
        {
            // The best month's figure of this organisation's series.
            var peak = targets.TryGetValue((country, indicator, group), out var target) && target > 0
                ? target * (40 + (s * 11 + k * 23) % 51) / 100 / partnersPerSeries[(country, indicator, group)]
                : (20 + (s * 13 + k * 29) % 180) * Math.Clamp(population.GetValueOrDefault(country, 10_000) / 10_000, 1, 100);
            foreach (var month in months)
            {
                var monthsAgo = (thisMonth.Year - month.Year) * 12 + thisMonth.Month - month.Month;
                var status = monthsAgo switch
                {
                    > 2 => ReportStatus.Validated,
                    2 => (s % 5) switch { 0 => ReportStatus.Returned, 1 or 2 => ReportStatus.Submitted, _ => ReportStatus.Validated },
                    _ => (s % 4) switch { 0 => ReportStatus.Draft, 1 => ReportStatus.Submitted, _ => ReportStatus.Submitted },
                };
                if (monthsAgo == 1 && s % 6 == 5)
                {
                    continue; // not yet reported: shows on the status board
                }
                // Services grow through the plan year (January is about half of the best month), with a little noise.
                var n = Math.Max(10, peak * (50 + 50 * (month.Month - 1) / 11 - (s * 3 + month.Month * 7) % 9) / 100);
                var cash = sector == "MPC";
                var r = new ActivityReport
                {
                    OrganisationId = org.Id, CountryIso3 = country, Admin1PCode = pcode, IndicatorCode = indicator,
                    Month = month.ToString("yyyy-MM", CultureInfo.InvariantCulture), PopulationGroup = group,
                    Girls = n * 20 / 100, Boys = n * 18 / 100, Women = n * 34 / 100, Men = n * 27 / 100, Other = s % 3 == 0 ? 2 : 0,
                    IsCash = cash, CashUsd = cash ? n * 85 : null, Status = status,
                    ReturnReason = status == ReportStatus.Returned ? "Demo: please check the disaggregation by sex and age." : null,
                    Version = 1, CreatedAt = now, UpdatedAt = now, IsDemo = true,
                    ImplementingPartner = s % 4 == 1 ? "Socio local (demo)" : "",
                };
                r.Total = r.Girls + r.Boys + r.Women + r.Men + r.Other;
                db.ActivityReports.Add(r);
            }
        }
        // Colombia and Peru have closed their older months (validated, locked by their coordinators).
        foreach (var country in new[] { "COL", "PER" })
        {
            foreach (var month in months.Take(6))
            {
                db.PeriodLocks.Add(new PeriodLock
                {
                    CountryIso3 = country, Month = month.ToString("yyyy-MM", CultureInfo.InvariantCulture), LockedAt = now, LockedBy = "demo",
                });
            }
        }
        await db.SaveChangesAsync(ct);
    }
}

using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Accounts;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Dashboards.Situation;
using Closer.Web.Features.Documents;
using Closer.Web.Features.Subscriptions;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace Closer.Tests.Features.Dashboards.Situation;

/// <summary>
/// Monthly situation reports: the page in four languages, its figures against a recomputation from the raw reports, disclosure
/// control in page and PDF, the PDF itself, publication (library and outbox, once) and who may write, publish and preview.
/// Each test uses its own month, so their publications do not meet.
/// </summary>
public abstract partial class SituationSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A month <paramref name="back"/> months before this one: from 3 back, the demo's reports are all validated.</summary>
    private static string Month(int back)
    {
        var now = TimeProvider.System.GetUtcNow();
        return new DateOnly(now.Year, now.Month, 1).AddMonths(-back).ToString("yyyy-MM", CultureInfo.InvariantCulture);
    }

    private async Task<Actor> AdminActorAsync()
    {
        var (email, _) = await app.CreateUserAsync(R.Admin);
        await using var scope = app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        return new Actor(user!.Id, email, new ScopeUser(new HashSet<string> { Roles.PlatformAdmin }, null, new HashSet<string>()));
    }

    private async Task PublishAsync(string scope, string month)
    {
        var actor = await AdminActorAsync();
        await using var s = app.Services.CreateAsyncScope();
        var (_, error) = await s.ServiceProvider.GetRequiredService<SituationPublisher>().PublishAsync(SituationScope.Parse(scope, month)!, actor, announce: true, Ct);
        Assert.Null(error);
    }

    private static async Task<string> PostAsync(HttpClient client, string path, Dictionary<string, string> form, HttpStatusCode expected = HttpStatusCode.OK)
    {
        form["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(client, "/account/subscriptions");
        var response = await client.PostAsync(path, new FormUrlEncodedContent(form), Ct);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    [Theory]
    [InlineData("en", "Situation report: {0}, {1}", "Key figures", "Highlights of the month")]
    [InlineData("es", "Informe de situación: {0}, {1}", "Cifras clave", "Lo más destacado del mes")]
    [InlineData("pt", "Relatório de situação: {0}, {1}", "Números principais", "Destaques do mês")]
    [InlineData("pap", "Raport di situashon: {0}, {1}", "Sifranan prinsipal", "Puntonan resaltante di e luna")]
    public async Task Page_SpeaksEachLanguage_WithMonthsInTheReadersLanguage(string lang, string title, string keyFigures, string highlights)
    {
        var month = Month(4);
        await PublishAsync("COL", month);
        var client = app.Client();
        var response = await client.GetAsync($"/{lang}/data/situation/COL/{month}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var html = await response.Content.ReadAsStringAsync(Ct);
        string country;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            country = (await scope.ServiceProvider.GetRequiredService<CloserDbContext>().Countries.SingleAsync(c => c.Iso3 == "COL", Ct)).Name(lang);
        }
        var label = Languages.InCulture(lang, () => Months.Label(month));
        // The app writes accented letters as they are (its encoder allows every script).
        Assert.Contains($"<h1>{string.Format(CultureInfo.InvariantCulture, title, country, label)}</h1>", html, StringComparison.Ordinal);
        Assert.Contains(keyFigures, html, StringComparison.Ordinal);
        Assert.Contains(highlights, html, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"map-svg\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/{lang}/data/situation/COL/{month}/pdf\"", html, StringComparison.Ordinal);
        // How people reached are counted, under the figures, in the reader's language.
        Assert.Contains($"<p class=\"dash-rule\">{CountingNotes.Translated(CountingNotes.Reached, lang)}</p>", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        if (lang == "pap")
        {
            // ICU has no Papiamentu: the month comes from the app's own names.
            Assert.Contains(PapiamentuCulture.MonthNames[int.Parse(month[5..], CultureInfo.InvariantCulture) - 1], html, StringComparison.Ordinal);
        }
        var region = await client.GetAsync($"/{lang}/data/situation/region/{month}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, region.StatusCode);
    }

    [Theory]
    [InlineData("/en/data/situation/XYZ/{0}")]
    [InlineData("/en/data/situation/COL/1999-01")]
    [InlineData("/en/data/situation/COL/2026-13")]
    [InlineData("/es/data/situation/COL/{1}")]
    [InlineData("/pap/data/situation/%3Cscript%3E/{0}")]
    public async Task UnknownCountryOrMonth_IsAClear404Page(string path)
    {
        var future = TimeProvider.System.GetUtcNow().AddMonths(2).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var response = await app.Client().GetAsync(string.Format(CultureInfo.InvariantCulture, path, Month(4), future), Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync(string.Format(CultureInfo.InvariantCulture, path, Month(4), future) + "/pdf", Ct)).StatusCode);
    }

    /// <summary>People reached to date by sector of a country: the dashboards' rule on the raw validated reports of the year's months up to <paramref name="month"/>.</summary>
    private async Task<Dictionary<string, long>> RecomputeAsync(string country, string month)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var indicators = await db.Indicators.AsNoTracking().ToDictionaryAsync(i => i.Code, Ct);
        var year = month[..4];
        var reports = (await db.ActivityReports.AsNoTracking().Where(r => r.DeletedAt == null && r.Status == ReportStatus.Validated && r.CountryIso3 == country
            && r.Month.StartsWith(year)).ToListAsync(Ct)).Where(r => string.CompareOrdinal(r.Month, month) <= 0 && indicators[r.IndicatorCode].Unit == IndicatorUnit.People);
        return reports.GroupBy(r => (r.OrganisationId, r.IndicatorCode, r.PopulationGroup))
            .GroupBy(s => indicators[s.Key.IndicatorCode].SectorCode)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.GroupBy(r => r.Month).Max(m => m.Sum(r => r.ReachedToDate ?? r.Total))));
    }

    private static Dictionary<string, string> SectorValues(string html) =>
        SectorRow().Matches(html[html.IndexOf("id=\"sitrep-table-sectors\"", StringComparison.Ordinal)..])
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);

    [GeneratedRegex("<th scope=\"row\" data-key=\"([A-Z-]+)\">[^<]*</th><td class=\"num\" data-value=\"([0-9]*)\">")]
    private static partial Regex SectorRow();

    [Fact]
    public async Task Figures_EqualTheValidatedData_AndDraftOrSubmittedReportsDoNotCount()
    {
        var month = Month(5);
        var coordinator = await app.SignedInClientAsync(R.Coordinator, null, "PER");
        var expected = await RecomputeAsync("PER", month);
        Assert.NotEmpty(expected);
        var before = SectorValues(await coordinator.GetStringAsync($"/en/data/situation/PER/{month}", Ct));
        // Every sector with people reached is on the page with exactly the recomputed figure, or hidden by disclosure control
        // (a complement of a small sensitive cell elsewhere in the table: at most a few).
        Assert.Equal(expected.Where(e => e.Value > 0).Select(e => e.Key).Order(StringComparer.Ordinal), before.Where(b => b.Value != "0").Select(b => b.Key).Order(StringComparer.Ordinal));
        Assert.All(before.Where(b => b.Value.Length > 0 && b.Value != "0"), b => Assert.Equal(expected[b.Key].ToString(CultureInfo.InvariantCulture), b.Value));
        Assert.True(before.Count(b => b.Value.Length > 0) >= before.Count - 3);

        // A draft and a submitted report of the month, each far larger than anything validated, change nothing.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var template = await db.ActivityReports.AsNoTracking().Where(r => r.CountryIso3 == "PER" && r.Month == month && r.Status == ReportStatus.Validated
                && db.Indicators.Any(i => i.Code == r.IndicatorCode && i.Unit == IndicatorUnit.People)).OrderBy(r => r.Id).FirstAsync(Ct);
            var used = await db.ActivityReports.Where(r => r.OrganisationId == template.OrganisationId && r.CountryIso3 == "PER" && r.Admin1PCode == template.Admin1PCode
                && r.IndicatorCode == template.IndicatorCode && r.Month == month).Select(r => r.PopulationGroup).ToListAsync(Ct);
            var free = PopulationGroups.All.Except(used).ToList();
            foreach (var (status, group) in new[] { ReportStatus.Draft, ReportStatus.Submitted }.Zip(free))
            {
                db.ActivityReports.Add(new ActivityReport
                {
                    OrganisationId = template.OrganisationId, CountryIso3 = "PER", Admin1PCode = template.Admin1PCode, IndicatorCode = template.IndicatorCode,
                    Month = month, PopulationGroup = group, Women = 9_000_000, Total = 9_000_000, Status = status, IsDemo = true,
                });
            }
            Assert.True(free.Count >= 2);
            await db.SaveChangesAsync(Ct);
        }
        var after = SectorValues(await coordinator.GetStringAsync($"/en/data/situation/PER/{month}", Ct));
        Assert.Equal(before, after);
        Assert.Equal(expected, await RecomputeAsync("PER", month));
    }

    [Fact]
    public async Task SensitiveSmallCell_StaysHidden_InPageAndPdf()
    {
        var month = Month(6);
        string gbvName;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            db.ActivityReports.RemoveRange(await db.ActivityReports.Where(r => r.CountryIso3 == "GUY" && r.IndicatorCode.StartsWith("PRO-GBV")).ToListAsync(Ct));
            await db.SaveChangesAsync(Ct);
            var org = await db.Organisations.OrderBy(o => o.Id).Select(o => o.Id).FirstAsync(Ct);
            var area = await db.Admin1Areas.Where(a => a.CountryIso3 == "GUY").OrderBy(a => a.PCode).Select(a => a.PCode).FirstAsync(Ct);
            db.ActivityReports.Add(new ActivityReport
            {
                OrganisationId = org, CountryIso3 = "GUY", Admin1PCode = area, IndicatorCode = "PRO-GBV-01", Month = month, PopulationGroup = PopulationGroups.HostCommunity,
                Girls = 2, Total = 2, Status = ReportStatus.Validated, IsDemo = true,
            });
            await db.SaveChangesAsync(Ct);
            gbvName = (await db.Sectors.SingleAsync(s => s.Code == "PRO-GBV", Ct)).Name("en");
        }
        await PublishAsync("GUY", month);
        var anonymous = app.Client();
        var html = await anonymous.GetStringAsync($"/en/data/situation/GUY/{month}", Ct);
        var values = SectorValues(html);
        Assert.Equal("", values["PRO-GBV"]);
        Assert.Contains("Hidden to protect people", html, StringComparison.Ordinal);

        var pdf = await anonymous.GetByteArrayAsync($"/en/data/situation/GUY/{month}/pdf", Ct);
        using var doc = PdfDocument.Open(pdf);
        var words = doc.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text).ToList();
        var name = gbvName.Split(' ');
        var at = Enumerable.Range(0, words.Count - name.Length).First(i => name.Select((n, k) => words[i + k] == n).All(x => x));
        Assert.Equal("–", words[at + name.Length]);
        Assert.Contains("Hidden", words);
    }

    /// <summary>The public figures of a month's report: each sector line (and, for the region, each country line) by key.</summary>
    private async Task<Dictionary<string, long?>> PublicFiguresAsync(string scope, string month)
    {
        await using var s = app.Services.CreateAsyncScope();
        var sp = s.ServiceProvider;
        var db = sp.GetRequiredService<CloserDbContext>();
        var names = await Closer.Web.Features.Dashboards.Names.LoadAsync(db, "en", Ct);
        var figures = await SituationData.BuildAsync(db, sp.GetRequiredService<Closer.Web.Features.Funding.FundingCoverage>(),
            sp.GetRequiredService<Closer.Web.Features.OpenData.Disclosure.DisclosureControl>(), sp.GetRequiredService<Microsoft.Extensions.Caching.Memory.IMemoryCache>(),
            names, SituationScope.Parse(scope, month)!, "en", Ct);
        return figures!.Sectors.Select(l => ("sector:" + l.Key, l.Reached)).Concat(figures.Countries.Select(l => ("country:" + l.Key, l.Reached)))
            .Append(("total", figures.Total.Reached)).ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
    }

    [Fact]
    public async Task TwoMonthsReports_CannotBeSubtracted_ToASmallSensitiveCount()
    {
        // 20 people to date in January (month A), then 2 more (month B: a difference of 2), then nothing new (month C).
        var year = Month(7)[..4];
        var (a, b, c) = ($"{year}-01", $"{year}-02", $"{year}-03");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            db.ActivityReports.RemoveRange(await db.ActivityReports.Where(r => r.CountryIso3 == "ECU" && r.IndicatorCode.StartsWith("PRO-GBV")).ToListAsync(Ct));
            await db.SaveChangesAsync(Ct);
            var org = await db.Organisations.OrderBy(o => o.Id).Select(o => o.Id).FirstAsync(Ct);
            var area = await db.Admin1Areas.Where(x => x.CountryIso3 == "ECU").OrderBy(x => x.PCode).Select(x => x.PCode).FirstAsync(Ct);
            ActivityReport Report(string month, string group, long women) => new()
            {
                OrganisationId = org, CountryIso3 = "ECU", Admin1PCode = area, IndicatorCode = "PRO-GBV-01", Month = month, PopulationGroup = group,
                Women = women, Total = women, Status = ReportStatus.Validated, IsDemo = true,
            };
            db.ActivityReports.AddRange(Report(a, PopulationGroups.HostCommunity, 20), Report(b, PopulationGroups.InDestination, 2));
            await db.SaveChangesAsync(Ct);
        }
        var truth = (await RecomputeAsync("ECU", b)).GetValueOrDefault("PRO-GBV") - (await RecomputeAsync("ECU", a)).GetValueOrDefault("PRO-GBV");
        Assert.Equal(2, truth);

        const int threshold = 5;
        var sensitive = new[] { "PRO-GBV", "PRO-CP", "PRO-HTS" };
        foreach (var scope in new[] { "ECU", "region" })
        {
            var reports = new Dictionary<string, Dictionary<string, long?>>(StringComparer.Ordinal);
            foreach (var month in new[] { a, b, c })
            {
                reports[month] = await PublicFiguresAsync(scope, month);
            }
            // Every pair of months: a sensitive sector's public figures differ by nothing or by the threshold at least.
            foreach (var (early, late) in new[] { (a, b), (b, c), (a, c) })
            {
                foreach (var sector in sensitive)
                {
                    var key = "sector:" + sector;
                    if (reports[early].GetValueOrDefault(key) is { } before && reports[late].GetValueOrDefault(key) is { } after)
                    {
                        var difference = after - before;
                        Assert.True(difference == 0 || difference >= threshold, $"{scope} {sector}: {late} minus {early} = {difference}");
                    }
                }
            }
        }
        // The seeded difference is hidden in Ecuador's report of month B and C (C minus A would give it back otherwise).
        Assert.True((await PublicFiguresAsync("ECU", b))["sector:PRO-GBV"] is null || (await PublicFiguresAsync("ECU", a))["sector:PRO-GBV"] is null);
        Assert.True((await PublicFiguresAsync("ECU", c))["sector:PRO-GBV"] is null || (await PublicFiguresAsync("ECU", a))["sector:PRO-GBV"] is null);
    }

    [Fact]
    public async Task Pdf_IsAValidPdf_WithPagesAndTheReportsText()
    {
        var month = Month(7);
        await PublishAsync("region", month);
        var response = await app.Client().GetAsync($"/es/data/situation/region/{month}/pdf", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        using var doc = PdfDocument.Open(bytes);
        Assert.True(doc.NumberOfPages > 0);
        var text = string.Join(' ', doc.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("Informe de situación regional", text, StringComparison.Ordinal);
        Assert.Contains(Languages.InCulture("es", () => Months.Label(month)).Split(' ')[0], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_ArchivesAPdfPerLanguage_AndAnnouncesToEachFollowerOnce()
    {
        var month = Month(8);
        string followerId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var (email, _) = await app.CreateUserAsync(R.Viewer);
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            followerId = (await db.Users.SingleAsync(u => u.Email == email, Ct)).Id;
            db.SubscriptionSettings.Add(new SubscriptionSettings { UserId = followerId, Frequency = DeliveryFrequency.Immediate, Language = "pap" });
            db.Follows.Add(new Follow { UserId = followerId, Kind = FollowKind.Country, Key = "ECU" });
            await db.SaveChangesAsync(Ct);
        }
        var coordinator = await app.SignedInClientAsync(R.Coordinator, null, "ECU");
        await PostAsync(coordinator, $"/admin/situation/ECU/{month}?handler=Save", new() { ["en"] = "Rains cut the road to the border.\n\nTwo new shelters opened.", ["pap"] = "Awaseru a kòrta e kaminda pa frontera." });
        // Before publication the public sees nothing; the coordinator sees the draft.
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/en/data/situation/ECU/{month}", Ct)).StatusCode);
        Assert.Contains("Draft preview.", await coordinator.GetStringAsync($"/en/data/situation/ECU/{month}", Ct), StringComparison.Ordinal);

        await PostAsync(coordinator, $"/admin/situation/ECU/{month}?handler=Publish", []);
        await PostAsync(coordinator, $"/admin/situation/ECU/{month}?handler=Publish", []);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var report = await db.SituationReports.Include(r => r.Documents).SingleAsync(r => r.Scope == "ECU" && r.Month == month, Ct);
            Assert.NotNull(report.PublishedAt);
            Assert.Equal(Languages.All.Order(StringComparer.Ordinal), report.Documents.Select(d => d.Language).Order(StringComparer.Ordinal));
            var ids = report.Documents.Select(d => d.DocumentId).ToList();
            var docs = await db.Documents.Include(d => d.Translations).Where(d => ids.Contains(d.Id)).ToListAsync(Ct);
            Assert.Equal(4, docs.Count);
            Assert.All(docs, d =>
            {
                Assert.Equal(DocumentType.SituationReport, d.Type);
                Assert.Equal(DocumentVisibility.Public, d.Visibility);
                Assert.Equal(",ECU,", d.Countries);
                Assert.Equal(2, d.CurrentVersion);
                Assert.Equal(4, d.Translations.Count);
            });
            Assert.Equal(Languages.All.Order(StringComparer.Ordinal), docs.Select(d => d.FileLanguage).Order(StringComparer.Ordinal));
            var mails = await db.EmailOutbox.Where(m => m.DedupKey != null && m.DedupKey.StartsWith("sitrep:ECU:" + month)).ToListAsync(Ct);
            var mail = Assert.Single(mails, m => m.DedupKey == $"sitrep:ECU:{month}:{followerId}");
            Assert.StartsWith("Raport di situashon: ", mail.Subject, StringComparison.Ordinal);
            Assert.Contains($"/pap/data/situation/ECU/{month}", mail.Text, StringComparison.Ordinal);
            // The library's own "new document" mail is not sent on top.
            Assert.False(await db.EmailOutbox.AnyAsync(m => m.DedupKey != null && ids.Select(i => "doc:" + i + ":" + followerId).Contains(m.DedupKey), Ct));
            var revisions = await db.SituationReportRevisions.Where(r => r.ReportId == report.Id).ToListAsync(Ct);
            Assert.Single(revisions);
            Assert.Equal("Awaseru a kòrta e kaminda pa frontera.", revisions[0].HighlightsPap);
            var english = docs.Single(d => d.FileLanguage == "en").Id;
            var pdf = await db.DocumentVersions.Where(v => v.DocumentId == english && v.Number == 2).Select(v => v.Content).SingleAsync(Ct);
            Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        }
        var page = await app.Client().GetStringAsync($"/en/data/situation/ECU/{month}", Ct);
        Assert.Contains("<p>Rains cut the road to the border.</p>", page, StringComparison.Ordinal);
        Assert.Contains("<p>Two new shelters opened.</p>", page, StringComparison.Ordinal);
        // Spanish has no text yet: English is shown, and said so.
        Assert.Contains("Aún no está escrito en este idioma", await app.Client().GetStringAsync($"/es/data/situation/ECU/{month}", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Highlights_KeepEveryRevision_AreNeverMarkup_AndTooLongChangesNothing()
    {
        var month = Month(9);
        var admin = await app.SignedInClientAsync(R.Admin);
        await PostAsync(admin, $"/admin/situation/region/{month}?handler=Save", new() { ["en"] = "First <script>alert(1)</script> text" });
        await PostAsync(admin, $"/admin/situation/region/{month}?handler=Save", new() { ["en"] = "Second text" });
        var tooLong = new string('x', SituationScope.MaxHighlights + 1);
        await PostAsync(admin, $"/admin/situation/region/{month}?handler=Save", new() { ["en"] = tooLong }, HttpStatusCode.UnprocessableEntity);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var report = await db.SituationReports.Include(r => r.Revisions).SingleAsync(r => r.Scope == "region" && r.Month == month, Ct);
        Assert.Equal("Second text", report.HighlightsEn);
        Assert.Equal(["First <script>alert(1)</script> text", "Second text"], report.Revisions.OrderBy(r => r.Number).Select(r => r.HighlightsEn));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == "SituationReport" && a.EntityKey == $"region/{month}", Ct));
        var preview = await admin.GetStringAsync($"/en/data/situation/region/{month}", Ct);
        Assert.DoesNotContain("<script>alert(1)", preview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_ListsPublishedReports_NewestFirst_InFourLanguages_AndADigestAnnouncesEachOnce()
    {
        var (older, newer) = (Month(7), Month(6));
        string followerId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var (email, _) = await app.CreateUserAsync(R.Viewer);
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            followerId = (await db.Users.SingleAsync(u => u.Email == email, Ct)).Id;
            db.SubscriptionSettings.Add(new SubscriptionSettings { UserId = followerId, Frequency = DeliveryFrequency.Daily, Language = "es" });
            db.Follows.Add(new Follow { UserId = followerId, Kind = FollowKind.Country, Key = "PER" });
            await db.SaveChangesAsync(Ct);
        }
        await PublishAsync("PER", older);
        await PublishAsync("PER", newer);
        // A draft (highlights written, never published) is not listed.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var saved = await scope.ServiceProvider.GetRequiredService<SituationPublisher>()
                .SaveHighlightsAsync(SituationScope.Parse("BOL", older)!, new Dictionary<string, string?> { ["en"] = "Not yet." }, await AdminActorAsync(), Ct);
            Assert.Null(saved.Error);
        }
        foreach (var (lang, heading) in new[] { ("en", "Monthly situation reports"), ("es", "Informes de situación mensuales"), ("pt", "Relatórios de situação mensais"), ("pap", "Raportnan di situashon mensual") })
        {
            var html = await app.Client().GetStringAsync($"/{lang}/data/situation", Ct);
            Assert.Contains($"<h1>{heading}</h1>", html, StringComparison.Ordinal);
            var newerAt = html.IndexOf($"href=\"/{lang}/data/situation/PER/{newer}\"", StringComparison.Ordinal);
            var olderAt = html.IndexOf($"href=\"/{lang}/data/situation/PER/{older}\"", StringComparison.Ordinal);
            Assert.True(newerAt > 0 && olderAt > newerAt, $"{lang}: newest month first");
            Assert.Contains($"href=\"/{lang}/data/situation/PER/{older}/pdf\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain($"/data/situation/BOL/{older}", html, StringComparison.Ordinal);
            Assert.Contains($"href=\"/{lang}/data/situation\"", await app.Client().GetStringAsync($"/{lang}/data", Ct), StringComparison.Ordinal);
            Assert.Contains($"href=\"/{lang}/data/situation?scope=PER\"", await app.Client().GetStringAsync($"/{lang}/countries/PER", Ct), StringComparison.Ordinal);
        }
        var one = await app.Client().GetStringAsync("/es/data/situation?scope=per", Ct);
        Assert.Contains($"/es/data/situation/PER/{older}\"", one, StringComparison.Ordinal);
        Assert.DoesNotContain("/es/data/situation/region/", one, StringComparison.Ordinal);
        Assert.Contains("No hay ningún informe de situación publicado para este país", await app.Client().GetStringAsync("/es/data/situation?scope=zzz", Ct), StringComparison.Ordinal);

        // The daily digest: each publication archived four PDFs, but the follower reads one entry per report with the four linked.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            var now = TimeProvider.System.GetUtcNow();
            await scope.ServiceProvider.GetRequiredService<SubscriptionJobs>().DigestsAsync(now.AddDays(1), Ct);
            var digest = await db.EmailOutbox.SingleAsync(m => m.DedupKey == $"digest:{followerId}:{now:yyyy-MM-dd}", Ct);
            foreach (var month in new[] { older, newer })
            {
                Assert.Single(Regex.Matches(digest.Text, $"/es/data/situation/PER/{month}\\b"));
                var report = await db.SituationReports.Include(r => r.Documents).SingleAsync(r => r.Scope == "PER" && r.Month == month, Ct);
                Assert.Equal(4, report.Documents.Count);
                foreach (var d in report.Documents)
                {
                    Assert.Single(Regex.Matches(digest.Text, $"/{d.Language}/documents/{d.DocumentId}\\b"));
                }
                Assert.Contains("PDF en Papiamentu: ", digest.Text, StringComparison.Ordinal);
            }
        }
    }

    public static TheoryData<string, string[], bool, bool, bool> RoleMatrix() => new()
    {
        // role, countries, may preview and write the COL report, may do so for the region, sees /admin/situation
        { R.Admin, [], true, true, true },
        { R.Coordinator, ["COL"], true, false, true },
        { R.Coordinator, ["PER"], false, false, true },
        { R.FocalPoint, ["COL"], false, false, false },
        { R.Viewer, [], false, false, false },
        { R.Editor, [], false, false, false },
        { R.Translator, [], false, false, false },
        { "Moderator", [], false, false, false },
    };

    [Theory]
    [MemberData(nameof(RoleMatrix))]
    public async Task EachRole_MayWritePublishAndPreview_OnlyItsOwnReports(string role, string[] countries, bool country, bool region, bool index)
    {
        var month = Month(10);
        var client = role == R.FocalPoint ? await app.SignedInClientAsync(role, "FPUENTE", countries) : await app.SignedInClientAsync(role, null, countries);
        // A signed-in person out of scope is sent to the access-denied page (which answers 403), as on every back-office page.
        static bool Refused(HttpResponseMessage r) =>
            r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location!.OriginalString.Contains("/account/denied", StringComparison.Ordinal);
        var list = await client.GetAsync("/admin/situation", Ct);
        Assert.True(index ? list.StatusCode == HttpStatusCode.OK : Refused(list), $"{role}: /admin/situation → {list.StatusCode}");
        foreach (var (scope, allowed) in new[] { ("COL", country), ("region", region) })
        {
            var edit = await client.GetAsync($"/admin/situation/{scope}/{month}", Ct);
            Assert.True(allowed ? edit.StatusCode == HttpStatusCode.OK : Refused(edit), $"{role}: edit {scope} → {edit.StatusCode}");
            if (!allowed)
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(edit.Headers.Location, Ct)).StatusCode);
            }
            var token = await AppFixture.AntiforgeryTokenAsync(client, "/account/subscriptions");
            var save = await client.PostAsync($"/admin/situation/{scope}/{month}?handler=Save",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["en"] = $"By {role}", ["__RequestVerificationToken"] = token }), Ct);
            Assert.True(allowed ? save.StatusCode == HttpStatusCode.OK : Refused(save), $"{role}: save {scope} → {save.StatusCode}");
            var preview = await client.GetAsync($"/en/data/situation/{scope}/{month}", Ct);
            Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.NotFound, preview.StatusCode);
            var pdf = await client.GetAsync($"/en/data/situation/{scope}/{month}/pdf", Ct);
            Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.NotFound, pdf.StatusCode);
        }
        // Publishing is refused to everyone else (checked on a month nobody publishes, so the draft stays a draft).
        var other = Month(11);
        var publishToken = await AppFixture.AntiforgeryTokenAsync(client, "/account/subscriptions");
        var publish = await client.PostAsync($"/admin/situation/COL/{other}?handler=Publish",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = publishToken }), Ct);
        if (!country)
        {
            Assert.True(Refused(publish), $"{role}: publish → {publish.StatusCode}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        }
        // The public index is open to every role and anonymous readers, and never lists a draft.
        foreach (var reader in new[] { client, app.Client() })
        {
            var listed = await reader.GetAsync("/en/data/situation", Ct);
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
            Assert.DoesNotContain($"/en/data/situation/COL/{month}\"", await listed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        var anonymous = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"/admin/situation/COL/{month}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/en/data/situation/COL/{month}", Ct)).StatusCode);
    }

    [Fact]
    public async Task TheDemo_PublishesTheRegionAndColombia_ForTheLatestMonthWithValidatedReports_AndMailsNobody()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var thisMonth = Month(0);
        var months = await db.ActivityReports.Where(r => r.Status == ReportStatus.Validated && r.DeletedAt == null).Select(r => r.Month).Distinct().ToListAsync(Ct);
        var month = months.Where(m => string.CompareOrdinal(m, thisMonth) < 0).Max(StringComparer.Ordinal)!;
        var demo = await db.SituationReports.AsNoTracking().Include(r => r.Documents)
            .Where(r => r.Month == month && (r.Scope == "COL" || r.Scope == SituationScope.Region)).ToListAsync(Ct);
        Assert.Equal(2, demo.Count);
        foreach (var report in demo)
        {
            Assert.NotNull(report.PublishedAt);
            // Archived in the library in four languages, and listed and served to anyone.
            Assert.Equal(Languages.All.Order(StringComparer.Ordinal), report.Documents.Select(d => d.Language).Order(StringComparer.Ordinal));
            Assert.Contains($"href=\"/pap/data/situation/{report.Scope}/{month}\"", await app.Client().GetStringAsync("/pap/data/situation", Ct), StringComparison.Ordinal);
            var pdf = await app.Client().GetAsync($"/pt/data/situation/{report.Scope}/{month}/pdf", Ct);
            Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
            Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
            Assert.False(await db.EmailOutbox.AnyAsync(m => m.DedupKey != null && m.DedupKey.StartsWith("sitrep:" + report.Scope + ":" + month), Ct));
        }
        var colombia = await app.Client().GetStringAsync($"/es/data/situation/COL/{month}", Ct);
        Assert.Contains("Texto de demostración.", colombia, StringComparison.Ordinal);
    }
}

public sealed class SituationSqlite(SqliteApp app) : SituationSuite<SqliteApp>(app);
public sealed class SituationPostgres(PostgresApp app) : SituationSuite<PostgresApp>(app);

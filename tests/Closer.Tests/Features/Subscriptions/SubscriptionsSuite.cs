using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Tests.Infrastructure.Email;
using Closer.Web.Features.Accounts;
using Closer.Web.Features.Documents;
using Closer.Web.Features.Forum;
using Closer.Web.Features.Notifications;
using Closer.Web.Features.Organisations;
using Closer.Web.Features.Subscriptions;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Email;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UnsubscribeKind = Closer.Web.Features.Subscriptions.UnsubscribeKind;

namespace Closer.Tests.Features.Subscriptions;

/// <summary>Follows, immediate mail in the change's transaction, digests and reminders claimed once, unsubscribe, sitemap.</summary>
public abstract partial class SubscriptionsSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record User(string Id, string Email, string Password);

    private async Task<User> UserAsync(string? role = null, int? orgId = null, string lang = "en", string[]? countries = null,
        DeliveryFrequency? frequency = null, params (FollowKind Kind, string Key)[] follows)
    {
        var email = $"subs-{Guid.NewGuid():N}@test.invalid";
        const string password = "correct horse battery staple";
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, PreferredLanguage = lang, OrganisationId = orgId, CreatedAt = DateTimeOffset.UnixEpoch };
        user.Countries = (countries ?? []).Select(c => new UserCountryScope { UserId = user.Id, CountryIso3 = c }).ToList();
        Assert.True((await users.CreateAsync(user, password)).Succeeded);
        if (role is not null)
        {
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        }
        if (frequency is { } f)
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            db.SubscriptionSettings.Add(new SubscriptionSettings { UserId = user.Id, Frequency = f });
            db.Follows.AddRange(follows.Select(x => new Follow { UserId = user.Id, Kind = x.Kind, Key = x.Key }));
            await db.SaveChangesAsync(Ct);
        }
        return new User(user.Id, email, password);
    }

    private async Task<T> DbAsync<T>(Func<CloserDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CloserDbContext>());
    }

    private Task<List<OutboxMessage>> OutboxToAsync(string email) =>
        DbAsync(db => db.EmailOutbox.AsNoTracking().Where(m => m.To == email).OrderBy(m => m.Id).ToListAsync(Ct));

    private async Task<int> DocumentAsync(string title, DocumentVisibility visibility, string country, DocumentType type = DocumentType.Guidance, string sector = "Health")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var documents = scope.ServiceProvider.GetRequiredService<DocumentService>();
        var input = new DocumentInput(type, visibility, "es", new DateOnly(2026, 11, 1), [country], [sector],
            new Dictionary<string, DocumentText> { ["en"] = new(title, "A test summary."), ["es"] = new(title + " (es)", "Un resumen de prueba.") });
        var (doc, error) = await documents.CreateAsync(input, "test.pdf", DemoDocuments.Pdf(title, "Some text."), null, Ct);
        Assert.Null(error);
        return doc!.Id;
    }

    private async Task<(int Id, string Acronym)> OrganisationAsync(params string[] countries)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var org = new Organisation { Name = "Subscriptions test org", Acronym = "ST" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), Type = OrganisationType.NationalNgo };
        org.Countries = countries.Select(c => new OrganisationCountry { CountryIso3 = c }).ToList();
        db.Organisations.Add(org);
        await db.SaveChangesAsync(Ct);
        return (org.Id, org.Acronym);
    }

    [Fact]
    public async Task DemoSubscribers_FollowThingsInFourLanguages_AndNoneCanSignIn()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var demo = await db.Users.AsNoTracking().Where(u => u.Email!.EndsWith(".demo@closer.invalid")).ToListAsync(Ct);
        Assert.Equal(["en", "es", "pap", "pt"], demo.Select(u => u.PreferredLanguage).Order(StringComparer.Ordinal));
        Assert.All(demo, u => Assert.Null(u.PasswordHash));
        var ids = demo.Select(u => u.Id).ToList();
        Assert.Equal(4, await db.SubscriptionSettings.CountAsync(s => ids.Contains(s.UserId), Ct));
        Assert.True(await db.Follows.CountAsync(f => ids.Contains(f.UserId), Ct) >= 8);
    }

    [Fact]
    public async Task PreferencesPage_SavesFollowsFrequencyAndLanguage_AndShowsThemAgain()
    {
        Assert.Equal(HttpStatusCode.Redirect, (await app.Client().GetAsync("/account/subscriptions", Ct)).StatusCode);
        var user = await UserAsync(Roles.Viewer);
        var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.SignInAsync(client, user.Email, user.Password)).StatusCode);
        var spaceId = await DbAsync(db => db.ForumSpaces.Where(s => s.Visibility == SpaceVisibility.Public && s.Kind != SpaceKind.Consultation).Select(s => s.Id).FirstAsync(Ct));
        var page = await client.GetStringAsync($"/account/subscriptions?follow=space:{spaceId}", Ct);
        Assert.Matches($"name=\"Spaces\" value=\"{spaceId}\" checked", page);
        var token = await AppFixture.AntiforgeryTokenAsync(client, "/account/subscriptions");
        var form = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", token), new("Frequency", "Weekly"), new("Language", "pap"),
            new("Reminders", "false"), new("Countries", "COL"), new("Countries", "PER"), new("Countries", "XXX"),
            new("Sectors", "Health"), new("Types", "SituationReport"), new("Spaces", spaceId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        var saved = await client.PostAsync("/account/subscriptions", new FormUrlEncodedContent(form), Ct);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var settings = await DbAsync(db => db.SubscriptionSettings.AsNoTracking().SingleAsync(s => s.UserId == user.Id, Ct));
        Assert.Equal(DeliveryFrequency.Weekly, settings.Frequency);
        Assert.Equal("pap", settings.Language);
        Assert.True(settings.RemindersOff);
        var follows = await DbAsync(db => db.Follows.AsNoTracking().Where(f => f.UserId == user.Id).ToListAsync(Ct));
        Assert.Equal(["Country:COL", "Country:PER", "DocumentType:SituationReport", "Sector:Health"],
            follows.Select(f => $"{f.Kind}:{f.Key}").Order(StringComparer.Ordinal));
        Assert.True(await DbAsync(db => db.ForumFollows.AnyAsync(f => f.UserId == user.Id && f.SpaceId == spaceId, Ct)));

        var again = await client.GetStringAsync("/account/subscriptions", Ct);
        Assert.Matches("value=\"Weekly\" checked", again);
        Assert.Matches("name=\"Countries\" value=\"COL\" checked", again);
        Assert.Matches("<option value=\"pap\" selected", again);
        Assert.DoesNotMatch("name=\"Countries\" value=\"ECU\" checked", again);
    }

    [Fact]
    public async Task NewDocument_IsMailedAtOnce_ToImmediateFollowersWhoMaySeeIt_InTheirLanguage()
    {
        var pap = await UserAsync(Roles.Viewer, lang: "pap", frequency: DeliveryFrequency.Immediate, follows: [(FollowKind.Country, "ECU")]);
        var noRole = await UserAsync(lang: "es", frequency: DeliveryFrequency.Immediate, follows: [(FollowKind.Country, "ECU")]);
        var elsewhere = await UserAsync(Roles.Viewer, frequency: DeliveryFrequency.Immediate, follows: [(FollowKind.Country, "BOL")]);
        var daily = await UserAsync(Roles.Viewer, frequency: DeliveryFrequency.Daily, follows: [(FollowKind.Country, "ECU")]);

        var pub = await DocumentAsync("Guía de acogida pública", DocumentVisibility.Public, "ECU");
        var partners = await DocumentAsync("Nota interna para socios", DocumentVisibility.Partners, "ECU");

        var mine = await OutboxToAsync(pap.Email);
        Assert.Equal([$"doc:{pub}:{pap.Id}", $"doc:{partners}:{pap.Id}"], mine.Select(m => m.DedupKey));
        var first = mine[0];
        Assert.StartsWith("Dokumento nobo: ", first.Subject, StringComparison.Ordinal);
        Assert.Contains($"http://localhost:5080/pap/documents/{pub}", first.Text, StringComparison.Ordinal);
        Assert.Contains("Maneha bo e-mailnan", first.Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"pap\">", first.Html, StringComparison.Ordinal);
        Assert.StartsWith("http://localhost:5080/pap/subscriptions/unsubscribe?token=", first.UnsubscribeUrl, StringComparison.Ordinal);
        Assert.Contains(first.UnsubscribeUrl!, first.Text, StringComparison.Ordinal);

        // Without a role the partner-only document is not theirs to see, and so not to be told about.
        Assert.Equal([$"doc:{pub}:{noRole.Id}"], (await OutboxToAsync(noRole.Email)).Select(m => m.DedupKey));
        Assert.StartsWith("Nuevo documento: ", (await OutboxToAsync(noRole.Email))[0].Subject, StringComparison.Ordinal);
        Assert.Empty(await OutboxToAsync(elsewhere.Email));
        Assert.Empty(await OutboxToAsync(daily.Email));
    }

    [Fact]
    public async Task ForumPost_IsMailedAtOnce_ToImmediateFollowersOfTheSpace_NotToItsAuthor()
    {
        var spaceId = await DbAsync(db => db.ForumSpaces.Where(s => s.Visibility == SpaceVisibility.Public && s.Kind != SpaceKind.Consultation).Select(s => s.Id).FirstAsync(Ct));
        var follower = await UserAsync(Roles.Viewer, lang: "pt", frequency: DeliveryFrequency.Immediate);
        var author = await UserAsync(Roles.Viewer, frequency: DeliveryFrequency.Immediate);
        await DbAsync(async db =>
        {
            db.ForumFollows.Add(new ForumFollow { UserId = follower.Id, SpaceId = spaceId });
            db.ForumFollows.Add(new ForumFollow { UserId = author.Id, SpaceId = spaceId });
            return await db.SaveChangesAsync(Ct);
        });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var forum = scope.ServiceProvider.GetRequiredService<ForumPosting>();
            var actor = new ForumActor(author.Id, IsPartner: true, IsModerator: true);
            var created = await forum.CreateThreadAsync(actor, spaceId, "Transporte escolar en Quito", "Who knows the new school bus routes?", "en", Ct);
            Assert.Null(created.Error);
        }
        var mails = await OutboxToAsync(follower.Email);
        var mail = Assert.Single(mails);
        Assert.Contains("Transporte escolar en Quito", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("nova mensagem", mail.Subject, StringComparison.Ordinal);
        Assert.Empty(await OutboxToAsync(author.Email));
    }

    [Fact]
    public async Task NewPopulationFigure_ReachesImmediateFollowersAtOnce_AndDailyFollowersInTheDigest()
    {
        var now = await UserAsync(Roles.Viewer, lang: "pap", frequency: DeliveryFrequency.Immediate, follows: [(FollowKind.Country, "GUY")]);
        var daily = await UserAsync(Roles.Viewer, frequency: DeliveryFrequency.Daily, follows: [(FollowKind.Country, "GUY")]);
        var coordinator = await app.ApiClientAsync(R.Coordinator, null, "GUY");
        var posted = await coordinator.PostAsJsonAsync("/api/v1/countries/GUY/figures",
            new { asOf = "2031-01", refugeesAndMigrants = 24500, source = "Test source", precision = "rounded" }, Ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var mail = Assert.Single(await OutboxToAsync(now.Email));
        Assert.Equal($"figure:GUY:2031-01:{now.Id}", mail.DedupKey);
        Assert.Contains("24.500 refugiado i migrante di Venezuela (yanüari 2031)", mail.Subject, StringComparison.Ordinal);
        Assert.Empty(await OutboxToAsync(daily.Email));

        var at = await DbAsync(db => db.AuditEntries.Where(a => a.EntityType == "figure" && a.EntityKey == "GUY|2031-01").Select(a => a.At).SingleAsync(Ct));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SubscriptionJobs>().DigestsAsync(at.AddDays(1), Ct);
        }
        Assert.Contains("24,500 refugees and migrants from Venezuela (January 2031)", Assert.Single(await OutboxToAsync(daily.Email)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFollowedSpace_ReachesAnEnrolledPersonInTheirDigest_NotAlsoInTheForumsOwnDigest()
    {
        var spaceId = await DbAsync(db => db.ForumSpaces.Where(s => s.Visibility == SpaceVisibility.Public && s.Kind != SpaceKind.Consultation).OrderByDescending(s => s.Id).Select(s => s.Id).FirstAsync(Ct));
        var enrolled = await UserAsync(Roles.Viewer, frequency: DeliveryFrequency.Daily);
        var legacy = await UserAsync(Roles.Viewer);
        var author = await UserAsync(Roles.Viewer);
        await DbAsync(async db =>
        {
            db.ForumFollows.Add(new ForumFollow { UserId = enrolled.Id, SpaceId = spaceId });
            db.ForumFollows.Add(new ForumFollow { UserId = legacy.Id, SpaceId = spaceId });
            return await db.SaveChangesAsync(Ct);
        });
        DateTimeOffset postedAt;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<ForumPosting>()
                .CreateThreadAsync(new ForumActor(author.Id, IsPartner: true, IsModerator: true), spaceId, "Ferias de empleo en Lima", "Dates of the next job fairs.", "en", Ct);
            Assert.Null(created.Error);
            postedAt = created.Value!.CreatedAt;
        }
        var day = DateOnly.FromDateTime(postedAt.UtcDateTime);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ForumNotifier>().SendDigestsAsync(day, TimeProvider.System, Ct);
            await scope.ServiceProvider.GetRequiredService<SubscriptionJobs>().DigestsAsync(postedAt.AddDays(1), Ct);
        }
        Assert.True(await DbAsync(db => db.ForumDigestLog.AnyAsync(d => d.UserId == legacy.Id && d.SpaceId == spaceId, Ct)));
        Assert.False(await DbAsync(db => db.ForumDigestLog.AnyAsync(d => d.UserId == enrolled.Id, Ct)));
        Assert.Contains("Ferias de empleo en Lima", Assert.Single(await OutboxToAsync(enrolled.Email)).Text, StringComparison.Ordinal);
        // The person who never saved preferences gets the forum's own digest (through the outbox too), not a subscription digest.
        Assert.StartsWith("forum-digest:", Assert.Single(await OutboxToAsync(legacy.Email)).DedupKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidatedReports_OfAFollowedCountry_AppearInTheDigest_AsOneLinePerMonth()
    {
        var report = await DbAsync(db => db.ActivityReports.AsNoTracking()
            .Where(r => r.Status == Closer.Web.Features.Coordination.ReportStatus.Submitted && r.DeletedAt == null)
            .OrderBy(r => r.Id).Select(r => new { r.Id, r.CountryIso3, r.Month }).FirstOrDefaultAsync(Ct));
        Assert.NotNull(report);
        var iso3 = report.CountryIso3.Trim();
        var follower = await UserAsync(Roles.Viewer, lang: "es", frequency: DeliveryFrequency.Daily, follows: [(FollowKind.Country, iso3)]);
        var coordinator = await app.ApiClientAsync(R.Coordinator, null, iso3);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PostAsync($"/api/v1/reports/{report.Id}/validate", null, Ct)).StatusCode);
        var at = await DbAsync(db => db.AuditEntries.Where(a => a.EntityType == "report" && a.Action == "validate" && a.CountryIso3 == iso3)
            .OrderByDescending(a => a.Id).Select(a => a.At).FirstAsync(Ct));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SubscriptionJobs>().DigestsAsync(at.AddDays(1), Ct);
        }
        var digest = Assert.Single(await OutboxToAsync(follower.Email));
        // One line per month, its nouns agreeing with their counts ("1 reporte … validado", "2 reportes … validados").
        var line = System.Text.RegularExpressions.Regex.Match(digest.Text, "(\\d+) (reportes?) de .* (validados?), de 1 organización");
        Assert.True(line.Success, digest.Text);
        var many = line.Groups[1].Value != "1";
        Assert.Equal(many ? "reportes" : "reporte", line.Groups[2].Value);
        Assert.Equal(many ? "validados" : "validado", line.Groups[3].Value);
    }

    [Fact]
    public async Task DailyAndWeeklyDigests_TwoSchedulersRacing_EnqueueEachOnce()
    {
        var daily = await UserAsync(Roles.Viewer, frequency: DeliveryFrequency.Daily, follows: [(FollowKind.Sector, "WASH")]);
        var weekly = await UserAsync(Roles.Viewer, lang: "es", frequency: DeliveryFrequency.Weekly, follows: [(FollowKind.Sector, "WASH")]);
        var nothing = await UserAsync(Roles.Viewer, frequency: DeliveryFrequency.Daily, follows: [(FollowKind.Sector, "Nutrition")]);
        var id = await DocumentAsync("Agua segura en albergues", DocumentVisibility.Public, "COL", sector: "WASH");
        var created = await DbAsync(db => db.Documents.Where(d => d.Id == id).Select(d => d.CreatedAt).SingleAsync(Ct));
        // The day after the document: yesterday's digest has it. Seven days later: last week's digest has it.
        foreach (var now in new[] { created.AddDays(1), created.AddDays(7) })
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SubscriptionJobs>().DigestsAsync(now, Ct);
            }, Ct)));
        }
        var day = DateOnly.FromDateTime(created.UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var d = Assert.Single(await OutboxToAsync(daily.Email));
        Assert.Equal($"digest:{daily.Id}:{day}", d.DedupKey);
        Assert.Contains("Agua segura en albergues", d.Text, StringComparison.Ordinal);
        var w = Assert.Single(await OutboxToAsync(weekly.Email));
        Assert.Equal($"weekly:{weekly.Id}:{ReminderPlanner.IsoWeek(DateOnly.FromDateTime(created.UtcDateTime))}", w.DedupKey);
        Assert.StartsWith("Tu resumen semanal", w.Subject, StringComparison.Ordinal);
        Assert.Empty(await OutboxToAsync(nothing.Email));
    }

    [Fact]
    public async Task ADigest_ThroughAnSmtpOutage_IsRetriedLater_AndDeliveredOnce_WithUnsubscribeHeadersAndPlainText()
    {
        var user = await UserAsync(Roles.Viewer, frequency: DeliveryFrequency.Daily, follows: [(FollowKind.DocumentType, nameof(DocumentType.Infographic))]);
        var id = await DocumentAsync("Infografía de salud", DocumentVisibility.Public, "PER", DocumentType.Infographic);
        var created = await DbAsync(db => db.Documents.Where(d => d.Id == id).Select(d => d.CreatedAt).SingleAsync(Ct));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SubscriptionJobs>().DigestsAsync(created.AddDays(1), Ct);
        }
        var row = Assert.Single(await OutboxToAsync(user.Email));

        var time = new FakeTimeProvider(created.AddDays(1));
        await using var smtp = new TestSmtpServer { Refuse = true };
        var sender = new OutboxSender(app.Services.GetRequiredService<IServiceScopeFactory>(),
            new MailKitEmailSender(Options.Create(new EmailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, StartTls = false } }),
                app.Services.GetRequiredService<IWebHostEnvironment>(), time),
            time, Options.Create(new OutboxOptions { BatchSize = 50, MaxAttempts = 5 }), NullLogger<OutboxSender>.Instance);
        while (await sender.SendDueAsync(Ct) > 0)
        {
        }
        var failed = Assert.Single(await OutboxToAsync(user.Email));
        Assert.Null(failed.SentAt);
        Assert.Equal(1, failed.Attempts);
        Assert.DoesNotContain(smtp.Messages, m => m.Contains(user.Email, StringComparison.Ordinal));

        smtp.Refuse = false;
        time.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i < 3; i++)
        {
            while (await sender.SendDueAsync(Ct) > 0)
            {
            }
        }
        Assert.NotNull(Assert.Single(await OutboxToAsync(user.Email)).SentAt);
        var delivered = Assert.Single(smtp.Messages, m => m.Contains($"outbox-{row.Id}@closer.invalid", StringComparison.Ordinal));
        Assert.Contains("List-Unsubscribe: <http://localhost:5080/en/subscriptions/unsubscribe?token=", Unfold(delivered), StringComparison.Ordinal);
        Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click", delivered, StringComparison.Ordinal);
        Assert.Contains("text/plain", delivered, StringComparison.Ordinal);
        Assert.Contains("text/html", delivered, StringComparison.Ordinal);
    }

    private static string Unfold(string raw) => Regex.Replace(raw, "\r?\n[ \t]+", " ");

    [Fact]
    public async Task Reminders_AndCoordinatorSummaries_AreEnqueuedOnce_InTheRecipientsLanguage()
    {
        var (org, acronym) = await OrganisationAsync("BOL", "PRY");
        var focal = await UserAsync(Roles.OrgFocalPoint, org, "pap", ["BOL"]);
        var otherCountry = await UserAsync(Roles.OrgFocalPoint, org, "en", ["ECU"]);
        var coordinator = await UserAsync(Roles.CountryCoordinator, null, "es", ["PRY"]);
        // March 2031 has no reporting period row: the deadline is the 10th of April.
        var fiveDaysBefore = new DateTimeOffset(2031, 4, 5, 6, 0, 0, TimeSpan.Zero);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SubscriptionJobs>().RunAsync(fiveDaysBefore, Ct);
        }, Ct)));
        var reminder = Assert.Single(await OutboxToAsync(focal.Email), m => m.DedupKey!.Contains("2031-03", StringComparison.Ordinal));
        Assert.Equal($"reminder:{acronym}:BOL:2031-03:b5:{focal.Id}", reminder.DedupKey);
        Assert.StartsWith($"Rekordatorio: e raport di {acronym} di mart 2031", reminder.Subject, StringComparison.Ordinal);
        Assert.Contains("/pap/subscriptions/unsubscribe?token=", reminder.UnsubscribeUrl, StringComparison.Ordinal);
        Assert.Empty(await OutboxToAsync(otherCountry.Email));

        var week = new DateTimeOffset(2031, 4, 14, 6, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 2; i++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SubscriptionJobs>().RunAsync(week, Ct);
        }
        var summary = Assert.Single(await OutboxToAsync(coordinator.Email), m => m.DedupKey == $"summary:{coordinator.Id}:2031-W16");
        Assert.StartsWith("Resumen semanal:", summary.Subject, StringComparison.Ordinal);
        Assert.Contains(acronym + " — Paraguay", summary.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Bolivia", summary.Text, StringComparison.Ordinal);
        Assert.Single(await OutboxToAsync(focal.Email), m => m.DedupKey!.Contains(":2031-03:a1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OneClickUnsubscribe_WorksWithoutCookieOrAntiforgery_AndRefusesABadToken()
    {
        var user = await UserAsync(Roles.OrgFocalPoint, frequency: DeliveryFrequency.Daily);
        var tokens = app.Services.GetRequiredService<SubscriptionTokens>();
        var url = $"/en/subscriptions/unsubscribe?token={Uri.EscapeDataString(tokens.Create(user.Id, UnsubscribeKind.Updates))}";

        var confirm = await app.Client().GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.False(confirm.Headers.Contains("Set-Cookie"));
        Assert.Equal(DeliveryFrequency.Daily, (await DbAsync(db => db.SubscriptionSettings.AsNoTracking().SingleAsync(s => s.UserId == user.Id, Ct))).Frequency);

        // What a mail client sends for RFC 8058: a bare POST, no cookie, no antiforgery token.
        var oneClick = await app.Client().PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }), Ct);
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.False(oneClick.Headers.Contains("Set-Cookie"));
        Assert.Equal(DeliveryFrequency.Off, (await DbAsync(db => db.SubscriptionSettings.AsNoTracking().SingleAsync(s => s.UserId == user.Id, Ct))).Frequency);

        var reminders = $"/pap/subscriptions/unsubscribe?token={Uri.EscapeDataString(tokens.Create(user.Id, UnsubscribeKind.Reminders))}";
        Assert.Equal(HttpStatusCode.OK, (await app.Client().PostAsync(reminders, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }), Ct)).StatusCode);
        Assert.True((await DbAsync(db => db.SubscriptionSettings.AsNoTracking().SingleAsync(s => s.UserId == user.Id, Ct))).RemindersOff);

        var other = await UserAsync(frequency: DeliveryFrequency.Weekly);
        var forged = tokens.Create(other.Id, UnsubscribeKind.Updates)[..^4] + "AAAA";
        foreach (var bad in new[] { forged, "not-a-token", "" })
        {
            var refused = await app.Client().PostAsync($"/en/subscriptions/unsubscribe?token={Uri.EscapeDataString(bad)}",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        Assert.Equal(DeliveryFrequency.Weekly, (await DbAsync(db => db.SubscriptionSettings.AsNoTracking().SingleAsync(s => s.UserId == other.Id, Ct))).Frequency);
    }

    [Fact]
    public async Task Sitemap_ListsPublicDocumentsInEveryLanguage_NeverPartnerOnlyOrDeleted()
    {
        var pub = await DocumentAsync("Sitemap public document", DocumentVisibility.Public, "CHL");
        var partners = await DocumentAsync("Sitemap partner document", DocumentVisibility.Partners, "CHL");
        var deleted = await DocumentAsync("Sitemap deleted document", DocumentVisibility.Public, "CHL");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<DocumentService>().SetDeletedAsync(deleted, true, null, Ct));
        }
        var response = await app.Client().GetAsync("/sitemap.xml", Ct);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var xml = await response.Content.ReadAsStringAsync(Ct);
        foreach (var lang in new[] { "en", "es", "pt", "pap" })
        {
            Assert.Contains($"<loc>http://localhost/{lang}/documents/{pub}</loc>", xml, StringComparison.Ordinal);
            Assert.Contains($"hreflang=\"{lang}\" href=\"http://localhost/{lang}/documents/{pub}\"", xml, StringComparison.Ordinal);
        }
        Assert.DoesNotContain($"/documents/{partners}<", xml, StringComparison.Ordinal);
        Assert.DoesNotContain($"/documents/{deleted}<", xml, StringComparison.Ordinal);
    }
}

/// <summary>The suite drives the scheduler and its own senders: the app's background workers stay off.</summary>
public sealed class SubscriptionsSqliteApp : SqliteAppBase
{
    protected override void AddSettings(Dictionary<string, string?> settings)
    {
        settings["Email:Outbox:Worker"] = "false";
        settings["Subscriptions:SchedulerEnabled"] = "false";
    }
}

public sealed class SubscriptionsPostgresApp : PostgresApp
{
    protected override void AddSettings(Dictionary<string, string?> settings)
    {
        settings["Email:Outbox:Worker"] = "false";
        settings["Subscriptions:SchedulerEnabled"] = "false";
    }
}

public sealed class SubscriptionsSqlite(SubscriptionsSqliteApp app) : SubscriptionsSuite<SubscriptionsSqliteApp>(app);
public sealed class SubscriptionsPostgres(SubscriptionsPostgresApp app) : SubscriptionsSuite<SubscriptionsPostgresApp>(app);

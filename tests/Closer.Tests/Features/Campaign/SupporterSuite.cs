using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Campaign.Pledges;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Closer.Tests.Features.Campaign;

/// <summary>
/// Supporters with consent: double opt-in through the outbox, export for campaign staff, one-click unsubscribe,
/// unconfirmed addresses erased after 7 days, "sign only" keeps nothing, and where pledges came from is counted.
/// </summary>
public abstract partial class SupporterSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => Html.Ct;

    private async Task<T> DbAsync<T>(Func<CloserDbContext, Task<T>> read)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<CloserDbContext>());
    }

    /// <summary>Opens the form at <paramref name="formUrl"/> and sends it with its own hidden fields (token, source) and <paramref name="fields"/>.</summary>
    private static async Task<HttpResponseMessage> PledgeFromAsync(HttpClient client, string formUrl, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(formUrl, Ct);
        fields["__PledgeToken"] = Html.PledgeToken(html);
        if (RefPattern().Match(html) is { Success: true } m)
        {
            fields["Ref"] = WebUtility.HtmlDecode(m.Groups[1].Value);
        }
        return await client.PostAsync("/es/pledge", new FormUrlEncodedContent(fields), Ct);
    }

    private async Task<MimeMessage> MailToAsync(string email)
    {
        for (var i = 0; i < 150; i++)
        {
            if (Directory.Exists(app.MailPickup))
            {
                foreach (var path in Directory.GetFiles(app.MailPickup, "*.eml"))
                {
                    try
                    {
                        var m = MimeMessage.Load(path);
                        if (m.To.Mailboxes.Any(b => b.Address == email))
                        {
                            return m;
                        }
                    }
                    catch (Exception ex) when (ex is IOException or FormatException or ParseException)
                    {
                        // Still being written by the outbox worker.
                    }
                }
            }
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException($"No e-mail to {email}.");
    }

    private static string PathOf(string url) => new Uri(url).PathAndQuery;

    private static async Task<string> ExportAsync(HttpClient staff)
    {
        var response = await staff.GetAsync("/admin/content/supporters?handler=export", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    [Fact]
    public async Task OptIn_Confirm_Export_Unsubscribe()
    {
        var email = $"supporter-{Guid.NewGuid():N}@example.org";
        var client = app.Client();
        var staff = await app.SignedInClientAsync(R.Editor);
        var posted = await PledgeFromAsync(client, "/es/pledge?utm_source=WhatsApp",
            new() { ["Country"] = "COL", ["FirstName"] = "Ana", ["Email"] = email, ["EmailConsent"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/es/pledge?thanks=true&confirm=true", posted.Headers.Location?.OriginalString);
        Assert.Contains("sigue su enlace para confirmar tu dirección", await client.GetStringAsync(posted.Headers.Location!.OriginalString, Ct));

        var pledge = await DbAsync(db => db.Pledges.AsNoTracking().SingleAsync(p => p.Email == email, Ct));
        Assert.Null(pledge.ConfirmedAt);
        Assert.Equal("whatsapp", pledge.Source);
        // Unconfirmed: not on the list staff may use.
        Assert.DoesNotContain(email, await ExportAsync(staff));

        var mail = await MailToAsync(email);
        Assert.Contains("Confirma tu correo electrónico", mail.Subject);
        var unsubscribeHeader = mail.Headers["List-Unsubscribe"];
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        var unsubscribeUrl = (unsubscribeHeader ?? "").Trim('<', '>', ' ');
        var body = mail.TextBody ?? "";
        Assert.Contains(unsubscribeUrl, body);
        var confirmUrl = ConfirmLink().Match(body).Value;
        Assert.NotEmpty(confirmUrl);

        // Opening the link (or a scanner fetching it) confirms nothing; the button does.
        var shown = await client.GetAsync(PathOf(confirmUrl), Ct);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("Acepto recibir noticias de Acortemos Distancias por correo electrónico", await shown.Content.ReadAsStringAsync(Ct));
        Assert.Null((await DbAsync(db => db.Pledges.AsNoTracking().SingleAsync(p => p.Id == pledge.Id, Ct))).ConfirmedAt);
        var confirmed = await client.PostAsync(PathOf(confirmUrl), new FormUrlEncodedContent([]), Ct);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.False(confirmed.Headers.Contains("Set-Cookie"));
        Assert.Contains("tu dirección está confirmada", await confirmed.Content.ReadAsStringAsync(Ct));
        var after = await DbAsync(db => db.Pledges.AsNoTracking().SingleAsync(p => p.Id == pledge.Id, Ct));
        Assert.NotNull(after.ConfirmedAt);
        Assert.Equal(Supporters.ConsentVersion, after.ConsentVersion);
        Assert.Equal("es", after.ConsentLanguage);

        var csv = await ExportAsync(staff);
        var line = csv.Split("\r\n").Single(l => l.StartsWith(email, StringComparison.Ordinal));
        Assert.StartsWith($"{email},Ana,COL,es,", line, StringComparison.Ordinal);
        Assert.EndsWith($",{Supporters.ConsentVersion},es,whatsapp", line);
        Assert.True(await DbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "export" && a.EntityType == "supporters", Ct)));

        // A mail client's one-click unsubscribe (RFC 8058): a POST, no cookie, no session.
        var stop = await app.Client().PostAsync(PathOf(unsubscribeUrl),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }), Ct);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        var gone = await DbAsync(db => db.Pledges.AsNoTracking().SingleAsync(p => p.Id == pledge.Id, Ct));
        Assert.Null(gone.Email);
        Assert.NotNull(gone.UnsubscribedAt);
        Assert.DoesNotContain(email, await ExportAsync(staff));
        // The confirm link cannot bring the address back, and the pledge still counts.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(PathOf(confirmUrl), new FormUrlEncodedContent([]), Ct)).StatusCode);
        Assert.Equal("COL", gone.CountryIso3.Trim());
    }

    [Fact]
    public async Task SignedLinks_CannotBeForged_NorUsedForTheOtherAction()
    {
        var client = app.Client();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/es/pledge/confirm?token=forged", new FormUrlEncodedContent([]), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/es/pledge/unsubscribe?token=forged", new FormUrlEncodedContent([]), Ct)).StatusCode);
        var tokens = app.Services.GetRequiredService<SupporterTokens>();
        var key = Supporters.NewKey();
        var confirm = tokens.Create(SupporterAction.Confirm, key);
        Assert.Null(tokens.Read(SupporterAction.Unsubscribe, confirm));
        Assert.Equal(HttpStatusCode.BadRequest,
            (await client.PostAsync($"/es/pledge/unsubscribe?token={Uri.EscapeDataString(confirm)}", new FormUrlEncodedContent([]), Ct)).StatusCode);
    }

    [Fact]
    public async Task UnconfirmedAddresses_AreErasedAfterSevenDays_PledgesStay()
    {
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        Pledge Make(string tag, TimeSpan age, bool confirmed) => new()
        {
            CountryIso3 = "PER", Language = "pt", Email = $"{tag}-{Guid.NewGuid():N}@example.org", EmailConsent = true,
            SupporterKey = Supporters.NewKey(), CreatedAt = now - age, ConfirmedAt = confirmed ? now - age + TimeSpan.FromHours(1) : null,
        };
        var old = Make("old", TimeSpan.FromDays(8), false);
        var fresh = Make("fresh", TimeSpan.FromDays(6), false);
        var kept = Make("kept", TimeSpan.FromDays(30), true);
        await DbAsync(async db =>
        {
            db.Pledges.AddRange(old, fresh, kept);
            return await db.SaveChangesAsync(Ct);
        });
        var job = app.Services.GetRequiredService<SupporterCleanup>();
        var run = await job.RunOnceAsync(Ct);
        Assert.True(run.Succeeded);
        Assert.True(run.Items >= 1);
        var rows = await DbAsync(db => db.Pledges.AsNoTracking().Where(p => p.Id == old.Id || p.Id == fresh.Id || p.Id == kept.Id).ToDictionaryAsync(p => p.Id, Ct));
        Assert.Null(rows[old.Id].Email);
        Assert.Null(rows[old.Id].SupporterKey);
        Assert.False(rows[old.Id].EmailConsent);
        Assert.Equal(fresh.Email, rows[fresh.Id].Email);
        Assert.Equal(kept.Email, rows[kept.Id].Email);
    }

    [Fact]
    public async Task SignOnly_StoresNoEmail_AndSendsNothing()
    {
        var before = await DbAsync(db => db.EmailOutbox.CountAsync(Ct));
        var response = await PledgeFromAsync(app.Client(), "/es/pledge", new() { ["Country"] = "ECU" });
        Assert.Equal("/es/pledge?thanks=true", response.Headers.Location?.OriginalString);
        var last = await DbAsync(db => db.Pledges.AsNoTracking().OrderByDescending(p => p.Id).FirstAsync(Ct));
        Assert.Equal("ECU", last.CountryIso3.Trim());
        Assert.Null(last.Email);
        Assert.Null(last.FirstName);
        Assert.Null(last.SupporterKey);
        Assert.False(last.EmailConsent);
        Assert.Equal(before, await DbAsync(db => db.EmailOutbox.CountAsync(Ct)));
    }

    [Fact]
    public async Task TheSource_IsCarriedInTheForm_AndCountedPerSource_WithoutACookie()
    {
        var client = app.Client();
        var form = await client.GetAsync("/es/pledge?ref=Telegram", Ct);
        Assert.False(form.Headers.Contains("Set-Cookie"));
        Assert.Contains("name=\"Ref\" value=\"telegram\"", await form.Content.ReadAsStringAsync(Ct));
        // Free text is not a source: it is not carried.
        Assert.DoesNotContain("name=\"Ref\"", await client.GetStringAsync("/es/pledge?ref=%3Cb%3Ehi", Ct));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await PledgeFromAsync(client, "/es/pledge?ref=Telegram", new() { ["Country"] = "BRA" })).StatusCode);
        }
        var sources = await DbAsync(db => Supporters.SourcesAsync(db, Ct));
        Assert.Equal(2, sources.Single(s => s.Source == "telegram").Pledges);
        var page = await (await app.SignedInClientAsync(R.Admin)).GetStringAsync("/admin/content/supporters", Ct);
        Assert.Matches("<th scope=\"row\">telegram</th><td>2</td>", page);
    }

    public static TheoryData<string, string, bool> Matrix()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var page in new[] { "/admin/content/supporters", "/admin/content/supporters?handler=export" })
        {
            foreach (var role in Roles.All)
            {
                data.Add(page, role, role is Roles.PlatformAdmin or Roles.Editor);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task SupporterPages_AreOpenToEditorsAndAdminsOnly(string page, string role, bool allowed)
    {
        var client = await app.SignedInClientAsync(role, role == Roles.OrgFocalPoint ? "ACOGIDA" : null, role == Roles.CountryCoordinator ? ["PER"] : []);
        var response = await client.GetAsync(page, Ct);
        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/account/denied", response.Headers.Location!.OriginalString);
        }
    }

    [Theory]
    [InlineData("/admin/content/supporters")]
    [InlineData("/admin/content/supporters?handler=export")]
    public async Task SupporterPages_SendAnonymousReadersToSignIn(string page)
    {
        var response = await app.Client().GetAsync(page, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString);
    }

    [GeneratedRegex("name=\"Ref\" value=\"([^\"]*)\"")]
    private static partial Regex RefPattern();

    [GeneratedRegex(@"https?://\S+/es/pledge/confirm\?token=\S+")]
    private static partial Regex ConfirmLink();
}

public sealed class SupporterSqlite(CampaignSqliteApp app) : SupporterSuite<CampaignSqliteApp>(app);
public sealed class SupporterPostgres(CampaignPostgresApp app) : SupporterSuite<CampaignPostgresApp>(app);

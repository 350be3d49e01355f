using System.Net;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination.Imports.Kobo;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Coordination.Imports.Kobo;

/// <summary><c>/admin/kobo</c>: who may see and change an organisation's KoboToolbox connection, and that its token never comes back.</summary>
public abstract class KoboPageSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string?, string[], HttpStatusCode> Matrix => new()
    {
        { R.Admin, null, [], HttpStatusCode.OK },
        { R.FocalPoint, "CAMPO", ["COL"], HttpStatusCode.OK },
        { R.Coordinator, null, ["COL"], HttpStatusCode.Forbidden },
        { R.Viewer, null, [], HttpStatusCode.Forbidden },
        { R.Editor, null, [], HttpStatusCode.Forbidden },
        { R.Translator, null, [], HttpStatusCode.Forbidden },
        { Closer.Web.Infrastructure.Security.Roles.Moderator, null, [], HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task KoboPage_OpensForFocalPointsAndAdmins_Only(string role, string? org, string[] countries, HttpStatusCode expected)
    {
        var client = await app.SignedInClientAsync(role, org, countries);
        var get = await client.GetAsync("/admin/kobo?org=CAMPO", Ct);
        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        }
        else
        {
            // A page refuses by sending the person to the access-denied page.
            Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
            Assert.Contains("/account/denied", get.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
        if (expected == HttpStatusCode.Forbidden)
        {
            // Writes are refused too (with a valid antiforgery token from a page the person may open).
            var token = await AppFixture.AntiforgeryTokenAsync(client, "/account/subscriptions");
            var post = await client.PostAsync("/admin/kobo?handler=Save&org=CAMPO", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["ServerUrl"] = "https://kf.kobotoolbox.org", ["AssetUid"] = "aHq7vRkTbN2xZpQs9WmC4d", ["Token"] = "x",
            }), Ct);
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
            Assert.Contains("/account/denied", post.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
    }

    private const string PullMarker = "Row 9, column K: a pull note only readers of this log may see";

    /// <summary>CAMPO operates in Colombia only and pulls from KoboToolbox; its log holds one failed pull with a note.</summary>
    private async Task CampoPullsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var org = await db.Organisations.Include(o => o.Countries).FirstAsync(o => o.Acronym == "CAMPO", Ct);
        org.Countries.Clear();
        org.Countries.Add(new Closer.Web.Features.Organisations.OrganisationCountry { OrganisationId = org.Id, CountryIso3 = "COL" });
        if (!await db.KoboConnections.AnyAsync(c => c.OrganisationId == org.Id, Ct))
        {
            var connection = new KoboConnection
            {
                OrganisationId = org.Id, ServerUrl = "https://kf.kobotoolbox.org", AssetUid = "aCampoLog7731", UserId = "nobody",
                TokenProtected = scope.ServiceProvider.GetRequiredService<KoboPuller>().Protector.Protect("campo-secret-token-7731"),
            };
            db.KoboConnections.Add(connection);
            await db.SaveChangesAsync(Ct);
            var now = TimeProvider.System.GetUtcNow();
            db.KoboPullLogs.Add(new KoboPullLog { ConnectionId = connection.Id, StartedAt = now, FinishedAt = now, Pages = 1, Fetched = 2, Message = PullMarker });
        }
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>Role, organisation, countries, and whether CAMPO's pulls are shown (null: the page is refused).</summary>
    public static TheoryData<string, string?, string[], bool?> PullsMatrix => new()
    {
        { R.Admin, null, [], true },
        { R.Coordinator, null, ["COL"], true },
        { R.Coordinator, null, ["PER", "ECU"], false },
        { R.Coordinator, null, [], null },
        { R.FocalPoint, "CAMPO", ["COL"], true },
        { R.FocalPoint, "FPUENTE", ["COL"], false },
        { R.Viewer, null, ["COL"], null },
        { R.Editor, null, [], null },
        { R.Translator, null, [], null },
        { Closer.Web.Infrastructure.Security.Roles.Moderator, null, [], null },
    };

    [Theory]
    [MemberData(nameof(PullsMatrix))]
    public async Task PullLog_CoordinatorsSeeTheirCountries_FocalPointsTheirOwn_OthersAreRefused(string role, string? org, string[] countries, bool? seesCampo)
    {
        await CampoPullsAsync();
        var client = await app.SignedInClientAsync(role, org, countries);
        var get = await client.GetAsync("/admin/kobo/pulls", Ct);
        if (seesCampo is null)
        {
            Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
            Assert.Contains("/account/denied", get.Headers.Location?.OriginalString, StringComparison.Ordinal);
            return;
        }
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var html = System.Net.WebUtility.HtmlDecode(await get.Content.ReadAsStringAsync(Ct));
        Assert.Equal(seesCampo.Value, html.Contains(PullMarker, StringComparison.Ordinal));
        Assert.Equal(seesCampo.Value, html.Contains("aCampoLog7731", StringComparison.Ordinal));
        Assert.DoesNotContain("campo-secret-token-7731", html, StringComparison.Ordinal);
        Assert.Contains("<h1>KoboToolbox pulls</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullLog_Anonymous_IsSentToSignIn()
    {
        var response = await app.Client().GetAsync("/admin/kobo/pulls", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KoboPage_Anonymous_IsSentToSignIn()
    {
        var response = await app.Client().GetAsync("/admin/kobo", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SavingAConnection_StoresTheTokenEncrypted_NeverShowsItBack_AndAuditsWithoutIt()
    {
        const string secret = "9c1e4b7a2d5f8e0b3a6c9d2f5e8b1a4c7d0e3f6a";
        var client = await app.SignedInClientAsync(R.FocalPoint, "FPUENTE", "COL");
        async Task<HttpResponseMessage> SaveAsync(string server, string token) => await client.PostAsync("/admin/kobo?handler=Save",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(client, "/admin/kobo"),
                ["ServerUrl"] = server, ["AssetUid"] = "aHq7vRkTbN2xZpQs9WmC4d", ["Token"] = token, ["Enabled"] = "true",
            }), Ct);

        var refused = await SaveAsync("http://kf.kobotoolbox.org", secret);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("https://", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync("https://kf.kobotoolbox.org", secret)).StatusCode);
        var page = await client.GetStringAsync("/admin/kobo?done=saved", Ct);
        Assert.DoesNotContain(secret, page, StringComparison.Ordinal);
        Assert.Contains("aHq7vRkTbN2xZpQs9WmC4d", page, StringComparison.Ordinal);

        // Saving again without a token keeps the stored one.
        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync("https://eu.kobotoolbox.org", "")).StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var org = await db.Organisations.Where(o => o.Acronym == "FPUENTE").Select(o => o.Id).SingleAsync(Ct);
        var connection = await db.KoboConnections.AsNoTracking().SingleAsync(c => c.OrganisationId == org, Ct);
        Assert.DoesNotContain(secret, connection.TokenProtected, StringComparison.Ordinal);
        Assert.Equal(secret, scope.ServiceProvider.GetRequiredService<KoboPuller>().Protector.Unprotect(connection.TokenProtected));
        Assert.Equal("https://eu.kobotoolbox.org", connection.ServerUrl);
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "kobo-connection").ToListAsync(Ct);
        Assert.Equal(2, audit.Count(a => a.EntityKey == "FPUENTE"));
        Assert.All(audit, a => Assert.DoesNotContain(secret, a.Changes ?? "", StringComparison.Ordinal));
    }
}

public sealed class KoboPageSqlite(KoboSqliteApp app) : KoboPageSuite<KoboSqliteApp>(app);
public sealed class KoboPagePostgres(KoboPostgresApp app) : KoboPageSuite<KoboPostgresApp>(app);

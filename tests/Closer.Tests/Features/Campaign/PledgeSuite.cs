using System.Globalization;
using System.Net;
using Closer.Tests.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Campaign;

public sealed record Summary(long Total, Dictionary<string, long> ByCountry);

/// <summary>The pledge: counted once, refused without a valid form token, honeypot, consent for e-mail, no cookie.</summary>
public abstract class PledgeSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => Html.Ct;

    private async Task<Summary> SummaryAsync() =>
        (await app.Client().GetFromJsonAsync<Summary>("/api/v1/pledges/summary", Ct))!;

    internal static async Task<HttpResponseMessage> PledgeAsync(HttpClient client, Dictionary<string, string> form, bool withToken = true)
    {
        if (withToken)
        {
            form["__PledgeToken"] = Html.PledgeToken(await client.GetStringAsync("/es/pledge", Ct));
        }
        return await client.PostAsync("/es/pledge", new FormUrlEncodedContent(form), Ct);
    }

    [Fact]
    public async Task PledgePage_SetsNoCookie_AndCarriesASignedToken()
    {
        var response = await app.Client().GetAsync("/es/pledge", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("__RequestVerificationToken", html);
        Assert.True(Html.PledgeToken(html).Length > 40);
    }

    [Fact]
    public async Task ValidPledge_IsCountedExactlyOnce_InTotalAndCountry()
    {
        var before = await SummaryAsync();
        var response = await PledgeAsync(app.Client(), new() { ["Country"] = "URY", ["FirstName"] = "Sofía" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/es/pledge?thanks=true", response.Headers.Location?.OriginalString);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var after = await SummaryAsync();
        Assert.Equal(before.Total + 1, after.Total);
        Assert.Equal(before.ByCountry.GetValueOrDefault("URY") + 1, after.ByCountry["URY"]);
        Assert.Equal(after.Total, after.ByCountry.Values.Sum());
        var thanks = await app.Client().GetStringAsync("/es/pledge?thanks=true", Ct);
        Assert.Contains("¡Gracias! Tu compromiso ha sido contado.", thanks);
    }

    [Fact]
    public async Task ForgedPost_WithoutToken_Is400_AndCountsNothing()
    {
        var before = await SummaryAsync();
        var none = await PledgeAsync(app.Client(), new() { ["Country"] = "COL" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        var tampered = await PledgeAsync(app.Client(), new() { ["Country"] = "COL", ["__PledgeToken"] = "CfDJ8forged" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        // The cookie-based antiforgery token of another form is no substitute.
        var other = await PledgeAsync(app.Client(), new() { ["Country"] = "COL", ["__RequestVerificationToken"] = "x" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Equal(before, await SummaryAsync(), new SummaryComparer());
    }

    [Fact]
    public async Task Honeypot_IsThanked_ButCountsNothing()
    {
        var before = await SummaryAsync();
        var response = await PledgeAsync(app.Client(), new() { ["Country"] = "PER", ["Website"] = "http://spam.invalid" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(before, await SummaryAsync(), new SummaryComparer());
    }

    [Fact]
    public async Task Email_IsKeptOnlyWithConsent()
    {
        var before = await SummaryAsync();
        var refused = await PledgeAsync(app.Client(), new() { ["Country"] = "PAN", ["Email"] = "no-consent@example.org" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("necesitamos tu consentimiento", await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal(before, await SummaryAsync(), new SummaryComparer());

        var ok = await PledgeAsync(app.Client(), new() { ["Country"] = "PAN", ["Email"] = "with-consent@example.org", ["EmailConsent"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        Assert.True(await db.Pledges.AnyAsync(p => p.Email == "with-consent@example.org" && p.EmailConsent, Ct));
        Assert.False(await db.Pledges.AnyAsync(p => p.Email == "no-consent@example.org", Ct));
    }

    [Fact]
    public async Task UnknownCountry_IsRefused()
    {
        var before = await SummaryAsync();
        var response = await PledgeAsync(app.Client(), new() { ["Country"] = "XXX" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(before, await SummaryAsync(), new SummaryComparer());
    }

    [Fact]
    public async Task Counter_OnTheCachedHomePage_FollowsAPledge()
    {
        var client = app.Client();
        var first = await client.GetStringAsync("/en/", Ct);
        var before = await SummaryAsync();
        Assert.Contains(Counter(before.Total), first);
        await PledgeAsync(client, new() { ["Country"] = "CHL" });
        var second = await client.GetStringAsync("/en/", Ct);
        Assert.Contains(Counter(before.Total + 1), second);
    }

    private static string Counter(long total) =>
        $"<strong>{total.ToString("N0", CultureInfo.InvariantCulture)}</strong> {(total == 1 ? "person has" : "people have")} taken a step closer.";

    private sealed class SummaryComparer : IEqualityComparer<Summary>
    {
        public bool Equals(Summary? x, Summary? y) => x!.Total == y!.Total
            && x.ByCountry.Count == y.ByCountry.Count && x.ByCountry.All(p => y.ByCountry.GetValueOrDefault(p.Key) == p.Value);
        public int GetHashCode(Summary obj) => obj.Total.GetHashCode();
    }
}

public sealed class PledgeSqlite(CampaignSqliteApp app) : PledgeSuite<CampaignSqliteApp>(app);
public sealed class PledgePostgres(CampaignPostgresApp app) : PledgeSuite<CampaignPostgresApp>(app);

/// <summary>Too many pledges from one client: refused with 429, and not counted.</summary>
public abstract class PledgeRateLimitSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task ThirdPledgeWithinAnHour_IsRefused_AndNotCounted()
    {
        var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await PledgeSuite<TApp>.PledgeAsync(client, new() { ["Country"] = "ECU" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PledgeSuite<TApp>.PledgeAsync(client, new() { ["Country"] = "ECU" })).StatusCode);
        var third = await PledgeSuite<TApp>.PledgeAsync(client, new() { ["Country"] = "ECU" });
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        var summary = await client.GetFromJsonAsync<Summary>("/api/v1/pledges/summary", Html.Ct);
        Assert.Equal(2, summary!.Total);
        // Reading the form is never limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/es/pledge", Html.Ct)).StatusCode);
    }
}

public sealed class PledgeRateLimitSqlite(PledgeLimitSqliteApp app) : PledgeRateLimitSuite<PledgeLimitSqliteApp>(app);
public sealed class PledgeRateLimitPostgres(PledgeLimitPostgresApp app) : PledgeRateLimitSuite<PledgeLimitPostgresApp>(app);

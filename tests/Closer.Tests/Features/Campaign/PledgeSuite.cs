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

    [Fact]
    public async Task APledge_RerendersThePagesThatCount_NotTheRestOfTheCampaign()
    {
        var client = app.Client();
        await client.GetAsync("/en/stories", Ct);
        Assert.NotNull((await client.GetAsync("/en/stories", Ct)).Headers.Age);
        var country = await client.GetStringAsync("/en/countries/CHL", Ct);
        var chile = (await SummaryAsync()).ByCountry.GetValueOrDefault("CHL");
        Assert.Contains($"<strong>{chile.ToString("N0", CultureInfo.InvariantCulture)}</strong>", country);

        await PledgeAsync(client, new() { ["Country"] = "CHL" });

        // The country's count follows the pledge; the story list, which shows no count, is still the cached copy.
        var after = await client.GetStringAsync("/en/countries/CHL", Ct);
        Assert.Contains($"<strong>{(chile + 1).ToString("N0", CultureInfo.InvariantCulture)}</strong>", after);
        Assert.NotNull((await client.GetAsync("/en/stories", Ct)).Headers.Age);
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

/// <summary>The pledge form token counts once, and only from this site's own pages.</summary>
public abstract class PledgeTokenSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => Html.Ct;

    private async Task<long> CountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CloserDbContext>().Pledges.LongCountAsync(Ct);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string token, string? origin = null, string? referer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/es/pledge")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Country"] = "BRA", ["__PledgeToken"] = token }),
        };
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }
        if (referer is not null)
        {
            request.Headers.TryAddWithoutValidation("Referer", referer);
        }
        return client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task AToken_CountsOnce_AndItsReplay_IsRefusedWithAClearMessage()
    {
        var client = app.Client();
        var token = Html.PledgeToken(await client.GetStringAsync("/es/pledge", Ct));
        var before = await CountAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(client, token, origin: "http://localhost")).StatusCode);
        var replay = await PostAsync(app.Client(), token);
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        var html = await replay.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Este formulario ya se envió y tu compromiso fue contado.", html);
        // The answer carries a fresh token, which counts.
        Assert.NotEqual(token, Html.PledgeToken(html));
        Assert.Equal(before + 1, await CountAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(client, Html.PledgeToken(html))).StatusCode);
        Assert.Equal(before + 2, await CountAsync());
    }

    [Fact]
    public async Task APostFromAnotherSite_IsRefused_AndCountsNothing()
    {
        var client = app.Client();
        var before = await CountAsync();
        var byOrigin = await PostAsync(client, Html.PledgeToken(await client.GetStringAsync("/es/pledge", Ct)), origin: "https://evil.example");
        Assert.Equal(HttpStatusCode.BadRequest, byOrigin.StatusCode);
        var byReferer = await PostAsync(client, Html.PledgeToken(await client.GetStringAsync("/es/pledge", Ct)), referer: "https://evil.example/page");
        Assert.Equal(HttpStatusCode.BadRequest, byReferer.StatusCode);
        var nullOrigin = await PostAsync(client, Html.PledgeToken(await client.GetStringAsync("/es/pledge", Ct)), origin: "null");
        Assert.Equal(HttpStatusCode.BadRequest, nullOrigin.StatusCode);
        Assert.Equal(before, await CountAsync());
        var sameSite = await PostAsync(client, Html.PledgeToken(await client.GetStringAsync("/es/pledge", Ct)), referer: "http://localhost/es/pledge");
        Assert.Equal(HttpStatusCode.Redirect, sameSite.StatusCode);
    }
}

public sealed class PledgeTokenSqlite(CampaignSqliteApp app) : PledgeTokenSuite<CampaignSqliteApp>(app);
public sealed class PledgeTokenPostgres(CampaignPostgresApp app) : PledgeTokenSuite<CampaignPostgresApp>(app);

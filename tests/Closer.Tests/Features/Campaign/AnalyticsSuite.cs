using System.Net;
using Closer.Tests.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Campaign;

/// <summary>Cookie-less campaign analytics: views per page, language and day, cached pages included.</summary>
public abstract class AnalyticsSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => Html.Ct;

    [Fact]
    public async Task PageViews_AreCountedPerPageAndLanguage_IncludingCachedOnes_WithoutCookies()
    {
        var reader = app.Client();
        for (var i = 0; i < 3; i++)
        {
            var response = await reader.GetAsync("/pt/countries/URY", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/pt/stories/does-not-exist", Ct)).StatusCode);
        await reader.GetAsync("/pt/feed.xml", Ct);

        var editor = await app.SignedInClientAsync(R.Editor);
        var html = await editor.GetStringAsync("/admin/content/analytics", Ct);
        Assert.Contains("<th scope=\"row\">/pt/countries/URY</th>", html);
        Assert.Contains("<meter", html);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var row = await db.CampaignPageViews.AsNoTracking().SingleAsync(p => p.Path == "/pt/countries/URY", Ct);
        Assert.Equal(3, row.Views);
        Assert.Equal("pt", row.Language);
        Assert.False(await db.CampaignPageViews.AnyAsync(p => p.Path == "/pt/stories/does-not-exist" || p.Path == "/pt/feed.xml", Ct));

        // A second batch adds to the same row.
        await reader.GetAsync("/pt/countries/URY", Ct);
        await editor.GetStringAsync("/admin/content/analytics", Ct);
        Assert.Equal(4, (await db.CampaignPageViews.AsNoTracking().SingleAsync(p => p.Path == "/pt/countries/URY", Ct)).Views);
    }

    [Fact]
    public async Task Analytics_IsForTheCampaignTeamOnly()
    {
        var viewer = await app.SignedInClientAsync(R.Viewer);
        var response = await viewer.GetAsync("/admin/content/analytics", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/denied", response.Headers.Location!.OriginalString);
    }
}

public sealed class AnalyticsSqlite(CampaignSqliteApp app) : AnalyticsSuite<CampaignSqliteApp>(app);
public sealed class AnalyticsPostgres(CampaignPostgresApp app) : AnalyticsSuite<CampaignPostgresApp>(app);

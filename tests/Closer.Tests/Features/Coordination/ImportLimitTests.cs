using System.Net;
using System.Text;
using Closer.Tests.Infrastructure;

namespace Closer.Tests.Features.Coordination;

/// <summary>The app with at most two imports per user and minute.</summary>
public sealed class TightImportsApp : SqliteAppBase
{
    protected override void AddSettings(Dictionary<string, string?> settings) => settings["RateLimits:ImportsPerMinute"] = "2";
}

public sealed class ImportLimitTests(TightImportsApp app) : IClassFixture<TightImportsApp>
{
    [Fact]
    public async Task Imports_AreRateLimitedPerUser()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await ReportsSuite<TightImportsApp>.ApiAsAsync(app, R.FocalPoint, "CAMPO", "COL");
        async Task<HttpStatusCode> PostAsync()
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("org,country\n")), "file", "x.csv" } };
            return (await client.PostAsync("/api/v1/reports/import", form, ct)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await PostAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await PostAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync());
        var other = await ReportsSuite<TightImportsApp>.ApiAsAsync(app, R.FocalPoint, "CAMPO", "COL");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("org,country\n")), "file", "x.csv" } };
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await other.PostAsync("/api/v1/reports/import", form, ct)).StatusCode);
    }
}

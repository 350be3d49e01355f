using System.Net;
using System.Text;
using Closer.Tests.Infrastructure;

namespace Closer.Tests.Features.Funding;

/// <summary>An app whose import budget is two per minute.</summary>
public sealed class TightImportsApp : SqliteAppBase
{
    protected override void AddSettings(Dictionary<string, string?> settings) => settings["RateLimits:ImportsPerMinute"] = "2";
}

/// <summary>The funding imports are rate limited, by the API and by the back-office upload.</summary>
public sealed class FundingLimitTests(TightImportsApp app) : IClassFixture<TightImportsApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MultipartFormDataContent Csv() =>
        new() { { new ByteArrayContent(Encoding.UTF8.GetBytes("year,donor\r\n")), "file", "funding.csv" } };

    [Fact]
    public async Task ApiImport_BeyondTheBudget_Answers429()
    {
        var admin = await app.ApiClientAsync(R.Admin);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var form = Csv();
            statuses.Add((await admin.PostAsync("/api/v1/funding/import", form, Ct)).StatusCode);
        }
        Assert.Equal([HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task PageUpload_BeyondTheBudget_Answers429_WhileReadingStaysFree()
    {
        var admin = await app.SignedInClientAsync(R.Admin);
        var token = await AppFixture.AntiforgeryTokenAsync(admin, "/admin/funding");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var form = Csv();
            form.Add(new StringContent(token), "__RequestVerificationToken");
            statuses.Add((await admin.PostAsync("/admin/funding?handler=Import", form, Ct)).StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/funding", Ct)).StatusCode);
        }
    }
}

using System.Globalization;
using System.Net;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Coordination;

/// <summary>
/// Issue 16, the partner's work on the reporting page: copy last month (rows offered, nothing stored until saved) and no
/// lost work (a form posted after the session ended comes back after sign-in; the same form posted twice stores once).
/// </summary>
public abstract class PartnerWorkSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<ActivityReport>> ReportsAsync(string org, string month)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CloserDbContext>().ActivityReports.AsNoTracking()
            .Where(r => r.Organisation!.Acronym == org && r.Month == month && r.DeletedAt == null).OrderBy(r => r.Id).ToListAsync(Ct);
    }

    private static async Task CreateAsync(HttpClient api, string month, string admin1, string indicator, string group, string? partner)
    {
        var response = await api.PostAsJsonAsync("/api/v1/reports", new
        {
            org = "CAMPO", implementingPartner = partner, country = "COL", admin1, indicator, month, populationGroup = group, girls = 7, boys = 1, women = 2, men = 3,
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string tokenPage, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(client, tokenPage);
        return await client.PostAsync(path, new FormUrlEncodedContent(fields), Ct);
    }

    [Fact]
    public async Task CopyLastMonth_OffersLastMonthsRowsWithEmptyNumbers_StoresNothing_UntilTheNumbersAreSaved()
    {
        var api = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        const string previous = "2020-07";
        const string month = "2020-08";
        await CreateAsync(api, previous, "CO05", "EDU-01", "destination", "Socio A");
        await CreateAsync(api, previous, "CO05", "EDU-01", "destination", "Socio B");
        await CreateAsync(api, previous, "CO08", "HEA-01", "transit", null);
        // The month already has this one: it is not offered again.
        await CreateAsync(api, month, "CO08", "HEA-01", "transit", null);

        var client = await app.SignedInClientAsync(R.FocalPoint, "CAMPO", "COL");
        var page = $"/admin/reporting?month={month}";
        Assert.Contains("Start from last month", await client.GetStringAsync(page, Ct), StringComparison.Ordinal);
        var copy = await client.GetStringAsync($"/admin/reporting?org=CAMPO&month={month}&copy=1", Ct);
        Assert.Contains("2 rows copied from 2020-07", copy, StringComparison.Ordinal);
        Assert.Contains("name=\"Added[0].Admin1\" value=\"CO05\"", copy, StringComparison.Ordinal);
        Assert.Contains("name=\"Added[0].Partner\" value=\"Socio A\"", copy, StringComparison.Ordinal);
        Assert.Contains("name=\"Added[1].Partner\" value=\"Socio B\"", copy, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Added[2]", copy, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Added[0].Girls\" value=", copy, StringComparison.Ordinal);
        Assert.Single(await ReportsAsync("CAMPO", month));

        // Numbers typed for Socio A only: that row is stored, Socio B's (left empty) is not.
        var saved = await PostAsync(client, $"/admin/reporting?handler=Save&month={month}", page, new()
        {
            ["Added[0].Country"] = "COL", ["Added[0].Admin1"] = "CO05", ["Added[0].Indicator"] = "EDU-01", ["Added[0].Group"] = "destination",
            ["Added[0].Partner"] = "Socio A", ["Added[0].Girls"] = "4", ["Added[0].Boys"] = "5",
            ["Added[1].Country"] = "COL", ["Added[1].Admin1"] = "CO05", ["Added[1].Indicator"] = "EDU-01", ["Added[1].Group"] = "destination",
            ["Added[1].Partner"] = "Socio B",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var reports = await ReportsAsync("CAMPO", month);
        Assert.Equal(2, reports.Count);
        Assert.Equal(("CO05", "Socio A", 9L, ReportStatus.Draft), (reports[1].Admin1PCode, reports[1].ImplementingPartner, reports[1].Total, reports[1].Status));

        // Copied again, only Socio B's row is left to offer.
        var again = await client.GetStringAsync($"/admin/reporting?org=CAMPO&month={month}&copy=1", Ct);
        Assert.Contains("name=\"Added[0].Partner\" value=\"Socio B\"", again, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Added[1]", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormPostedAfterTheSessionEnded_ComesBackAfterSignIn_AndSubmittedTwiceStoresOnce()
    {
        const string month = "2020-09";
        var (email, password) = await app.CreateUserAsync(R.FocalPoint, "CAMPO", "COL");
        var fields = new Dictionary<string, string>
        {
            ["New.Country"] = "COL", ["New.Admin1"] = "CO11", ["New.Indicator"] = "EDU-01", ["New.Group"] = "transit", ["New.Partner"] = "Socio Perdido",
            ["New.Girls"] = "12", ["New.Boys"] = "13", ["New.Women"] = "14", ["New.Men"] = "15",
            ["__RequestVerificationToken"] = "from-a-page-whose-session-ended",
        };

        // No valid session (the auth cookie is gone or expired): the post is kept in an encrypted cookie, not stored.
        var client = app.Client();
        var lost = await client.PostAsync($"/admin/reporting?handler=Save&month={month}&org=CAMPO", new FormUrlEncodedContent(fields), Ct);
        Assert.Equal(HttpStatusCode.Redirect, lost.StatusCode);
        var login = lost.Headers.Location!.ToString();
        Assert.StartsWith("/account/login?", login, StringComparison.Ordinal);
        Assert.Contains("kept=1", login, StringComparison.Ordinal);
        var cookie = Assert.Single(lost.Headers.GetValues("Set-Cookie"), c => c.StartsWith(KeptForms.CookieName, StringComparison.Ordinal));
        Assert.DoesNotContain("Perdido", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await ReportsAsync("CAMPO", month));
        var loginPage = await client.GetStringAsync(login, Ct);
        Assert.Contains("What you typed is kept on this device", loginPage, StringComparison.Ordinal);
        var returnUrl = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(loginPage, "name=\"ReturnUrl\" value=\"([^\"]*)\"").Groups[1].Value);
        Assert.Equal($"/admin/reporting?month={month}&org=CAMPO", returnUrl);

        // Sign in: back to the page (a GET, without the post's handler) with the values typed, still nothing stored.
        var signedIn = await client.PostAsync(login, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = password, ["ReturnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(client, login),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal($"/admin/reporting?month={month}&org=CAMPO", signedIn.Headers.Location!.ToString());
        var page = await client.GetStringAsync(signedIn.Headers.Location!.ToString(), Ct);
        Assert.Contains("what you typed is back", page, StringComparison.Ordinal);
        Assert.Contains("name=\"New.Partner\" value=\"Socio Perdido\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"New.Women\" value=\"14\"", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"CO11\" selected=\"selected\">", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"transit\" selected=\"selected\">", page, StringComparison.Ordinal);
        Assert.Empty(await ReportsAsync("CAMPO", month));
        // The values come back once.
        Assert.DoesNotContain("Socio Perdido", await client.GetStringAsync($"/admin/reporting?month={month}", Ct), StringComparison.Ordinal);

        // Saved (twice: a double click, or the back button and save again): one report.
        var tokenPage = $"/admin/reporting?month={month}";
        for (var i = 0; i < 2; i++)
        {
            var save = await PostAsync(client, $"/admin/reporting?handler=Save&month={month}&org=CAMPO", tokenPage, new Dictionary<string, string>(fields));
            Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        }
        var report = Assert.Single(await ReportsAsync("CAMPO", month));
        Assert.Equal(("Socio Perdido", 54L, 1), (report.ImplementingPartner, report.Total, report.Version));
    }

    [Fact]
    public async Task AKeptForm_IsNotGivenToSomeoneElse()
    {
        const string month = "2020-10";
        var (email, password) = await app.CreateUserAsync(R.FocalPoint, "CAMPO", "COL");
        var owner = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.SignInAsync(owner, email, password)).StatusCode);
        var token = await AppFixture.AntiforgeryTokenAsync(owner, $"/admin/reporting?month={month}");
        // The session ends (signed out elsewhere): the auth cookie is still sent but no longer valid.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Closer.Web.Features.Accounts.AppUser>>();
            Assert.True((await users.UpdateSecurityStampAsync((await users.FindByEmailAsync(email))!)).Succeeded);
        }
        var lost = await owner.PostAsync($"/admin/reporting?handler=Save&month={month}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["New.Country"] = "COL", ["New.Admin1"] = "CO13", ["New.Indicator"] = "EDU-01", ["New.Group"] = "host", ["New.Partner"] = "Socio Privado",
            ["New.Girls"] = "1", ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, lost.StatusCode);
        Assert.Contains("kept=1", lost.Headers.Location!.ToString(), StringComparison.Ordinal);

        // Another person signs in on the same browser: the kept form was from the owner's session, so it is not shown.
        var (other, otherPassword) = await app.CreateUserAsync(R.FocalPoint, "CAMPO", "COL");
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.SignInAsync(owner, other, otherPassword)).StatusCode);
        Assert.DoesNotContain("Socio Privado", await owner.GetStringAsync($"/admin/reporting?month={month}", Ct), StringComparison.Ordinal);
        Assert.Empty(await ReportsAsync("CAMPO", month));
    }

    [Fact]
    public async Task Import_GivesOutlierHints_AsWarningsBesideTheRows_ForEachOfTheThreeReasons_AndStoresTheRows()
    {
        var api = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        // A history for CO15 (totals 13, 23, 33: median 23) and a target of 50 for CO17's series' indicator and group in 2020.
        foreach (var (m, girls) in new[] { ("2020-01", 0), ("2020-02", 10), ("2020-03", 20) })
        {
            var r = await api.PostAsJsonAsync("/api/v1/reports", new
            {
                org = "CAMPO", country = "COL", admin1 = "CO15", indicator = "EDU-01", month = m, populationGroup = "destination", girls, boys = 13,
            }, Ct);
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            db.PlanTargets.RemoveRange(db.PlanTargets.Where(t => t.Year == 2020 && t.CountryIso3 == "COL" && t.IndicatorCode == "PRO-01" && t.PopulationGroup == "host"));
            db.PlanTargets.Add(new PlanTarget { Year = 2020, CountryIso3 = "COL", IndicatorCode = "PRO-01", PopulationGroup = "host", Target = 50, Source = "test" });
            await db.SaveChangesAsync(Ct);
        }
        long population;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            population = await scope.ServiceProvider.GetRequiredService<CloserDbContext>().PopulationFigures.Where(p => p.CountryIso3 == "COL")
                .MaxAsync(p => p.RefugeesAndMigrants, Ct);
        }
        var huge = (population + 1000).ToString(CultureInfo.InvariantCulture);
        var csv = string.Join("\r\n",
            "Organización;Socio implementador;País;Código P admin1;Indicador;Mes;Grupo de población;Niñas;Niños;Mujeres;Hombres;Total",
            "CAMPO;;COL;CO15;EDU-01;2020-04;destination;100;0;0;0;100",
            "CAMPO;;COL;CO17;PRO-01;2020-04;host;60;0;0;0;60",
            $"CAMPO;;COL;CO18;EDU-01;2020-04;transit;{huge};0;0;0;{huge}",
            "CAMPO;;COL;CO19;EDU-01;2020-04;transit;5;0;0;0;5") + "\r\n";
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", "5w.csv");
        var response = await api.PostAsync("/api/v1/reports/import?lang=es", form, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var doc = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal(4, doc.RootElement.GetProperty("imported").GetInt32());
        var warnings = doc.RootElement.GetProperty("warnings").EnumerateArray()
            .Select(w => (Row: w.GetProperty("row").GetInt32(), Message: w.GetProperty("message").GetString()!)).ToList();
        Assert.Equal(3, doc.RootElement.GetProperty("warningCount").GetInt32());
        Assert.Equal([2, 3, 4], warnings.Select(w => w.Row));
        // In the uploader's language, naming the row, the column and the reason with the limit.
        Assert.StartsWith("Fila 2, columna L 'Total': «100»", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("(23)", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("mediana", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("(50)", warnings[1].Message, StringComparison.Ordinal);
        Assert.Contains("meta", warnings[1].Message, StringComparison.Ordinal);
        Assert.Contains("población refugiada y migrante", warnings[2].Message, StringComparison.Ordinal);
        // Warnings, not errors: the rows are stored.
        Assert.Equal(4, (await ReportsAsync("CAMPO", "2020-04")).Count);
    }
}

public sealed class PartnerWorkSqlite(SqliteApp app) : PartnerWorkSuite<SqliteApp>(app);
public sealed class PartnerWorkPostgres(PostgresApp app) : PartnerWorkSuite<PostgresApp>(app);

using System.Globalization;
using System.Net;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Coordination.Reports;
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
        // Two rows copied (their key fixed in hidden fields); the rows after them are the grid's blank rows.
        Assert.DoesNotContain("<input type=\"hidden\" name=\"Added[2].Admin1\"", copy, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"Added[2].Open\" value=\"true\">", copy, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Added[0].Girls\" value=", copy, StringComparison.Ordinal);
        // A copied row is not marked as a blank one (the script adds and narrows rows by that mark).
        Assert.Matches("<tr data-added=\"0\"\\s+data-line=", copy);
        Assert.Contains("<tr data-added=\"2\" data-open=\"true\"", copy, StringComparison.Ordinal);
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
        Assert.DoesNotContain("<input type=\"hidden\" name=\"Added[1].Admin1\"", again, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Blank(int index, string admin1 = "", string indicator = "", params (string Field, string Value)[] typed)
    {
        var fields = new Dictionary<string, string>
        {
            [$"Added[{index}].Open"] = "true", [$"Added[{index}].Country"] = "COL", [$"Added[{index}].Admin1"] = admin1,
            [$"Added[{index}].Indicator"] = indicator, [$"Added[{index}].Group"] = "destination", [$"Added[{index}].Partner"] = "",
        };
        foreach (var (field, value) in typed)
        {
            fields[$"Added[{index}].{field}"] = value;
        }
        return fields;
    }

    [Fact]
    public async Task TheGrid_SavesManyNewAndEditedRowsInOnePost_ABadRowStopsAllWithItsErrorBesideIt_AndKeepsWhatWasTyped()
    {
        const string month = "2020-11";
        var api = await app.ApiClientAsync(R.FocalPoint, "CAMPO", "COL");
        await CreateAsync(api, month, "CO25", "EDU-01", "host", null);
        var existing = Assert.Single(await ReportsAsync("CAMPO", month));
        var client = await app.SignedInClientAsync(R.FocalPoint, "CAMPO", "COL");
        var page = $"/admin/reporting?month={month}";

        // Blank rows ready to fill (numbered after the one report of the grid), and "Add rows".
        var html = await client.GetStringAsync(page, Ct);
        Assert.Contains($"<input type=\"hidden\" name=\"Added[{ReportingModel.BlankRows - 1}].Open\" value=\"true\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"name=\"Added[{ReportingModel.BlankRows}].Open\"", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-added=\"0\" data-open=\"true\" data-line=\"2\">", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Girls · Row 2\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"grid-more\"", html, StringComparison.Ordinal);

        Dictionary<string, string> Form(string badGirls, string badMen)
        {
            var form = new Dictionary<string, string> { ["Rows[0].Id"] = existing.Id.ToString(CultureInfo.InvariantCulture), ["Rows[0].Girls"] = "70", ["Rows[0].Boys"] = "1" };
            foreach (var f in Blank(0, "CO05", "EDU-01", ("Girls", "10"), ("Boys", "11"))
                .Concat(Blank(1, "CO08", "EDU-01", ("Girls", badGirls), ("Partner", "Socio Uno")))
                .Concat(Blank(2, "CO11", "HEA-01", ("Women", "5"), ("Men", badMen)))
                .Concat(Blank(3)).Concat(Blank(4)))
            {
                form[f.Key] = f.Value;
            }
            return form;
        }

        // Without JavaScript, "Add rows" gives the page back with everything typed and more blank rows; nothing is stored.
        var more = await PostAsync(client, $"/admin/reporting?handler=More&month={month}", page, Form("-3", "doce"));
        Assert.Equal(HttpStatusCode.OK, more.StatusCode);
        var moreHtml = await more.Content.ReadAsStringAsync(Ct);
        Assert.Contains($"name=\"Added[{2 * ReportingModel.BlankRows - 1}].Open\"", moreHtml, StringComparison.Ordinal);
        Assert.Contains("name=\"Added[1].Partner\" value=\"Socio Uno\"", moreHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("row-error-", moreHtml, StringComparison.Ordinal);
        Assert.Single(await ReportsAsync("CAMPO", month));

        // A negative figure in one row and a word in another: nothing is stored (not even the good row or the edited one),
        // each error is shown beside its row, and every value comes back as typed.
        var refused = await PostAsync(client, $"/admin/reporting?handler=Save&month={month}", page, Form("-3", "doce"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var refusedHtml = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<tr class=\"coord-row-error\"><td colspan=\"13\" id=\"row-error-4\" role=\"alert\">", refusedHtml, StringComparison.Ordinal);
        Assert.Matches("id=\"row-error-4\"[^>]*>\\s*<span>Row 4 · men: Not a whole number.</span>", refusedHtml);
        Assert.Contains("name=\"Added[2].Men\" value=\"doce\"", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"row-error-4\"", refusedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("row-error-3", refusedHtml, StringComparison.Ordinal);
        var storedBefore = Assert.Single(await ReportsAsync("CAMPO", month));
        Assert.Equal(7L, storedBefore.Girls);

        var negative = await PostAsync(client, $"/admin/reporting?handler=Save&month={month}", page, Form("-3", "6"));
        var negativeHtml = await negative.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, negative.StatusCode);
        Assert.Matches("id=\"row-error-3\"[^>]*>\\s*<span>Row 3 · girls: Numbers may not be negative.</span>", negativeHtml);
        Assert.Contains("name=\"Added[1].Girls\" value=\"-3\"", negativeHtml, StringComparison.Ordinal);
        Assert.Contains("name=\"Added[0].Boys\" value=\"11\"", negativeHtml, StringComparison.Ordinal);
        Assert.Contains("name=\"Rows[0].Girls\" value=\"70\"", negativeHtml, StringComparison.Ordinal);
        Assert.Single(await ReportsAsync("CAMPO", month));

        // A row with a place and an indicator but no number is refused, not saved as zeros.
        var empty = Form("8", "6");
        empty.Remove("Added[1].Girls");
        var noNumbers = await PostAsync(client, $"/admin/reporting?handler=Save&month={month}", page, empty);
        Assert.Contains("Row 3 · girls: Type this row&#x27;s numbers, or clear the row.", await noNumbers.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Single(await ReportsAsync("CAMPO", month));

        // Corrected: the three new rows and the edited one in one save; the two blank rows are left out.
        var saved = await PostAsync(client, $"/admin/reporting?handler=Save&month={month}", page, Form("8", "6"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var reports = await ReportsAsync("CAMPO", month);
        Assert.Equal(4, reports.Count);
        Assert.Equal((70L, 2), (reports[0].Girls, reports[0].Version));
        Assert.Equal([("CO05", 21L, ""), ("CO08", 8L, "Socio Uno"), ("CO11", 11L, "")],
            reports.Skip(1).Select(r => (r.Admin1PCode, r.Total, r.ImplementingPartner)).ToList());
        Assert.All(reports.Skip(1), r => Assert.Equal(ReportStatus.Draft, r.Status));

        // Only the organisation's focal points (and administrators) may use the grid's handlers.
        var coordinator = await app.SignedInClientAsync(R.Coordinator, null, "COL");
        var refusedCoordinator = await PostAsync(coordinator, $"/admin/reporting?handler=More&month={month}&org=CAMPO", "/admin/review", Blank(0));
        Assert.Equal(HttpStatusCode.Redirect, refusedCoordinator.StatusCode);
        Assert.Contains("/account/denied", refusedCoordinator.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(4, (await ReportsAsync("CAMPO", month)).Count);
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

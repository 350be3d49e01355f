using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Xml.Linq;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Documents;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Documents;

public abstract class DocumentsSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<DocumentPage> ListAsync(HttpClient client, string query = "") =>
        (await client.GetFromJsonAsync<DocumentPage>($"/api/v1/documents{query}", Ct))!;

    private async Task<int> IdOfAsync(string titleStart)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        return await db.Documents.Where(d => d.Translations.Any(t => t.Title.StartsWith(titleStart))).Select(d => d.Id).SingleAsync(Ct);
    }

    [Fact]
    public async Task Anonymous_SeesPublicDocumentsOnly_StaffSeesPartnerDocumentsToo()
    {
        var anonymous = await ListAsync(app.Client());
        Assert.True(anonymous.Total >= 4);
        Assert.All(anonymous.Items, d => Assert.Equal(DocumentVisibility.Public, d.Visibility));
        var staff = await ListAsync(await app.SignedInClientAsync(R.Viewer));
        Assert.Contains(staff.Items, d => d.Visibility == DocumentVisibility.Partners);
        Assert.True(staff.Total > anonymous.Total);

        var minutes = await IdOfAsync("Ata da reunião");
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/pt/documents/{minutes}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/documents/{minutes}/download", Ct)).StatusCode);
        var html = await app.Client().GetStringAsync("/pt/documents?q=protecao", Ct);
        Assert.DoesNotContain("Ata da reunião", html);
    }

    [Fact]
    public async Task PartnerOnlyDocuments_AreForPeopleOfAnOrganisationToo_NotForSignedInPeopleWithNeitherOrganisationNorRole()
    {
        var minutes = await IdOfAsync("Ata da reunião");
        var member = await SignedInWithoutRoleAsync("LAZOS");
        Assert.Contains((await ListAsync(member)).Items, d => d.Visibility == DocumentVisibility.Partners);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/pt/documents/{minutes}", Ct)).StatusCode);

        var outsider = await SignedInWithoutRoleAsync(null);
        Assert.All((await ListAsync(outsider)).Items, d => Assert.Equal(DocumentVisibility.Public, d.Visibility));
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/pt/documents/{minutes}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/documents/{minutes}/download", Ct)).StatusCode);
    }

    /// <summary>A signed-in person with no role, belonging to <paramref name="orgAcronym"/> or to no organisation.</summary>
    private async Task<HttpClient> SignedInWithoutRoleAsync(string? orgAcronym)
    {
        var email = $"norole-{Guid.NewGuid():N}@test.invalid";
        const string password = "correct horse battery staple";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            int? org = orgAcronym is null ? null : await db.Organisations.Where(o => o.Acronym == orgAcronym).Select(o => (int?)o.Id).SingleAsync(Ct);
            var user = new Closer.Web.Features.Accounts.AppUser { UserName = email, Email = email, EmailConfirmed = true, OrganisationId = org };
            Assert.True((await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Closer.Web.Features.Accounts.AppUser>>()
                .CreateAsync(user, password)).Succeeded);
        }
        var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.SignInAsync(client, email, password)).StatusCode);
        return client;
    }

    [Theory]
    [InlineData("es", "regularizacion migratoria", "informe-colombia-2021-11.pdf", "regularización migratoria")]
    [InlineData("es", "REGULARIZACIÓN", "informe-colombia-2021-11.pdf", "regularización")]
    [InlineData("pt", "interiorizacao", "relatorio-brasil-2024-07.pdf", "interiorização")]
    [InlineData("pt", "integração no mercado", "relatorio-brasil-2024-07.pdf", "integração no mercado")]
    [InlineData("en", "221,270,000", "plan-2020-health.pdf", "USD 221,270,000")]
    public async Task Search_FindsTextInsideTheFiles_WithOrWithoutAccents_AndShowsThePassage(string lang, string q, string file, string passage)
    {
        var result = await ListAsync(app.Client(), $"?q={Uri.EscapeDataString(q)}&pageSize=50");
        var hit = Assert.Single(result.Items);
        Assert.Equal(file, hit.FileName);
        Assert.Contains(passage, hit.Passage, StringComparison.OrdinalIgnoreCase);
        var html = await app.Client().GetStringAsync($"/{lang}/documents?q={Uri.EscapeDataString(q)}", Ct);
        Assert.Contains(passage, html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Search_GoesThroughTheSiteIndex_WordFormsMatch_AndFiltersNarrowTheRankedList()
    {
        // Plural forms of words the file has in the singular: a substring scan finds nothing, the stemmed index does.
        var hit = Assert.Single((await ListAsync(app.Client(), "?q=regularizaciones%20migratorias&pageSize=50")).Items);
        Assert.Equal("informe-colombia-2021-11.pdf", hit.FileName);
        Assert.Contains("regularización", hit.Passage, StringComparison.OrdinalIgnoreCase);
        // A filter that excludes the only match leaves nothing, and the total says so.
        var elsewhere = await ListAsync(app.Client(), "?q=regularizaciones%20migratorias&country=BRA");
        Assert.Empty(elsewhere.Items);
        Assert.Equal(0, elsewhere.Total);
        // Partner-only files stay out of an anonymous reader's ranked list.
        Assert.DoesNotContain((await ListAsync(app.Client(), "?q=reuni%C3%A3o&pageSize=50")).Items, d => d.Visibility == DocumentVisibility.Partners);
    }

    [Fact]
    public async Task Filters_ByTypeCountryYearAndLanguage()
    {
        Assert.All((await ListAsync(app.Client(), "?type=SituationReport")).Items, d => Assert.Equal(DocumentType.SituationReport, d.Type));
        var col = await ListAsync(app.Client(), "?country=COL");
        Assert.NotEmpty(col.Items);
        Assert.All(col.Items, d => Assert.Contains("COL", d.Countries));
        Assert.All((await ListAsync(app.Client(), "?year=2024")).Items, d => Assert.Equal(2024, d.Date.Year));
        Assert.All((await ListAsync(app.Client(), "?lang=pt")).Items, d => Assert.Equal("pt", d.FileLanguage));
        Assert.Empty((await ListAsync(app.Client(), "?q=xylophone-zebra")).Items);
    }

    [Fact]
    public async Task Upload_NewVersion_KeepsTheOldOneReachable_AndDeleteIsRestorable()
    {
        var client = await app.SignedInClientAsync(R.Editor);
        // An anonymous reader's cached list page must show the new document at once.
        Assert.DoesNotContain("Hoja informativa de prueba", await app.Client().GetStringAsync("/es/documents", Ct));
        var af = await AppFixture.AntiforgeryTokenAsync(client, "/admin/documents");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(af), "__RequestVerificationToken" },
            { new StringContent("Hoja informativa de prueba"), "title_es" },
            { new StringContent("Guidance"), "type" },
            { new StringContent("Public"), "visibility" },
            { new StringContent("es"), "fileLanguage" },
            { new StringContent("2026-11-01"), "date" },
            { new StringContent("ECU"), "countries" },
            { new StringContent("Education"), "sectors" },
        };
        var v1 = DemoDocuments.Pdf("Hoja informativa", "Matrícula escolar de niñas y niños venezolanos en Quito.");
        var file = new ByteArrayContent(v1);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "hoja.pdf");
        var created = await client.PostAsync("/admin/documents?handler=Upload", form, Ct);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = await IdOfAsync("Hoja informativa de prueba");
        Assert.Contains("Hoja informativa de prueba", await app.Client().GetStringAsync("/es/documents", Ct));
        Assert.Contains("Matrícula escolar", (await ListAsync(app.Client(), "?q=matricula")).Items.Single().Passage);

        var af2 = await AppFixture.AntiforgeryTokenAsync(client, $"/admin/documents/{id}");
        using var form2 = new MultipartFormDataContent { { new StringContent(af2), "__RequestVerificationToken" } };
        var v2 = DemoDocuments.Docx("Hoja informativa v2", "Transporte escolar gratuito desde enero.");
        form2.Add(new ByteArrayContent(v2), "file", "hoja-v2.docx");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/admin/documents/{id}?handler=Version", form2, Ct)).StatusCode);

        var current = await app.Client().GetByteArrayAsync($"/documents/{id}/download", Ct);
        var old = await app.Client().GetByteArrayAsync($"/documents/{id}/download?v=1", Ct);
        Assert.Equal(SHA256.HashData(v2), SHA256.HashData(current));
        Assert.Equal(SHA256.HashData(v1), SHA256.HashData(old));
        // Search follows the current file.
        Assert.Empty((await ListAsync(app.Client(), "?q=matricula")).Items);
        Assert.Single((await ListAsync(app.Client(), "?q=transporte escolar")).Items);

        var af3 = await AppFixture.AntiforgeryTokenAsync(client, $"/admin/documents/{id}");
        await client.PostAsync($"/admin/documents/{id}?handler=Delete", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = af3 }), Ct);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/es/documents/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client().GetAsync($"/documents/{id}/download", Ct)).StatusCode);
        Assert.DoesNotContain("Hoja informativa de prueba", await app.Client().GetStringAsync("/es/documents", Ct));
        var af4 = await AppFixture.AntiforgeryTokenAsync(client, $"/admin/documents/{id}");
        await client.PostAsync($"/admin/documents/{id}?handler=Restore", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = af4 }), Ct);
        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync($"/es/documents/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Upload_OfAWrongFile_Is422_AndStoresNothing()
    {
        var client = await app.SignedInClientAsync(R.Admin);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var before = await db.Documents.CountAsync(Ct);
        var af = await AppFixture.AntiforgeryTokenAsync(client, "/admin/documents");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(af), "__RequestVerificationToken" },
            { new StringContent("Programa"), "title_en" },
            { new StringContent("en"), "fileLanguage" },
            { new StringContent("2026-11-01"), "date" },
        };
        form.Add(new ByteArrayContent("MZ\u0090 not a document"u8.ToArray()), "file", "setup.exe");
        var response = await client.PostAsync("/admin/documents?handler=Upload", form, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Only PDF, DOCX, XLSX and PPTX files are accepted.", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(before, await db.Documents.CountAsync(Ct));
    }

    [Fact]
    public async Task Viewer_CannotManageDocuments()
    {
        var client = await app.SignedInClientAsync(R.Viewer);
        var response = await client.GetAsync("/admin/documents", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/denied", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("es")]
    [InlineData("pap")]
    public async Task Feed_IsValidAtom_WithPublicDocumentsOnly(string lang)
    {
        var response = await app.Client().GetAsync($"/{lang}/documents/feed.xml", Ct);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        XNamespace atom = "http://www.w3.org/2005/Atom";
        Assert.Equal(atom + "feed", xml.Root!.Name);
        var entries = xml.Root.Elements(atom + "entry").ToList();
        Assert.True(entries.Count >= 4);
        Assert.All(entries, e => Assert.NotNull(e.Element(atom + "updated")));
        Assert.DoesNotContain(entries, e => e.Element(atom + "title")!.Value.Contains("Ata da reunião", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DocumentPages_SetNoCookieForAnonymousReaders()
    {
        var response = await app.Client().GetAsync("/es/documents", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }
}

public sealed class DocumentsSqlite(SqliteApp app) : DocumentsSuite<SqliteApp>(app);
public sealed class DocumentsPostgres(PostgresApp app) : DocumentsSuite<PostgresApp>(app);

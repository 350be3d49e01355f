using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Closer.Tests.Features.Campaign;
using Closer.Tests.Features.Forum;
using Closer.Web.Features.Documents;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Infrastructure.Text;

/// <summary>
/// The corpus of <see cref="UnicodeCorpus"/> through every kind of text field, on both databases: no input is a 500,
/// what is stored is the text given (or refused with a clear error), and what is folded or cut is whole characters.
/// </summary>
public abstract class UnicodeFieldsSuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void NotAServerError(HttpResponseMessage response, string sample) =>
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {Escape(sample)}");

    private static string Escape(string s) => string.Concat(s.Select(c => c < 128 ? c.ToString() : $"\\u{(int)c:X4}"));

    [Fact]
    public async Task Search_TakesAnyText()
    {
        foreach (var sample in UnicodeCorpus.Samples)
        {
            foreach (var path in new[] { "/en/search?q=", "/es/documents?q=", "/api/v1/documents?q=" })
            {
                var response = await app.Client().GetAsync(path + Uri.EscapeDataString(sample), Ct);
                NotAServerError(response, sample);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task CampaignTitlesAndBodies_KeepTheirText_AndGetAValidSlug()
    {
        var editor = await app.SignedInClientAsync(R.Editor);
        foreach (var kind in new[] { "Story", "Fact", "Press" })
        {
            foreach (var sample in UnicodeCorpus.Samples)
            {
                var title = sample + " " + Guid.NewGuid().ToString("N")[..6];
                var form = new Dictionary<string, string>
                {
                    ["Kind"] = kind, ["Language"] = "en", ["Title"] = title,
                    ["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(editor, "/admin/content"),
                };
                var created = await editor.PostAsync("/admin/content", new FormUrlEncodedContent(form), Ct);
                NotAServerError(created, sample);
                if (created.StatusCode != HttpStatusCode.Redirect)
                {
                    continue; // refused (too long) with a message: checked to be no 500 above
                }
                var page = created.Headers.Location!.OriginalString;
                var save = await editor.PostAsync(page + "?handler=Save", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Title"] = title, ["Slug"] = Slugs.Slugify(title), ["Summary"] = sample, ["Body"] = sample + "\n\n" + sample,
                    ["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(editor, page),
                }), Ct);
                NotAServerError(save, sample);
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
                var stored = await db.CampaignTranslations.AsNoTracking().SingleAsync(t => t.Title == title.Trim(), Ct);
                Assert.True(Slugs.IsValidSlug(stored.Slug), stored.Slug);
                Assert.False(UnicodeCorpus.HasLoneSurrogate(stored.SearchText));
            }
        }
    }

    [Fact]
    public async Task PledgeFirstName_IsStoredOrRefused_NeverA500()
    {
        foreach (var sample in UnicodeCorpus.Samples)
        {
            var response = await PledgeSuite<TApp>.PledgeAsync(app.Client(), new() { ["Country"] = "COL", ["FirstName"] = sample });
            NotAServerError(response, sample);
            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Redirect, HttpStatusCode.UnprocessableEntity });
        }
    }

    [Fact]
    public async Task DocumentTitles_AreStoredOrRefused_NeverA500()
    {
        var client = await app.SignedInClientAsync(R.Editor);
        foreach (var sample in UnicodeCorpus.Samples)
        {
            var title = sample + " " + Guid.NewGuid().ToString("N")[..6];
            using var form = new MultipartFormDataContent
            {
                { new StringContent(await AppFixture.AntiforgeryTokenAsync(client, "/admin/documents")), "__RequestVerificationToken" },
                { new StringContent(title), "title_en" },
                { new StringContent(sample), "summary_en" },
                { new StringContent("Guidance"), "type" },
                { new StringContent("Public"), "visibility" },
                { new StringContent("en"), "fileLanguage" },
                { new StringContent("2026-11-01"), "date" },
            };
            var file = new ByteArrayContent(DemoDocuments.Pdf("Corpus", "A plain file: the title and summary carry the text."));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(file, "file", "corpus.pdf");
            var response = await client.PostAsync("/admin/documents?handler=Upload", form, Ct);
            NotAServerError(response, sample);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.True(await Listing(title), Escape(title));
            }
        }

        async Task<bool> Listing(string title)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            return await db.Documents.AnyAsync(d => d.Translations.Any(t => t.Title == title), Ct);
        }
    }

    [Fact]
    public async Task ForumThreadsAndPosts_KeepTheirText()
    {
        var kit = new ForumTestKit(app);
        var space = await kit.SpaceAsync("Health: access");
        foreach (var sample in UnicodeCorpus.Samples)
        {
            var client = await kit.ApiAsync(Roles.Viewer, "MANOS");
            var thread = await client.PostAsJsonAsync($"/api/v1/forum/spaces/{space}/threads", new { title = sample, body = sample }, Ct);
            NotAServerError(thread, sample);
            if (thread.StatusCode == HttpStatusCode.Created)
            {
                var id = (await thread.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetInt32();
                var reply = await client.PostAsJsonAsync($"/api/v1/forum/threads/{id}/posts", new { body = sample + " reply" }, Ct);
                NotAServerError(reply, sample);
                NotAServerError(await app.Client().GetAsync($"/en/forum/threads/{id}", Ct), sample);
            }
        }
    }

    [Fact]
    public async Task OrganisationNames_AreStoredOrRefused_NeverA500()
    {
        var admin = await app.ApiClientAsync(R.Admin);
        foreach (var sample in UnicodeCorpus.Samples)
        {
            var put = await admin.PutAsJsonAsync("/api/v1/organisations/MANOS", new { name = sample, website = "https://manos.example.org" }, Ct);
            NotAServerError(put, sample);
            if (put.IsSuccessStatusCode)
            {
                var after = await app.Client().GetFromJsonAsync<Closer.Web.Features.Organisations.OrganisationDto>("/api/v1/organisations/MANOS", Ct);
                Assert.Equal(sample.Trim(), after!.Name);
            }
        }
    }
}

public sealed class UnicodeFieldsSqlite(CampaignSqliteApp app) : UnicodeFieldsSuite<CampaignSqliteApp>(app);
public sealed class UnicodeFieldsPostgres(CampaignPostgresApp app) : UnicodeFieldsSuite<CampaignPostgresApp>(app);

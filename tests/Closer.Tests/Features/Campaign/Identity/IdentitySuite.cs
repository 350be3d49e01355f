using System.Net;
using System.Text.RegularExpressions;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Features.Campaign.Identity;
using Closer.Web.Features.OpenData;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Features.Campaign.Identity;

/// <summary>
/// The campaign's name and mark, set in the back office: platform admins only, antiforgery on, every change a revision
/// that can be restored, the mark sanitised and served as an image; the public header carries it, the back office and
/// footer keep "Closer".
/// </summary>
public abstract partial class IdentitySuite<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private const string Page = "/admin/content/identity";
    private static CancellationToken Ct => Html.Ct;

    private async Task<T> DbAsync<T>(Func<CloserDbContext, Task<T>> read)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<CloserDbContext>());
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await AppFixture.AntiforgeryTokenAsync(client, Page);
        return await client.PostAsync(Page + (fields.Remove("handler", out var h) ? $"?handler={h}" : ""), new FormUrlEncodedContent(fields), Ct);
    }

    private static Dictionary<string, string> Names(string en, string es, string pt, string pap, string mark = "") => new()
    {
        ["NameEn"] = en, ["NameEs"] = es, ["NamePt"] = pt, ["NamePap"] = pap, ["MarkSvg"] = mark,
    };

    [Fact]
    public async Task AnAdmin_RenamesTheCampaign_WithAHostileMarkSanitised_AndRestoresTheOldOne()
    {
        var admin = await app.SignedInClientAsync(R.Admin);
        var form = await admin.GetStringAsync(Page, Ct);
        // With no revision yet, the form starts from today's names.
        Assert.Contains("value=\"Acortemos Distancias\"", form);
        Assert.Contains("value=\"Un Paso Mas Serka\"", form);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(admin, Names("One Step Closer", "Acortemos Distancias", "Reduzindo a Distância", "Un Paso Mas Serka"))).StatusCode);

        const string hostile = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\" onload=\"alert(1)\"><script>alert(2)</script><circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"#0b5d7a\"/><image href=\"https://evil.example/p.png\"/></svg>";
        var saved = await PostAsync(admin, Names("Neighbours Now", "Vecinos Ya", "Vizinhos Já", "Bisiña Awor", hostile));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var savedHtml = WebUtility.HtmlDecode(await saved.Content.ReadAsStringAsync(Ct));
        Assert.Contains("image, onload, script", savedHtml);

        // The public header carries the new name and mark; the back office and footer keep the platform's name.
        var home = await app.Client().GetStringAsync("/pap/", Ct);
        Assert.Matches("<a class=\"brand\" href=\"/pap/\">\\s*<img src=\"/campaign/mark/\\d+.svg\" alt=\"\" width=\"32\" height=\"32\">\\s*<span>Bisiña Awor</span></a>", home);
        Assert.DoesNotContain("Un Paso Mas Serka", home);
        Assert.Contains("Closer", Footer().Match(home).Value);
        Assert.Contains("<span>Closer</span>", await admin.GetStringAsync("/admin/content", Ct));

        var markPath = MarkSrc().Match(home).Groups[1].Value;
        var mark = await app.Client().GetAsync(markPath, Ct);
        Assert.Equal("image/svg+xml", mark.Content.Headers.ContentType!.MediaType);
        Assert.Contains("sandbox", mark.Headers.GetValues("Content-Security-Policy").Single());
        var svg = await mark.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"#0b5d7a\" />", svg);
        Assert.DoesNotContain("alert", svg);
        Assert.DoesNotContain("evil.example", svg);

        // Three revisions; restoring the first makes a fourth with its values, and the built-in mark is back.
        var revisions = await DbAsync(db => db.CampaignIdentityRevisions.AsNoTracking().OrderBy(r => r.Id).ToListAsync(Ct));
        Assert.Equal(2, revisions.Count);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(admin, new() { ["handler"] = "restore", ["revision"] = revisions[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })).StatusCode);
        var after = await DbAsync(db => db.CampaignIdentityRevisions.AsNoTracking().OrderBy(r => r.Id).ToListAsync(Ct));
        Assert.Equal(3, after.Count);
        Assert.Equal(revisions[0].Id, after[2].RestoredFrom);
        Assert.Null(after[2].MarkSvg);
        var restored = await app.Client().GetStringAsync("/es/", Ct);
        Assert.Contains("<span>Acortemos Distancias</span></a>", restored);
        Assert.Contains("<svg class=\"mark\"", restored);
        // The old mark stays reachable under its own address (a revision is never deleted).
        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync(markPath, Ct)).StatusCode);
        Assert.Equal(3, await DbAsync(db => db.AuditEntries.CountAsync(a => a.EntityType == "campaign-identity", Ct)));
    }

    [Fact]
    public async Task ACommittedRevision_ShowsAsSoonAsItsCommitIsHeard_AndNoPageReadsTheDatabaseForIt()
    {
        var store = app.Services.GetRequiredService<IdentityStore>();
        var cache = app.Services.GetRequiredService<IOutputCacheStore>();
        try
        {
            // A revision committed through any write path, not only the back-office page: this node hears the commit.
            var id = await DbAsync(async db =>
            {
                var revision = new IdentityRevision { NameEn = "Heard", NameEs = "Oído", NamePt = "Ouvido", NamePap = "Tende", CreatedBy = "test" };
                db.CampaignIdentityRevisions.Add(revision);
                await db.SaveChangesAsync(Ct);
                return revision.Id;
            });
            await store.Reloading;
            Assert.Contains("<span>Tende</span></a>", await app.Client().GetStringAsync("/pap/", Ct));

            // A change written around SaveChanges is a commit nobody announced (as another node's, before its message
            // arrives): pages do not show it, however often they are asked for, because none reads the identity itself...
            await DbAsync(db => db.CampaignIdentityRevisions.Where(r => r.Id == id).ExecuteUpdateAsync(u => u.SetProperty(r => r.NamePap, "Otro Nomber"), Ct));
            for (var i = 0; i < 3; i++)
            {
                await cache.EvictByTagAsync(ContentService.CacheTag, Ct);
                Assert.Contains("<span>Tende</span></a>", await app.Client().GetStringAsync("/pap/", Ct));
            }

            // ...and they do once the other node's message comes (that node has evicted the shared page cache).
            app.Services.GetRequiredService<DataChangeBus>().Receive("another-node|" + DataStamps.CampaignIdentity);
            await store.Reloading;
            await cache.EvictByTagAsync(ContentService.CacheTag, Ct);
            Assert.Contains("<span>Otro Nomber</span></a>", await app.Client().GetStringAsync("/pap/", Ct));
        }
        finally
        {
            // The class's other tests start from no revision (tests may delete; the app never does).
            await DbAsync(db => db.CampaignIdentityRevisions.ExecuteDeleteAsync(Ct));
            await store.ReloadAsync(Ct);
            await cache.EvictByTagAsync(ContentService.CacheTag, Ct);
        }
    }

    [Theory]
    [InlineData("", "Vecinos", "Vizinhos", "Bisiña", "", "The campaign needs a name in every language")]
    [InlineData("Neighbours", "Vecinos", "Vizinhos", "Bisiña", "<svg><circle></svg>", "The mark is not a well-formed SVG file.")]
    [InlineData("Neighbours", "Vecinos", "Vizinhos", "Bisiña", "<html/>", "The mark must be an SVG drawing")]
    public async Task BadInput_IsRefusedWithAMessage_AndSavesNothing(string en, string es, string pt, string pap, string mark, string message)
    {
        var admin = await app.SignedInClientAsync(R.Admin);
        var before = await DbAsync(db => db.CampaignIdentityRevisions.CountAsync(Ct));
        var response = await PostAsync(admin, Names(en, es, pt, pap, mark));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)));
        Assert.Equal(before, await DbAsync(db => db.CampaignIdentityRevisions.CountAsync(Ct)));
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryToken_IsRefused()
    {
        var admin = await app.SignedInClientAsync(R.Admin);
        var response = await admin.PostAsync(Page, new FormUrlEncodedContent(Names("A", "B", "C", "D")), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await DbAsync(db => db.CampaignIdentityRevisions.CountAsync(r => r.NameEn == "A", Ct)));
    }

    public static TheoryData<string, string, bool> Matrix()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var page in new[] { Page })
        {
            foreach (var role in Roles.All)
            {
                data.Add(page, role, role == Roles.PlatformAdmin);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task TheIdentityPage_IsOpenToPlatformAdminsOnly(string page, string role, bool allowed)
    {
        var client = await app.SignedInClientAsync(role, role == Roles.OrgFocalPoint ? "ACOGIDA" : null, role == Roles.CountryCoordinator ? ["PER"] : []);
        var response = await client.GetAsync(page, Ct);
        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/denied", response.Headers.Location!.OriginalString);
        // Posting is refused too (the token comes from a page this role may open).
        var denied = await (await client.GetAsync("/account/denied", Ct)).Content.ReadAsStringAsync(Ct);
        var token = WebUtility.HtmlDecode(Token().Match(denied).Groups[1].Value);
        Assert.NotEmpty(token);
        var post = await client.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>(Names("X", "X", "X", "X")) { ["__RequestVerificationToken"] = token }), Ct);
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(0, await DbAsync(db => db.CampaignIdentityRevisions.CountAsync(r => r.NameEn == "X", Ct)));
    }

    [Fact]
    public async Task TheIdentityPage_SendsAnonymousReadersToSignIn()
    {
        var response = await app.Client().GetAsync(Page, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<footer[\\s\\S]*</footer>")]
    private static partial Regex Footer();

    [GeneratedRegex("<a class=\"brand\" href=\"/pap/\">\\s*<img src=\"([^\"]+)\"")]
    private static partial Regex MarkSrc();
}

public sealed class IdentitySqlite(CampaignSqliteApp app) : IdentitySuite<CampaignSqliteApp>(app);
public sealed class IdentityPostgres(CampaignPostgresApp app) : IdentitySuite<CampaignPostgresApp>(app);

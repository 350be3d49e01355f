using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Closer.BrowserTests.Security;

/// <summary>
/// The XSS corpus (tests/Shared/xss-payloads.txt, over a hundred payloads) sent through every place user text
/// enters — campaign content, forum threads and posts, spreadsheet cells (stored and echoed in errors),
/// organisation names, uploaded file names — then rendered in Chromium. Nothing may run: no dialog, no page
/// error, no script refused by the CSP (the sanitizer must stop it before the CSP has to), and no live
/// handler, script, frame or javascript: URL in the page's DOM. Each payload carries a marker so the test
/// also proves the text was really rendered.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed partial class XssTests(BrowserFixture browser, XssTests.XssApp fixture) : IClassFixture<XssTests.XssApp>
{
    /// <summary>A private app with the forum's and imports' per-person limits raised: one person writes everything.</summary>
    public sealed class XssApp : IAsyncLifetime
    {
        public AppProcess App { get; private set; } = null!;
        public string Token { get; private set; } = "";

        public async ValueTask InitializeAsync()
        {
            if (BrowserFixture.ChromiumPath is null)
            {
                return;
            }
            App = await AppProcess.StartAsync(new Dictionary<string, string>
            {
                ["Forum__ThreadsPerHour"] = "1000",
                ["Forum__PostsPerHour"] = "1000",
                ["Forum__NewAccountDays"] = "0",
                ["RateLimits__ImportsPerMinute"] = "1000",
            });
            Token = await App.CreateTokenAsync(App.AdminEmail, "xss corpus");
        }

        public async ValueTask DisposeAsync()
        {
            if (App is not null)
            {
                await App.DisposeAsync();
            }
        }

        public HttpClient Api()
        {
            var http = new HttpClient { BaseAddress = App.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            return http;
        }

        /// <summary>A cookie session of the administrator, for back-office forms.</summary>
        public async Task<HttpClient> SignedInAsync()
        {
            var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
            var http = new HttpClient(handler) { BaseAddress = App.BaseAddress };
            var response = await PostFormAsync(http, "/account/login", null, new()
            {
                ["Input.Email"] = App.AdminEmail,
                ["Input.Password"] = App.AdminPassword,
            });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            return http;
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static IReadOnlyList<string> Payloads { get; } = File.ReadAllLines(Path.Combine(Repository.Root, "tests", "Shared", "xss-payloads.txt"))
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .ToList();

    /// <summary>The entries of a list answer, whether it is a bare array or a page with <c>items</c>.</summary>
    private static JsonElement.ArrayEnumerator Items(JsonElement list) =>
        (list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("items")).EnumerateArray();

    private static string Marker(int i) => $"xssmark{i:000}";

    /// <summary>Each payload with its marker after it, as its own Markdown block.</summary>
    private static string MarkdownCorpus(IEnumerable<int> indexes) =>
        string.Join("\n\n", indexes.Select(i => Payloads[i].Replace("\\n", "\n", StringComparison.Ordinal) + "\n\n" + Marker(i)));

    [Fact]
    public void Corpus_HasOverAHundredPayloads() => Assert.True(Payloads.Count >= 100, $"{Payloads.Count} payloads");

    [Fact]
    public async Task Detector_CatchesAPayloadThatRuns()
    {
        // The checks below would pass vacuously if the listeners or the DOM audit were blind: prove they see one.
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Desktop(), fixture.App);
        await page.SetContentAsync("<main><img src=x onerror=alert(1)><a href='javascript:alert(2)'>x</a></main>");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains(problems, p => p.StartsWith("dialog:", StringComparison.Ordinal));
        var dom = await page.EvaluateAsync<string[]>(DomAudit);
        Assert.Contains(dom, d => d.Contains("onerror", StringComparison.Ordinal));
        Assert.Contains(dom, d => d.Contains("javascript:", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CampaignContent_TitlesAndBodies_RenderInert()
    {
        using var editor = await fixture.SignedInAsync();
        var slugs = new List<string>();
        // The whole corpus in bodies (in four stories, so one unclosed tag cannot hide the rest), payloads in titles and summaries.
        foreach (var chunk in Enumerable.Range(0, Payloads.Count).Chunk(32))
        {
            var created = await PostFormAsync(editor, "/admin/content", null, new() { ["Kind"] = "Story", ["Language"] = "en", ["Title"] = "XSS story " + chunk[0] });
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            var itemPage = created.Headers.Location!.OriginalString;
            var slug = $"xss-story-{chunk[0]}-{Guid.NewGuid():N}"[..24];
            var title = Payloads[chunk[0]].Replace("\\n", " ", StringComparison.Ordinal) + " " + Marker(chunk[0]);
            var saved = await PostFormAsync(editor, itemPage, "Save", new()
            {
                ["Title"] = title[..Math.Min(title.Length, 200)],
                ["Slug"] = slug,
                ["Summary"] = Payloads[chunk[^1]].Replace("\\n", " ", StringComparison.Ordinal),
                ["Body"] = MarkdownCorpus(chunk),
            });
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(editor, itemPage, "Move", new() { ["To"] = "InReview" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(editor, itemPage, "Move", new() { ["To"] = "Published" })).StatusCode);
            slugs.Add(slug);
            await AssertInertAsync(itemPage, signedIn: true, []);
        }
        for (var s = 0; s < slugs.Count; s++)
        {
            var chunk = Enumerable.Range(s * 32, Math.Min(32, Payloads.Count - (s * 32)));
            await AssertInertAsync($"/en/stories/{slugs[s]}", signedIn: false, chunk.Select(Marker));
        }
        await AssertInertAsync("/en/stories", signedIn: false, []);
        await AssertInertAsync("/en/search?q=xssmark", signedIn: false, []);
    }

    [Fact]
    public async Task ForumThreadsAndPosts_RenderInert()
    {
        using var api = fixture.Api();
        var spaces = await api.GetFromJsonAsync<JsonElement>("/api/v1/forum/spaces", Ct);
        var space = Items(spaces).First(s => !s.TryGetProperty("visibility", out var v) || v.GetString() == "Public").GetProperty("id").GetInt32();

        var threads = new List<int>();
        foreach (var chunk in Enumerable.Range(0, Payloads.Count).Chunk(16))
        {
            var title = Payloads[chunk[0]].Replace("\\n", " ", StringComparison.Ordinal);
            var created = await api.PostAsJsonAsync($"/api/v1/forum/spaces/{space}/threads",
                new { title = title[..Math.Min(title.Length, 150)] + " " + Marker(chunk[0]), body = MarkdownCorpus(chunk[..8]) }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var thread = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt32();
            var reply = await api.PostAsJsonAsync($"/api/v1/forum/threads/{thread}/posts", new { body = MarkdownCorpus(chunk[8..]) }, Ct);
            Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
            threads.Add(thread);
        }
        // The administrator sees held posts too, so every payload is on the page whatever the personal-data check decided.
        for (var t = 0; t < threads.Count; t++)
        {
            await AssertInertAsync($"/en/forum/threads/{threads[t]}", signedIn: true,
                Enumerable.Range(t * 16, Math.Min(16, Payloads.Count - (t * 16))).Select(Marker));
            await AssertInertAsync($"/es/forum/threads/{threads[t]}", signedIn: false, []);
        }
        await AssertInertAsync($"/en/forum/spaces/{space}", signedIn: false, []);
        await AssertInertAsync("/admin/forum/queue", signedIn: true, []);
    }

    [Fact]
    public async Task SpreadsheetCells_StoredAndEchoedInErrors_RenderInert()
    {
        using var api = fixture.Api();
        var template = (await api.GetStringAsync("/api/v1/reports/template?format=csv", Ct)).TrimStart('\uFEFF').Split('\n');
        var example = template[2].TrimEnd('\r').Split(',');
        var (org, country, month) = (example[0], example[2], example[6]);
        var place = await api.GetFromJsonAsync<JsonElement>($"/api/v1/countries/{country}", Ct);
        var admin1 = place.GetProperty("admin1").EnumerateArray().Select(a => a.GetProperty("pCode").GetString()!).ToList();
        string[] groups = ["destination", "transit", "pendular", "returnees", "host"];

        static string Cell(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var valid = new StringBuilder(template[0].TrimEnd('\r') + "\n" + template[1].TrimEnd('\r') + "\n");
        var invalid = new StringBuilder(valid.ToString());
        for (var i = 0; i < Payloads.Count; i++)
        {
            var partner = Payloads[i] + " " + Marker(i);
            valid.Append(CultureInfo.InvariantCulture, $"{org},{Cell(partner[..Math.Min(partner.Length, 200)])},{country},{admin1[i / groups.Length % admin1.Count]},{example[4]},{example[5]},{month},{groups[i % groups.Length]},1,2,3,4,0,10,,no,\n");
            // Bad cells: the error list names the row and column; whatever it echoes must stay text.
            invalid.Append(CultureInfo.InvariantCulture, $"{org},,{country},{Cell(Payloads[i])},{example[4]},{Cell(Payloads[i])},{month},{Cell(Payloads[i])},1,2,3,4,0,10,,no,\n");
        }

        var (page, problems) = await OpenSignedInAsync();
        var reporting = $"/admin/reporting?month={month}&org={org}";
        await page.GotoAsync(reporting);
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "bad cells.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(invalid.ToString()) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and check" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        Assert.Contains("admin1", await page.Locator("main").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        await AssertPageInertAsync(page, problems, "import errors", []);

        await page.GotoAsync(reporting);
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "payload cells.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(valid.ToString()) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and check" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
        await AssertPageInertAsync(page, problems, "import result", []);
        await page.Context.CloseAsync();

        // The stored cells come back in the grid (as input values), in the review list and in the API's CSV.
        var exported = await api.GetStringAsync($"/api/v1/reports?format=csv&org={org}&month={month}&pageSize=500", Ct);
        Assert.Contains(Marker(Payloads.Count - 1), exported, StringComparison.Ordinal);
        await AssertInertAsync(reporting, signedIn: true, []);
        await AssertInertAsync($"/admin/review?country={country}&month={month}", signedIn: true, []);
    }

    [Fact]
    public async Task OrganisationNames_RenderInert()
    {
        using var api = fixture.Api();
        var orgs = (await api.GetFromJsonAsync<JsonElement>("/api/v1/organisations", Ct));
        var acronyms = Items(orgs)
            .Select(o => o.GetProperty("acronym").GetString()!).Take(20).ToList();
        foreach (var round in Enumerable.Range(0, Payloads.Count).Chunk(acronyms.Count))
        {
            var shown = new List<string>();
            for (var k = 0; k < round.Length; k++)
            {
                var name = Payloads[round[k]].Replace("\\n", " ", StringComparison.Ordinal);
                name = name[..Math.Min(name.Length, 180)] + " " + Marker(round[k]);
                var response = await api.PutAsJsonAsync($"/api/v1/organisations/{acronyms[k]}", new { name }, Ct);
                // Refusing a name is safe too; an accepted one must render as text.
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest,
                    $"{acronyms[k]}: {response.StatusCode}");
                if (response.IsSuccessStatusCode)
                {
                    shown.Add(Marker(round[k]));
                }
            }
            await AssertInertAsync("/admin/organisations", signedIn: true, shown);
            await AssertInertAsync($"/admin/organisations/{acronyms[0]}", signedIn: true, []);
        }
        await AssertInertAsync("/en/forum", signedIn: false, []);
        await AssertInertAsync("/en/documents", signedIn: false, []);
    }

    [Fact]
    public async Task UploadedFileNames_RenderInert()
    {
        using var api = fixture.Api();
        var docs = await api.GetFromJsonAsync<JsonElement>("/api/v1/documents", Ct);
        var id = 0;
        foreach (var d in Items(docs))
        {
            // A public document: its page opens for anonymous readers.
            using var anonymous = new HttpClient { BaseAddress = fixture.App.BaseAddress };
            if ((await anonymous.GetAsync($"/en/documents/{d.GetProperty("id").GetInt32()}", Ct)).IsSuccessStatusCode)
            {
                id = d.GetProperty("id").GetInt32();
                break;
            }
        }
        Assert.NotEqual(0, id);
        var pdf = await api.GetByteArrayAsync($"/documents/{id}/download", Ct);
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);

        using var editor = await fixture.SignedInAsync();
        var page = $"/admin/documents/{id}";
        var token = Token(await editor.GetStringAsync(page, Ct));
        var accepted = new List<string>();
        for (var i = 0; i < Payloads.Count; i++)
        {
            // Path separators would be cut by the server as a path; the rest of the payload stays in the name.
            var name = SeparatorPattern().Replace(Payloads[i], "_") + " " + Marker(i) + ".pdf";
            using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
            var file = new ByteArrayContent(pdf);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileNameStar = name };
            form.Add(file);
            var response = await editor.PostAsync($"{page}?handler=Version", form, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest,
                $"payload {i}: {response.StatusCode}");
            if ((int)response.StatusCode < 400)
            {
                accepted.Add(Marker(i));
            }
        }
        Assert.True(accepted.Count >= Payloads.Count * 9 / 10, $"only {accepted.Count} of {Payloads.Count} uploads were accepted");
        await AssertInertAsync(page, signedIn: true, accepted);
        await AssertInertAsync($"/en/documents/{id}", signedIn: false, accepted);
        await AssertInertAsync($"/pap/documents/{id}", signedIn: false, []);
    }

    private async Task<(IPage Page, List<string> Problems)> OpenSignedInAsync()
    {
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Desktop(), fixture.App);
        await BrowserFixture.SignInAsync(page, fixture.App.AdminEmail, fixture.App.AdminPassword);
        return (page, problems);
    }

    private async Task AssertInertAsync(string path, bool signedIn, IEnumerable<string> markers)
    {
        var (page, problems) = signedIn ? await OpenSignedInAsync() : await browser.OpenAsync(BrowserFixture.Phone(), fixture.App);
        var response = await page.GotoAsync(path);
        Assert.True(response is { Ok: true }, $"{path} answered {response?.Status}");
        await AssertPageInertAsync(page, problems, path, markers);
        await page.Context.CloseAsync();
    }

    /// <summary>What a payload would need to run, looked for in the live DOM (user text only ever lands in main).</summary>
    private const string DomAudit = """
        () => {
          const bad = [];
          const root = document.querySelector('main') || document.body;
          const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'poster', 'background', 'xlink:href', 'srcdoc'];
          for (const el of root.querySelectorAll('*')) {
            for (const a of el.attributes) {
              const v = (a.value || '').replace(/[\u0000-\u0020]/g, '').toLowerCase();
              if (a.name.toLowerCase().startsWith('on')) bad.push('handler ' + a.name + ' on <' + el.tagName + '>');
              if (urlAttrs.includes(a.name.toLowerCase()) && (v.startsWith('javascript:') || v.startsWith('vbscript:') || v.startsWith('data:text')))
                bad.push(a.name + '=' + a.value.slice(0, 60) + ' on <' + el.tagName + '>');
              if (a.name === 'style' && (v.includes('expression(') || v.includes('javascript:') || v.includes('behavior:'))) bad.push('style ' + a.value.slice(0, 60));
            }
            const tag = el.tagName.toLowerCase();
            // The app's own scripts in main: schema.org JSON-LD data blocks that parse as JSON (user text inside is
            // escaped, so it cannot end the block) and the share links' same-origin enhancement, nothing else.
            if (tag === 'script') {
              const type = (el.getAttribute('type') || '').toLowerCase();
              const src = el.getAttribute('src') || '';
              let json = false;
              if (type === 'application/ld+json' && !src) { try { JSON.parse(el.textContent); json = true; } catch (e) { json = false; } }
              if (json || (type === '' && /^\/js\/share(\.[a-z0-9]+)?\.js$/.test(src) && el.textContent.trim() === '')) continue;
            }
            if (['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'base', 'meta', 'link', 'style', 'applet', 'template'].includes(tag))
              bad.push('element <' + tag + '>');
          }
          return bad;
        }
        """;

    private static async Task AssertPageInertAsync(IPage page, List<string> problems, string what, IEnumerable<string> markers)
    {
        // Give timers, autofocus handlers and failing image loads a moment to fire before looking.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var ran = problems.Where(p => !p.Contains("Failed to load resource", StringComparison.Ordinal)
            && !p.Contains("Refused to load the image", StringComparison.Ordinal)).ToList();
        Assert.True(ran.Count == 0, $"{what}: {string.Join(" | ", ran)}");
        var dom = await page.EvaluateAsync<string[]>(DomAudit);
        Assert.True(dom.Length == 0, $"{what}: {string.Join(" | ", dom.Distinct().Take(20))}");
        var text = await page.Locator("main").InnerTextAsync();
        var missing = markers.Where(m => !text.Contains(m, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"{what}: not rendered: {string.Join(", ", missing)}");
        problems.Clear();
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient http, string page, string? handler, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = Token(await http.GetStringAsync(page, Ct));
        return await http.PostAsync(handler is null ? page : $"{page}?handler={handler}", new FormUrlEncodedContent(fields), Ct);
    }

    private static string Token(string html) => WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"[/\\]")]
    private static partial Regex SeparatorPattern();
}

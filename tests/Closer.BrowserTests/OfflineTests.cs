using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Closer.BrowserTests;

/// <summary>
/// Issue 19 in Chromium: the reporting form keeps reports entered offline on the device and syncs them once when the
/// connection returns (a lost answer retried changes nothing), a conflict is shown beside the server's version and
/// resolved, and readers keep the pages they read.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class OfflineTests(BrowserFixture browser)
{
    private static readonly string Month = TimeProvider.System.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The page's problems, less the network failures going offline (and a lost answer) cause on purpose.</summary>
    private static List<string> Unexpected(List<string> problems) =>
        problems.Where(p => !p.Contains("Failed to load resource", StringComparison.Ordinal) && !p.Contains("net::ERR_", StringComparison.Ordinal)).ToList();
    private static readonly LocatorAssertionsToContainTextOptions Slow = new() { Timeout = 60_000 };

    private async Task<HttpClient> AdminApiAsync()
    {
        var token = await browser.App.CreateTokenAsync(browser.App.AdminEmail, "offline tests " + Guid.NewGuid().ToString("N")[..6]);
        var http = new HttpClient { BaseAddress = browser.App.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<List<JsonElement>> ReportsAsync(HttpClient api, string admin1, string indicator)
    {
        using var json = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/reports?org=FPUENTE&month={Month}&country=COL&pageSize=1000"));
        return json.RootElement.GetProperty("items").EnumerateArray()
            .Where(r => r.GetProperty("admin1").GetString() == admin1 && r.GetProperty("indicator").GetString() == indicator).Select(r => r.Clone()).ToList();
    }

    /// <summary>Opens the form online under the service worker's control, so it keeps the form for this person.</summary>
    private static async Task OpenFormControlledAsync(IPage page)
    {
        await page.GotoAsync($"/admin/reporting?month={Month}");
        await page.EvaluateAsync("() => navigator.serviceWorker.ready");
        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null", null, new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("#offline-drafts")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task FocalPoint_EntersThreeReportsOffline_ReloadsAndComesBackOnline_TheyAreSyncedOnce()
    {
        var (email, password) = await browser.App.AddUserAsync("OrgFocalPoint", "FPUENTE", "COL");
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Desktop());
        await BrowserFixture.SignInAsync(page, email, password);
        await OpenFormControlledAsync(page);
        using var api = await AdminApiAsync();

        await page.Context.SetOfflineAsync(true);
        string[] areas = ["CO05", "CO11", "CO13"];
        foreach (var (area, i) in areas.Select((a, i) => (a, i)))
        {
            await page.Locator("#new-country").SelectOptionAsync("COL");
            await page.Locator("#new-admin1").SelectOptionAsync(area);
            await page.Locator("#new-indicator").SelectOptionAsync("HEA-01");
            await page.Locator("#new-girls").FillAsync((10 + i).ToString(CultureInfo.InvariantCulture));
            await page.Locator("#new-women").FillAsync("7");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save drafts" }).ClickAsync();
            await Assertions.Expect(page.Locator("#drafts-list tbody tr")).ToHaveCountAsync(i + 1);
        }
        await Assertions.Expect(page.Locator("#drafts-status")).ToContainTextAsync("3 reports waiting to sync", Slow);

        // Offline, the page comes from the service worker; the drafts from IndexedDB.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#drafts-status")).ToContainTextAsync("3 reports waiting to sync", Slow);
        foreach (var area in areas)
        {
            Assert.Empty(await ReportsAsync(api, area, "HEA-01"));
        }

        // Back online, the first answer is lost on the way back: the server stored the rows, the device did not hear it.
        var lost = 0;
        await page.RouteAsync("**/api/v1/reports/sync", async route =>
        {
            await route.FetchAsync();
            lost++;
            await route.AbortAsync();
        });
        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(page.Locator("#drafts-status")).ToContainTextAsync("The sync did not finish", Slow);
        Assert.Equal(1, lost);
        Assert.Equal(3, (await page.Locator("#drafts-list tbody tr").CountAsync()));
        await page.UnrouteAllAsync();

        // The same batch again: "unchanged" for each row, and each report exists once.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
        await Assertions.Expect(page.Locator("#drafts-status")).ToContainTextAsync("Synced: 3", Slow);
        await Assertions.Expect(page.Locator("#drafts-list tbody tr")).ToHaveCountAsync(0);
        foreach (var (area, i) in areas.Select((a, i) => (a, i)))
        {
            var stored = Assert.Single(await ReportsAsync(api, area, "HEA-01"));
            Assert.Equal(10 + i, stored.GetProperty("girls").GetInt64());
        }
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#drafts-status")).ToContainTextAsync("Nothing is waiting to sync", Slow);
        Assert.Empty(Unexpected(problems));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ReportChangedOnTheServerWhileOffline_IsShownSideBySide_AndKeepingMineWins()
    {
        using var api = await AdminApiAsync();
        var created = await api.PostAsJsonAsync("/api/v1/reports", new
        {
            org = "FPUENTE", country = "COL", admin1 = "CO08", indicator = "WSH-01", month = Month, populationGroup = "transit", girls = 1, boys = 1, women = 1, men = 1,
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();

        var (email, password) = await browser.App.AddUserAsync("OrgFocalPoint", "FPUENTE", "COL");
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Desktop());
        await BrowserFixture.SignInAsync(page, email, password);
        await OpenFormControlledAsync(page);
        await page.Context.SetOfflineAsync(true);
        await page.Locator($"tr[data-id='{id}'] input[name$='.Girls']").FillAsync("25");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save drafts" }).ClickAsync();
        await Assertions.Expect(page.Locator("#drafts-status")).ToContainTextAsync("1 report waiting to sync", Slow);

        // Meanwhile a colleague changes the same report on the server.
        var put = await api.PutAsJsonAsync($"/api/v1/reports/{id}", new { girls = 40, boys = 1, women = 1, men = 1 });
        Assert.True(put.IsSuccessStatusCode);

        await page.Context.SetOfflineAsync(false);
        var conflict = page.Locator("div.draft-conflict");
        try
        {
            await Assertions.Expect(conflict).ToContainTextAsync("Changed on the server", Slow);
        }
        catch (PlaywrightException e)
        {
            Assert.Fail(e.Message + "\n" + await page.Locator("#offline-drafts").InnerHTMLAsync() + "\n" + string.Join("\n", problems));
        }
        var girls = conflict.Locator("tr", new() { Has = page.Locator("th", new() { HasTextString = "Girls" }) });
        await Assertions.Expect(girls.Locator("td").Nth(0)).ToHaveTextAsync("25");
        await Assertions.Expect(girls.Locator("td").Nth(1)).ToHaveTextAsync("40");
        Assert.Equal(40, (await ReportAsync(api, id)).GetProperty("girls").GetInt64());

        await conflict.GetByRole(AriaRole.Button, new() { Name = "Keep mine" }).ClickAsync();
        await Assertions.Expect(page.Locator("#drafts-status")).ToContainTextAsync("Synced: 1", Slow);
        var kept = await ReportAsync(api, id);
        Assert.Equal((25L, 3), (kept.GetProperty("girls").GetInt64(), kept.GetProperty("version").GetInt32()));
        Assert.Empty(Unexpected(problems));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SigningOutWithDraftsNotSynced_AsksFirst_NoKeepsThem_YesDeletesThemAndTheKeptForm()
    {
        var (email, password) = await browser.App.AddUserAsync("OrgFocalPoint", "FPUENTE", "COL");
        var options = BrowserFixture.Desktop();
        options.BaseURL = browser.App.BaseAddress.ToString();
        var context = await browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        var asked = new List<string>();
        var accept = false;
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Message);
            await (accept ? dialog.AcceptAsync() : dialog.DismissAsync());
        };
        await BrowserFixture.SignInAsync(page, email, password);
        await OpenFormControlledAsync(page);
        await context.SetOfflineAsync(true);
        await page.Locator("#new-admin1").SelectOptionAsync("CO15");
        await page.Locator("#new-indicator").SelectOptionAsync("HEA-01");
        await page.Locator("#new-girls").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save drafts" }).ClickAsync();
        await Assertions.Expect(page.Locator("#drafts-status")).ToContainTextAsync("1 report waiting to sync", Slow);

        // No: nothing is deleted and the person stays signed in.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        for (var i = 0; i < 100 && asked.Count == 0; i++)
        {
            await Task.Delay(100);
        }
        Assert.Single(asked);
        Assert.Contains("(1)", asked[0], StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#drafts-list tbody tr")).ToHaveCountAsync(1);

        // Yes (online, with the sync held back so the draft is still there): drafts and the kept form leave the device.
        await page.RouteAsync("**/api/v1/reports/sync**", route => route.AbortAsync());
        await context.SetOfflineAsync(false);
        await Assertions.Expect(page.Locator("#drafts-status")).ToContainTextAsync("The sync did not finish", Slow);
        accept = true;
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/reporting"), new() { Timeout = 60_000 });
        Assert.Equal(2, asked.Count);
        var databases = await page.EvaluateAsync<string[]>("async () => (await indexedDB.databases()).map(d => d.name)");
        Assert.DoesNotContain(databases, d => d.StartsWith("closer-drafts-", StringComparison.Ordinal));
        await page.WaitForFunctionAsync("async () => !(await caches.keys()).some(k => k.startsWith('closer-form-'))", null, new() { Timeout = 90_000 });
        await context.CloseAsync();
    }

    [Fact]
    public async Task DraftsKeptFourteenDaysOffline_AreStillThere_AndSyncOnceAfterSigningInAgain()
    {
        var (email, password) = await browser.App.AddUserAsync("OrgFocalPoint", "FPUENTE", "COL");
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Desktop());
        var context = page.Context;
        // The page's clock (Date, timers) is Playwright's from here on: it runs as usual until moved ahead below.
        await page.Clock.InstallAsync();
        await BrowserFixture.SignInAsync(page, email, password);
        await OpenFormControlledAsync(page);
        using var api = await AdminApiAsync();

        await context.SetOfflineAsync(true);
        string[] areas = ["CO19", "CO20"];
        foreach (var (area, i) in areas.Select((a, i) => (a, i)))
        {
            await page.Locator("#new-admin1").SelectOptionAsync(area);
            await page.Locator("#new-indicator").SelectOptionAsync("HEA-01");
            await page.Locator("#new-boys").FillAsync((20 + i).ToString(CultureInfo.InvariantCulture));
            await page.GetByRole(AriaRole.Button, new() { Name = "Save drafts" }).ClickAsync();
            await Assertions.Expect(page.Locator("#drafts-list tbody tr")).ToHaveCountAsync(i + 1);
        }
        var savedAt = await page.EvaluateAsync<double>("() => Date.now()");

        // Fourteen days offline: the clock (the context's: every page of it) moves on, and the tab is closed and another
        // opened on the same profile.
        await page.Clock.FastForwardAsync((long)TimeSpan.FromDays(14).TotalMilliseconds);
        var later = await context.NewPageAsync();
        await page.CloseAsync();
        await later.GotoAsync($"/admin/reporting?month={Month}");
        var now = await later.EvaluateAsync<double>("() => Date.now()");
        Assert.True(now - savedAt >= TimeSpan.FromDays(14).TotalMilliseconds, $"the page's clock is {now - savedAt} ms after the drafts were saved");
        await Assertions.Expect(later.Locator("#drafts-status")).ToContainTextAsync("2 reports waiting to sync", Slow);
        var ages = await later.EvaluateAsync<double[]>(
            "async () => (await window.CloserDrafts.all(document.getElementById('offline-drafts').dataset.user)).map(d => Date.now() - Date.parse(d.savedAt))");
        Assert.Equal(2, ages.Length);
        Assert.All(ages, age => Assert.True(age >= TimeSpan.FromDays(14).TotalMilliseconds, $"a draft {age} ms old"));

        // The 8-hour session ended long ago: back online, the page asks to sign in again and keeps the drafts.
        await context.ClearCookiesAsync();
        await context.SetOfflineAsync(false);
        await Assertions.Expect(later.Locator("#drafts-status")).ToContainTextAsync("Sign in again to sync.", Slow);
        await Assertions.Expect(later.Locator("#drafts-list tbody tr")).ToHaveCountAsync(2);
        foreach (var area in areas)
        {
            Assert.Empty(await ReportsAsync(api, area, "HEA-01"));
        }

        // Signed in again, the form syncs them, once each.
        await BrowserFixture.SignInAsync(later, email, password);
        await later.GotoAsync($"/admin/reporting?month={Month}");
        await Assertions.Expect(later.Locator("#drafts-status")).ToContainTextAsync("Synced: 2", Slow);
        foreach (var (area, i) in areas.Select((a, i) => (a, i)))
        {
            var stored = Assert.Single(await ReportsAsync(api, area, "HEA-01"));
            Assert.Equal(20 + i, stored.GetProperty("boys").GetInt64());
        }
        Assert.Empty(Unexpected(problems));
        await context.CloseAsync();
    }

    /// <summary>The person the service worker believes is signed in is the one this page names.</summary>
    private static async Task WorkerKnowsThisPersonAsync(IPage page) => await page.WaitForFunctionAsync(
        "async () => { const r = await (await caches.open('closer-meta')).match('/user'); return !!r && (await r.text()) === document.querySelector('script[data-sw]').dataset.user; }",
        null, new() { Timeout = 90_000 });

    [Fact]
    public async Task AnotherPersonOnTheSameDevice_NeverSeesTheDraftsOrTheKeptFormOfTheFirst()
    {
        var (first, firstPassword) = await browser.App.AddUserAsync("OrgFocalPoint", "FPUENTE", "COL");
        var (second, secondPassword) = await browser.App.AddUserAsync("OrgFocalPoint", "FPUENTE", "COL");
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Desktop());
        var context = page.Context;
        await BrowserFixture.SignInAsync(page, first, firstPassword);
        await OpenFormControlledAsync(page);
        await context.SetOfflineAsync(true);
        await page.Locator("#new-admin1").SelectOptionAsync("CO17");
        await page.Locator("#new-indicator").SelectOptionAsync("HEA-01");
        await page.Locator("#new-girls").FillAsync("4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save drafts" }).ClickAsync();
        await Assertions.Expect(page.Locator("#drafts-status")).ToContainTextAsync("1 report waiting to sync", Slow);

        // The first person's session ends without "Sign out" (it expired, or the cookies were cleared): the draft stays
        // on the device, in the first person's store, and the form is still kept for them.
        await context.ClearCookiesAsync();
        await context.SetOfflineAsync(false);
        await BrowserFixture.SignInAsync(page, second, secondPassword);
        await WorkerKnowsThisPersonAsync(page);

        // Offline, the second person asking for the form never gets the first person's kept form (nor its drafts).
        await context.SetOfflineAsync(true);
        await page.GotoAsync("/admin/reporting");
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("You are offline");
        Assert.Equal(0, await page.Locator("#offline-drafts").CountAsync());

        // Online, the second person's form shows nothing waiting, and sending their drafts sends none of the first's.
        await context.SetOfflineAsync(false);
        var sent = new List<string>();
        page.Request += (_, r) =>
        {
            if (r.Url.Contains("/api/v1/reports/sync", StringComparison.Ordinal) && r.Method == "POST")
            {
                sent.Add(r.PostData ?? "");
            }
        };
        await OpenFormControlledAsync(page);
        await Assertions.Expect(page.Locator("#drafts-status")).ToContainTextAsync("Nothing is waiting to sync", Slow);
        await Assertions.Expect(page.Locator("#drafts-list tbody tr")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
        await context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#drafts-status")).ToContainTextAsync("Nothing is waiting to sync", Slow);
        Assert.Empty(sent);

        // The first person's draft was never deleted: signed in again, it is theirs to sync.
        await context.SetOfflineAsync(false);
        await context.ClearCookiesAsync();
        await BrowserFixture.SignInAsync(page, first, firstPassword);
        await OpenFormControlledAsync(page);
        // The form syncs on every load, and OpenFormControlledAsync loads it twice: when the first load's sync finished
        // before the reload (a slow, loaded machine), the reloaded page has nothing left to sync. Either way the draft
        // reached the server (the second person sent nothing: see above).
        await Assertions.Expect(page.Locator("#drafts-status")).ToContainTextAsync(
            new System.Text.RegularExpressions.Regex("Synced: 1|Nothing is waiting to sync"), Slow);
        using var api = await AdminApiAsync();
        Assert.Contains(await ReportsAsync(api, "CO17", "HEA-01"), r => r.GetProperty("girls").GetInt64() == 4);
        Assert.Empty(Unexpected(problems));
        await context.CloseAsync();
    }

    private static async Task<JsonElement> ReportAsync(HttpClient api, int id) =>
        JsonDocument.Parse(await api.GetStringAsync($"/api/v1/reports/{id}")).RootElement.Clone();

    [Fact]
    public async Task Reader_KeepsTheHomeFactsAndPagesRead_AndGetsTheOfflinePageInTheirLanguage()
    {
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Phone("es-CO"));
        await page.GotoAsync("/es/");
        await page.EvaluateAsync("() => navigator.serviceWorker.ready");
        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null", null, new() { Timeout = 90_000 });
        var homeTitle = await page.TitleAsync();
        await page.GotoAsync("/es/stories");
        var storiesTitle = await page.TitleAsync();
        await page.WaitForFunctionAsync("async () => (await (await caches.keys()).reduce(async (n, k) => (await n) + (k.startsWith('closer-pinned-') ? (await (await caches.open(k)).keys()).length : 0), Promise.resolve(0))) >= 6",
            null, new() { Timeout = 90_000 });

        await page.Context.SetOfflineAsync(true);
        await page.GotoAsync("/es/");
        Assert.Equal(homeTitle, await page.TitleAsync());
        await page.GotoAsync("/es/facts");
        Assert.NotEqual("", await page.Locator("main h1").InnerTextAsync());
        await page.GotoAsync("/es/stories");
        Assert.Equal(storiesTitle, await page.TitleAsync());
        await page.GotoAsync("/es/press");
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("No tiene conexión");
        // Nothing of a signed-in person is kept where a reader could reach it.
        var names = await page.EvaluateAsync<string[]>("() => caches.keys()");
        Assert.DoesNotContain(names, n => n.StartsWith("closer-form-", StringComparison.Ordinal));
        await page.Context.SetOfflineAsync(false);
        Assert.Empty(Unexpected(problems));
        await page.Context.CloseAsync();
    }

    /// <summary>Entries in the service worker's cache of pages read (the home and facts are kept apart, never pushed out).</summary>
    private static Task<int> KeptPagesAsync(IPage page) => page.EvaluateAsync<int>(
        "async () => { let n = 0; for (const k of await caches.keys()) if (k.startsWith('closer-pages-')) n += (await (await caches.open(k)).keys()).length; return n; }");

    /// <summary>
    /// Issue 19, readers: more distinct public pages read than the cache keeps — the last twenty (at least) and the home and
    /// facts pages open offline as they were read, the oldest ones are pushed out (the cache is bounded), anything else is the
    /// offline page in the reader's language; and a page read while signed in is never kept for whoever reads next.
    /// </summary>
    [Fact]
    public async Task Reader_KeepsTheLastTwentyPagesRead_InABoundedCache_AndNothingReadSignedIn()
    {
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Phone("pt-BR"));
        await page.GotoAsync("/pt/");
        await page.EvaluateAsync("() => navigator.serviceWorker.ready");
        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null", null, new() { Timeout = 90_000 });
        var homeTitle = await page.TitleAsync();
        await page.GotoAsync("/pt/facts");
        var factsTitle = await page.TitleAsync();
        await page.GotoAsync("/pt/countries");
        var countries = await page.EvaluateAsync<string[]>(
            "() => [...new Set([...document.querySelectorAll('main a[href^=\"/pt/countries/\"]')].map(a => a.getAttribute('href')))]");
        Assert.True(countries.Length >= 20, string.Join(", ", countries));
        string[] more = ["/pt/stories", "/pt/videos", "/pt/press", "/pt/documents", "/pt/forum", "/pt/data/gaps", "/pt/data/situation", "/pt/search?q=Venezuela"];
        // The order read: /pt/countries first (already read), then every country page, then the other lists.
        var read = new List<(string Path, string Title)> { ("/pt/countries", await page.TitleAsync()) };
        foreach (var path in countries.Concat(more))
        {
            var response = await page.GotoAsync(path);
            Assert.NotNull(response);
            if (await response.HeaderValueAsync("closer-offline") == "public")
            {
                read.Add((path, await page.TitleAsync()));
            }
        }
        Assert.True(read.Count >= 32, $"{read.Count} public pages read: more than the cache keeps is needed");
        var kept = await KeptPagesAsync(page);
        Assert.InRange(kept, 20, read.Count - 2);

        await page.Context.SetOfflineAsync(true);
        foreach (var (path, title) in read.TakeLast(20).Append(("/pt/", homeTitle)).Append(("/pt/facts", factsTitle)))
        {
            await page.GotoAsync(path);
            Assert.Equal(title, await page.TitleAsync());
        }
        // The first pages read were pushed out: the reader gets the offline page, in Portuguese.
        await page.GotoAsync(read[0].Path);
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Você está sem conexão");
        await page.GotoAsync("/pt/pledge");
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Você está sem conexão");
        await page.Context.SetOfflineAsync(false);
        Assert.Empty(Unexpected(problems));
        await page.Context.CloseAsync();

        // Signed in, on a device of its own (a desktop: the phone header folds the sign-out button away): pages read are not kept, so after signing out a reader offline never gets them.
        var (device, deviceProblems) = await browser.OpenAsync(BrowserFixture.Desktop());
        await device.GotoAsync("/en/");
        await device.EvaluateAsync("() => navigator.serviceWorker.ready");
        await browser.SignInAsync(device);
        await device.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null", null, new() { Timeout = 90_000 });
        var signedInPress = await device.GotoAsync("/en/press");
        Assert.Null(await signedInPress!.HeaderValueAsync("closer-offline"));
        await device.GotoAsync("/en/countries/ECU");
        await device.GotoAsync("/admin/");
        await device.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        // Off /admin/ (itself a URL ending in "/", which a pattern like "/(en/)?$" would take as arrived): going offline
        // while the sign-out is still on its way aborts the next navigation.
        await device.WaitForURLAsync(url => !url.Contains("/admin", StringComparison.Ordinal), new() { Timeout = 90_000 });
        await device.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await device.Context.SetOfflineAsync(true);
        foreach (var path in new[] { "/en/press", "/en/countries/ECU", "/admin/" })
        {
            await device.GotoAsync(path);
            await Assertions.Expect(device.Locator("main h1")).ToHaveTextAsync("You are offline");
            Assert.Equal(0, await device.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).CountAsync());
        }
        await device.Context.SetOfflineAsync(false);
        Assert.Empty(Unexpected(deviceProblems));
        await device.Context.CloseAsync();
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Closer.BrowserTests;

/// <summary>
/// Issue 16 in Chromium: the reporting page's grid of new rows (many rows per save, by keyboard only, at 360 px, and one row
/// at a time without JavaScript), "Start from last month's rows", and no lost work when the session ends before a save.
/// Each test uses its own organisation and a month the demo has no reports in, so they do not see each other's rows.
/// Set CLOSER_SCREENSHOT_DIR to keep the screenshots (docs/screenshots/ holds the ones in the repo).
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed partial class ReportingGridTests(BrowserFixture browser)
{
    private const string Grid = "#new-rows";
    private static readonly string[] Figures = ["Girls", "Boys", "Women", "Men", "Other", "CashUsd"];

    [GeneratedRegex("done=saved")]
    private static partial Regex Saved();

    private static ILocator Field(IPage page, int row, string name) => page.Locator($"{Grid} [name='Added[{row}].{name}']");

    /// <summary>The last month of the page's list (December of this year: no demo reports, never locked) and the one before it.</summary>
    private static async Task<(string Previous, string Target)> MonthsAsync(IPage page)
    {
        await page.GotoAsync("/admin/reporting");
        var months = await page.Locator("#month option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)");
        return (months[^2], months[^1]);
    }

    private static async Task<List<JsonElement>> ReportsAsync(IPage page, string org, string month)
    {
        var response = await page.APIRequest.GetAsync($"/api/v1/reports?org={org}&month={month}&pageSize=500");
        Assert.True(response.Ok, $"GET /api/v1/reports: {response.Status}");
        using var json = JsonDocument.Parse(await response.TextAsync());
        return json.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static async Task NoAlertAsync(IPage page)
    {
        var alerts = page.Locator("[role=alert]");
        Assert.True(await alerts.CountAsync() == 0, await alerts.CountAsync() > 0 ? await alerts.First.InnerTextAsync() : "");
    }

    private static async Task<string> SecondOptionAsync(ILocator select) => (await select.Locator("option").Nth(1).GetAttributeAsync("value"))!;

    [Fact]
    public async Task FocalPoint_StartsAMonthFromLastMonthsRows_WithTheNumbersEmpty_AndSavesThem()
    {
        var (email, password) = await browser.App.AddUserAsync("OrgFocalPoint", "CAMPO", "COL");
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Desktop());
        await BrowserFixture.SignInAsync(page, email, password);
        var (previous, target) = await MonthsAsync(page);
        var partner = $"Copy {Guid.NewGuid():N}"[..16];

        // Last month: one row typed in the grid and saved.
        await page.GotoAsync($"/admin/reporting?month={previous}");
        var admin1 = await SecondOptionAsync(Field(page, 0, "Admin1"));
        await Field(page, 0, "Admin1").SelectOptionAsync(admin1);
        await Field(page, 0, "Indicator").SelectOptionAsync("HEA-01");
        await Field(page, 0, "Group").SelectOptionAsync("host");
        await Field(page, 0, "Partner").FillAsync(partner);
        await Field(page, 0, "Girls").FillAsync("10");
        await Field(page, 0, "Women").FillAsync("20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save drafts" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Saved(), new() { Timeout = 60_000 });
        await NoAlertAsync(page);
        Assert.Single(await ReportsAsync(page, "CAMPO", previous), r => r.GetProperty("implementingPartner").GetString() == partner);

        // This month: started from last month's rows.
        await page.GotoAsync($"/admin/reporting?month={target}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start from last month's rows" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync($"copied from {previous}");
        var copied = page.Locator($"{Grid} tr[data-added]:not([data-open])");
        var count = await copied.CountAsync();
        Assert.True(count >= 1, $"no row was copied: {await page.Locator("[role=status]").InnerTextAsync()} {page.Url}");
        var mine = -1;
        for (var i = 0; i < count; i++)
        {
            var row = copied.Nth(i);
            var index = int.Parse((await row.GetAttributeAsync("data-added"))!, System.Globalization.CultureInfo.InvariantCulture);
            foreach (var f in Figures)
            {
                Assert.Equal("", await Field(page, index, f).InputValueAsync());
            }
            Assert.False(await Field(page, index, "Cash").IsCheckedAsync());
            if (await Field(page, index, "Partner").InputValueAsync() == partner)
            {
                mine = index;
            }
        }
        Assert.True(mine >= 0, "last month's row is not among the copied rows");
        Assert.Equal("COL", await Field(page, mine, "Country").InputValueAsync());
        Assert.Equal(admin1, await Field(page, mine, "Admin1").InputValueAsync());
        Assert.Equal("HEA-01", await Field(page, mine, "Indicator").InputValueAsync());
        Assert.Equal("host", await Field(page, mine, "Group").InputValueAsync());
        Assert.Empty(await ReportsAsync(page, "CAMPO", target));

        // Only the row given numbers is stored, with the copied key.
        await Field(page, mine, "Girls").FillAsync("7");
        await Field(page, mine, "Men").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save drafts" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Saved(), new() { Timeout = 60_000 });
        await NoAlertAsync(page);
        var stored = Assert.Single(await ReportsAsync(page, "CAMPO", target));
        Assert.Equal(partner, stored.GetProperty("implementingPartner").GetString());
        Assert.Equal(admin1, stored.GetProperty("admin1").GetString());
        Assert.Equal("HEA-01", stored.GetProperty("indicator").GetString());
        Assert.Equal("host", stored.GetProperty("populationGroup").GetString());
        Assert.Equal(7, stored.GetProperty("girls").GetInt64());
        Assert.Equal(3, stored.GetProperty("men").GetInt64());
        Assert.Equal(10, stored.GetProperty("total").GetInt64());
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AFormPostedAfterTheSessionEnded_KeepsWhatWasTyped_AndADoubleSubmitStoresOnce()
    {
        var (email, password) = await browser.App.AddUserAsync("OrgFocalPoint", "LAZOS", "COL", "ECU");
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Desktop());
        await BrowserFixture.SignInAsync(page, email, password);
        var (_, month) = await MonthsAsync(page);
        var partner = $"Kept {Guid.NewGuid():N}"[..16];
        await page.GotoAsync($"/admin/reporting?month={month}");
        await Field(page, 0, "Country").SelectOptionAsync("COL");
        var admin1 = await SecondOptionAsync(Field(page, 0, "Admin1"));
        await Field(page, 0, "Admin1").SelectOptionAsync(admin1);
        await Field(page, 0, "Indicator").SelectOptionAsync("HEA-01");
        await Field(page, 0, "Partner").FillAsync(partner);
        await Field(page, 0, "Girls").FillAsync("11");
        await Field(page, 0, "Men").FillAsync("4");

        // The session ends while the form is open (expired, or signed out in another tab): the auth cookie is gone.
        await page.Context.ClearCookiesAsync(new() { NameRegex = new Regex(@"^\.Closer\.Auth") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save drafts" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login.*kept=1"), new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("What you typed is kept");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/admin/reporting\\?.*month={month}"), new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("what you typed is back");

        // Everything typed is back, and nothing was stored by itself.
        Assert.Equal("COL", await Field(page, 0, "Country").InputValueAsync());
        Assert.Equal(admin1, await Field(page, 0, "Admin1").InputValueAsync());
        Assert.Equal("HEA-01", await Field(page, 0, "Indicator").InputValueAsync());
        Assert.Equal(partner, await Field(page, 0, "Partner").InputValueAsync());
        Assert.Equal("11", await Field(page, 0, "Girls").InputValueAsync());
        Assert.Equal("4", await Field(page, 0, "Men").InputValueAsync());
        Assert.Empty(await ReportsAsync(page, "LAZOS", month));

        // Saved again with an impatient double click: one report.
        await page.GetByRole(AriaRole.Button, new() { Name = "Save drafts" }).DblClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Saved(), new() { Timeout = 60_000 });
        await NoAlertAsync(page);
        var stored = Assert.Single(await ReportsAsync(page, "LAZOS", month));
        Assert.Equal(partner, stored.GetProperty("implementingPartner").GetString());
        Assert.Equal(15, stored.GetProperty("total").GetInt64());

        // The same form sent once more (back, then save again, as a person unsure it went through): still one report.
        await page.GoBackAsync();
        if (await Field(page, 0, "Partner").InputValueAsync() != partner)
        {
            // The browser did not restore the form: type the same row again.
            await Field(page, 0, "Country").SelectOptionAsync("COL");
            await Field(page, 0, "Admin1").SelectOptionAsync(admin1);
            await Field(page, 0, "Indicator").SelectOptionAsync("HEA-01");
            await Field(page, 0, "Partner").FillAsync(partner);
            await Field(page, 0, "Girls").FillAsync("11");
            await Field(page, 0, "Men").FillAsync("4");
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Save drafts" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Saved(), new() { Timeout = 60_000 });
        await NoAlertAsync(page);
        Assert.Single(await ReportsAsync(page, "LAZOS", month));
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }

    /// <summary>The name of the focused control.</summary>
    private static Task<string> FocusedAsync(IPage page) => page.EvaluateAsync<string>("() => document.activeElement?.name || document.activeElement?.textContent || ''");

    /// <summary>Types one row of the grid by keyboard alone, from its country cell to its last cell, then tabs out of it.</summary>
    private static async Task TypeRowAsync(IPage page, int row, string admin1Name, string sector, string indicator, string partner, int girls)
    {
        var keys = page.Keyboard;
        Assert.Equal($"Added[{row}].Country", await FocusedAsync(page));
        await keys.PressAsync("Tab");
        await keys.TypeAsync(admin1Name); // admin1 chosen by name, as typed into a closed select
        await keys.PressAsync("Tab");
        await keys.TypeAsync(sector);
        await keys.PressAsync("Tab");
        await keys.TypeAsync(indicator);
        await keys.PressAsync("Tab");
        await keys.PressAsync("Tab"); // population group: the first one
        await keys.TypeAsync(partner);
        foreach (var n in new[] { girls, girls + 1, girls + 2, girls + 3 })
        {
            await keys.PressAsync("Tab");
            await keys.TypeAsync(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await keys.PressAsync("Tab"); // other or unknown: empty
        await keys.PressAsync("Tab"); // cash-based
        await keys.PressAsync("Space");
        await keys.PressAsync("Tab");
        await keys.TypeAsync("100");
        await keys.PressAsync("Tab");
    }

    [Fact]
    public async Task TheGrid_ByKeyboardOnly_SavesSeveralRowsInOnePost_WithIndicatorsFilteredBySector()
    {
        var (email, password) = await browser.App.AddUserAsync("OrgFocalPoint", "JUNTOS", "COL");
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Desktop());
        await BrowserFixture.SignInAsync(page, email, password);
        var (_, month) = await MonthsAsync(page);
        await page.GotoAsync($"/admin/reporting?month={month}");
        var rows = page.Locator($"{Grid} tr[data-added]");
        Assert.Equal(5, await rows.CountAsync());
        var area = Field(page, 0, "Admin1").Locator("option").Nth(2);
        var (pcode, areaName) = ((await area.GetAttributeAsync("value"))!, await area.InnerTextAsync());
        var health = await Field(page, 0, "Indicator").Locator("optgroup:has(option[value='HEA-01'])").GetAttributeAsync("label");
        var id = Guid.NewGuid().ToString("N")[..8];

        await Field(page, 0, "Country").FocusAsync();
        await TypeRowAsync(page, 0, areaName, health!, "HEA-02", $"KB {id} a", 1);
        // The sector chosen by typing narrows the row's indicators to that sector's.
        Assert.Equal(health, await page.Locator($"{Grid} tr[data-added='0'] select.coord-sector").InputValueAsync());
        var offered = await Field(page, 0, "Indicator").EvaluateAsync<string[]>(
            "s => [...s.querySelectorAll('optgroup')].filter(g => !g.disabled && !g.hidden).map(g => g.label)");
        Assert.Equal(new[] { health! }, offered);
        Assert.Equal(pcode, await Field(page, 0, "Admin1").InputValueAsync());
        Assert.Equal("HEA-02", await Field(page, 0, "Indicator").InputValueAsync());
        Assert.True(await Field(page, 0, "Cash").IsCheckedAsync());

        await TypeRowAsync(page, 1, areaName, health!, "HEA-01", $"KB {id} b", 10);
        // Tab on to the last row: typing in it makes a new empty row ready below.
        while (await FocusedAsync(page) != "Added[4].Country")
        {
            await page.Keyboard.PressAsync("Tab");
        }
        await TypeRowAsync(page, 4, areaName, health!, "HEA-01", $"KB {id} c", 20);
        Assert.Equal(6, await rows.CountAsync());
        Assert.Equal("Added[5].Country", await FocusedAsync(page));
        Assert.Equal("", await Field(page, 5, "Partner").InputValueAsync());
        Assert.Equal("", await Field(page, 5, "Admin1").InputValueAsync());

        // On to the save button by keyboard, and every row typed is saved in one post (blank rows left out).
        for (var i = 0; i < 80 && (await FocusedAsync(page)).Trim() != "Save drafts"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Equal("Save drafts", (await FocusedAsync(page)).Trim());
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(Saved(), new() { Timeout = 60_000 });
        await NoAlertAsync(page);
        var stored = (await ReportsAsync(page, "JUNTOS", month)).Where(r => r.GetProperty("implementingPartner").GetString()!.StartsWith($"KB {id}", StringComparison.Ordinal))
            .OrderBy(r => r.GetProperty("implementingPartner").GetString(), StringComparer.Ordinal).ToList();
        Assert.Equal(3, stored.Count);
        Assert.Equal(new[] { 1L + 2 + 3 + 4, 10L + 11 + 12 + 13, 20L + 21 + 22 + 23 }, stored.Select(r => r.GetProperty("total").GetInt64()));
        Assert.All(stored, r => Assert.Equal(pcode, r.GetProperty("admin1").GetString()));
        Assert.All(stored, r => Assert.True(r.GetProperty("cash").GetBoolean()));
        Assert.Equal(new[] { "HEA-02", "HEA-01", "HEA-01" }, stored.Select(r => r.GetProperty("indicator").GetString()));
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheGrid_WithoutJavaScript_SavesOneRow_AndAddsRowsByPosting()
    {
        var (email, password) = await browser.App.AddUserAsync("OrgFocalPoint", "MUJERES", "COL", "PER", "ECU");
        var options = BrowserFixture.Desktop();
        options.JavaScriptEnabled = false;
        var (page, problems) = await browser.OpenAsync(options);
        await BrowserFixture.SignInAsync(page, email, password);
        var (_, month) = await MonthsAsync(page);
        await page.GotoAsync($"/admin/reporting?month={month}");
        Assert.False(await page.Locator($"{Grid} select.coord-sector").First.IsVisibleAsync());
        var partner = $"NoJS {Guid.NewGuid():N}"[..16];
        await Field(page, 0, "Country").SelectOptionAsync("PER");
        var admin1 = (await Field(page, 0, "Admin1").Locator("optgroup[label='PER'] option").First.GetAttributeAsync("value"))!;
        await Field(page, 0, "Admin1").SelectOptionAsync(admin1);
        await Field(page, 0, "Indicator").SelectOptionAsync("FSC-01");
        await Field(page, 0, "Partner").FillAsync(partner);
        await Field(page, 0, "Women").FillAsync("8");

        // "Add rows" posts: the page comes back with what was typed and five more blank rows; nothing is stored.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add rows" }).ClickAsync();
        await Assertions.Expect(page.Locator($"{Grid} tr[data-added]")).ToHaveCountAsync(10, new() { Timeout = 60_000 });
        Assert.Equal(partner, await Field(page, 0, "Partner").InputValueAsync());
        Assert.Equal(admin1, await Field(page, 0, "Admin1").InputValueAsync());
        Assert.Equal("8", await Field(page, 0, "Women").InputValueAsync());
        Assert.Empty(await ReportsAsync(page, "MUJERES", month));

        await page.GetByRole(AriaRole.Button, new() { Name = "Save drafts" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Saved(), new() { Timeout = 60_000 });
        await NoAlertAsync(page);
        var stored = Assert.Single(await ReportsAsync(page, "MUJERES", month));
        Assert.Equal(partner, stored.GetProperty("implementingPartner").GetString());
        Assert.Equal("PER", stored.GetProperty("country").GetString());
        Assert.Equal(8, stored.GetProperty("total").GetInt64());
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("es", "Guardar borradores")]
    [InlineData("pap", null)]
    public async Task TheGrid_At360Px_ScrollsInsideItsBox_AndEveryControlIsReachable(string lang, string? save)
    {
        var (email, password) = await browser.App.AddUserAsync("OrgFocalPoint", "EDUC", "COL", "ECU", "PER");
        var (page, problems) = await browser.OpenAsync(BrowserFixture.Phone());
        await BrowserFixture.SignInAsync(page, email, password);
        var (_, month) = await MonthsAsync(page);
        await page.GotoAsync($"/admin/reporting?month={month}&lang={lang}");
        Assert.Equal(lang, await page.Locator("html").GetAttributeAsync("lang"));
        if (save is not null)
        {
            Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = save }).CountAsync() > 0);
        }
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360, "the reporting page scrolls sideways at 360 px");
        var wide = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('main *')].filter(e => !e.closest('.table-scroll, details:not([open])') && e.getBoundingClientRect().right > 361 && e.getClientRects().length).map(e => e.tagName + '.' + e.className + '#' + e.id)");
        Assert.True(wide.Length == 0, $"outside the screen at 360 px: {string.Join(", ", wide.Take(5))}");
        // Every control of the grid, scrolled to inside its box, lies on the screen and is the element a finger touches there.
        var unreachable = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('#new-rows select, #new-rows input:not([type=hidden])')].filter(e => !e.hidden).filter(e => {
              e.scrollIntoView({ block: 'center', inline: 'center' });
              const r = e.getBoundingClientRect();
              if (r.width === 0 || r.left < 0 || r.right > window.innerWidth + 1) { return true; }
              const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
              return !(hit === e || e.contains(hit));
            }).map(e => e.name || e.className)
            """);
        Assert.True(unreachable.Length == 0, $"not reachable at 360 px: {string.Join(", ", unreachable.Take(5))}");
        // Each select shows its whole choice (no "Elij" for "Elija un área"), and the caption can be read without scrolling.
        var clipped = await page.EvaluateAsync<string[]>("""
            () => {
              const ctx = document.createElement('canvas').getContext('2d');
              return [...document.querySelectorAll('#new-rows select')].filter(s => !s.hidden).filter(s => {
                const style = getComputedStyle(s);
                ctx.font = style.font;
                const text = ctx.measureText(s.selectedOptions[0]?.text || '').width;
                return text + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 16 > s.clientWidth;
              }).map(s => `${s.name || s.className}: ${s.selectedOptions[0]?.text} in ${s.clientWidth}px`);
            }
            """);
        Assert.True(clipped.Length == 0, $"clipped at 360 px: {string.Join(", ", clipped.Take(5))}");
        var caption = await page.EvaluateAsync<double>("() => { document.querySelectorAll('.table-scroll').forEach(b => { b.scrollLeft = 0; }); return document.querySelector('#new-rows caption').getBoundingClientRect().right; }");
        Assert.True(caption <= 361, $"the grid's caption ends at {caption} px");
        await page.EvaluateAsync("() => { document.querySelectorAll('.table-scroll').forEach(b => { b.scrollLeft = 0; }); window.scrollTo(0, document.getElementById('new-rows').getBoundingClientRect().top + window.scrollY - 8); }");
        if (Environment.GetEnvironmentVariable("CLOSER_SCREENSHOT_DIR") is { Length: > 0 } dir)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, $"reporting-grid-{lang}-360.png") });
        }
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }
}

using System.Globalization;
using System.IO.Compression;
using System.Text;
using Closer.Web.Features.Campaign.Content;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Campaign.Public;

/// <summary>The press briefing kit: one .zip built from the current published content in the reader's language.</summary>
public static class BriefingKit
{
    public const string Logo = """
        <svg xmlns="http://www.w3.org/2000/svg" width="480" height="160" viewBox="0 0 480 160" role="img" aria-label="Closer">
          <rect width="480" height="160" rx="16" fill="#0b5cad"/>
          <circle cx="90" cy="80" r="38" fill="none" stroke="#fff" stroke-width="10"/>
          <circle cx="140" cy="80" r="38" fill="none" stroke="#ffd23f" stroke-width="10"/>
          <text x="200" y="98" font-family="sans-serif" font-size="52" font-weight="700" fill="#fff">Closer</text>
        </svg>
        """;

    public static async Task<FileContentHttpResult> DownloadAsync(string lang, ContentService content, Sharing.CampaignKit kit, IStringLocalizer<SharedResource> t, TimeProvider time, CancellationToken ct)
    {
        var bytes = await BuildAsync(lang, content, kit, t, time, ct);
        return TypedResults.File(bytes, "application/zip", $"closer-briefing-kit-{lang}.zip");
    }

    public static async Task<byte[]> BuildAsync(string lang, ContentService content, Sharing.CampaignKit kit, IStringLocalizer<SharedResource> t, TimeProvider time, CancellationToken ct)
    {
        var culture = Languages.Culture(lang);
        var facts = await content.ListAsync(lang, ContentKind.Fact, ct);
        var releases = await content.ListAsync(lang, ContentKind.PressRelease, ct);
        var contacts = await content.ListAsync(lang, ContentKind.MediaContact, ct);
        var key = await content.FindByKeyAsync(lang, "key-messages", ct);
        var stories = await content.ListAsync(lang, ContentKind.Story, ct);

        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            var now = time.GetUtcNow();
            Add(zip, "README.txt", $"Closer — {t["Briefing kit"]}\n{t["Built from the published content on {0}.", now.ToString("D", culture)]}\n\n"
                + $"key-messages.md, fact-sheet.md, fact-sheet-{lang}.pdf, press-releases/, media-contacts.csv, logo/closer-logo.svg, kit/ (feed 1080×1080, status 1080×1920, link 1200×630)\n", now);
            var messages = new StringBuilder();
            messages.Append("# ").Append(key?.Shown.Title ?? t["One step closer"]).Append("\n\n");
            messages.Append(key?.Shown.Body ?? t["Refugees, migrants and host communities: stories, facts and data that bring us closer."]).Append('\n');
            Add(zip, "key-messages.md", messages.ToString(), now);

            var sheet = new StringBuilder().Append("# ").Append(t["Fact sheet"]).Append("\n\n");
            foreach (var f in facts)
            {
                sheet.Append("## ").Append(f.Shown.Title).Append("\n\n").Append(f.Shown.Summary).Append("\n\n");
                if (f.Item.Figure is { } figure)
                {
                    sheet.Append("**").Append(figure.ToString("N0", culture)).Append("** — ");
                }
                sheet.Append(t["Source"]).Append(": ").Append(f.Item.FigureSource).Append(", ").Append(f.Item.FigureDate).Append("\n\n");
            }
            Add(zip, "fact-sheet.md", sheet.ToString(), now);
            Add(zip, $"fact-sheet-{lang}.pdf", await kit.FactSheetAsync(facts, lang, now, ct), now, CompressionLevel.NoCompression);

            foreach (var r in releases)
            {
                Add(zip, $"press-releases/{r.Shown.Slug}.md",
                    $"# {r.Shown.Title}\n\n{r.Date.ToString("D", culture)}\n\n{r.Shown.Summary}\n\n{r.Shown.Body}\n", now);
            }

            var csv = new StringBuilder("country,name,organisation,phone,email,languages\n");
            foreach (var c in contacts)
            {
                csv.AppendJoin(',', new[] { c.Item.CountryIso3, c.Item.ContactName, c.Item.ContactOrganisation, c.Item.ContactPhone, c.Item.ContactEmail, c.Item.ContactLanguages }
                    .Select(Csv)).Append('\n');
            }
            Add(zip, "media-contacts.csv", csv.ToString(), now);
            Add(zip, "logo/closer-logo.svg", Logo, now);

            // The campaign kit of every story and fact, as on their pages: kit/{slug}-{feed|status|link}.png.
            foreach (var view in stories.Concat(facts))
            {
                var text = await kit.TextAsync(view, lang, ct);
                foreach (var format in Sharing.KitFormat.All)
                {
                    Add(zip, $"kit/{view.Shown.Slug}-{format.Name}.png", kit.Render(text, format), now, CompressionLevel.NoCompression);
                }
            }
        }
        return ms.ToArray();
    }

    private static string Csv(string? value)
    {
        var v = value ?? "";
        return v.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }

    private static void Add(ZipArchive zip, string name, string text, DateTimeOffset when) =>
        Add(zip, name, new UTF8Encoding(false).GetBytes(text), when, CompressionLevel.Optimal);

    // PNG and PDF are compressed already: stored as they are.
    private static void Add(ZipArchive zip, string name, byte[] bytes, DateTimeOffset when, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        entry.LastWriteTime = when;
        using var s = entry.Open();
        s.Write(bytes);
    }
}

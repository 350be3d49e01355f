using System.Net;
using Closer.Tests.Infrastructure;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Closer.Tests.Features.Dashboards.Situation;

/// <summary>The PDF's layout: no two words drawn over each other, and no heading left alone at the foot of a page.</summary>
public abstract partial class SituationSuite<TApp>
{
    /// <summary>Section headings are drawn at 13 pt (the title at 18, everything else smaller).</summary>
    private static bool IsHeading(Word w) => Math.Abs(w.Letters[0].PointSize - 13) < 0.2;

    private static bool Overlap(Word a, Word b)
    {
        const double tolerance = 0.3;
        var (p, q) = (a.BoundingBox, b.BoundingBox);
        return Math.Min(p.Right, q.Right) - Math.Max(p.Left, q.Left) > tolerance && Math.Min(p.Top, q.Top) - Math.Max(p.Bottom, q.Bottom) > tolerance;
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("pt")]
    [InlineData("pap")]
    public async Task Pdf_DrawsNoWordOverAnother_AndKeepsEachHeadingWithItsContent(string lang)
    {
        var month = Month(3);
        var admin = await app.SignedInClientAsync(R.Admin);
        foreach (var scope in new[] { "COL", "region", "ABW" })
        {
            var response = await admin.GetAsync($"/{lang}/data/situation/{scope}/{month}/pdf", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var doc = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync(Ct));
            var headings = 0;
            foreach (var page in doc.GetPages())
            {
                var words = page.GetWords().Where(w => !string.IsNullOrWhiteSpace(w.Text)).ToList();
                for (var i = 0; i < words.Count; i++)
                {
                    for (var j = i + 1; j < words.Count; j++)
                    {
                        Assert.False(Overlap(words[i], words[j]), $"{lang} {scope} page {page.Number}: “{words[i].Text}” and “{words[j].Text}” are drawn over each other");
                    }
                }
                // The lowest heading of the page has content under it on the same page (a table row, the map's legend).
                var heading = words.Where(IsHeading).OrderBy(w => w.BoundingBox.Bottom).FirstOrDefault();
                headings += words.Count(IsHeading);
                if (heading is not null)
                {
                    Assert.True(words.Any(w => !IsHeading(w) && w.BoundingBox.Top < heading.BoundingBox.Bottom - 2),
                        $"{lang} {scope} page {page.Number}: the heading ending “{heading.Text}” is alone at the foot of the page");
                }
            }
            Assert.True(headings > 0, $"{lang} {scope}: no heading found at 13 pt");
            // The outlines are credited only where a map is drawn: Aruba's areas are listed, not mapped.
            var text = string.Join(' ', doc.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
            Assert.Equal(scope != "ABW", text.Contains("Natural Earth", StringComparison.Ordinal));
        }
        var aruba = await admin.GetStringAsync($"/{lang}/data/situation/ABW/{month}", Ct);
        Assert.DoesNotContain("Natural Earth", aruba, StringComparison.Ordinal);
        Assert.Contains("Natural Earth", await admin.GetStringAsync($"/{lang}/data/situation/COL/{month}", Ct), StringComparison.Ordinal);
    }
}

using System.Globalization;
using Closer.Web.Features.Dashboards.Maps;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Text;
using Microsoft.Extensions.Localization;
using SkiaSharp;

namespace Closer.Web.Features.Dashboards.Situation;

/// <summary>
/// The printable PDF of a situation report, drawn with SkiaSharp's PDF backend (no browser needed) in the embedded Liberation
/// Sans, from the same <see cref="SituationReportView"/> and the same map drawing as the page, in the current culture.
/// </summary>
public static class SituationPdf
{
    private const float PageWidth = 595, PageHeight = 842, Margin = 48;
    private const float ContentWidth = PageWidth - (2 * Margin);

    private static readonly Lazy<SKTypeface> Regular = new(() => Load("LiberationSans-Regular.ttf"));
    private static readonly Lazy<SKTypeface> Bold = new(() => Load("LiberationSans-Bold.ttf"));

    private static SKTypeface Load(string name)
    {
        using var stream = typeof(SituationPdf).Assembly.GetManifestResourceStream($"Closer.Fonts.{name}")
            ?? throw new InvalidOperationException($"Font {name} is not embedded.");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"Font {name} could not be loaded.");
    }

    public static string FileName(SituationScope scope, string language) => $"situation-report-{scope.Code.ToLowerInvariant()}-{scope.Month}-{language}.pdf";

    /// <summary>Renders the report; call inside the reader's culture (<c>Languages.InCulture</c>).</summary>
    public static byte[] Render(SituationReportView r, IStringLocalizer t, string language, int threshold)
    {
        var culture = CultureInfo.CurrentCulture;
        var f = r.Figures;
        string Num(long? n) => n is { } v ? v.ToString("N0", culture) : "–";
        string Pct(long? reached, long target) => reached is { } v ? Charts.Percent(v, target) : "–";
        var title = r.Title(t);
        using var stream = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = title, Author = "Closer", Subject = t["Situation report"].Value, Creator = "Closer", Producer = "Closer (SkiaSharp)",
            Creation = r.GeneratedAt.UtcDateTime, Modified = r.GeneratedAt.UtcDateTime, RasterDpi = 150, EncodingQuality = 90,
        };
        using (var document = SKDocument.CreatePdf(stream, metadata))
        {
            using var w = new Writer(document);
            w.Text($"{t["Situation report"]} · Closer", 9, false, Gray);
            w.Paragraph(title, 18, true);
            if (r.IsDraft)
            {
                w.Paragraph($"{t["Draft preview."]} {t["Only the coordinators of this report and administrators see it until it is published."]}", 10, true, Red);
            }
            else if (r.PublishedAt is { } published)
            {
                w.Paragraph(t["Published {0}.", published.ToString("D", culture)], 9, false, Gray);
            }
            w.Paragraph(t["Figures from validated 5W reports of the partners, January to {0}, as they stand on {1}.", r.MonthLabel, r.GeneratedAt.ToString("D", culture)], 9, false, Gray);
            w.Gap(6);

            w.Heading(t["Key figures"], Writer.FigureHeight);
            w.Figure(t["Refugees and migrants from Venezuela"], Num(f.RefugeesAndMigrants),
                f.RefugeesAsOf is { } asOf ? t["Latest figure by {0}: {1}", Infrastructure.Text.Months.Label(asOf), string.Join("; ", f.RefugeesSources)].Value : null);
            w.Figure(t["People reached, January to {0}", r.MonthLabel], Num(f.Total.Reached),
                t["{0} of a target of {1}", Pct(f.Total.Reached, f.Total.Target), f.Total.Target.ToString("N0", culture)]);
            w.Figure(t["Partner organisations reporting"], f.Total.Partners.ToString("N0", culture),
                PluralExtensions.Plural(t, f.ReportsInMonth, "{0} report validated for {1}, from {2} organisations", "{0} reports validated for {1}, from {2} organisations",
                    r.MonthLabel, f.PartnersInMonth.ToString("N0", culture)));
            if (f.Funding is { } money)
            {
                w.Figure(t["Funding received"], t["US$ {0}", money.ReceivedUsd.ToString("N0", culture)],
                    t["{0} of US$ {1} required, by {2}", money.FundedPct is { } p ? (p / 100m).ToString("P1", culture) : "–", money.RequiredUsd.ToString("N0", culture),
                        r.Scope.LastDay.ToString("D", culture)]);
            }

            w.Heading(t["Highlights of the month"], Writer.LineHeight(10.5f) * 2);
            if (r.Paragraphs.Count == 0)
            {
                w.Paragraph(t["The coordinator has not written highlights for this month."], 10, false, Gray);
            }
            foreach (var p in r.Paragraphs)
            {
                foreach (var line in p)
                {
                    w.Paragraph(line, 10.5f, false, gap: 1);
                }
                w.Gap(5);
            }

            var map = SituationMaps.For(r, t, culture);
            var mapTable = f.Map is { } areas
                ? new Table([t["Area"], t["People reached"], t["Partner organisations"]], [0.56f, 0.22f, 0.22f],
                    areas.Areas.Select(a => new[] { a.Name, a.Reached.ToString("N0", culture), a.Partners.ToString("N0", culture) }).ToList())
                : new Table([t["Country"], t["Refugees and migrants"], t["As of"]], [0.5f, 0.25f, 0.25f],
                    f.Latest.Select(p => new[] { p.Name, p.RefugeesAndMigrants.ToString("N0", culture), Infrastructure.Text.Months.Label(p.AsOf) }).ToList());
            // A heading stays with what follows it: the map, or (with no map) the table's first rows.
            w.Heading(map.Title, map.Drawing is { } drawn ? Writer.MapHeight(drawn) : Writer.TableStart(mapTable));
            if (map.Drawing is { } drawing)
            {
                w.Map(drawing);
            }
            w.Table(mapTable);
            if (f.Map is not null)
            {
                w.Paragraph(t["To protect the people counted, the areas' figures leave out gender-based violence, child protection and trafficking; those sectors are published by country only."], 8, false, Gray);
            }
            // Outlines are credited where they are drawn (Aruba's and Curaçao's areas are listed, not mapped).
            if (map.Drawing is not null)
            {
                w.Paragraph(t["Outlines: Natural Earth (public domain)."], 8, false, Gray);
            }

            var sectors = new Table([t["Sector"], t["People reached"], t["Target"], t["Share of target"], t["Partner organisations"]], [0.31f, 0.18f, 0.17f, 0.14f, 0.20f],
                f.Sectors.Select(s => new[] { s.Name, Num(s.Reached), s.Target.ToString("N0", culture), Pct(s.Reached, s.Target), s.Partners.ToString("N0", culture) }).ToList());
            w.Heading(t["People reached vs target by sector, January to {0}", r.MonthLabel], Writer.TableStart(sectors));
            w.Table(sectors);
            if (f.Countries.Count > 0)
            {
                var countries = new Table([t["Country"], t["People reached"], t["Target"], t["Share of target"], t["Partner organisations"]], [0.31f, 0.18f, 0.17f, 0.14f, 0.20f],
                    f.Countries.Select(c => new[] { c.Name, Num(c.Reached), c.Target.ToString("N0", culture), Pct(c.Reached, c.Target), c.Partners.ToString("N0", culture) }).ToList());
                w.Heading(t["People reached vs target by country, January to {0}", r.MonthLabel], Writer.TableStart(countries));
                w.Table(countries);
            }
            w.Gap(8);
            w.Paragraph(t["People reached in a year: for each organisation, country, indicator and population group, the highest monthly figure (the partner's de-duplicated figure to date when given), never a sum of months; then added up. Only indicators counted in people."], 8, false, Gray);
            if (f.DisclosureApplied)
            {
                w.Paragraph(t["– Hidden to protect people: in gender-based violence, child protection and trafficking, counts of fewer than {0} people are not published, nor any figure from which they could be worked out.", threshold], 8, false, Gray);
            }
            w.Paragraph(t["Funding: the plan year's requirement and the contributions committed or paid by {0} (pledges are not counted).", r.Scope.LastDay.ToString("D", culture)], 8, false, Gray);
            w.Paragraph(t["Online, with every figure as data: {0}", r.Scope.Path(language)], 8, false, Gray);
        }
        return stream.ToArray();
    }

    private static readonly SKColor Ink = new(0x1b, 0x1f, 0x24), Gray = new(0x4a, 0x53, 0x60), Red = new(0x9b, 0x1c, 0x1c), Rule = new(0xc8, 0xcd, 0xd3);

    /// <summary>A top-to-bottom writer that wraps text and turns the page when the next block does not fit.</summary>
    private sealed class Writer(SKDocument document) : IDisposable
    {
        private SKCanvas? _canvas;
        private float _y;

        private SKCanvas Canvas => _canvas ??= NewPage();

        private SKCanvas NewPage()
        {
            _y = Margin;
            return document.BeginPage(PageWidth, PageHeight);
        }

        private void Need(float height)
        {
            if (_canvas is not null && _y + height > PageHeight - Margin)
            {
                document.EndPage();
                _canvas = null;
            }
            _ = Canvas;
        }

        public void Gap(float h) => _y += h;

        public void Text(string text, float size, bool bold, SKColor? color = null)
        {
            using var font = new SKFont(bold ? Bold.Value : Regular.Value, size);
            Need(size * 1.4f);
            Draw(text, Margin, size, font, color ?? Ink);
            _y += size * 1.4f;
        }

        private void Draw(string text, float x, float size, SKFont font, SKColor color, SKTextAlign align = SKTextAlign.Left)
        {
            using var paint = new SKPaint { Color = color, IsAntialias = true };
            Canvas.DrawText(text, x, _y + size, align, font, paint);
        }

        public void Paragraph(string text, float size, bool bold, SKColor? color = null, float gap = 4)
        {
            using var font = new SKFont(bold ? Bold.Value : Regular.Value, size);
            foreach (var line in Wrap(text, font, ContentWidth))
            {
                Need(size * 1.35f);
                Draw(line, Margin, size, font, color ?? Ink);
                _y += size * 1.35f;
            }
            _y += gap;
        }

        /// <summary>The height of a line of text at <paramref name="size"/> (<see cref="Paragraph"/>'s spacing).</summary>
        public static float LineHeight(float size) => size * 1.35f;

        /// <summary>What <see cref="Figure"/> needs on its page.</summary>
        public const float FigureHeight = 44;

        /// <summary>
        /// A section heading and its rule, kept on one page with the first <paramref name="keep"/> points of what follows (a map,
        /// a table's header and first rows): when they do not fit together, the heading starts the next page.
        /// </summary>
        public void Heading(string text, float keep)
        {
            using var font = new SKFont(Bold.Value, 13);
            Need(8 + (Wrap(text, font, ContentWidth).Count * LineHeight(13)) + 2 + 6 + keep);
            _y += 8;
            Paragraph(text, 13, true, gap: 2);
            using var paint = new SKPaint { Color = Rule, StrokeWidth = 0.8f };
            Canvas.DrawLine(Margin, _y, PageWidth - Margin, _y, paint);
            _y += 6;
        }

        public void Figure(string label, string value, string? note)
        {
            Need(FigureHeight);
            Paragraph(label, 9.5f, false, Gray, gap: 0);
            Paragraph(value, 15, true, gap: 0);
            if (note is not null)
            {
                Paragraph(note, 8.5f, false, Gray, gap: 0);
            }
            _y += 6;
        }

        private const float TableFontSize = 9, TableLine = 11;

        /// <summary>Every cell wrapped to its column's width (the header's too: long words in four languages must not meet).</summary>
        private static List<List<string>> Cells(IReadOnlyList<string> cells, IReadOnlyList<float> widths, SKFont font) =>
            cells.Select((c, i) => Wrap(c, font, (widths[i] * ContentWidth) - 6)).ToList();

        private static float RowHeight(List<List<string>> wrapped) => (wrapped.Max(l => l.Count) * TableLine) + 5;

        /// <summary>The height of a table's header and first two rows: what its heading keeps with it.</summary>
        public static float TableStart(Table table)
        {
            using var font = new SKFont(Regular.Value, TableFontSize);
            using var bold = new SKFont(Bold.Value, TableFontSize);
            return RowHeight(Cells(table.Headers, table.Widths, bold))
                + table.Rows.Take(2).Sum(r => RowHeight(Cells(r, table.Widths, font)) + 2);
        }

        /// <summary>
        /// A table: the first column left-aligned, the others (numbers) right-aligned, every cell wrapped in its column; a table
        /// that runs on to the next page repeats its header there.
        /// </summary>
        public void Table(Table table)
        {
            using var font = new SKFont(Regular.Value, TableFontSize);
            using var bold = new SKFont(Bold.Value, TableFontSize);
            using var rule = new SKPaint { Color = Rule, StrokeWidth = 0.5f };
            var widths = table.Widths;
            var header = Cells(table.Headers, widths, bold);
            void Row(List<List<string>> wrapped, SKFont rowFont, bool isHeader)
            {
                var height = RowHeight(wrapped);
                if (!isHeader && _canvas is not null && _y + height + 2 > PageHeight - Margin)
                {
                    Need(PageHeight);
                    Row(header, bold, true);
                }
                Need(height + (isHeader ? 0 : 2));
                var x = Margin;
                for (var i = 0; i < wrapped.Count; i++)
                {
                    var cw = widths[i] * ContentWidth;
                    var y0 = _y;
                    foreach (var line in wrapped[i])
                    {
                        Draw(line, i == 0 ? x : x + cw - 2, TableFontSize, rowFont, isHeader ? Gray : Ink, i == 0 ? SKTextAlign.Left : SKTextAlign.Right);
                        _y += TableLine;
                    }
                    _y = y0;
                    x += cw;
                }
                _y += height;
                Canvas.DrawLine(Margin, _y - 2, PageWidth - Margin, _y - 2, rule);
            }
            Row(header, bold, true);
            foreach (var row in table.Rows)
            {
                Row(Cells(row, widths, font), font, false);
            }
            _y += 6;
        }

        /// <summary>The map as the page draws it (same areas, fills and legend), scaled to the text width.</summary>
        private static float MapScale(MapDrawing d) => Math.Min(ContentWidth / (float)d.Projection.Width, 330f / (float)d.Projection.Height);

        /// <summary>What <see cref="Map"/> needs on its page before its legend.</summary>
        public static float MapHeight(MapDrawing d) => ((float)d.Projection.Height * MapScale(d)) + 8 + 20;

        public void Map(MapDrawing d)
        {
            var scale = MapScale(d);
            var height = ((float)d.Projection.Height * scale) + 8;
            Need(MapHeight(d));
            var canvas = Canvas;
            canvas.Save();
            canvas.Translate(Margin, _y);
            canvas.Scale(scale);
            using var stroke = new SKPaint { Color = SKColor.Parse(MapPalette.Stroke), Style = SKPaintStyle.Stroke, StrokeWidth = 1.2f, IsAntialias = true };
            using (var grey = new SKPaint { Color = SKColor.Parse(MapPalette.Other), Style = SKPaintStyle.Fill, IsAntialias = true })
            using (var white = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Stroke, StrokeWidth = 1, IsAntialias = true })
            {
                foreach (var rings in d.Others)
                {
                    using var path = PathOf(d.Projection, rings);
                    canvas.DrawPath(path, grey);
                    canvas.DrawPath(path, white);
                }
            }
            foreach (var a in d.Areas)
            {
                using var fill = new SKPaint { Color = SKColor.Parse(a.Fill), Style = SKPaintStyle.Fill, IsAntialias = true };
                using var path = PathOf(d.Projection, a.Rings);
                var bounds = path.Bounds;
                if (!path.IsEmpty)
                {
                    canvas.DrawPath(path, fill);
                    canvas.DrawPath(path, stroke);
                }
                if ((path.IsEmpty || (bounds.Width < 8 && bounds.Height < 8)) && a.Centre is { } c)
                {
                    var (x, y) = d.Projection.Project(c.Lon, c.Lat);
                    canvas.DrawCircle((float)x, (float)y, 7, fill);
                    canvas.DrawCircle((float)x, (float)y, 7, stroke);
                }
            }
            canvas.Restore();
            _y += height;
            using var font = new SKFont(Regular.Value, 8.5f);
            var lx = Margin;
            foreach (var l in d.Legend)
            {
                var width = font.MeasureText(l.Label) + 22;
                if (lx + width > PageWidth - Margin)
                {
                    lx = Margin;
                    _y += 13;
                }
                Need(14);
                using var fill = new SKPaint { Color = SKColor.Parse(l.Fill), Style = SKPaintStyle.Fill };
                using var border = new SKPaint { Color = SKColor.Parse(MapPalette.Stroke), Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f };
                Canvas.DrawRect(lx, _y + 1, 12, 9, fill);
                Canvas.DrawRect(lx, _y + 1, 12, 9, border);
                using var ink = new SKPaint { Color = Ink, IsAntialias = true };
                Canvas.DrawText(l.Label, lx + 16, _y + 9, SKTextAlign.Left, font, ink);
                lx += width;
            }
            _y += 20;
        }

        private static SKPath PathOf(MapProjection projection, IReadOnlyList<Ring> rings)
        {
            using var path = new SKPathBuilder { FillType = SKPathFillType.EvenOdd };
            foreach (var ring in rings)
            {
                for (var i = 0; i < ring.Lon.Length; i++)
                {
                    var (x, y) = projection.Project(ring.Lon[i], ring.Lat[i]);
                    if (i == 0)
                    {
                        path.MoveTo((float)x, (float)y);
                    }
                    else
                    {
                        path.LineTo((float)x, (float)y);
                    }
                }
                path.Close();
            }
            return path.Detach();
        }

        public void Dispose()
        {
            if (_canvas is not null)
            {
                document.EndPage();
            }
            document.Close();
        }
    }

    /// <summary>A table of the report: header texts, each column's share of the text width, and the rows.</summary>
    private sealed record Table(IReadOnlyList<string> Headers, IReadOnlyList<float> Widths, IReadOnlyList<string[]> Rows);

    // An empty text still takes its line (a table cell, a blank paragraph).
    private static List<string> Wrap(string text, SKFont font, float maxWidth) => TextWrap.Lines(text, font, maxWidth) is { Count: > 0 } lines ? lines : [""];
}

using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;
using Closer.Web.Infrastructure.Data;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace Closer.Web.Features.Documents;

/// <summary>
/// Demo documents: small real PDF and DOCX files generated here, written for the demo (marked as such), with
/// figures from shared/data quoted with their year and source.
/// </summary>
internal sealed class DemoDocuments(DocumentService documents) : IDemoSeeder
{
    public int Order => 40;

    public async Task SeedAsync(CloserDbContext db, CancellationToken cancellationToken)
    {
        foreach (var (input, fileName, content) in All())
        {
            var (doc, error) = await documents.CreateAsync(input, fileName, content, null, cancellationToken);
            if (error is not null)
            {
                throw new InvalidOperationException($"Demo document {fileName} was refused: {error.Message}");
            }
            doc!.IsDemo = true;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static Dictionary<string, DocumentText> Texts(params (string Lang, string Title, string Summary)[] texts) =>
        texts.ToDictionary(t => t.Lang, t => new DocumentText(t.Title, t.Summary), StringComparer.Ordinal);

    internal static IEnumerable<(DocumentInput, string, byte[])> All()
    {
        yield return (new DocumentInput(DocumentType.SituationReport, DocumentVisibility.Public, "es", new DateOnly(2021, 11, 30), ["COL"], ["Integration", "Protection"],
            Texts(("es", "Informe de situación: Colombia, noviembre de 2021 (demo)", "Cifras de población y prioridades de integración en Colombia."),
                  ("en", "Situation report: Colombia, November 2021 (demo)", "Population figures and integration priorities in Colombia."),
                  ("pt", "Relatório de situação: Colômbia, novembro de 2021 (demo)", "Números de população e prioridades de integração na Colômbia."))),
            "informe-colombia-2021-11.pdf",
            Pdf("Informe de situación: Colombia (documento de demostración)",
                "Según la plataforma regional R4V, en noviembre de 2021 vivían en Colombia 1.842.390 personas",
                "refugiadas y migrantes de Venezuela (fuente: R4V, 25 de noviembre de 2021).",
                "La regularización migratoria y la integración socioeconómica siguen siendo prioridades.",
                "Los socios informan más demanda de educación y de atención en salud en zonas de frontera."));

        yield return (new DocumentInput(DocumentType.SituationReport, DocumentVisibility.Public, "es", new DateOnly(2021, 11, 30), ["PER"], ["Health", "Shelter"],
            Texts(("es", "Informe de situación: Perú, noviembre de 2021 (demo)", "Población refugiada y migrante en Perú y necesidades de alojamiento."),
                  ("en", "Situation report: Peru, November 2021 (demo)", "Refugees and migrants in Peru and their shelter needs."))),
            "informe-peru-2021-11.pdf",
            Pdf("Informe de situación: Perú (documento de demostración)",
                "En noviembre de 2021 había en el Perú 1.286.464 personas refugiadas y migrantes de Venezuela",
                "(fuente: R4V, 25 de noviembre de 2021). La atención en salud y el alojamiento temporal",
                "concentran la mayor parte de las solicitudes recibidas por los socios en Lima y Tumbes."));

        yield return (new DocumentInput(DocumentType.SituationReport, DocumentVisibility.Public, "pt", new DateOnly(2024, 7, 31), ["BRA"], ["Integration"],
            Texts(("pt", "Relatório de situação: Brasil, julho de 2024 (demo)", "Interiorização e integração de pessoas refugiadas e migrantes no Brasil."),
                  ("es", "Informe de situación: Brasil, julio de 2024 (demo)", "Interiorización e integración de personas refugiadas y migrantes en Brasil."),
                  ("en", "Situation report: Brazil, July 2024 (demo)", "Relocation and integration of refugees and migrants in Brazil."))),
            "relatorio-brasil-2024-07.pdf",
            Pdf("Relatório de situação: Brasil (documento de demonstração)",
                "Em julho de 2024, cerca de 568.100 pessoas refugiadas e migrantes da Venezuela viviam no Brasil",
                "(fonte: R4V, julho de 2024). A estratégia de interiorização e a integração no mercado de trabalho",
                "continuam sendo as principais linhas de ação dos parceiros."));

        yield return (new DocumentInput(DocumentType.PlanChapter, DocumentVisibility.Public, "en", new DateOnly(2020, 1, 15), [], ["Health"],
            Texts(("en", "Regional plan 2020: health chapter (demo)", "Needs, targets and requirements of the health sector in the 2020 plan."),
                  ("es", "Plan regional 2020: capítulo de salud (demo)", "Necesidades, metas y requerimientos del sector salud en el plan 2020."),
                  ("pt", "Plano regional 2020: capítulo de saúde (demo)", "Necessidades, metas e requisitos do setor de saúde no plano 2020."),
                  ("pap", "Plan regional 2020: kapítulo di salú (demo)", "Nesesidat, meta i rekisito di e sektor di salú den e plan 2020."))),
            "plan-2020-health.pdf",
            Pdf("Regional plan 2020: health chapter (demo document)",
                "In 2020 the health sector planned to reach 1,710,000 people out of 3,520,000 in need,",
                "with financial requirements of USD 221,270,000 and 64 partners",
                "(source: regional refugee and migrant response plan 2020; figures approximate)."));

        yield return (new DocumentInput(DocumentType.Guidance, DocumentVisibility.Partners, "es", new DateOnly(2026, 3, 1), [], ["Support Services"],
            Texts(("es", "Guía para el registro mensual de actividades 5W (demo)", "Cómo llenar la plantilla mensual, con ejemplos y errores frecuentes."),
                  ("en", "Guidance on monthly 5W activity reporting (demo)", "How to fill in the monthly template, with examples and common mistakes."))),
            "guia-5w.docx",
            Docx("Guía para el registro mensual de actividades 5W (documento de demostración)",
                "Cada fila corresponde a una organización, un país, un área, un indicador, un mes y un grupo de población.",
                "Las personas alcanzadas se cuentan una sola vez por mes y actividad; nunca sume meses para obtener el acumulado.",
                "Use la columna de socio implementador cuando otra organización ejecuta la actividad."));

        yield return (new DocumentInput(DocumentType.Minutes, DocumentVisibility.Partners, "pt", new DateOnly(2026, 10, 14), ["BRA"], ["Protection", "Child Protection"],
            Texts(("pt", "Ata da reunião do grupo de proteção, outubro de 2026 (demo)", "Acordos sobre encaminhamento de casos de proteção infantil em Roraima."))),
            "ata-protecao-2026-10.docx",
            Docx("Ata da reunião do grupo de proteção (documento de demonstração)",
                "Participantes: doze organizações parceiras. Tema principal: proteção infantil e encaminhamento de casos.",
                "Acordou-se revisar o fluxo de encaminhamento em Pacaraima e Boa Vista até a próxima reunião.",
                "Próxima reunião: novembro de 2026."));
    }

    /// <summary>A one-page PDF with the given lines, in the app's embedded Liberation Sans (accents included).</summary>
    internal static byte[] Pdf(string title, params string[] lines)
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        var bold = builder.AddTrueTypeFont(Font("LiberationSans-Bold.ttf"));
        var regular = builder.AddTrueTypeFont(Font("LiberationSans-Regular.ttf"));
        page.AddText(title, 14, new PdfPoint(40, 780), bold);
        var y = 750.0;
        foreach (var line in lines)
        {
            page.AddText(line, 10, new PdfPoint(40, y), regular);
            y -= 16;
        }
        return builder.Build();
    }

    internal static byte[] Font(string name)
    {
        using var stream = typeof(DemoDocuments).Assembly.GetManifestResourceStream($"Closer.Fonts.{name}")
            ?? throw new InvalidOperationException($"Font {name} is not embedded.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>A minimal, valid DOCX with a title and paragraphs.</summary>
    internal static byte[] Docx(string title, params string[] paragraphs)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, string xml)
            {
                using var w = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                w.Write(xml);
            }
            Add("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>""");
            Add("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>""");
            var body = new StringBuilder();
            body.Append(CultureInfo.InvariantCulture, $"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{SecurityElement.Escape(title)}</w:t></w:r></w:p>");
            foreach (var p in paragraphs)
            {
                body.Append(CultureInfo.InvariantCulture, $"<w:p><w:r><w:t xml:space=\"preserve\">{SecurityElement.Escape(p)}</w:t></w:r></w:p>");
            }
            Add("word/document.xml", $"""<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>""");
        }
        return buffer.ToArray();
    }
}

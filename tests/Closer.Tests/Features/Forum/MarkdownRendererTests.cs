using AngleSharp.Html.Parser;
using Closer.Tests.Infrastructure.Localization;
using Closer.Web.Infrastructure.Markdown;

namespace Closer.Tests.Features.Forum;

public sealed class MarkdownRendererTests
{
    private static readonly MarkdownRenderer Renderer = new();
    private static readonly string[] ForbiddenElements =
        ["script", "iframe", "object", "embed", "style", "svg", "math", "img", "form", "input", "button", "base", "link", "meta",
         "video", "audio", "source", "details", "marquee", "noscript", "isindex", "body"];
    private static readonly string[] UrlAttributes = ["href", "src", "action", "formaction", "background", "srcdoc", "data", "xlink:href", "poster"];

    public static TheoryData<string> Payloads()
    {
        var path = Path.Combine(Repository.Root, "tests", "Shared", "xss-payloads.txt");
        var data = new TheoryData<string>();
        foreach (var line in File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            data.Add(line.Replace("\\n", "\n", StringComparison.Ordinal));
        }
        return data;
    }

    [Fact]
    public void Corpus_HasAtLeastAHundredPayloads() => Assert.True(Payloads().Count >= 100);

    [Theory]
    [MemberData(nameof(Payloads))]
    public void XssPayload_LeavesNoScriptNoHandlerAndNoScriptUrl(string payload)
    {
        var html = Renderer.ToHtml(payload);
        var doc = new HtmlParser().ParseDocument($"<!DOCTYPE html><html><body>{html}</body></html>");
        foreach (var element in doc.Body!.QuerySelectorAll("*"))
        {
            Assert.DoesNotContain(element.LocalName, ForbiddenElements);
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"handler {attribute.Name} in {html}");
                Assert.NotEqual("style", attribute.Name);
                if (UrlAttributes.Contains(attribute.Name, StringComparer.OrdinalIgnoreCase))
                {
                    var value = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
                    Assert.True(value.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                        || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                        || value.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase),
                        $"{attribute.Name}=\"{attribute.Value}\" in {html}");
                }
            }
            if (element.LocalName == "a")
            {
                Assert.Equal("nofollow ugc noopener", element.GetAttribute("rel"));
                Assert.Null(element.GetAttribute("target"));
            }
        }
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Markdown_IsRendered()
    {
        var html = Renderer.ToHtml("# Title\n\n**bold** and *em*, `code`\n\n> quoted\n\n- one\n- two\n\n[site](https://example.org/a?b=1)");
        Assert.Contains("<h1>Title</h1>", html);
        Assert.Contains("<strong>bold</strong>", html);
        Assert.Contains("<em>em</em>", html);
        Assert.Contains("<code>code</code>", html);
        Assert.Contains("<blockquote>", html);
        Assert.Contains("<li>two</li>", html);
        Assert.Contains("<a href=\"https://example.org/a?b=1\" rel=\"nofollow ugc noopener\">site</a>", html);
    }

    [Fact]
    public void RawHtml_IsShownAsText_NotInterpreted()
    {
        var html = Renderer.ToHtml("Hello <b>there</b>");
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("&lt;b&gt;", html);
    }

    [Fact]
    public void MailtoLinks_AreKept_AndBareUrlsBecomeLinks()
    {
        Assert.Contains("href=\"mailto:info@example.org\"", Renderer.ToHtml("[write](mailto:info@example.org)"));
        Assert.Contains("href=\"https://example.org\"", Renderer.ToHtml("see https://example.org today"));
    }

    [Fact]
    public void CountLinks_CountsInlineAutoAndBareLinks()
    {
        Assert.Equal(0, Renderer.CountLinks("no links here"));
        Assert.Equal(3, Renderer.CountLinks("[a](https://a.example) <https://b.example> https://c.example"));
    }
}

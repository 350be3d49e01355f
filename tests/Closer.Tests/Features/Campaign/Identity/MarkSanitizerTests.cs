using Closer.Web.Features.Campaign.Identity;

namespace Closer.Tests.Features.Campaign.Identity;

/// <summary>Hostile SVGs: whatever an uploaded mark holds, what is stored can neither run nor load anything.</summary>
public sealed class MarkSanitizerTests
{
    private const string Ns = "xmlns=\"http://www.w3.org/2000/svg\"";

    [Theory]
    [InlineData("<svg " + Ns + "><script>alert(1)</script><circle r=\"4\"/></svg>", "script")]
    [InlineData("<svg " + Ns + " onload=\"alert(1)\"><circle r=\"4\"/></svg>", "onload")]
    [InlineData("<svg " + Ns + "><circle r=\"4\" onclick=\"alert(1)\" onmouseover=\"x()\"/></svg>", "onclick")]
    [InlineData("<svg " + Ns + "><a href=\"javascript:alert(1)\"><circle r=\"4\"/></a></svg>", "a")]
    [InlineData("<svg " + Ns + " xmlns:xlink=\"http://www.w3.org/1999/xlink\"><image xlink:href=\"https://evil.example/x.png\"/></svg>", "image")]
    [InlineData("<svg " + Ns + " xmlns:xlink=\"http://www.w3.org/1999/xlink\"><use xlink:href=\"https://evil.example/s.svg#a\"/></svg>", "href")]
    [InlineData("<svg " + Ns + "><use href=\"data:image/svg+xml;base64,PHN2Zz4=#a\"/></svg>", "href")]
    [InlineData("<svg " + Ns + "><foreignObject><iframe xmlns=\"http://www.w3.org/1999/xhtml\" src=\"https://evil.example\"/></foreignObject></svg>", "foreignObject")]
    [InlineData("<svg " + Ns + "><style>@import url(https://evil.example/a.css);</style></svg>", "style")]
    [InlineData("<svg " + Ns + "><rect width=\"4\" height=\"4\" style=\"fill:url(https://evil.example/p)\"/></svg>", "style")]
    [InlineData("<svg " + Ns + "><rect width=\"4\" height=\"4\" fill=\"url(https://evil.example/p#g)\"/></svg>", "fill")]
    [InlineData("<svg " + Ns + "><rect width=\"4\" height=\"4\" fill=\"u\\rl(https://evil.example/p)\"/></svg>", "fill")]
    [InlineData("<svg " + Ns + "><set attributeName=\"href\" to=\"javascript:alert(1)\"/><animate attributeName=\"x\"/></svg>", "animate")]
    [InlineData("<svg " + Ns + "><handler xmlns=\"http://www.w3.org/2001/xml-events\" event=\"load\">alert(1)</handler></svg>", "handler")]
    public void HostileParts_AreLeftOut_AndReported(string svg, string reported)
    {
        var outcome = MarkSanitizer.Sanitize(svg);
        Assert.Null(outcome.Error);
        Assert.Contains(reported, outcome.Removed);
        var stored = outcome.Svg!;
        foreach (var bad in new[] { "script", "alert", "evil.example", "javascript", " on", "<a", "image", "foreignObject", "iframe", "style", "import", "data:", "<set", "animate", "handler" })
        {
            Assert.DoesNotContain(bad, stored, StringComparison.OrdinalIgnoreCase);
        }
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void ADrawing_KeepsItsShapesGradientsAndInternalReferences()
    {
        const string svg = "<?xml version=\"1.0\"?><!-- made by hand --><svg " + Ns + " viewBox=\"0 0 32 32\" width=\"32\" height=\"32\">"
            + "<defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#0b5d7a\"/></linearGradient></defs>"
            + "<title>Mark</title><rect width=\"32\" height=\"32\" rx=\"8\" fill=\"url(#g)\"/><path d=\"M6 25 C7 12 25 12 26 25\" stroke=\"#b8451b\"/>"
            + "<use href=\"#g\"/></svg>";
        var outcome = MarkSanitizer.Sanitize(svg);
        Assert.Null(outcome.Error);
        Assert.Empty(outcome.Removed);
        Assert.Contains("fill=\"url(#g)\"", outcome.Svg);
        Assert.Contains("<path d=\"M6 25 C7 12 25 12 26 25\" stroke=\"#b8451b\" />", outcome.Svg);
        Assert.Contains("<use href=\"#g\" />", outcome.Svg);
        Assert.Contains("<title>Mark</title>", outcome.Svg);
        Assert.DoesNotContain("made by hand", outcome.Svg);
    }

    [Theory]
    [InlineData("<svg " + Ns + "><circle r=\"4\"></svg>", "The mark is not a well-formed SVG file.")]
    [InlineData("<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg " + Ns + ">&x;</svg>", "The mark is not a well-formed SVG file.")]
    [InlineData("<html><body>hi</body></html>", "The mark must be an SVG drawing (its root element is svg).")]
    [InlineData("<svg xmlns=\"http://www.w3.org/1999/xhtml\"/>", "The mark must be an SVG drawing (its root element is svg).")]
    public void NotAnSvg_IsRefused(string svg, string error)
    {
        var outcome = MarkSanitizer.Sanitize(svg);
        Assert.Equal(error, outcome.Error);
        Assert.Null(outcome.Svg);
    }

    [Fact]
    public void ATooLargeMark_IsRefused() =>
        Assert.Equal("The mark is too large (at most 20,000 characters).", MarkSanitizer.Sanitize("<svg " + Ns + ">" + new string(' ', 20_001) + "</svg>").Error);
}

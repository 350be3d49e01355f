namespace Closer.Tests.Architecture;

/// <summary>The boundaries between features, kept by the tests rather than by goodwill (see <see cref="FeatureBoundaries"/>).</summary>
public sealed class ArchitectureTests
{
    private static readonly Lazy<IReadOnlyList<FeatureDependencies.Use>> Uses = new(() => FeatureDependencies.Read(typeof(Program).Assembly.Location));

    [Fact]
    public void Features_UseEachOtherOnlyThroughTheirSeams_AndDoNotDependOnEachOther()
    {
        var violations = FeatureBoundaries.Violations(Uses.Value);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void TheReader_SeesUsesInMethodBodiesSignaturesAndRazorPages()
    {
        // Known uses of each kind, so that a reader that stops seeing them cannot make the rule above pass by going blind.
        var uses = Uses.Value;
        // A method body: the home page model calls the campaign's content service.
        Assert.Contains(uses, u => u.FromType == "Closer.Web.Features.Home.IndexModel" && u.ToType == "Closer.Web.Features.Campaign.Content.ContentService");
        // A compiled Razor page: the home page shows the campaign's pledge summary.
        Assert.Contains(uses, u => u.FromType == "Closer.Web.Features.Home.Features_Home_Index" && u.ToType == "Closer.Web.Features.Campaign.Pledges.PledgeSummary");
        // Foundation: accounts belong to organisations.
        Assert.Contains(uses, u => u.FromType == "Closer.Web.Features.Accounts.AppUser" && u.ToType == "Closer.Web.Features.Organisations.Organisation");
        Assert.True(uses.Count > 50, $"only {uses.Count} uses read");
    }

    /// <summary>The rules fail when they should: a made-up use of an internal and a made-up loop are both reported.</summary>
    [Fact]
    public void TheRules_ReportAnInternalUsed_AndALoopBetweenFeatures()
    {
        var internalUse = new FeatureDependencies.Use("Dashboards", "Closer.Web.Features.Dashboards.DashboardData",
            "Coordination", "Closer.Web.Features.Coordination.Reports.TransitionReportCommand");
        var seamUse = new FeatureDependencies.Use("Dashboards", "Closer.Web.Features.Dashboards.DashboardData",
            "Coordination", "Closer.Web.Features.Coordination.ActivityReport");
        var back = new FeatureDependencies.Use("Coordination", "Closer.Web.Features.Coordination.ActivityReport",
            "Dashboards", "Closer.Web.Features.Dashboards.ResponseMonth");
        var foundation = new FeatureDependencies.Use("Forum", "Closer.Web.Features.Forum.ForumPost",
            "Accounts", "Closer.Web.Features.Accounts.AppUser");

        var one = Assert.Single(FeatureBoundaries.Violations([internalUse]));
        Assert.Contains("TransitionReportCommand, an internal of Coordination", one, StringComparison.Ordinal);
        Assert.Empty(FeatureBoundaries.Violations([seamUse, foundation]));
        Assert.Equal(["features depend on each other: Coordination <-> Dashboards"], FeatureBoundaries.Violations([seamUse, back]));
        // Round a longer loop too.
        var viaFunding = new FeatureDependencies.Use("Coordination", "x", "Funding", "Closer.Web.Features.Funding.FundingCoverage");
        var fundingToDashboards = new FeatureDependencies.Use("Funding", "y", "Dashboards", "Closer.Web.Features.Dashboards.ResponseTotal");
        Assert.Contains("Coordination <-> Dashboards", FeatureBoundaries.Loops([seamUse, viaFunding, fundingToDashboards]));
    }

    /// <summary>DESIGN.md: one class per operation, no hand-written file over 400 lines (migrations are generated).</summary>
    [Fact]
    public void NoHandWrittenSourceFile_IsOver400Lines()
    {
        var src = Path.Combine(Repository.Root, "src");
        var tooLong = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal)
                || f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".css", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(src, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 400)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();
        Assert.True(tooLong.Count == 0, string.Join("\n", tooLong));
    }

}

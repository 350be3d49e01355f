using Closer.Web.Features.Subscriptions;

namespace Closer.Tests.Features.Subscriptions;

/// <summary>
/// The reminder rules as a table. March 2031 is due on 10 April (the period's deadline). Organisation A works in
/// COL and PER and has submitted COL; organisation B works in COL and has submitted nothing.
/// </summary>
public sealed class ReminderPlannerTests
{
    private const int A = 1, B = 2;

    private static ReminderData Data(string today, bool lockPer = false) => new(
        DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture),
        [new ReportingMonth("2031-03", new DateOnly(2031, 4, 10))],
        [new Operation(A, "ORGA", "COL"), new Operation(A, "ORGA", "PER"), new Operation(B, "ORGB", "COL")],
        new HashSet<(int, string, string)> { (A, "COL", "2031-03") },
        lockPer ? new HashSet<(string, string)> { ("PER", "2031-03") } : new HashSet<(string, string)>(),
        [
            new FocalPoint("fp-a-col", A, ["COL"]),
            new FocalPoint("fp-a-per", A, ["PER"]),
            new FocalPoint("fp-b-col", B, ["COL"]),
            new FocalPoint("fp-b-none", B, []),
            new FocalPoint("fp-b-optout", B, ["COL"]),
            new FocalPoint("fp-b-per", B, ["PER"]),
        ],
        [new Coordinator("co-col", ["COL"]), new Coordinator("co-per", ["PER"]), new Coordinator("co-ecu", ["ECU"]), new Coordinator("co-both", ["COL", "PER"])],
        new HashSet<string>(StringComparer.Ordinal) { "fp-b-optout" });

    private static string Plan(ReminderData data, ReminderOptions? options = null) =>
        string.Join(" ", ReminderPlanner.Reminders(data, options ?? new ReminderOptions())
            .Select(r => $"{r.UserId}@{r.Country}:{r.Stage}").Order(StringComparer.Ordinal));

    [Theory]
    // Six days before: nothing yet.
    [InlineData("2031-04-04", "")]
    // Five days before: the unsubmitted pairs' focal points; never the submitted org, a focal point of another country,
    // one without countries, or one who turned reminders off.
    [InlineData("2031-04-05", "fp-a-per@PER:b5 fp-b-col@COL:b5")]
    [InlineData("2031-04-07", "fp-a-per@PER:b5 fp-b-col@COL:b5")]
    // A stage is still sent up to three days late (a node was down), not later: nothing new on the deadline day.
    [InlineData("2031-04-08", "fp-a-per@PER:b5 fp-b-col@COL:b5")]
    [InlineData("2031-04-09", "")]
    [InlineData("2031-04-10", "")]
    [InlineData("2031-04-11", "fp-a-per@PER:a1 fp-b-col@COL:a1")]
    [InlineData("2031-04-17", "fp-a-per@PER:a7 fp-b-col@COL:a7")]
    [InlineData("2031-04-20", "fp-a-per@PER:a7 fp-b-col@COL:a7")]
    // Past the last stage and its grace days: the month is left to the coordinators.
    [InlineData("2031-04-21", "")]
    public void Reminders_GoToTheFocalPointsOfUnsubmittedPairs_AtTheDueStage(string today, string expected) =>
        Assert.Equal(expected, Plan(Data(today)));

    [Fact]
    public void ALockedMonth_GetsNoReminders() =>
        Assert.Equal("fp-b-col@COL:a1", Plan(Data("2031-04-11", lockPer: true)));

    [Fact]
    public void ACountryDeadlineOverride_MovesThatCountrysStages()
    {
        var options = new ReminderOptions { DeadlineDayByCountry = new(StringComparer.OrdinalIgnoreCase) { ["PER"] = 20 } };
        Assert.Equal("fp-b-col@COL:a1", Plan(Data("2031-04-11"), options));
        Assert.Equal("fp-a-per@PER:b5", Plan(Data("2031-04-15"), options));
        Assert.Equal("fp-a-per@PER:a1", Plan(Data("2031-04-21"), options));
    }

    [Fact]
    public void DedupKey_NamesOrganisationCountryMonthStageAndPerson()
    {
        var r = ReminderPlanner.Reminders(Data("2031-04-05"), new ReminderOptions()).Single(x => x.UserId == "fp-b-col");
        Assert.Equal("reminder:ORGB:COL:2031-03:b5:fp-b-col", r.DedupKey);
        Assert.True(r.Before);
    }

    [Fact]
    public void CoordinatorSummary_ListsExactlyTheMissingOrganisationsOfTheirCountries()
    {
        var summaries = ReminderPlanner.Summaries(Data("2031-04-14"), new ReminderOptions()).ToDictionary(s => s.UserId);
        Assert.Equal(["ORGB COL"], summaries["co-col"].Missing.Select(m => $"{m.OrgAcronym} {m.Country}"));
        Assert.Equal(["ORGA PER"], summaries["co-per"].Missing.Select(m => $"{m.OrgAcronym} {m.Country}"));
        Assert.Equal(["ORGB COL", "ORGA PER"], summaries["co-both"].Missing.Select(m => $"{m.OrgAcronym} {m.Country}"));
        Assert.False(summaries.ContainsKey("co-ecu"));
        Assert.Equal("summary:co-col:2031-W16", summaries["co-col"].DedupKey);
    }

    [Fact]
    public void CoordinatorSummary_BeforeTheDeadline_IsNotSent() =>
        Assert.Empty(ReminderPlanner.Summaries(Data("2031-04-10"), new ReminderOptions()));
}

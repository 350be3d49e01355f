using System.Globalization;

namespace Closer.Web.Features.Subscriptions;

/// <summary>When reminders go out. Bound from <c>Subscriptions:Reminders</c>.</summary>
public sealed class ReminderOptions
{
    /// <summary>Days before the deadline a reminder goes out (e.g. 5).</summary>
    public List<int> BeforeDays { get; set; } = [5];
    /// <summary>Days after the deadline a reminder goes out (e.g. 1 and 7).</summary>
    public List<int> AfterDays { get; set; } = [1, 7];
    /// <summary>
    /// Deadline day of the month after the reporting month, per country (ISO3), overriding the reporting period's
    /// deadline (which is the 10th of the following month unless the plan says otherwise).
    /// </summary>
    public Dictionary<string, int> DeadlineDayByCountry { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Deadline day when a month has no reporting period row.</summary>
    public int DefaultDeadlineDay { get; set; } = 10;
    /// <summary>A stage missed (the job did not run) is still sent up to this many days late, then dropped.</summary>
    public int GraceDays { get; set; } = 3;
    /// <summary>Coordinators' weekly summary covers months whose deadline passed in this many days.</summary>
    public int SummaryLookbackDays { get; set; } = 62;
}

public sealed record ReportingMonth(string Month, DateOnly? Deadline);
public sealed record Operation(int OrgId, string OrgAcronym, string Country);
public sealed record FocalPoint(string UserId, int OrgId, IReadOnlyCollection<string> Countries);
public sealed record Coordinator(string UserId, IReadOnlyCollection<string> Countries);

/// <summary>Everything the reminder rules look at, read once from the database.</summary>
public sealed record ReminderData(
    DateOnly Today,
    IReadOnlyList<ReportingMonth> Months,
    IReadOnlyList<Operation> Operations,
    /// <summary>(org, country, month) that have at least one submitted or validated report.</summary>
    IReadOnlySet<(int OrgId, string Country, string Month)> Submitted,
    /// <summary>(country, month) closed by a coordinator: nobody can submit, so nobody is reminded.</summary>
    IReadOnlySet<(string Country, string Month)> Locked,
    IReadOnlyList<FocalPoint> FocalPoints,
    IReadOnlyList<Coordinator> Coordinators,
    /// <summary>People who turned reminders off.</summary>
    IReadOnlySet<string> OptedOut);

public sealed record DueReminder(string UserId, int OrgId, string OrgAcronym, string Country, string Month, DateOnly Deadline, string Stage, int Days)
{
    public bool Before => Stage.StartsWith('b');
    public string DedupKey => $"reminder:{OrgAcronym}:{Country}:{Month}:{Stage}:{UserId}";
}

public sealed record MissingSubmission(string OrgAcronym, string Country, string Month, DateOnly Deadline);

public sealed record CoordinatorSummary(string UserId, string Week, IReadOnlyList<MissingSubmission> Missing)
{
    public string DedupKey => $"summary:{UserId}:{Week}";
}

/// <summary>
/// Who gets a reporting reminder today, and what each coordinator's weekly summary lists. Pure: the same data
/// gives the same answer, so the rules are tested as a table; the job only reads the data and enqueues the result
/// under dedup keys, which makes running it again (or on two nodes) harmless.
/// </summary>
public static class ReminderPlanner
{
    public static DateOnly Deadline(ReportingMonth month, string country, ReminderOptions o)
    {
        var first = DateOnly.ParseExact(month.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture).AddMonths(1);
        if (o.DeadlineDayByCountry.TryGetValue(country.Trim(), out var day))
        {
            return first.AddDays(Math.Clamp(day, 1, 28) - 1);
        }
        return month.Deadline ?? first.AddDays(Math.Clamp(o.DefaultDeadlineDay, 1, 28) - 1);
    }

    /// <summary>The stages of one deadline in date order: ("b5", deadline − 5), ("a1", deadline + 1), ...</summary>
    public static List<(string Stage, int Days, DateOnly Due)> Stages(DateOnly deadline, ReminderOptions o) =>
        o.BeforeDays.Where(d => d > 0).Distinct().Select(d => ($"b{d.ToString(CultureInfo.InvariantCulture)}", -d, deadline.AddDays(-d)))
            .Concat(o.AfterDays.Where(d => d >= 0).Distinct().Select(d => ($"a{d.ToString(CultureInfo.InvariantCulture)}", d, deadline.AddDays(d))))
            .OrderBy(s => s.Item3).ToList();

    /// <summary>
    /// Focal points whose organisation has not submitted a month for a country they report for, at the latest
    /// stage that is due today (a stage missed by more than the grace days is dropped, never sent late in a burst).
    /// </summary>
    public static List<DueReminder> Reminders(ReminderData data, ReminderOptions o)
    {
        var result = new List<DueReminder>();
        foreach (var month in data.Months)
        {
            foreach (var op in data.Operations)
            {
                if (data.Submitted.Contains((op.OrgId, op.Country, month.Month)) || data.Locked.Contains((op.Country, month.Month)))
                {
                    continue;
                }
                var deadline = Deadline(month, op.Country, o);
                var stages = Stages(deadline, o);
                var due = stages.LastOrDefault(s => s.Due <= data.Today);
                if (due.Stage is null || data.Today > due.Due.AddDays(o.GraceDays))
                {
                    continue;
                }
                foreach (var fp in data.FocalPoints)
                {
                    if (fp.OrgId == op.OrgId && fp.Countries.Contains(op.Country, StringComparer.OrdinalIgnoreCase) && !data.OptedOut.Contains(fp.UserId))
                    {
                        result.Add(new DueReminder(fp.UserId, op.OrgId, op.OrgAcronym, op.Country, month.Month, deadline, due.Stage, due.Days));
                    }
                }
            }
        }
        return result;
    }

    /// <summary>Per coordinator (one summary per ISO week): the organisations of their countries that missed a recent deadline.</summary>
    public static List<CoordinatorSummary> Summaries(ReminderData data, ReminderOptions o)
    {
        var week = IsoWeek(data.Today);
        var missing = new List<MissingSubmission>();
        foreach (var month in data.Months)
        {
            foreach (var op in data.Operations)
            {
                var deadline = Deadline(month, op.Country, o);
                if (deadline >= data.Today || deadline < data.Today.AddDays(-o.SummaryLookbackDays)
                    || data.Submitted.Contains((op.OrgId, op.Country, month.Month)) || data.Locked.Contains((op.Country, month.Month)))
                {
                    continue;
                }
                missing.Add(new MissingSubmission(op.OrgAcronym, op.Country, month.Month, deadline));
            }
        }
        return data.Coordinators
            .Where(c => !data.OptedOut.Contains(c.UserId))
            .Select(c => new CoordinatorSummary(c.UserId, week, missing
                .Where(m => c.Countries.Contains(m.Country, StringComparer.OrdinalIgnoreCase))
                .OrderBy(m => m.Country, StringComparer.Ordinal).ThenBy(m => m.Month, StringComparer.Ordinal).ThenBy(m => m.OrgAcronym, StringComparer.Ordinal)
                .ToList()))
            .Where(s => s.Missing.Count > 0)
            .ToList();
    }

    public static string IsoWeek(DateOnly day)
    {
        var dt = day.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(dt)}-W{ISOWeek.GetWeekOfYear(dt):00}");
    }
}

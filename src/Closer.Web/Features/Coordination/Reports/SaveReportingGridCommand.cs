using System.Globalization;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>One editable grid row (bound from the form).</summary>
public sealed class GridRow
{
    public int Id { get; set; }
    public string? Partner { get; set; }
    public long? Girls { get; set; }
    public long? Boys { get; set; }
    public long? Women { get; set; }
    public long? Men { get; set; }
    public long? Other { get; set; }
    public long? ToDate { get; set; }
    public bool Cash { get; set; }
    public long? CashUsd { get; set; }
}

/// <summary>
/// A new row: one of the grid's blank rows (<see cref="Open"/>: its country, place, indicator and group are chosen in the row), a row
/// copied from last month (those fixed), or the single "add a row" form below the grid.
/// </summary>
public sealed class NewRow
{
    /// <summary>A blank row of the grid (its key chosen in the row), as opposed to a copied one (key fixed, saved only once it has numbers).</summary>
    public bool Open { get; set; }
    public string? Country { get; set; }
    public string? Admin1 { get; set; }
    public string? Indicator { get; set; }
    public string? Group { get; set; }
    public string? Partner { get; set; }
    public long? Girls { get; set; }
    public long? Boys { get; set; }
    public long? Women { get; set; }
    public long? Men { get; set; }
    public long? Other { get; set; }
    public bool Cash { get; set; }
    public long? CashUsd { get; set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Indicator) && string.IsNullOrWhiteSpace(Admin1) && Girls is null && Boys is null && Women is null && Men is null;

    /// <summary>Whether any number was typed: a row copied from last month is only saved once it has one.</summary>
    public bool HasFigures => Girls is not null || Boys is not null || Women is not null || Men is not null || Other is not null || CashUsd is not null;

    /// <summary>Nothing typed or chosen in it (the selects' first choices aside): a blank row left blank is not a row.</summary>
    public bool IsBlank => IsEmpty && !HasFigures && string.IsNullOrWhiteSpace(Partner) && !Cash;

    /// <summary>Whether the page's save takes this row: a blank row once anything is typed in it, a copied row once it has a number.</summary>
    public bool ToSave => Open ? !IsBlank : HasFigures;
}

/// <summary>
/// The reporting page's save: the grid's draft and returned rows of one organisation and month are changed, new rows
/// are added (the typed row and the rows copied from last month that were given numbers), and with <c>submit</c> every
/// draft or returned report of the month is submitted, new ones included. All or nothing: any row error stores nothing.
/// A new row whose key exists with the same figures is already saved (the same form posted twice): it stores nothing more.
/// </summary>
public static class SaveReportingGridCommand
{
    /// <summary>Every row error (row numbers as on the page); none when saved.</summary>
    /// <param name="addedLines">The page's row number of each added row (default: numbered on after the grid's rows).</param>
    public static async Task<List<FieldError>> RunAsync(string org, string month, IReadOnlyList<GridRow> rows, IReadOnlyList<NewRow> added, bool submit, Actor actor,
        CloserDbContext db, IMemoryCache cache, TimeProvider time, IStringLocalizer t, CancellationToken ct, IReadOnlyList<int>? addedLines = null)
    {
        var errors = new List<FieldError>();
        var reference = await ReportReference.LoadAsync(db, cache, ct);
        var writer = new ReportWriter(db, time);
        var orgId = reference.OrgIds[org];
        var ids = rows.Select(r => r.Id).ToList();
        var existing = await db.ActivityReports.Include(r => r.Organisation)
            .Where(r => ids.Contains(r.Id) && r.OrganisationId == orgId && r.Month == month && r.DeletedAt == null).ToListAsync(ct);
        // Every key of the organisation's month (deleted reports hold theirs too): the partner is part of a report's key, so a
        // row whose partner changes, or a new row, must not take a key another report has.
        var keys = (await db.ActivityReports.AsNoTracking().Where(r => r.OrganisationId == orgId && r.Month == month)
            .Select(r => new { r.Id, r.OrganisationId, r.CountryIso3, r.Admin1PCode, r.IndicatorCode, r.Month, r.PopulationGroup, r.ImplementingPartner, r.DeletedAt })
            .ToListAsync(ct))
            .ToDictionary(r => ReportRows.Key(r.OrganisationId, r.CountryIso3, r.Admin1PCode, r.IndicatorCode, r.Month, r.PopulationGroup, r.ImplementingPartner),
                r => (r.Id, Deleted: r.DeletedAt is not null), StringComparer.Ordinal);
        var line = 0;
        foreach (var row in rows)
        {
            line++;
            var r = existing.FirstOrDefault(x => x.Id == row.Id);
            if (r is null || r.Status is ReportStatus.Submitted or ReportStatus.Validated)
            {
                continue;
            }
            var values = ReportRows.Parse(Cells(org, month, r.CountryIso3, r.Admin1PCode, r.IndicatorCode, r.PopulationGroup, row.Partner, row.Girls, row.Boys,
                row.Women, row.Men, row.Other, row.ToDate, row.Cash, row.CashUsd), line, reference, actor, t, errors);
            if (values is null)
            {
                continue;
            }
            if (!string.Equals(values.ImplementingPartner, r.ImplementingPartner, StringComparison.Ordinal))
            {
                if (keys.TryGetValue(values.Key, out var holder) && holder.Id != r.Id)
                {
                    errors.Add(new FieldError(line, "partner", t["Another report of this month has this place, indicator, group and implementing partner."]));
                    continue;
                }
                keys.Remove(ReportRows.KeyOf(r));
                keys[values.Key] = (r.Id, false);
            }
            writer.Upsert(r, values, actor);
        }
        var made = new Dictionary<string, ReportValues>(StringComparer.Ordinal);
        for (var a = 0; a < added.Count; a++)
        {
            var add = added[a];
            line = addedLines is null ? line + 1 : addedLines[a];
            if (add.Open && !add.HasFigures)
            {
                // Something chosen or typed in a blank row but no number: saving it as zeros would invent a figure.
                errors.Add(new FieldError(line, "girls", t["Type this row's numbers, or clear the row."]));
                continue;
            }
            var values = ReportRows.Parse(Cells(org, month, add.Country, add.Admin1, add.Indicator, add.Group, add.Partner, add.Girls, add.Boys,
                add.Women, add.Men, add.Other, null, add.Cash, add.CashUsd), line, reference, actor, t, errors);
            if (values is null)
            {
                continue;
            }
            if (made.TryGetValue(values.Key, out var twice))
            {
                if (twice != values)
                {
                    errors.Add(new FieldError(line, "indicator", t["This row exists already: change it in the grid."]));
                }
            }
            else if (!keys.TryGetValue(values.Key, out var holder))
            {
                made[values.Key] = values;
                writer.Upsert(null, values, actor);
            }
            else
            {
                var report = existing.FirstOrDefault(x => x.Id == holder.Id)
                    ?? await db.ActivityReports.Include(x => x.Organisation).FirstAsync(x => x.Id == holder.Id, ct);
                if (holder.Deleted)
                {
                    // A deleted report of that key comes back with the new figures (the unique index keeps its key taken).
                    writer.Upsert(report, values, actor);
                }
                else if (ReportRows.Differs(report, values))
                {
                    errors.Add(new FieldError(line, "indicator", t["This row exists already: change it in the grid."]));
                }
                // Else: the same row with the same figures is there already (a second post of the same form): nothing more to store.
            }
        }
        if (errors.Count == 0 && submit)
        {
            foreach (var r in existing.Where(r => r.Status is ReportStatus.Draft or ReportStatus.Returned))
            {
                if (await TransitionReportCommand.ApplyAsync(r, "submit", null, actor, db, writer, ct) is { } error)
                {
                    errors.Add(new FieldError(null, "status", error.Message));
                }
            }
        }
        if (errors.Count > 0)
        {
            db.ChangeTracker.Clear();
            return errors;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        if (submit)
        {
            // Rows added in this post are submitted too.
            foreach (var r in db.ActivityReports.Local.Where(r => r.OrganisationId == orgId && r.Month == month && r.Status == ReportStatus.Draft).ToList())
            {
                r.Organisation ??= await db.Organisations.FindAsync([orgId], ct);
                await TransitionReportCommand.ApplyAsync(r, "submit", null, actor, db, writer, ct);
            }
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return errors;
    }

    private static Dictionary<string, string?> Cells(string org, string month, string? country, string? admin1, string? indicator, string? group,
        string? partner, long? girls, long? boys, long? women, long? men, long? other, long? toDate, bool cash, long? cashUsd) => new(StringComparer.Ordinal)
        {
            ["org"] = org, ["month"] = month, ["country"] = country, ["admin1"] = admin1, ["indicator"] = indicator, ["group"] = group, ["partner"] = partner,
            ["girls"] = S(girls), ["boys"] = S(boys), ["women"] = S(women), ["men"] = S(men), ["other"] = S(other), ["todate"] = S(toDate),
            ["cash"] = cash ? "yes" : "no", ["cashusd"] = S(cashUsd),
        };

    private static string? S(long? n) => n?.ToString(CultureInfo.InvariantCulture);
}

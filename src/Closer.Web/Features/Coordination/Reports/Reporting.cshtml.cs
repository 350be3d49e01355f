using System.Globalization;
using Closer.Web.Features.Coordination.Imports;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Closer.Web.Infrastructure.Tabular;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Features.Coordination.Reports;

/// <summary>
/// The monthly reporting page of an organisation: its reports of a month as a grid that saves drafts and submits,
/// a row to add, and the spreadsheet upload. Works without JavaScript.
/// </summary>
[RequestSizeLimit(SheetReader.MaxUploadBytes + 1024 * 1024)]
public sealed class ReportingModel(CloserDbContext db, IMemoryCache cache, TimeProvider time, ReportImporter importer, IStringLocalizer<SharedResource> t,
    Microsoft.Extensions.Options.IOptions<ImportJobOptions> jobOptions) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }
    [BindProperty(SupportsGet = true)] public string? Org { get; set; }
    [BindProperty] public List<GridRow> Rows { get; set; } = [];
    [BindProperty] public NewRow New { get; set; } = new();
    /// <summary>New rows offered on the page: last month's rows copied with empty numbers (<see cref="CopyLastMonth"/>), kept across a failed save.</summary>
    [BindProperty] public List<NewRow> Added { get; set; } = [];

    public List<ReportDto> Reports { get; private set; } = [];
    public List<string> Months { get; private set; } = [];
    public List<(string Acronym, string Name)> Organisations { get; private set; } = [];
    public List<string> Countries { get; private set; } = [];
    public List<(string PCode, string Name, string Country)> Admin1 { get; private set; } = [];
    public List<(string Code, string Name, string Sector)> Indicators { get; private set; } = [];
    public HashSet<string> LockedCountries { get; private set; } = [];
    public List<FieldError> Errors { get; private set; } = [];
    public string? Message { get; private set; }
    public bool CanWrite { get; private set; }

    private Actor Actor => Actor.From(User);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await ResolveAsync(ct))
        {
            return Forbid();
        }
        if (CanWrite && KeptForms.Take(HttpContext, "/admin/reporting") is { } kept)
        {
            // The session ended while this form was being filled in: what was typed comes back to be checked and saved.
            var typed = new KeptReportingForm();
            await TryUpdateModelAsync(typed, "", new FormValueProvider(BindingSource.Form, new FormCollection(kept), CultureInfo.InvariantCulture));
            (Rows, New, Added) = (typed.Rows, typed.New, typed.Added);
            Message = t["Your session had ended: what you typed is back. Check it and save; nothing was stored."];
        }
        else if (CanWrite && Request.Query["copy"] == "1")
        {
            var orgId = await db.Organisations.Where(o => o.Acronym == Org).Select(o => o.Id).FirstAsync(ct);
            Added = await CopyLastMonth.RowsAsync(db, orgId, Month!, Actor, ct);
            Message = t["{0} copied from {1}: type the numbers and save. Nothing is stored until you save; rows left without numbers are not saved.",
                t.Plural(Added.Count, "{0} row", "{0} rows").Value, CopyLastMonth.Previous(Month!) ?? ""];
        }
        AddBlankRows(Added.Any(a => a.Open) ? 1 : BlankRows);
        await LoadAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(CancellationToken ct) => SaveAsync(submit: false, ct);
    public Task<IActionResult> OnPostSubmitAsync(CancellationToken ct) => SaveAsync(submit: true, ct);

    private async Task<IActionResult> SaveAsync(bool submit, CancellationToken ct)
    {
        if (!await ResolveAsync(ct) || !CanWrite)
        {
            return Forbid();
        }
        // Rows are numbered as the page shows them: the grid's, then the new rows, then the single row of the form below.
        var first = Rows.Count;
        AddedBase = first;
        var added = Added.Select((a, k) => (Row: a, Line: first + k + 1)).Where(a => a.Row.ToSave).ToList();
        if (!New.IsEmpty)
        {
            added.Insert(0, (New, first + Added.Count + 1));
        }
        Errors = NumberErrors();
        if (Errors.Count == 0)
        {
            Errors = await SaveReportingGridCommand.RunAsync(Org!, Month!, Rows, added.Select(a => a.Row).ToList(), submit, Actor, db, cache, time, t, ct,
                added.Select(a => a.Line).ToList());
        }
        if (Errors.Count == 0)
        {
            return RedirectToPage(new { month = Month, org = Org, done = submit ? "submitted" : "saved" });
        }
        AddBlankRows(1);
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>"Add rows" without JavaScript: the page again with everything typed and more blank rows; nothing is stored.</summary>
    public async Task<IActionResult> OnPostMoreAsync(CancellationToken ct)
    {
        if (!await ResolveAsync(ct) || !CanWrite)
        {
            return Forbid();
        }
        AddedBase = Rows.Count;
        AddBlankRows(BlankRows);
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Blank rows offered for new reports (a spreadsheet's empty rows); "Add rows" offers as many more.</summary>
    public const int BlankRows = 5;

    /// <summary>The grid's rows before the new ones (new row k is row <c>AddedBase + k + 1</c>); null: the editable reports shown.</summary>
    public int? AddedBase { get; private set; }

    /// <summary>At most this many new rows in one post (a spreadsheet's month, not a file: bigger sets go through the upload).</summary>
    public const int MaxAddedRows = 500;

    private void AddBlankRows(int count)
    {
        var country = Added.LastOrDefault(a => a.Open)?.Country;
        for (var i = 0; i < count && Added.Count < MaxAddedRows; i++)
        {
            Added.Add(new NewRow { Open = true, Country = country });
        }
    }

    /// <summary>A figure that is not a whole number never becomes an empty cell: it is the row's error (and stays as typed).</summary>
    private List<FieldError> NumberErrors()
    {
        var errors = new List<FieldError>();
        foreach (var (key, entry) in ModelState)
        {
            if (entry.Errors.Count == 0 || RowOf(key) is not { } row)
            {
                continue;
            }
            errors.Add(new FieldError(row.Line, row.Field.ToLowerInvariant(), t["Not a whole number."]));
        }
        return errors.OrderBy(e => e.Row).ToList();
    }

    /// <summary>The page's row number and field of a form key (<c>Rows[2].Girls</c>, <c>Added[0].Men</c>, <c>New.Boys</c>).</summary>
    private (int Line, string Field)? RowOf(string key)
    {
        var match = System.Text.RegularExpressions.Regex.Match(key, @"^(Rows|Added)\[(\d+)\]\.(\w+)$|^New\.(\w+)$", System.Text.RegularExpressions.RegexOptions.None,
            TimeSpan.FromMilliseconds(100));
        if (!match.Success)
        {
            return null;
        }
        if (match.Groups[4].Success)
        {
            return (Rows.Count + Added.Count + 1, match.Groups[4].Value);
        }
        var index = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return (match.Groups[1].Value == "Rows" ? index + 1 : Rows.Count + index + 1, match.Groups[3].Value);
    }

    /// <summary>The errors of one row of the page (shown beside it).</summary>
    public IEnumerable<FieldError> RowErrors(int line) => Errors.Where(e => e.Row == line);

    /// <summary>A field's value to show: what was typed when it was not a number (kept, not lost), else the bound value.</summary>
    public string? Shown(string name, object? value) =>
        ModelState.TryGetValue(name, out var entry) && entry.Errors.Count > 0 ? entry.AttemptedValue : value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);

    /// <summary>The outlier hints of the file just stored (warnings beside its rows; the figures were stored).</summary>
    public IReadOnlyList<FieldError> Warnings { get; private set; } = [];
    public int WarningCount { get; private set; }

    /// <summary>Header texts of columns the last upload held but the template does not: offered as "ignore" checkboxes.</summary>
    public List<string> UnknownColumns { get; } = [];

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (!await ResolveAsync(ct) || !CanWrite)
        {
            return Forbid();
        }
        if (file is null)
        {
            Errors.Add(new FieldError(null, "file", t["Choose a CSV or XLSX file."]));
        }
        else
        {
            await using var stream = file.OpenReadStream();
            var (upload, refusal) = await SheetReader.CheckUploadAsync(stream, file.Length, ct);
            using var content = upload?.Content;
            var ignore = ImportsApi.Ignored(Request);
            if (refusal is null && !upload!.IsEmpty && upload.Content.Length > jobOptions.Value.BackgroundAboveBytes)
            {
                // A big file is checked and stored in the background; its page shows the progress.
                var job = await ImportJobs.CreateAsync(db, upload, file.FileName, Actor, HttpContext.Language(), time, ct, ignore);
                return Redirect($"/admin/imports/{job.Id}");
            }
            var (result, error) = refusal is not null ? refusal : await importer.ImportCheckedAsync(upload!, Actor, new ImportHooks { Ignore = ignore }, ct);
            if (error is not null)
            {
                Errors.AddRange(error.FieldErrors(t));
                var known = ReportColumns.Export.Select(c => c.Key).Append("file").ToHashSet(StringComparer.Ordinal);
                UnknownColumns.AddRange(Errors.Where(e => e.Row is not null && !known.Contains(e.Column)).Select(e => e.Column).Distinct(StringComparer.Ordinal));
            }
            else
            {
                Message = t["Imported {0} and {1}.", t.Plural(result!.Imported, "{0} new row", "{0} new rows").Value, t.Plural(result.Updated, "{0} changed row", "{0} changed rows").Value];
                (Warnings, WarningCount) = (result.Warnings, result.WarningCount);
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The uploaded file given back with an error column (nothing stored).</summary>
    public async Task<IActionResult> OnPostErrorsFileAsync(IFormFile? file, string? format, CancellationToken ct)
    {
        if (!await ResolveAsync(ct) || !CanWrite)
        {
            return Forbid();
        }
        if (file is not null)
        {
            await using var stream = file.OpenReadStream();
            var xlsx = string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase);
            var (annotated, error) = await importer.AnnotateAsync(stream, file.Length, Actor, ImportsApi.Ignored(Request), xlsx, ct);
            if (error is null)
            {
                return File(annotated!, xlsx ? TabularContentTypes.Xlsx : TabularContentTypes.Csv, ImportsApi.ErrorsFileName(file.FileName, xlsx));
            }
            Errors.AddRange(error.FieldErrors(t));
        }
        else
        {
            Errors.Add(new FieldError(null, "file", t["Choose a CSV or XLSX file."]));
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Picks the organisation (own, or any for an admin) and the month; false when the user has none.</summary>
    private async Task<bool> ResolveAsync(CancellationToken ct)
    {
        var actor = Actor;
        var all = await db.Organisations.AsNoTracking().OrderBy(o => o.Acronym).Select(o => new { o.Id, o.Acronym, o.Name }).ToListAsync(ct);
        if (actor.IsAdmin)
        {
            Organisations = all.Select(o => (o.Acronym, o.Name)).ToList();
            Org = all.FirstOrDefault(o => string.Equals(o.Acronym, Org, StringComparison.OrdinalIgnoreCase))?.Acronym ?? all.First().Acronym;
        }
        else
        {
            var own = all.FirstOrDefault(o => o.Id == actor.Scope.OrganisationId);
            if (own is null)
            {
                return false;
            }
            Org = own.Acronym;
            Organisations = [(own.Acronym, own.Name)];
        }
        var orgId = all.First(o => o.Acronym == Org).Id;
        CanWrite = actor.IsAdmin || (actor.Scope.Roles.Contains(Roles.OrgFocalPoint) && actor.Scope.OrganisationId == orgId);
        var periods = await db.ReportingPeriods.AsNoTracking().ToDictionaryAsync(p => p.Month, p => p.Deadline, StringComparer.Ordinal, ct);
        Months = periods.Keys.Order(StringComparer.Ordinal).ToList();
        if (Month is null || !Months.Contains(Month))
        {
            Month = ReportingMonth.Default(periods, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime))
                ?? time.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture);
        }
        return true;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = Actor;
        var lang = HttpContext.Language();
        var q = ReportQueries.Visible(db.ActivityReports.AsNoTracking(), actor.Scope).Where(r => r.Organisation!.Acronym == Org && r.Month == Month);
        Reports = await ReportQueries.Project(db, q).ToListAsync(ct);
        var orgCountries = await db.OrganisationCountries.AsNoTracking().Where(c => db.Organisations.Any(o => o.Id == c.OrganisationId && o.Acronym == Org))
            .Select(c => c.CountryIso3).ToListAsync(ct);
        Countries = orgCountries.Where(c => actor.IsAdmin || actor.Scope.Countries.Count == 0 || actor.Scope.Countries.Contains(c)).Order(StringComparer.Ordinal).ToList();
        Admin1 = (await db.Admin1Areas.AsNoTracking().Where(a => Countries.Contains(a.CountryIso3) && a.RetiredAt == null).OrderBy(a => a.CountryIso3).ThenBy(a => a.Name).ToListAsync(ct))
            .Select(a => (a.PCode, a.Name, a.CountryIso3)).ToList();
        var sectors = await db.Sectors.AsNoTracking().ToDictionaryAsync(s => s.Code, s => s.Name(lang), StringComparer.Ordinal, ct);
        Indicators = (await db.Indicators.AsNoTracking().OrderBy(i => i.Code).ToListAsync(ct))
            .Select(i => (i.Code, i.Name(lang), sectors.GetValueOrDefault(i.SectorCode, i.SectorCode))).ToList();
        LockedCountries = (await db.PeriodLocks.AsNoTracking().Where(l => l.Month == Month).Select(l => l.CountryIso3).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        if (Request.Query["done"] == "saved")
        {
            Message ??= t["Saved."];
        }
        else if (Request.Query["done"] == "submitted")
        {
            Message ??= t["Saved and submitted for review."];
        }
    }

    /// <summary>The offline script's words in the person's language (the script itself holds none), as JSON.</summary>
    public string OfflineTexts() => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
    {
        // The script counts; the forms for one and for more come from the plural table with the number put back as {0}.
        ["one"] = t.Plural(1, "{0} report waiting to sync", "{0} reports waiting to sync").Value.Replace("1", "{0}", StringComparison.Ordinal),
        ["other"] = t.Plural(2, "{0} report waiting to sync", "{0} reports waiting to sync").Value.Replace("2", "{0}", StringComparison.Ordinal),
        ["none"] = t["Nothing is waiting to sync."],
        ["waiting"] = t["Waiting to sync"],
        ["kept"] = t["You are offline: the row is kept on this device and sent when the connection returns."],
        ["synced"] = t["Synced: {0}. Reload the page to see them in the table."],
        ["failed"] = t["The sync did not finish; it is tried again when the connection returns."],
        ["signin"] = t["Sign in again to sync."],
        ["conflict"] = t["Changed on the server since you took it offline: choose the version to keep."],
        ["locked"] = t["This month was locked since: ask your coordinator to unlock it, or take the server's version."],
        ["refused"] = t["Refused:"],
        ["mine"] = t["Yours"],
        ["server"] = t["On the server"],
        ["keep"] = t["Keep mine"],
        ["take"] = t["Take the server's"],
        ["remove"] = t["Remove"],
        ["field"] = t["Field"],
        ["country"] = t["Country"], ["admin1"] = t["Admin1"], ["indicator"] = t["Indicator"], ["populationGroup"] = t["Population group"],
        ["implementingPartner"] = t["Implementing partner"], ["girls"] = t["Girls"], ["boys"] = t["Boys"], ["women"] = t["Women"], ["men"] = t["Men"],
        ["other_"] = t["Other or unknown"], ["reachedToDate"] = t["Reached to date"], ["cash"] = t["Cash-based"], ["cashUsd"] = t["Cash value (USD)"],
        ["status"] = t["Status"], ["total"] = t["Total"],
    });

    /// <summary>The figures typed for a grid row in the post being shown again (a failed save, a kept form), else null.</summary>
    public GridRow? Typed(int id) => Rows.FirstOrDefault(r => r.Id == id);

    /// <summary>The reporting form's fields, as kept across a sign-in.</summary>
    public sealed class KeptReportingForm
    {
        public List<GridRow> Rows { get; set; } = [];
        public NewRow New { get; set; } = new();
        public List<NewRow> Added { get; set; } = [];
    }

    public bool Editable(ReportDto r) => CanWrite && r.Status is "Draft" or "Returned" && !LockedCountries.Contains(r.Country);
}

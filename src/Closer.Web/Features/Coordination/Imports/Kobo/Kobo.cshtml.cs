using System.Text.RegularExpressions;
using Closer.Web.Features.Coordination.Audit;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Closer.Web.Features.Coordination.Imports.Kobo;

/// <summary>
/// <c>/admin/kobo</c>: the forms partners already use. The XLSForm to load in KoboToolbox or ODK Central, an export of it
/// to upload, and the organisation's KoboToolbox connection (server, asset uid, token: never shown back) with the log
/// of its pulls. Focal points manage their own organisation's; administrators any organisation's (<c>?org=</c>).
/// </summary>
public sealed partial class KoboModel(CloserDbContext db, KoboImport import, KoboPuller puller, TimeProvider time, IOptions<KoboOptions> options,
    IStringLocalizer<SharedResource> t) : PageModel
{
    public const int LogRows = 20;

    [BindProperty(SupportsGet = true)] public string? Org { get; set; }
    [BindProperty] public string? ServerUrl { get; set; }
    [BindProperty] public string? AssetUid { get; set; }
    [BindProperty] public string? Token { get; set; }
    [BindProperty] public bool Enabled { get; set; } = true;

    public int OrganisationId { get; private set; }
    public List<string> Organisations { get; private set; } = [];
    public KoboConnection? Connection { get; private set; }
    public List<KoboPullLog> Pulls { get; private set; } = [];
    public List<FieldError> Errors { get; } = [];
    public string? Message { get; private set; }

    [GeneratedRegex("^[A-Za-z0-9]{5,64}$")]
    private static partial Regex AssetUidPattern();

    private Actor Actor => Actor.From(User);

    /// <summary>Focal points: their organisation. Administrators: the one asked for (or the list to choose from). Others: no.</summary>
    private async Task<bool> ResolveAsync(CancellationToken ct)
    {
        var actor = Actor;
        if (actor.IsAdmin)
        {
            Organisations = await db.Organisations.AsNoTracking().OrderBy(o => o.Acronym).Select(o => o.Acronym).ToListAsync(ct);
            var org = Org is null ? null : await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Acronym == Org, ct);
            OrganisationId = org?.Id ?? 0;
            Org = org?.Acronym;
            return true;
        }
        if (!actor.Scope.Roles.Contains(Roles.OrgFocalPoint) || actor.Scope.OrganisationId is not { } id)
        {
            return false;
        }
        OrganisationId = id;
        Org = await db.Organisations.AsNoTracking().Where(o => o.Id == id).Select(o => o.Acronym).FirstAsync(ct);
        return true;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        if (OrganisationId == 0)
        {
            return;
        }
        Connection = await db.KoboConnections.AsNoTracking().FirstOrDefaultAsync(c => c.OrganisationId == OrganisationId, ct);
        if (Connection is not null)
        {
            ServerUrl ??= Connection.ServerUrl;
            AssetUid ??= Connection.AssetUid;
            Pulls = await db.KoboPullLogs.AsNoTracking().Where(l => l.ConnectionId == Connection.Id)
                .OrderByDescending(l => l.StartedAt).Take(LogRows).ToListAsync(ct);
        }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await ResolveAsync(ct))
        {
            return Forbid();
        }
        await LoadAsync(ct);
        if (Connection is not null)
        {
            Enabled = Connection.Enabled;
            if (Request.Query["done"] == "saved")
            {
                Message = t["Saved. The first pull starts within a few minutes."];
            }
        }
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (!await ResolveAsync(ct) || OrganisationId == 0)
        {
            return Forbid();
        }
        var existing = await db.KoboConnections.FirstOrDefaultAsync(c => c.OrganisationId == OrganisationId, ct);
        var server = (ServerUrl ?? "").Trim().TrimEnd('/');
        var asset = (AssetUid ?? "").Trim();
        var token = (Token ?? "").Trim();
        if (server.Length > 300 || !KoboClient.Allowed(server, options.Value))
        {
            Errors.Add(new FieldError(null, "serverUrl", t["Give the server's address, starting with https:// (for example https://kf.kobotoolbox.org)."]));
        }
        if (!AssetUidPattern().IsMatch(asset))
        {
            Errors.Add(new FieldError(null, "assetUid", t["Give the project's asset uid: the letters and digits after /forms/ in its KoboToolbox address."]));
        }
        if ((existing is null && token.Length == 0) || token.Length > 200)
        {
            Errors.Add(new FieldError(null, "token", t["Give the API token of a KoboToolbox account that can view the project's submissions."]));
        }
        if (Errors.Count > 0)
        {
            await LoadAsync(ct);
            return Page();
        }
        var now = time.GetUtcNow();
        var actor = Actor;
        var before = existing is null ? null : Snapshot(existing);
        if (existing is null)
        {
            existing = new KoboConnection { OrganisationId = OrganisationId, ServerUrl = server, AssetUid = asset, TokenProtected = "", UserId = actor.UserId! };
            db.KoboConnections.Add(existing);
        }
        existing.ServerUrl = server;
        existing.AssetUid = asset;
        if (token.Length > 0)
        {
            existing.TokenProtected = puller.Protector.Protect(token);
        }
        existing.Enabled = Enabled;
        existing.UserId = actor.UserId!;
        existing.UserEmail = actor.Email;
        existing.UpdatedAt = now;
        existing.NextPullAt = Enabled ? now : null;
        // The audit entry never holds the token, only whether it changed.
        var after = Snapshot(existing);
        after["token"] = token.Length > 0 ? "changed" : before?["token"];
        AuditLog.Add(db, now, actor, before is null ? "create" : "update", "kobo-connection", Org!, null, OrganisationId, AuditLog.Diff(before, after));
        await db.SaveChangesAsync(ct);
        return RedirectToPage(new { org = Org, done = "saved" });
    }

    private static Dictionary<string, string?> Snapshot(KoboConnection c) => new(StringComparer.Ordinal)
    {
        ["serverUrl"] = c.ServerUrl, ["assetUid"] = c.AssetUid, ["enabled"] = c.Enabled ? "yes" : "no", ["token"] = "set",
    };

    public async Task<IActionResult> OnPostPullAsync(CancellationToken ct)
    {
        if (!await ResolveAsync(ct) || OrganisationId == 0)
        {
            return Forbid();
        }
        var now = time.GetUtcNow();
        var changed = await db.KoboConnections.Where(c => c.OrganisationId == OrganisationId && c.Enabled)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.NextPullAt, now), ct);
        Message = changed > 0 ? t["The pull starts within a minute: reload this page to see it in the log."] : t["Save an enabled connection first."];
        await LoadAsync(ct);
        Enabled = Connection?.Enabled ?? true;
        return Page();
    }

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken ct)
    {
        if (!await ResolveAsync(ct) || (OrganisationId == 0 && !Actor.IsAdmin))
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
            var (counts, error) = await import.ImportFileAsync(stream, file.Length, Actor, ImportsApi.Ignored(Request), ct);
            if (error is not null)
            {
                Errors.AddRange(error.FieldErrors(t));
            }
            else
            {
                Message = t["Imported {0} and {1}.", t.Plural(counts!.Imported, "{0} new row", "{0} new rows").Value, t.Plural(counts.Updated, "{0} changed row", "{0} changed rows").Value]
                    + " " + t.Plural(counts.Withdrawn, "{0} report withdrawn.", "{0} reports withdrawn.").Value;
            }
        }
        await LoadAsync(ct);
        Enabled = Connection?.Enabled ?? true;
        return Page();
    }
}

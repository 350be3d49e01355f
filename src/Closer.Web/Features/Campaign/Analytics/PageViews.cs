using System.Collections.Concurrent;
using System.Globalization;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Campaign.Analytics;

/// <summary>Views of one public page in one language on one day (UTC). No cookie, no address, no user: only a count.</summary>
public sealed class PageViewCount
{
    public long Id { get; set; }
    public required string Path { get; set; }
    public required string Language { get; set; }
    /// <summary>The day as yyyymmdd, so both providers order and compare it as a number.</summary>
    public int Day { get; set; }
    public long Views { get; set; }
}

internal sealed class PageViewCountConfiguration : IEntityTypeConfiguration<PageViewCount>
{
    public void Configure(EntityTypeBuilder<PageViewCount> b)
    {
        b.ToTable("CampaignPageViews");
        b.Property(p => p.Path).HasMaxLength(200);
        b.Property(p => p.Language).HasMaxLength(3);
        b.HasIndex(p => new { p.Day, p.Language, p.Path }).IsUnique();
    }
}

/// <summary>
/// Counts views of public pages in memory and adds them to the database in batches (every minute, and at shutdown),
/// so that counting costs a reader nothing and works in front of the output cache. Several nodes add to the same rows.
/// </summary>
public sealed class PageViewCounter(IServiceScopeFactory scopes, TimeProvider time, ILogger<PageViewCounter> log) : BackgroundService
{
    private ConcurrentDictionary<(string Path, string Language, int Day), long> _pending = new();

    public static int DayOf(DateTimeOffset at) => int.Parse(at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Counts a successful HTML GET of a public page (/{lang}/...), at most 200 characters of path.</summary>
    public void Count(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || context.Response.StatusCode != StatusCodes.Status200OK
            || context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) != true)
        {
            return;
        }
        var path = context.Request.Path.Value ?? "";
        var language = path.TrimStart('/').Split('/', 2)[0];
        if (!Languages.IsSupported(language) || path.Length > 200)
        {
            return;
        }
        _pending.AddOrUpdate((path, language, DayOf(time.GetUtcNow())), 1, (_, n) => n + 1);
    }

    /// <summary>Writes what was counted since the last flush.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var batch = Interlocked.Exchange(ref _pending, new());
        if (batch.IsEmpty)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        foreach (var ((path, language, day), views) in batch)
        {
            var updated = await db.CampaignPageViews.Where(p => p.Day == day && p.Language == language && p.Path == path)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Views, p => p.Views + views), ct);
            if (updated == 0)
            {
                db.CampaignPageViews.Add(new PageViewCount { Path = path, Language = language, Day = day, Views = views });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    // Another node inserted the row first: add to it instead.
                    db.ChangeTracker.Clear();
                    await db.CampaignPageViews.Where(p => p.Day == day && p.Language == language && p.Path == path)
                        .ExecuteUpdateAsync(s => s.SetProperty(p => p.Views, p => p.Views + views), ct);
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SafeFlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await SafeFlushAsync(cancellationToken);
    }

    private async Task SafeFlushAsync(CancellationToken ct)
    {
        try
        {
            await FlushAsync(ct);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or OperationCanceledException)
        {
            log.LogWarning(e, "Page view counts could not be written.");
        }
    }
}

/// <summary>Counts page views at the very start of the pipeline, so pages served from the output cache count too.</summary>
internal sealed class PageViewStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var counter = app.ApplicationServices.GetRequiredService<PageViewCounter>();
        app.Use(async (context, nxt) =>
        {
            await nxt(context);
            counter.Count(context);
        });
        next(app);
    };
}

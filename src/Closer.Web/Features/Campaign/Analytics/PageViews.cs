using System.Collections.Concurrent;
using System.Globalization;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Jobs;
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
public sealed class PageViewCounter(IServiceProvider services, TimeProvider time, ILogger<PageViewCounter> logger) : HostedJob(services, time, logger)
{
    public override string Name => "page-views";
    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);
    protected override JobStart Start => JobStart.AfterInterval;

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
        _pending.AddOrUpdate((path, language, DayOf(Time.GetUtcNow())), 1, (_, n) => n + 1);
    }

    /// <summary>Writes what was counted since the last flush (the analytics page does, before reading).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await using var scope = Scopes.CreateAsyncScope();
        await FlushAsync(scope.ServiceProvider.GetRequiredService<CloserDbContext>(), ct);
    }

    protected override Task<int> RunAsync(IServiceProvider scope, CancellationToken ct) => FlushAsync(scope.GetRequiredService<CloserDbContext>(), ct);

    /// <summary>Adds the counts to their rows; returns how many rows (page, language, day) it wrote to.</summary>
    private async Task<int> FlushAsync(CloserDbContext db, CancellationToken ct)
    {
        var batch = Interlocked.Exchange(ref _pending, new());
        if (batch.IsEmpty)
        {
            return 0;
        }
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
        return batch.Count;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // What was counted since the last minute (a failure is logged by the run).
            await RunOnceAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Logger.LogWarning("Page view counts were not written: the host stopped first.");
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

using System.Threading.RateLimiting;
using Closer.Web.Features.Documents;
using Closer.Web.Features.Forum;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Jobs;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Closer.Web.Features.Search;

public static class SearchFeature
{
    /// <summary>Searches per client address and minute, page and API together (each one is a ranked query over everything).</summary>
    public const string Limiter = "search";

    public static IServiceCollection AddSearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<SearchService>();
        services.AddSingleton<SearchInterceptor>();
        services.ConfigureDbContext<SqliteCloserDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<SearchInterceptor>()));
        services.ConfigureDbContext<PostgresCloserDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<SearchInterceptor>()));
        services.AddHostedService<SearchBackfill>();
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(Limiter, ctx =>
            RateLimitPartition.GetFixedWindowLimiter(Limiter + ":" + SecuritySetup.ClientKey(ctx), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = configuration.GetValue("RateLimits:SearchesPerMinute", 60),
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            })));
        return services;
    }

    /// <summary>
    /// Whether the reader may see partner-only rows. Both rules are asked, each from its own feature: documents' partner
    /// rule and the forum's reading rule for a partner-only space; a row marked partners is a document or forum post,
    /// and today both rules are <see cref="Partners"/> — should they ever differ, search shows the narrower.
    /// </summary>
    public static bool SeesPartnerRows(System.Security.Claims.ClaimsPrincipal user) =>
        DocumentsFeature.IsPartner(user) && ForumActor.From(user).CanRead(new ForumSpace { Title = "", Visibility = SpaceVisibility.Partners });

    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/search", SearchAsync).AllowAnonymous().WithTags("Search").RequireRateLimiting(Limiter)
            .Paged(defaultPageSize: SearchService.PageSize)
            .OneOf("kind", SearchService.Kinds).OneOf("language", Languages.All).CountryCodes();
        return app;
    }

    /// <summary>Ranked results over everything the caller may read, the same as the search page.</summary>
    private static async Task<Results<Ok<SearchResults>, ProblemHttpResult>> SearchAsync(SearchService search, HttpContext http, string? q, string? kind,
        string? country, string? language, int? year, CancellationToken ct)
    {
        var paging = Paging.Current(http);
        var request = new SearchRequest(q, kind, country, language, year, paging.Page, paging.PageSize);
        if (Validate(request) is { } error)
        {
            return error.ToProblem(http);
        }
        http.Response.Headers.CacheControl = "private, no-store";
        var results = await search.SearchAsync(request, SeesPartnerRows(http.User), http.Language(), ct);
        Paging.WriteHeaders(http, paging with { Page = results.Page }, results.Total);
        return TypedResults.Ok(results);
    }

    /// <summary>What the API refuses (the page shows the same messages and searches nothing).</summary>
    public static ValidationError? Validate(SearchRequest r)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(r.Q) || SearchQuery.Parse(r.Q).IsEmpty)
        {
            errors.Add(new FieldError(null, "q", "Type at least one word to search for."));
        }
        else if (r.Q.Length > SearchQuery.MaxLength)
        {
            errors.Add(new FieldError(null, "q", "A search may be at most 200 characters long."));
        }
        if (r.Kind is { Length: > 0 } && !SearchService.Kinds.Contains(r.Kind))
        {
            errors.Add(new FieldError(null, "kind", "Choose a kind from the list."));
        }
        if (r.Country is { Length: > 0 } && !(r.Country.Length == 3 && r.Country.All(char.IsAsciiLetterUpper)))
        {
            errors.Add(new FieldError(null, "country", "Give a country as its three-letter code, such as COL."));
        }
        if (r.Language is { Length: > 0 } && !Languages.IsSupported(r.Language))
        {
            errors.Add(new FieldError(null, "language", "Choose a language from the list."));
        }
        if (r.Year is { } y && (y < 1900 || y > 2999))
        {
            errors.Add(new FieldError(null, "year", "Give a year such as 2025."));
        }
        if (r.Page < 1 || r.Page > 1000)
        {
            errors.Add(new FieldError(null, "page", "Give a page number from 1."));
        }
        return errors.Count == 0 ? null : new ValidationError("invalid-search", errors[0].Message, errors);
    }
}

/// <summary>
/// Before the app serves, fills the index of a database that has none (one upgraded from before search); a no-op
/// otherwise. Every later write keeps it current (<see cref="SearchInterceptor"/>).
/// </summary>
internal sealed class SearchBackfill(IServiceProvider services, TimeProvider time, ILogger<SearchBackfill> logger) : HostedJob(services, time, logger)
{
    public override string Name => "search-backfill";
    protected override JobStart Start => JobStart.BeforeServing;
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override async Task<int> RunAsync(IServiceProvider scope, CancellationToken ct)
    {
        var db = scope.GetRequiredService<CloserDbContext>();
        if (await db.SearchEntries.AnyAsync(ct))
        {
            return 0;
        }
        return await RebuildAsync(db, scope.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForumOptions>>().Value.PostsPerPage, ct);
    }

    /// <summary>Indexes every source from scratch, in one transaction (nodes starting together: one waits, then finds it done).</summary>
    public static async Task<int> RebuildAsync(CloserDbContext db, int postsPerPage, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var postgres = db.Database.IsNpgsql();
        if (postgres)
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7319022)", ct);
        }
        if (await db.SearchEntries.AnyAsync(ct))
        {
            return 0;
        }
        var connection = db.Database.GetDbConnection();
        var transaction = tx.GetDbTransaction();
        var sources = await SearchIndexer.AllSourcesAsync(connection, transaction, ct);
        await SearchIndexer.RefreshAsync(connection, transaction, postgres, sources, postsPerPage, ct);
        await tx.CommitAsync(ct);
        return sources.Count;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.OpenData;
using Closer.Web.Features.OpenData.Disclosure;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The anonymous activities table in process (issue 21), on a file the generator wrote: the cold build of the public
/// table against the signed-in path over the same rows (<see cref="ActivitiesDataset.RowsAsync"/>: the same reader, then
/// every row named), and a 5,000-row page named and written as JSON. Prints the timings; bench/odata.sh times the app over HTTP.
/// Run: dotnet bench/Closer.Bench.Dashboards/bin/Release/net10.0/Closer.Bench.Dashboards.dll activities FILE
/// </summary>
internal static class ActivitiesBench
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task RunAsync(string file)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Bench" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Closer"] = $"Data Source={Path.GetFullPath(file)}",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddCloserData(builder.Configuration);
        builder.Services.AddCloserLocalization();
        builder.Services.AddOptions<DisclosureOptions>().BindConfiguration(DisclosureOptions.Section);
        builder.Services.AddSingleton<DisclosureControl>();
        await using var app = builder.Build();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var disclosure = scope.ServiceProvider.GetRequiredService<DisclosureControl>();

        async Task<(double Ms, int Rows)> Time(Func<Task<int>> work)
        {
            var sw = Stopwatch.StartNew();
            var rows = await work();
            return (sw.Elapsed.TotalMilliseconds, rows);
        }
        // Warm-up of both (JIT, the file in the page cache), then alternate runs.
        var reference = new List<double>();
        var table = new List<double>();
        PublicActivityTable? built = null;
        for (var i = 0; i < 3; i++)
        {
            var (r, rn) = await Time(async () => (await ActivitiesDataset.RowsAsync(db, disclosure, DisclosureAudience.Public, "en", new ActivityFilters(null, null, null), default)).Count);
            var (t, tn) = await Time(async () => (built = await PublicActivities.BuildTableAsync(db, disclosure, default)).Rows.Count);
            if (rn != tn)
            {
                throw new InvalidOperationException($"the reference has {rn} rows, the table {tn}");
            }
            if (i > 0)
            {
                reference.Add(r);
                table.Add(t);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {i}: reference build {r:F0} ms, public table build {t:F0} ms ({tn:N0} rows)"));
        }
        var names = built!.References.Names("en");
        var pages = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            var sw = Stopwatch.StartNew();
            using var stream = new MemoryStream();
            var page = built.Rows.Skip(i * 5000 % Math.Max(1, built.Rows.Count - 5000)).Take(5000).Select(names.Row).ToList();
            await JsonSerializer.SerializeAsync<object>(stream, page, Json);
            if (i >= 2)
            {
                pages.Add(sw.Elapsed.TotalMilliseconds);
            }
        }
        reference.Sort();
        table.Sort();
        pages.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median: reference build {reference[reference.Count / 2]:F0} ms, public table build {table[table.Count / 2]:F0} ms, a 5,000-row JSON page {pages[pages.Count / 2]:F1} ms"));
    }
}

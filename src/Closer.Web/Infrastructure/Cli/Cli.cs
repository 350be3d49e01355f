using Closer.Web.Features.Accounts;
using Closer.Web.Features.ApiTokens;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Cli;

/// <summary>
/// Verbs run on the app itself with the app's configuration:
/// <c>dotnet run --project src/Closer.Web -- users add ...</c>. Exit codes: 0 done, 1 failed, 2 wrong arguments
/// (nothing written).
/// </summary>
public static class Cli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public const string Help = """
        Usage: Closer.Web <verb> [options]

          migrate                        apply database migrations
          seed-demo                      fill an empty database with demo data
          users add --email E --role R [--org ACRONYM] [--country ISO3]... [--name N] [--lang en|es|pt|pap] --password-stdin
                                         add a person; the password is read from standard input
          tokens create --email E --name N
                                         create an API token; the token is the last line printed
          backup --to FILE               SQLite: an online, consistent copy of the database (PostgreSQL: use pg_dump)
          restore --from FILE            SQLite: replace the database with a backup (stop the site first)
          help                           show this text

        Roles: PlatformAdmin, CountryCoordinator, OrgFocalPoint, Editor, Translator, Moderator, Viewer
        """;

    private static readonly string[] Verbs = ["migrate", "seed-demo", "users", "tokens", "backup", "restore", "help", "--help"];

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            switch (args)
            {
                case ["help" or "--help", ..]:
                    await stdout.WriteLineAsync(Help);
                    return Ok;
                case ["migrate"]:
                    await DatabaseSetup.MigrateAsync(services);
                    await Seeding.EnsureSeededAsync(services, demo: false);
                    await stdout.WriteLineAsync("Migrations applied.");
                    return Ok;
                case ["seed-demo"]:
                    await DatabaseSetup.MigrateAsync(services);
                    var seeded = await Seeding.EnsureSeededAsync(services, demo: true);
                    await stdout.WriteLineAsync(seeded ? "Demo data added." : "The database already has data; nothing added.");
                    return Ok;
                case ["users", "add", .. var rest]:
                    return await AddUserAsync(services, rest, stdin, stdout, stderr);
                case ["tokens", "create", .. var rest]:
                    return await CreateTokenAsync(services, rest, stdout, stderr);
                case ["backup", "--to", var file]:
                    return await BackupAsync(services, file, stdout, stderr);
                case ["restore", "--from", var file]:
                    return await RestoreAsync(services, file, stdout, stderr);
                default:
                    return await UsageAsync(stderr, $"Unknown command: {string.Join(' ', args)}");
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or IOException)
        {
            await stderr.WriteLineAsync($"Failed: {ex.Message}");
            return Failed;
        }
    }

    private static async Task<int> UsageAsync(TextWriter stderr, string message)
    {
        await stderr.WriteLineAsync($"Error: {message}");
        await stderr.WriteLineAsync("Run 'help' for usage.");
        return Usage;
    }

    /// <summary>Parses --name value pairs and bare --flags; repeated options collect all their values.</summary>
    internal static (Dictionary<string, List<string>> Options, string? Error) Parse(string[] args, string[] valued, string[] flags)
    {
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (flags.Contains(a, StringComparer.Ordinal))
            {
                options[a] = [];
            }
            else if (valued.Contains(a, StringComparer.Ordinal))
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return (options, $"{a} needs a value.");
                }
                if (!options.TryGetValue(a, out var list))
                {
                    options[a] = list = [];
                }
                list.Add(args[++i]);
            }
            else
            {
                return (options, $"Unknown option: {a}");
            }
        }
        return (options, null);
    }

    private static string? One(Dictionary<string, List<string>> o, string name) =>
        o.TryGetValue(name, out var v) && v.Count > 0 ? v[^1] : null;

    private static async Task<int> AddUserAsync(IServiceProvider services, string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var (o, error) = Parse(args, ["--email", "--role", "--org", "--country", "--name", "--lang"], ["--password-stdin"]);
        if (error is not null)
        {
            return await UsageAsync(stderr, error);
        }
        var email = One(o, "--email");
        var role = Roles.Normalize(One(o, "--role"));
        var lang = One(o, "--lang") ?? Languages.Default;
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal))
        {
            return await UsageAsync(stderr, "--email with a valid address is required.");
        }
        if (role is null)
        {
            return await UsageAsync(stderr, $"--role must be one of: {string.Join(", ", Roles.All)}.");
        }
        if (!o.ContainsKey("--password-stdin"))
        {
            return await UsageAsync(stderr, "--password-stdin is required: passwords are never passed as arguments.");
        }
        if (!Languages.IsSupported(lang))
        {
            return await UsageAsync(stderr, "--lang must be en, es, pt or pap.");
        }
        var countries = (o.GetValueOrDefault("--country") ?? [])
            .SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(c => c.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var orgAcronym = One(o, "--org");
        if (role == Roles.OrgFocalPoint && orgAcronym is null)
        {
            return await UsageAsync(stderr, "An OrgFocalPoint needs --org.");
        }
        if (role == Roles.CountryCoordinator && countries.Count == 0)
        {
            return await UsageAsync(stderr, "A CountryCoordinator needs at least one --country.");
        }
        var password = (await stdin.ReadLineAsync())?.TrimEnd('\r');
        if (string.IsNullOrEmpty(password))
        {
            return await UsageAsync(stderr, "No password on standard input.");
        }

        await DatabaseSetup.MigrateAsync(services);
        await Seeding.EnsureSeededAsync(services, demo: false);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        int? orgId = null;
        if (orgAcronym is not null)
        {
            orgId = await db.Organisations.Where(x => x.Acronym == orgAcronym).Select(x => (int?)x.Id).FirstOrDefaultAsync();
            if (orgId is null)
            {
                return await UsageAsync(stderr, $"No organisation with acronym '{orgAcronym}'.");
            }
        }
        var known = await db.Countries.Where(c => countries.Contains(c.Iso3)).Select(c => c.Iso3).ToListAsync();
        var unknown = countries.Except(known, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return await UsageAsync(stderr, $"Unknown country code(s): {string.Join(", ", unknown)}.");
        }
        if (await users.FindByEmailAsync(email) is not null)
        {
            return await UsageAsync(stderr, $"A user with e-mail {email} already exists.");
        }

        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        await using var tx = await db.Database.BeginTransactionAsync();
        var user = new AppUser
        {
            UserName = email, Email = email, EmailConfirmed = true, DisplayName = One(o, "--name"),
            PreferredLanguage = lang, OrganisationId = orgId, CreatedAt = time.GetUtcNow(),
            Countries = countries.Select(c => new UserCountryScope { UserId = "", CountryIso3 = c }).ToList(),
        };
        foreach (var c in user.Countries)
        {
            c.UserId = user.Id;
        }
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            await tx.RollbackAsync();
            return await UsageAsync(stderr, string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            await tx.RollbackAsync();
            return await UsageAsync(stderr, string.Join(" ", added.Errors.Select(e => e.Description)));
        }
        await tx.CommitAsync();
        await stdout.WriteLineAsync($"Added {email} as {role}.");
        return Ok;
    }

    private static string? SqliteConnectionString(IServiceProvider services, out string? error)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        error = db.Database.IsSqlite() ? null : "backup and restore work on SQLite; on PostgreSQL use pg_dump and pg_restore (see the README).";
        return error is null ? db.Database.GetConnectionString() : null;
    }

    private static async Task<int> BackupAsync(IServiceProvider services, string file, TextWriter stdout, TextWriter stderr)
    {
        var source = SqliteConnectionString(services, out var error);
        if (source is null)
        {
            return await UsageAsync(stderr, error!);
        }
        var target = Path.GetFullPath(file);
        if (File.Exists(target))
        {
            return await UsageAsync(stderr, $"{target} exists; choose a new file.");
        }
        await using (var from = new Microsoft.Data.Sqlite.SqliteConnection(source))
        await using (var to = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={target};Pooling=False"))
        {
            await from.OpenAsync();
            await to.OpenAsync();
            // SQLite's online backup: a consistent copy while the site keeps running.
            from.BackupDatabase(to);
        }
        var check = await IntegrityAsync(target);
        if (check != "ok")
        {
            await stderr.WriteLineAsync($"Failed: the copy does not pass its integrity check ({check}).");
            return Failed;
        }
        await stdout.WriteLineAsync($"Backed up to {target}.");
        return Ok;
    }

    private static async Task<int> RestoreAsync(IServiceProvider services, string file, TextWriter stdout, TextWriter stderr)
    {
        var target = SqliteConnectionString(services, out var error);
        if (target is null)
        {
            return await UsageAsync(stderr, error!);
        }
        var source = Path.GetFullPath(file);
        if (!File.Exists(source))
        {
            return await UsageAsync(stderr, $"{source} does not exist.");
        }
        string check;
        try
        {
            check = await IntegrityAsync(source);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            return await UsageAsync(stderr, $"{source} is not a Closer backup ({ex.SqliteErrorCode}).");
        }
        if (check != "ok")
        {
            return await UsageAsync(stderr, $"{source} is damaged ({check}); nothing restored.");
        }
        await using (var from = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={source};Mode=ReadOnly;Pooling=False"))
        {
            await from.OpenAsync();
            await using var probe = from.CreateCommand();
            probe.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = '__EFMigrationsHistory'";
            if (Convert.ToInt64(await probe.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) != 1)
            {
                return await UsageAsync(stderr, $"{source} is not a Closer database; nothing restored.");
            }
            await using var to = new Microsoft.Data.Sqlite.SqliteConnection(target);
            await to.OpenAsync();
            from.BackupDatabase(to);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await DatabaseSetup.MigrateAsync(services);
        await stdout.WriteLineAsync($"Restored from {source}.");
        return Ok;
    }

    private static async Task<string> IntegrityAsync(string file)
    {
        await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check";
        return Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    private static async Task<int> CreateTokenAsync(IServiceProvider services, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var (o, error) = Parse(args, ["--email", "--name"], []);
        if (error is not null)
        {
            return await UsageAsync(stderr, error);
        }
        var email = One(o, "--email");
        var name = One(o, "--name");
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(name))
        {
            return await UsageAsync(stderr, "--email and --name are required.");
        }
        if (name.Length > 100)
        {
            return await UsageAsync(stderr, "--name is limited to 100 characters.");
        }
        await DatabaseSetup.MigrateAsync(services);
        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        if (user is null)
        {
            return await UsageAsync(stderr, $"No user with e-mail {email}.");
        }
        var (_, plain) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(user.Id, name);
        await stdout.WriteLineAsync($"Token '{name}' for {email} (shown once; store it safely):");
        await stdout.WriteLineAsync(plain);
        return Ok;
    }
}

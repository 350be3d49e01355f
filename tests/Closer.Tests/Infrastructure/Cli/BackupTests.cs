using Closer.Web.Features.Organisations;
using Closer.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Closer.Tests.Infrastructure.Cli;

/// <summary>Backup and restore of the embedded SQLite database through the CLI, on a live app.</summary>
public sealed class BackupTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private async Task<(int Code, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Closer.Web.Infrastructure.Cli.Cli.RunAsync(app.Services, args, new StringReader(""), output, error);
        return (code, error.ToString());
    }

    private async Task<int> OrganisationCountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CloserDbContext>().Organisations.CountAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Backup_ThenRestore_BringsBackTheDatabaseAsItWas()
    {
        var dir = Directory.CreateTempSubdirectory("closer-backup").FullName;
        var file = Path.Combine(dir, "closer-backup.db");
        var before = await OrganisationCountAsync();
        Assert.Equal((0, ""), await RunAsync("backup", "--to", file));
        Assert.True(new FileInfo(file).Length > 0);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
            db.Organisations.Add(new Organisation { Acronym = "AFTER", Name = "Added after the backup", Type = OrganisationType.Academia });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        Assert.Equal(before + 1, await OrganisationCountAsync());

        Assert.Equal(0, (await RunAsync("restore", "--from", file)).Code);
        Assert.Equal(before, await OrganisationCountAsync());
        // The site still answers on the restored database.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.Client().GetAsync("/readyz", TestContext.Current.CancellationToken)).StatusCode);

        // An existing target is refused rather than overwritten.
        Assert.Equal(2, (await RunAsync("backup", "--to", file)).Code);
    }

    [Fact]
    public async Task Restore_FromAFileThatIsNotABackup_Exits2_AndChangesNothing()
    {
        var before = await OrganisationCountAsync();
        var junk = Path.Combine(Directory.CreateTempSubdirectory("closer-junk").FullName, "junk.db");
        await File.WriteAllTextAsync(junk, "this is not a database", TestContext.Current.CancellationToken);
        var (code, err) = await RunAsync("restore", "--from", junk);
        Assert.Equal(2, code);
        Assert.Contains("not a Closer backup", err);
        Assert.Equal(2, (await RunAsync("restore", "--from", "/nonexistent/file.db")).Code);
        Assert.Equal(before, await OrganisationCountAsync());
    }
}

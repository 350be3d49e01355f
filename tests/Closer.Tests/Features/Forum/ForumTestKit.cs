using System.Net.Http.Headers;
using Closer.Tests.Infrastructure;
using Closer.Web.Features.Accounts;
using Closer.Web.Features.ApiTokens;
using Closer.Web.Features.Forum;
using Closer.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Closer.Tests.Features.Forum;

public sealed record Person(string Id, string Email, string Password);

/// <summary>Test data builders for the forum suites: people, clients, demo spaces, mails.</summary>
public sealed class ForumTestKit(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<Person> PersonAsync(string? role = null, string? org = null, bool newAccount = false, string lang = "en", string? name = null)
    {
        var email = $"forum-{Guid.NewGuid():N}@test.invalid";
        const string password = "correct horse battery staple";
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var now = TimeProvider.System.GetUtcNow();
        var user = new AppUser
        {
            UserName = email, Email = email, EmailConfirmed = true, PreferredLanguage = lang, DisplayName = name ?? $"Tester {email[6..12]}",
            CreatedAt = newAccount ? now.AddHours(-1) : now.AddYears(-1),
            OrganisationId = org is null ? null : await db.Organisations.Where(o => o.Acronym == org).Select(o => (int?)o.Id).SingleAsync(Ct),
        };
        var created = await users.CreateAsync(user, password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        if (role is not null)
        {
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        }
        return new Person(user.Id, email, password);
    }

    public async Task<HttpClient> TokenClientAsync(Person person)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var (_, plain) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(person.Id, "forum tests", Ct);
        return app.BearerClient(plain);
    }

    public async Task<HttpClient> CookieClientAsync(Person person)
    {
        var client = app.Client();
        var response = await AppFixture.SignInAsync(client, person.Email, person.Password);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public async Task<HttpClient> ApiAsync(string? role = null, string? org = null, bool newAccount = false) =>
        await TokenClientAsync(await PersonAsync(role, org, newAccount));

    public async Task<int> SpaceAsync(string titleStart)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        return await db.ForumSpaces.Where(s => s.Title.StartsWith(titleStart)).Select(s => s.Id).SingleAsync(Ct);
    }

    public async Task<int> ThreadAsync(string titleStart)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CloserDbContext>();
        return await db.ForumThreads.Where(s => s.Title.StartsWith(titleStart)).Select(s => s.Id).SingleAsync(Ct);
    }

    public async Task<T> DbAsync<T>(Func<CloserDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CloserDbContext>());
    }

    /// <summary>Starts a thread through the API as this client; returns the thread id.</summary>
    public static async Task<int> NewThreadAsync(HttpClient client, int spaceId, string title = "A test thread", string body = "Opening post of a test thread.")
    {
        var response = await client.PostAsJsonAsync($"/api/v1/forum/spaces/{spaceId}/threads", new { title, body, language = "en" }, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (int)(await response.Content.ReadFromJsonAsync<CreatedDto>(Ct))!.Id;
    }

    public static async Task<CreatedDto> ReplyAsync(HttpClient client, int threadId, string body)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/forum/threads/{threadId}/posts", new { body, language = "en" }, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedDto>(Ct))!;
    }

    /// <summary>
    /// The mails delivered to <paramref name="email"/> once the outbox holds nothing more for that address
    /// (sent by the app's background worker), so a count is final: none missing, none still on its way.
    /// </summary>
    public async Task<List<MimeMessage>> DeliveredMailsToAsync(string email)
    {
        for (var i = 0; i < 150; i++)
        {
            var pending = await DbAsync(db => db.EmailOutbox.AnyAsync(m => m.To == email && m.SentAt == null && m.FailedAt == null, Ct));
            if (!pending)
            {
                return MailsTo(email);
            }
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException($"The outbox still holds mail for {email}.");
    }

    public List<MimeMessage> MailsTo(string email)
    {
        if (!Directory.Exists(app.MailPickup))
        {
            return [];
        }
        return Directory.GetFiles(app.MailPickup, "*.eml")
            .Select(TryLoad)
            .OfType<MimeMessage>()
            .Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, email, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    /// <summary>A file still being written by a background sender is skipped; the caller polls again.</summary>
    private static MimeMessage? TryLoad(string path)
    {
        try
        {
            return MimeMessage.Load(path);
        }
        catch (Exception ex) when (ex is IOException or FormatException or ParseException)
        {
            return null;
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;

namespace Closer.Web.Features.Accounts;

/// <summary>
/// Failed sign-ins counted per client address and account name, before the account's own lockout: a stranger
/// guessing from one address is stopped there after a few tries, while the owner, from their own address, still
/// signs in. The account lockout (a higher count) only answers guessing spread over many addresses. Unknown
/// addresses are counted the same way, so the answer never tells which addresses have accounts. Counted per node
/// (in memory): with several nodes a guesser gets this many tries per node, still far below the lockout.
/// </summary>
public sealed class SignInThrottle(IConfiguration configuration) : IDisposable
{
    // Its own bounded cache: a flood of made-up addresses cannot grow memory without end (past the bound new
    // counters are not kept, and the account lockout still stands behind).
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public int Limit => configuration.GetValue("Security:SignInThrottle:PerClientAndAccount", 5);
    public TimeSpan Window => TimeSpan.FromMinutes(configuration.GetValue("Security:SignInThrottle:Minutes", 15));

    /// <summary>True when this client has used up its tries on this account name.</summary>
    public bool IsThrottled(string client, string email) =>
        _cache.TryGetValue(Key(client, email), out Counter? counter) && counter!.Failures >= Limit;

    public void RecordFailure(string client, string email)
    {
        var counter = _cache.GetOrCreate(Key(client, email), e =>
        {
            // From the first failure: a guesser waits the window out, however they pace the tries inside it.
            e.AbsoluteExpirationRelativeToNow = Window;
            e.Size = 1;
            return new Counter();
        })!;
        Interlocked.Increment(ref counter.Failures);
    }

    public void Clear(string client, string email) => _cache.Remove(Key(client, email));

    // The address is hashed so the cache holds no list of e-mail addresses.
    private static string Key(string client, string email) =>
        "sign-in-failures:" + client + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToUpperInvariant())));

    public void Dispose() => _cache.Dispose();

    private sealed class Counter
    {
        public int Failures;
    }
}

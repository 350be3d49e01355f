namespace Closer.Web.Features.Forum;

/// <summary>Configuration section <c>Forum</c>.</summary>
public sealed class ForumOptions
{
    /// <summary>New threads per person per hour.</summary>
    public int ThreadsPerHour { get; set; } = 5;
    /// <summary>Replies per person per hour.</summary>
    public int PostsPerHour { get; set; } = 30;
    /// <summary>Flags per person per hour.</summary>
    public int FlagsPerHour { get; set; } = 20;
    /// <summary>Open flags from this many people hold a post for review at once (0: never).</summary>
    public int FlagsToHold { get; set; } = 3;
    /// <summary>An account younger than this many days is new.</summary>
    public int NewAccountDays { get; set; } = 7;
    /// <summary>A new account's first posts (this many) wait for a moderator.</summary>
    public int NewAccountHeldPosts { get; set; } = 2;
    /// <summary>Links a new account may put in one post.</summary>
    public int NewAccountMaxLinks { get; set; } = 1;
    public int PostsPerPage { get; set; } = 20;
    public int ThreadsPerPage { get; set; } = 20;
    /// <summary>Whether the hosted service sends yesterday's digests.</summary>
    public bool DigestEnabled { get; set; } = true;
    /// <summary>How often the digest service wakes up.</summary>
    public int DigestIntervalMinutes { get; set; } = 60;
}

using Closer.Web.Features.Forum;
using Microsoft.EntityFrameworkCore;

namespace Closer.Web.Infrastructure.Data;

public abstract partial class CloserDbContext
{
    public DbSet<ForumSpace> ForumSpaces => Set<ForumSpace>();
    public DbSet<ForumThread> ForumThreads => Set<ForumThread>();
    public DbSet<ForumPost> ForumPosts => Set<ForumPost>();
    public DbSet<ForumPostRevision> ForumPostRevisions => Set<ForumPostRevision>();
    public DbSet<ForumFlag> ForumFlags => Set<ForumFlag>();
    public DbSet<ModerationAction> ForumModerationActions => Set<ModerationAction>();
    public DbSet<ForumSuspension> ForumSuspensions => Set<ForumSuspension>();
    public DbSet<ForumFollow> ForumFollows => Set<ForumFollow>();
    public DbSet<ForumNotificationSetting> ForumNotificationSettings => Set<ForumNotificationSetting>();
    public DbSet<ForumDigestLog> ForumDigestLog => Set<ForumDigestLog>();
}

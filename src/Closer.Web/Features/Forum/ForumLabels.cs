namespace Closer.Web.Features.Forum;

/// <summary>English labels (UI-string keys) of the forum's enums.</summary>
public static class ForumLabels
{
    public static string Reason(FlagReason reason) => reason switch
    {
        FlagReason.Spam => "Spam",
        FlagReason.Abuse => "Abuse",
        FlagReason.Xenophobia => "Xenophobia",
        FlagReason.PersonalData => "Personal data exposed",
        _ => "Other",
    };

    public static string Kind(SpaceKind kind) => kind switch
    {
        SpaceKind.Country => "Countries",
        SpaceKind.Sector => "Sectors",
        _ => "Consultations",
    };

    public static string Status(PostStatus status) => status switch
    {
        PostStatus.Held => "Waiting for review",
        PostStatus.Hidden => "Hidden by a moderator",
        PostStatus.Deleted => "Deleted by its author",
        _ => "Published",
    };

    public static string Held(string? reason) => reason switch
    {
        HeldReasons.PersonalData => "Possible personal data",
        HeldReasons.NewAccount => "New account",
        HeldReasons.Flags => "Held after several flags",
        _ => "",
    };

    /// <summary>The moderation actions that make sense for a post, as (value, label key).</summary>
    public static List<(string Value, string Label)> ModerationChoices(PostView p)
    {
        var actions = new List<(string Value, string Label)>();
        if (p.Status == PostStatus.Held)
        {
            actions.Add((ModerationActions.Approve, "Approve"));
        }
        if (p.Status is PostStatus.Published or PostStatus.Held)
        {
            actions.Add((ModerationActions.Hide, "Hide"));
        }
        if (p.Status == PostStatus.Hidden)
        {
            actions.Add((ModerationActions.Restore, "Restore"));
        }
        if (p.OpenFlags > 0)
        {
            actions.Add((ModerationActions.Dismiss, "Dismiss flags"));
        }
        if (p.AuthorId is not null)
        {
            actions.Add((ModerationActions.Suspend, "Suspend the author"));
        }
        return actions;
    }

    public static string Action(string action) => action switch
    {
        ModerationActions.Hide => "Hidden",
        ModerationActions.Restore => "Restored",
        ModerationActions.Approve => "Approved",
        ModerationActions.Dismiss => "Flags dismissed",
        ModerationActions.Lock => "Thread locked",
        ModerationActions.Unlock => "Thread unlocked",
        ModerationActions.Suspend => "Author suspended",
        ModerationActions.Summary => "Summary written",
        ModerationActions.CreateSpace => "Space created",
        ModerationActions.EditSpace => "Space changed",
        ModerationActions.Unsuspend => "Suspension lifted",
        ModerationActions.AutoHold => "Held automatically",
        _ => action,
    };
}

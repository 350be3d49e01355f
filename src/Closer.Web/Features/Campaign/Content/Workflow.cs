using System.Security.Claims;
using Closer.Web.Infrastructure.Security;

namespace Closer.Web.Features.Campaign.Content;

/// <summary>
/// Who may do what with a language version: translators move text into translation and review and edit
/// unpublished text; editors (and platform admins) do all of that and publish, unpublish, delete and restore.
/// </summary>
public static class Workflow
{
    public static bool IsEditor(ClaimsPrincipal user) => user.IsInRole(Roles.Editor) || user.IsInRole(Roles.PlatformAdmin);
    public static bool IsTranslator(ClaimsPrincipal user) => user.IsInRole(Roles.Translator);
    public static bool MayUseBackOffice(ClaimsPrincipal user) => IsEditor(user) || IsTranslator(user);

    /// <summary>The transitions of the workflow, regardless of who asks.</summary>
    public static bool IsTransition(TranslationStatus from, TranslationStatus to) => (from, to) switch
    {
        (TranslationStatus.Draft, TranslationStatus.InTranslation) => true,
        (TranslationStatus.Draft, TranslationStatus.InReview) => true,
        (TranslationStatus.InTranslation, TranslationStatus.InReview) => true,
        (TranslationStatus.InReview, TranslationStatus.InTranslation) => true,
        (TranslationStatus.InReview, TranslationStatus.Published) => true,
        (TranslationStatus.Published, TranslationStatus.Draft) => true,
        (TranslationStatus.InTranslation, TranslationStatus.Draft) => true,
        (TranslationStatus.InReview, TranslationStatus.Draft) => true,
        _ => false,
    };

    /// <summary>Whether this role set may make this move: translators only towards translation and review.</summary>
    public static bool MayMove(bool editor, bool translator, TranslationStatus from, TranslationStatus to)
    {
        if (!IsTransition(from, to))
        {
            return false;
        }
        if (editor)
        {
            return true;
        }
        return translator && to is TranslationStatus.InTranslation or TranslationStatus.InReview;
    }

    public static bool MayMove(ClaimsPrincipal user, TranslationStatus from, TranslationStatus to) =>
        MayMove(IsEditor(user), IsTranslator(user), from, to);

    /// <summary>Editors edit any version; translators only versions that are not published.</summary>
    public static bool MayEdit(ClaimsPrincipal user, TranslationStatus status) =>
        IsEditor(user) || (IsTranslator(user) && status != TranslationStatus.Published);

    public static IEnumerable<TranslationStatus> Moves(ClaimsPrincipal user, TranslationStatus from) =>
        Enum.GetValues<TranslationStatus>().Where(to => MayMove(user, from, to));

    public static string Label(TranslationStatus status) => status switch
    {
        TranslationStatus.Draft => "Draft",
        TranslationStatus.InTranslation => "In translation",
        TranslationStatus.InReview => "In review",
        _ => "Published",
    };

    public static string KindLabel(ContentKind kind) => kind switch
    {
        ContentKind.Story => "Story",
        ContentKind.Fact => "Fact",
        ContentKind.Video => "Video",
        ContentKind.PressRelease => "Press release",
        ContentKind.MediaContact => "Media contact",
        _ => "Page",
    };
}

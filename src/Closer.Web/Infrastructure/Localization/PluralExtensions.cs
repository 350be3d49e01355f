using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Closer.Web.Infrastructure.Localization;

/// <summary>A localizer that knows counted phrases (the app's <see cref="JsonStringLocalizer"/>).</summary>
public interface IPluralStringLocalizer : IStringLocalizer
{
    /// <summary>The form of <paramref name="other"/>'s entry for <paramref name="count"/>, formatted with <paramref name="arguments"/>.</summary>
    LocalizedString Plural(long count, string one, string other, object[] arguments);
}

public static class PluralExtensions
{
    /// <summary>
    /// A counted phrase in the current language: <c>t.Plural(n, "{0} reply", "{0} replies")</c>. The English
    /// "other" form is the key; {0} is the count (formatted with the language's digit grouping), {1}… are
    /// <paramref name="arguments"/>. Each language's entry holds the forms its plural rules need (<see cref="PluralRules"/>).
    /// A phrase may leave the count out when the page shows it apart (the home page's "people have taken a step closer.").
    /// </summary>
    public static LocalizedString Plural(this IStringLocalizer t, long count, string one, string other, params object[] arguments)
    {
        object[] all = [count.ToString("N0", CultureInfo.CurrentCulture), .. arguments];
        if (t is IPluralStringLocalizer plural)
        {
            return plural.Plural(count, one, other, all);
        }
        var english = PluralRules.Category(Languages.English, count) == PluralCategory.One ? one : other;
        return new LocalizedString(other, string.Format(CultureInfo.CurrentCulture, english, all), resourceNotFound: true);
    }
}

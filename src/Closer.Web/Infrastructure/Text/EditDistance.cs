namespace Closer.Web.Infrastructure.Text;

/// <summary>
/// Levenshtein distance with an early stop once every path exceeds the limit (then limit + 1): search's "did you mean" and
/// the spreadsheet header matcher's near names.
/// </summary>
public static class EditDistance
{
    public static int Of(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return limit + 1;
        }
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                rowMin = Math.Min(rowMin, current[j]);
            }
            if (rowMin > limit)
            {
                return limit + 1;
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

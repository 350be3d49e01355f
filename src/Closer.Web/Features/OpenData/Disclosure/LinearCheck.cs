namespace Closer.Web.Features.OpenData.Disclosure;

/// <summary>
/// Which hidden figures the published ones still determine exactly. Each group is an equation (total − Σ parts = 0); with the
/// published figures moved to the right-hand side, a hidden figure is determined when its unit vector lies in the row space
/// of the hidden figures' coefficients, i.e. when its row of the reduced row-echelon form has no other non-zero entry.
/// The coefficients are small integers, so elimination in doubles with a tolerance is exact enough.
/// </summary>
public static class LinearCheck
{
    public static IReadOnlyList<string> Determined(IReadOnlySet<string> hidden, IReadOnlyList<(string Total, IReadOnlyList<string> Parts)> groups)
    {
        var index = hidden.Order(StringComparer.Ordinal).Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal);
        var keys = index.Keys.ToList();
        var rows = new List<double[]>();
        foreach (var (total, parts) in groups)
        {
            var row = new double[keys.Count];
            var any = false;
            if (index.TryGetValue(total, out var t))
            {
                row[t] += 1;
                any = true;
            }
            foreach (var p in parts)
            {
                if (index.TryGetValue(p, out var j))
                {
                    row[j] -= 1;
                    any = true;
                }
            }
            if (any)
            {
                rows.Add(row);
            }
        }
        var pivots = Reduce(rows, keys.Count);
        var result = new List<string>();
        foreach (var (r, c) in pivots)
        {
            var alone = true;
            for (var j = 0; j < keys.Count && alone; j++)
            {
                alone = j == c || Math.Abs(rows[r][j]) < 1e-9;
            }
            if (alone)
            {
                result.Add(keys[c]);
            }
        }
        return result;
    }

    /// <summary>Gauss–Jordan elimination in place; the (row, column) of each pivot.</summary>
    private static List<(int Row, int Column)> Reduce(List<double[]> m, int columns)
    {
        var pivots = new List<(int, int)>();
        var r = 0;
        for (var c = 0; c < columns && r < m.Count; c++)
        {
            var best = -1;
            for (var i = r; i < m.Count; i++)
            {
                if (Math.Abs(m[i][c]) > 1e-9 && (best < 0 || Math.Abs(m[i][c]) > Math.Abs(m[best][c])))
                {
                    best = i;
                }
            }
            if (best < 0)
            {
                continue;
            }
            (m[r], m[best]) = (m[best], m[r]);
            var p = m[r][c];
            for (var j = 0; j < columns; j++)
            {
                m[r][j] /= p;
            }
            for (var i = 0; i < m.Count; i++)
            {
                if (i != r && Math.Abs(m[i][c]) > 1e-9)
                {
                    var f = m[i][c];
                    for (var j = 0; j < columns; j++)
                    {
                        m[i][j] -= f * m[r][j];
                    }
                }
            }
            pivots.Add((r, c));
            r++;
        }
        return pivots;
    }
}

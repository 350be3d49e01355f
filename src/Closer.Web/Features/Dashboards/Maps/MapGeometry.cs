using System.Text.Json;

namespace Closer.Web.Features.Dashboards.Maps;

/// <summary>A ring of an outline: longitude, latitude pairs in degrees.</summary>
public sealed record Ring(double[] Lon, double[] Lat)
{
    /// <summary>Planar area in square degrees (only compared between rings of one map).</summary>
    public double Area
    {
        get
        {
            var a = 0.0;
            for (int i = 0, j = Lon.Length - 1; i < Lon.Length; j = i++)
            {
                a += (Lon[j] + Lon[i]) * (Lat[j] - Lat[i]);
            }
            return Math.Abs(a / 2);
        }
    }
}

/// <summary>
/// The Natural Earth outlines shipped with the app (Data/geometry.json, made once by tools/maps/build-geometry.cjs; source,
/// licence and simplification in Data/README.md): the countries of the region keyed by ISO3 (the plan's 17 and Venezuela)
/// or "n" + ISO numeric (the others, drawn in grey), the centre of each plan country (small ones get a marker) and the
/// admin1 areas of the countries that have them, keyed by Closer's P-codes.
/// </summary>
public sealed class MapGeometry
{
    public required IReadOnlyDictionary<string, IReadOnlyList<Ring>> Region { get; init; }
    public required IReadOnlyDictionary<string, (double Lon, double Lat)> Centres { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<Ring>>> Admin1 { get; init; }

    private static readonly Lazy<MapGeometry> ShippedLazy = new(Load);

    /// <summary>The outlines shipped with the app, read once.</summary>
    public static MapGeometry Shipped => ShippedLazy.Value;

    private static MapGeometry Load()
    {
        using var stream = typeof(MapGeometry).Assembly.GetManifestResourceStream("Closer.Maps.geometry.json")
            ?? throw new InvalidOperationException("The map outlines (Closer.Maps.geometry.json) are not embedded.");
        return Parse(JsonDocument.Parse(stream));
    }

    internal static MapGeometry Parse(JsonDocument doc)
    {
        var root = doc.RootElement;
        static IReadOnlyList<Ring> Rings(JsonElement e, double scale) =>
            e.EnumerateArray().Select(r =>
            {
                var n = r.GetArrayLength() / 2;
                var lon = new double[n];
                var lat = new double[n];
                var i = 0;
                foreach (var v in r.EnumerateArray())
                {
                    (i % 2 == 0 ? lon : lat)[i / 2] = v.GetInt32() / scale;
                    i++;
                }
                return new Ring(lon, lat);
            }).ToList();
        var region = root.GetProperty("region").EnumerateObject().ToDictionary(p => p.Name, p => Rings(p.Value, 100), StringComparer.Ordinal);
        var centres = root.GetProperty("centres").EnumerateObject().ToDictionary(p => p.Name,
            p => (p.Value[0].GetInt32() / 100.0, p.Value[1].GetInt32() / 100.0), StringComparer.Ordinal);
        var admin1 = root.GetProperty("admin1").EnumerateObject().ToDictionary(c => c.Name,
            c => (IReadOnlyDictionary<string, IReadOnlyList<Ring>>)c.Value.EnumerateObject().ToDictionary(a => a.Name, a => Rings(a.Value, 1000), StringComparer.Ordinal),
            StringComparer.Ordinal);
        return new MapGeometry { Region = region, Centres = centres, Admin1 = admin1 };
    }
}

namespace Closer.Web.Features.Dashboards.Maps;

/// <summary>
/// Mercator, fitted to a frame in degrees and scaled to a drawing <see cref="Width"/> units wide (the height follows).
/// Mercator keeps shapes (the region spans 33° N to 56° S, where it stretches the south by at most 1.8×) and is the
/// projection readers know from web maps.
/// </summary>
public sealed class MapProjection
{
    private readonly double _x0, _y1, _scale;

    public double Width { get; }
    public double Height { get; }

    public MapProjection(double west, double south, double east, double north, double width, double padding = 0)
    {
        if (!(east > west) || !(north > south) || width <= 2 * padding)
        {
            throw new ArgumentException("The frame must have west < east, south < north and room inside the padding.");
        }
        _x0 = Rad(west);
        var x1 = Rad(east);
        var y0 = Y(south);
        _y1 = Y(north);
        _scale = (width - (2 * padding)) / (x1 - _x0);
        Padding = padding;
        Width = width;
        Height = Math.Ceiling(((_y1 - y0) * _scale) + (2 * padding));
    }

    public double Padding { get; }

    private static double Rad(double degrees) => degrees * Math.PI / 180;

    /// <summary>Mercator's northing of a latitude (clamped at ±85°, where the projection runs off to infinity).</summary>
    private static double Y(double lat) => Math.Log(Math.Tan((Math.PI / 4) + (Rad(Math.Clamp(lat, -85, 85)) / 2)));

    /// <summary>Drawing coordinates of a point: x to the right from the west edge, y down from the north edge.</summary>
    public (double X, double Y) Project(double lon, double lat) =>
        (Padding + ((Rad(lon) - _x0) * _scale), Padding + ((_y1 - Y(lat)) * _scale));

    /// <summary>The frame of a set of rings: the bounding box of those at least <paramref name="share"/> of the largest ring's area
    /// (a far-off small island — Galápagos, San Andrés — does not shrink the mainland to a corner).</summary>
    public static (double West, double South, double East, double North) Frame(IEnumerable<Ring> rings, double share = 0.05)
    {
        var list = rings.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("No rings to frame.", nameof(rings));
        }
        var largest = list.Max(r => r.Area);
        var kept = list.Where(r => r.Area >= largest * share).ToList();
        return (kept.Min(r => r.Lon.Min()), kept.Min(r => r.Lat.Min()), kept.Max(r => r.Lon.Max()), kept.Max(r => r.Lat.Max()));
    }
}

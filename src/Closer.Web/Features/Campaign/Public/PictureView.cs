namespace Closer.Web.Features.Campaign.Public;

/// <summary>What _Picture.cshtml draws: an image address (a library image /media/{id} or any local path), its alt text, the layout width.</summary>
public sealed record PictureView(string Path, string? Alt, string Sizes, bool Eager = false, string? CssClass = null);

namespace Closer.Testing;

/// <summary>The repository the tests run from (the folder holding Closer.slnx), for tests that read its files.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Closer.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Closer.slnx not found above the test binaries.");
    }
}

using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Closer.Web.Infrastructure.Data;

/// <summary>
/// Set-up that belongs to a native SQLite connection, not to each open of a pooled <see cref="SqliteConnection"/>: a
/// pooled connection keeps its pragmas and registered functions, a new one has none. <see cref="Once"/> runs an action the
/// first time it sees a native connection, marked with <c>sqlite3_set_clientdata</c> (SQLite 3.44+; the bundled library
/// is newer), so the check costs one call into SQLite per open.
/// </summary>
public static unsafe class SqliteNative
{
    /// <summary>The bundled SQLite library (SQLitePCLRaw's e_sqlite3), already loaded by Microsoft.Data.Sqlite.</summary>
    public const string Library = "e_sqlite3";

    /// <summary>Runs <paramref name="setUp"/> on this open connection unless its native connection already ran the one named <paramref name="name"/>.</summary>
    public static void Once(SqliteConnection connection, string name, Action<IntPtr> setUp)
    {
        var db = connection.Handle?.DangerousGetHandle() ?? IntPtr.Zero;
        if (db == IntPtr.Zero)
        {
            throw new InvalidOperationException("The SQLite connection is not open.");
        }
        var key = Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* marker = key)
        {
            if (sqlite3_get_clientdata(db, marker) != null)
            {
                return;
            }
            setUp(db);
            // Any non-null pointer marks the connection; SQLite owns nothing (no destructor).
            _ = sqlite3_set_clientdata(db, marker, (void*)1, IntPtr.Zero);
        }
    }

    [DllImport(Library)]
    private static extern void* sqlite3_get_clientdata(IntPtr db, byte* name);

    [DllImport(Library)]
    private static extern int sqlite3_set_clientdata(IntPtr db, byte* name, void* data, IntPtr destructor);
}

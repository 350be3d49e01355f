using System.Runtime.InteropServices;
using Closer.Web.Infrastructure.Data;
using Microsoft.Data.Sqlite;

namespace Closer.Web.Features.Search;

/// <summary>
/// An FTS5 auxiliary function, <c>closer_hits(table)</c>, that returns what a BM25 score is made of for the current row —
/// the table's row count and column totals, the row's column sizes and each phrase's hits per column — without the part
/// of FTS5's own <c>bm25()</c> that does not scale: its IDF, which counts every row of the whole table holding each phrase
/// (for a common word, hundreds of thousands of doclist entries per phrase, per query, whatever the LIMIT). The score is
/// computed in C# (<see cref="SearchScoring"/>) with the IDF estimated over the rows being ranked.
/// <para>
/// Microsoft.Data.Sqlite has no API for FTS5 extension functions, so this registers one through SQLite's C API
/// (<c>SELECT fts5(?1)</c> with a bound pointer gives the <c>fts5_api</c>; its <c>xCreateFunction</c> takes a C callback)
/// on the bundled native library, once per native connection (<see cref="SqliteNative.Once"/>: a pooled connection is not
/// registered twice and a new one always is). The callback only reads FTS5's per-row data and never
/// throws: on any failure it returns NULL, which scores 0.
/// </para>
/// </summary>
public static unsafe class Fts5Hits
{
    public const string FunctionName = "closer_hits";
    private const string Library = SqliteNative.Library;
    private const int SqliteTransient = -1;

    // Offsets in fts5_api (SQLite's fts5.h, every version since 3.9: int iVersion, then function pointers).
    private const int CreateFunctionSlot = 3; // iVersion (padded to a pointer), xCreateTokenizer, xFindTokenizer, xCreateFunction
    // Slots of Fts5ExtensionApi after iVersion: xUserData 0, xColumnCount 1, xRowCount 2, xColumnTotalSize 3, xTokenize 4,
    // xPhraseCount 5, xPhraseSize 6, xInstCount 7, xInst 8, xRowid 9, xColumnText 10, xColumnSize 11.
    private const int RowCountSlot = 2, ColumnTotalSizeSlot = 3, PhraseCountSlot = 5, InstCountSlot = 7, InstSlot = 8, ColumnSizeSlot = 11;

    /// <summary>Columns of the indexed tables (Title, Body).</summary>
    public const int Columns = 2;
    /// <summary>Longs before the phrases' hits: row count, then each column's total tokens, then the row's column sizes.</summary>
    public const int Header = 1 + 2 * Columns;
    /// <summary>Phrases counted per query (a query has at most 8 parts, each in a few forms, a prefix in up to 32 words' forms).</summary>
    public const int MaxPhrases = 512;

    /// <summary>Registers the function on this open connection's native handle unless it already has it.</summary>
    public static void EnsureRegistered(SqliteConnection connection) => SqliteNative.Once(connection, FunctionName, Register);

    private static void Register(IntPtr db)
    {
        void* api = null;
        var sql = "SELECT fts5(?1)\0"u8;
        var type = "fts5_api_ptr\0"u8;
        fixed (byte* s = sql)
        fixed (byte* t = type)
        {
            if (sqlite3_prepare_v2(db, s, -1, out var statement, IntPtr.Zero) != 0)
            {
                throw new InvalidOperationException("SQLite has no FTS5.");
            }
            try
            {
                _ = sqlite3_bind_pointer(statement, 1, &api, t, IntPtr.Zero);
                _ = sqlite3_step(statement);
            }
            finally
            {
                _ = sqlite3_finalize(statement);
            }
        }
        if (api == null)
        {
            throw new InvalidOperationException("SQLite gave no fts5_api.");
        }
        var create = (delegate* unmanaged<void*, byte*, void*, delegate* unmanaged<void*, void*, IntPtr, int, IntPtr, void>, IntPtr, int>)
            ((IntPtr*)api)[CreateFunctionSlot];
        fixed (byte* name = System.Text.Encoding.UTF8.GetBytes(FunctionName + "\0"))
        {
            if (create(api, name, null, &Hits, IntPtr.Zero) != 0)
            {
                throw new InvalidOperationException("FTS5 refused the closer_hits function.");
            }
        }
    }

    /// <summary>
    /// The row's figures as a blob of little-endian longs: the table's row count, its columns' total tokens, the row's
    /// columns' tokens, then per phrase its hits in each column (<see cref="Header"/> + phrases × <see cref="Columns"/>).
    /// </summary>
    [UnmanagedCallersOnly]
    private static void Hits(void* api, void* fts, IntPtr context, int argc, IntPtr argv)
    {
        var slots = (IntPtr*)((byte*)api + sizeof(IntPtr));
        var phrases = ((delegate* unmanaged<void*, int>)slots[PhraseCountSlot])(fts);
        if (phrases is < 0 or > MaxPhrases)
        {
            sqlite3_result_null(context);
            return;
        }
        var length = Header + phrases * Columns;
        var figures = stackalloc long[length];
        new Span<long>(figures, length).Clear();
        long value = 0;
        int size = 0, count = 0, phrase = 0, column = 0, offset = 0;
        var ok = ((delegate* unmanaged<void*, long*, int>)slots[RowCountSlot])(fts, &value) == 0;
        figures[0] = value;
        for (var c = 0; c < Columns && ok; c++)
        {
            ok = ((delegate* unmanaged<void*, int, long*, int>)slots[ColumnTotalSizeSlot])(fts, c, &value) == 0
                && ((delegate* unmanaged<void*, int, int*, int>)slots[ColumnSizeSlot])(fts, c, &size) == 0;
            figures[1 + c] = value;
            figures[1 + Columns + c] = size;
        }
        ok = ok && ((delegate* unmanaged<void*, int*, int>)slots[InstCountSlot])(fts, &count) == 0;
        var inst = (delegate* unmanaged<void*, int, int*, int*, int*, int>)slots[InstSlot];
        for (var i = 0; ok && i < count; i++)
        {
            ok = inst(fts, i, &phrase, &column, &offset) == 0;
            if (ok && phrase >= 0 && phrase < phrases && column >= 0 && column < Columns)
            {
                figures[Header + phrase * Columns + column]++;
            }
        }
        if (ok)
        {
            sqlite3_result_blob(context, figures, length * sizeof(long), SqliteTransient);
        }
        else
        {
            sqlite3_result_null(context);
        }
    }

    [DllImport(Library)]
    private static extern int sqlite3_prepare_v2(IntPtr db, byte* sql, int bytes, out IntPtr statement, IntPtr tail);

    [DllImport(Library)]
    private static extern int sqlite3_bind_pointer(IntPtr statement, int index, void* pointer, byte* type, IntPtr destructor);

    [DllImport(Library)]
    private static extern int sqlite3_step(IntPtr statement);

    [DllImport(Library)]
    private static extern int sqlite3_finalize(IntPtr statement);

    [DllImport(Library)]
    private static extern void sqlite3_result_blob(IntPtr context, void* data, int bytes, nint destructor);

    [DllImport(Library)]
    private static extern void sqlite3_result_null(IntPtr context);
}

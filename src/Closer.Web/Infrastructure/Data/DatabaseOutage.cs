using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Closer.Web.Infrastructure.Data;

/// <summary>
/// Tells a database that is away (restarting, refusing connections, busy) from a bug: the first is answered
/// with a friendly 503 and Retry-After, the second with the generic 500 page. Neither shows exception text.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>Seconds a client is asked to wait before retrying.</summary>
    public const int RetryAfterSeconds = 10;

    public static bool IsOutage(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 53300 too many connections,
                // class 08 connection exceptions.
                case PostgresException pg when pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
                    || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState == "53300":
                    return true;
                case PostgresException:
                    return false;
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                // SQLITE_BUSY and SQLITE_LOCKED: another writer held the file past the busy timeout.
                case SqliteException sqlite when sqlite.SqliteErrorCode is 5 or 6:
                    return true;
                case SocketException:
                    return true;
                case DbException db when db.IsTransient:
                    return true;
            }
        }
        return false;
    }
}

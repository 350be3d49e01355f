using System.Net.Sockets;
using Closer.Web.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Closer.Tests.Infrastructure.Data;

/// <summary>Which failures the error page answers as a 503 outage (with Retry-After) rather than a 500 bug.</summary>
public sealed class DatabaseOutageTests
{
    [Theory]
    [InlineData("57P01", true)] // admin shutdown: the server is restarting
    [InlineData("57P03", true)] // cannot connect now: still starting
    [InlineData("08006", true)] // connection failure
    [InlineData("53300", true)] // too many connections
    [InlineData("23505", false)] // unique violation: a bug or a race, not an outage
    [InlineData("42P01", false)] // undefined table: a bug
    public void PostgresErrors_AreOutagesOnlyForConnectionAndShutdownStates(string sqlState, bool outage) =>
        Assert.Equal(outage, DatabaseOutage.IsOutage(new PostgresException("m", "FATAL", "FATAL", sqlState)));

    [Fact]
    public void WrappedTransientFailures_AreOutages()
    {
        var refused = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));
        Assert.True(DatabaseOutage.IsOutage(new InvalidOperationException("wrapped by EF", refused)));
        Assert.True(DatabaseOutage.IsOutage(new SqliteException("database is locked", 5)));
    }

    [Fact]
    public void OrdinaryExceptions_AreNotOutages()
    {
        Assert.False(DatabaseOutage.IsOutage(new InvalidOperationException("a bug")));
        Assert.False(DatabaseOutage.IsOutage(new SqliteException("constraint failed", 19)));
        Assert.False(DatabaseOutage.IsOutage(null));
    }
}

using System.Reflection;
using Closer.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Closer.Tests.Security;

/// <summary>
/// Every minimal-API handler declares what it answers (<c>Results&lt;Ok&lt;T&gt;, ProblemHttpResult, ...&gt;</c>, a file or
/// text result...) instead of a bare <see cref="IResult"/>: the declared types are what fills the responses of
/// <c>/openapi/v1.json</c>, so a bare <see cref="IResult"/> is an endpoint the API document cannot describe.
/// </summary>
public sealed class TypedResultsAuditTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static bool IsBare(Type returnType) =>
        returnType == typeof(IResult)
        || (returnType.IsGenericType
            && (returnType.GetGenericTypeDefinition() == typeof(Task<>) || returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
            && returnType.GetGenericArguments()[0] == typeof(IResult));

    [Fact]
    public void NoHandler_ReturnsABareIResult()
    {
        var handlers = EndpointAuditTests.AppEndpoints(app.Services)
            .Select(e => (Endpoint: e, Method: e.Metadata.GetMetadata<MethodInfo>()))
            .Where(x => x.Method?.DeclaringType?.Assembly == typeof(Closer.Web.Infrastructure.Errors).Assembly)
            .ToList();
        // Guards the filter itself: the API's handlers are found through their MethodInfo metadata.
        Assert.True(handlers.Count > 30, $"only {handlers.Count} minimal-API handlers found");

        var bare = handlers
            .Where(x => IsBare(x.Method!.ReturnType))
            .Select(x => $"{x.Endpoint.RoutePattern.RawText} -> {x.Method!.DeclaringType!.FullName}.{x.Method.Name}")
            .ToList();
        Assert.True(bare.Count == 0, "Handlers answering a bare IResult:\n" + string.Join('\n', bare));
    }
}

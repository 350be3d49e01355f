using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.Extensions.Options;
using Microsoft.OData;

namespace Closer.Web.Features.OpenData.OData;

/// <summary>The feed's options (<c>OData</c> section).</summary>
public sealed class ODataFeedOptions
{
    public const string Section = "OData";

    /// <summary>Rows per page of server-driven paging, and the largest <c>$top</c> (default 5,000).</summary>
    public int PageSize { get; set; } = ODataFeed.DefaultPageSize;
}

/// <summary>
/// <c>[EnableQuery]</c> for the feed's actions: the page size (and largest <c>$top</c>) from <see cref="ODataFeedOptions"/>,
/// and a refused query answered with a fixed OData error — no inner error, exception type, stack trace or exception
/// message (OData's own answer carries all four). <see cref="SafeErrorSerializer"/> strips whatever error reaches the
/// OData formatter by another way.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FeedQueryAttribute : EnableQueryAttribute
{
    public FeedQueryAttribute() => MaxNodeCount = 200;

    public override void OnActionExecuting(ActionExecutingContext actionExecutingContext)
    {
        // One value per app (the attribute belongs to one app's action descriptors), so setting it on every request is
        // the same write each time.
        var size = actionExecutingContext.HttpContext.RequestServices.GetRequiredService<IOptions<ODataFeedOptions>>().Value.PageSize;
        PageSize = size;
        MaxTop = size;
        base.OnActionExecuting(actionExecutingContext);
        actionExecutingContext.Result = Safe(actionExecutingContext.Result);
    }

    public override void OnActionExecuted(ActionExecutedContext actionExecutedContext)
    {
        base.OnActionExecuted(actionExecutedContext);
        actionExecutedContext.Result = Safe(actionExecutedContext.Result);
    }

    /// <summary>OData's refusal (a SerializableError holding the exception's message, type and stack) becomes the fixed error.</summary>
    private static IActionResult? Safe(IActionResult? result) => result switch
    {
        ObjectResult { Value: SerializableError or ODataError } refused => new ObjectResult(SafeErrorSerializer.Error(refused.StatusCode ?? StatusCodes.Status400BadRequest))
        {
            StatusCode = refused.StatusCode ?? StatusCodes.Status400BadRequest,
        },
        _ => result,
    };
}

/// <summary>
/// Every OData error the feed writes: a code and a fixed message, nothing from an exception (the project's rule: no
/// exception text shown to users), in every environment.
/// </summary>
public sealed class SafeErrorSerializer : Microsoft.AspNetCore.OData.Formatter.Serialization.ODataErrorSerializer
{
    public static ODataError Error(int status) => new()
    {
        Code = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Message = status == StatusCodes.Status400BadRequest
            ? "The query is not valid. Check its options ($filter, $select, $orderby, $top, $skip, $count) against /odata/$metadata; $top is at most the page size."
            : status == StatusCodes.Status404NotFound ? "Not found." : "The request could not be answered.",
    };

    public override Task WriteObjectAsync(object graph, Type type, ODataMessageWriter messageWriter,
        Microsoft.AspNetCore.OData.Formatter.Serialization.ODataSerializerContext writeContext)
    {
        ArgumentNullException.ThrowIfNull(messageWriter);
        var status = writeContext?.Request?.HttpContext.Response.StatusCode is int s and >= 400 ? s : StatusCodes.Status500InternalServerError;
        return messageWriter.WriteErrorAsync(Error(status), includeDebugInformation: false);
    }
}

using Closer.Web.Features.Accounts;
using Closer.Web.Features.Accounts.TwoFactor;
using Closer.Web.Features.Accounts.Users;
using Closer.Web.Features.ApiTokens;
using Closer.Web.Features.Campaign;
using Closer.Web.Features.Coordination;
using Closer.Web.Features.Dashboards;
using Closer.Web.Features.Documents;
using Closer.Web.Features.Forum;
using Closer.Web.Features.Funding;
using Closer.Web.Features.Notifications;
using Closer.Web.Features.OpenData;
using Closer.Web.Features.Organisations;
using Closer.Web.Features.Search;
using Closer.Web.Features.Subscriptions;
using Closer.Web.Infrastructure;
using Closer.Web.Infrastructure.Api;
using Closer.Web.Infrastructure.Caching;
using Closer.Web.Infrastructure.Cli;
using Closer.Web.Infrastructure.Data;
using Closer.Web.Infrastructure.Email;
using Closer.Web.Infrastructure.Jobs;
using Closer.Web.Infrastructure.Localization;
using Closer.Web.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;

var builder = WebApplication.CreateBuilder(args);
// Serve wwwroot from the build output in every environment (a no-op once published).
builder.WebHost.UseStaticWebAssets();
var services = builder.Services;

services.AddSingleton(TimeProvider.System);
services.AddPublicSite(builder.Configuration, builder.Environment, serving: !Cli.IsVerb(args));
services.AddSingleton<Closer.Web.Features.Shared.CampaignIdentity>();
services.AddJobs();
services.AddCloserData(builder.Configuration);
services.AddCloserLocalization();
services.AddAccounts(builder.Configuration);
services.AddCloserSecurity(builder.Configuration);
services.AddCloserAuthorization();
services.AddCloserHealth();
services.AddDataProtection().SetApplicationName("Closer").PersistKeysToDbContext<CloserDbContext>();
services.Configure<EmailOptions>(builder.Configuration.GetSection("Email"));
services.AddSingleton<IEmailSender, MailKitEmailSender>();
services.AddProblemDetails();
// Write accented letters as they are, not as &#xF1; escapes: smaller pages in es, pt and pap.
services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
services.Configure<ForwardedHeadersOptions>(o => SecuritySetup.TrustProxies(o, builder.Configuration));
services.AddRazorPages(o =>
{
    // Pages live beside the rest of their feature.
    o.RootDirectory = "/Features";
    o.Conventions.Add(new AdminPagesConvention());
});
services.AddOrganisations();
services.AddApiTokens();
services.AddNotifications(builder.Configuration);
services.AddDocuments();
services.AddCoordination();
services.AddCampaign(builder.Configuration);
services.AddForum(builder.Configuration);
services.AddSubscriptions(builder.Configuration);
services.AddFunding();
services.AddOpenData();
services.AddDashboards();
services.AddSearch(builder.Configuration);
// Last: replaces the output-cache store the features' AddOutputCache registered.
services.AddCloserCaching();

var app = builder.Build();

if (Cli.IsVerb(args))
{
    return await Cli.RunAsync(app.Services, args, Console.In, Console.Out, Console.Error);
}

await DatabaseSetup.MigrateAsync(app.Services);
await Seeding.EnsureSeededAsync(app.Services, demo: app.Configuration.GetValue("DemoData:Enabled", app.Environment.IsDevelopment()));

app.UseForwardedHeaders();
app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}
// Unexpected exceptions: a generic, localized page or problem; their text never reaches a user.
app.UseExceptionHandler("/errors/500");
app.UseStatusCodePagesWithReExecute("/errors/{0}");
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UseCloserLanguage();
app.UseAuthorization();
// Undeclared query parameters of /api/v1 GETs are a 400 (the OpenAPI operation is the contract).
app.UseApiContract();
app.UseTwoFactorRequirement();
app.UseOfflineMarks();
app.UseOutputCache();
app.UseApiAntiforgery();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapCloserHealth();
// GET and HEAD: monitors and link checkers ask with HEAD.
app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], (HttpContext ctx) =>
{
    ctx.Response.Headers.Vary = "Accept-Language";
    ctx.Response.Headers.CacheControl = "private, no-cache";
    return TypedResults.Redirect($"/{Languages.Negotiate(ctx.Request.Headers.AcceptLanguage)}/");
}).AllowAnonymous();
app.MapRazorPages().WithStaticAssets();
app.MapOrganisationsApi();
app.MapApiTokensApi();
app.MapUsersApi();
app.MapDocumentsApi();
app.MapCoordinationApi();
app.MapCampaignApi();
app.MapForumApi();
app.MapFundingApi();
app.MapOpenDataApi();
app.MapDashboardsApi();
app.MapSearchApi();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;

namespace Closer.Web.Features.Accounts.Users;

/// <summary>The model of <c>_ScopeFields</c>: what is offered and what is chosen.</summary>
public sealed record ScopeFields(UserFormOptions Options, IReadOnlyCollection<string> Roles, string? Organisation, IReadOnlyCollection<string> Countries);

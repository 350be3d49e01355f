using Closer.Web.Infrastructure;

namespace Closer.Web.Features.Forum;

/// <summary>A value or an expected failure.</summary>
public readonly record struct Outcome<T>(T? Value, Error? Error)
{
    public bool Ok => Error is null;
    public static implicit operator Outcome<T>(Error error) => new(default, error);
}

public static class Outcome
{
    public static Outcome<T> Of<T>(T value) => new(value, null);
}

namespace Closer.Web.Infrastructure;

/// <summary>
/// A value or an expected failure (an <see cref="Error"/>), returned instead of thrown. Either side converts implicitly,
/// so an operation writes <c>return thread;</c> or <c>return new NotFoundError(...)</c>; callers test <see cref="Ok"/> or
/// <see cref="Error"/>, or deconstruct: <c>var (doc, error) = await documents.CreateAsync(...)</c>.
/// </summary>
public readonly struct Result<T>
{
    public T? Value { get; }
    public Error? Error { get; }
    public bool Ok => Error is null;

    private Result(T? value, Error? error) => (Value, Error) = (value, error);

    public static implicit operator Result<T>(T value) => new(value, null);

    /// <summary>A value; also for values of an interface type, which C# does not convert implicitly.</summary>
    public Result(T value) : this(value, null)
    {
    }
    public static implicit operator Result<T>(Error error) => new(default, error);

    public void Deconstruct(out T? value, out Error? error) => (value, error) = (Value, Error);
}

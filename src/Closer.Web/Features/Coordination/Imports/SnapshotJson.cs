using System.Buffers;
using System.Text.Json;

namespace Closer.Web.Features.Coordination.Imports;

/// <summary>
/// The revision snapshot and the audit diff of a new report as JSON, written straight from its fields: the same JSON as
/// <see cref="ReportRows.Snapshot"/> and <see cref="AuditLog.Diff"/> serialized, without a dictionary per row.
/// </summary>
internal sealed class SnapshotJson : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public SnapshotJson() => _writer = new Utf8JsonWriter(_buffer);

    public void Dispose() => _writer.Dispose();

    private static string N(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string Done()
    {
        _writer.Flush();
        var text = System.Text.Encoding.UTF8.GetString(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        return text;
    }

    public string Snapshot(ActivityReport r)
    {
        var w = _writer;
        w.WriteStartObject();
        w.WriteString("partner", r.ImplementingPartner.Length == 0 ? null : r.ImplementingPartner);
        w.WriteString("girls", N(r.Girls));
        w.WriteString("boys", N(r.Boys));
        w.WriteString("women", N(r.Women));
        w.WriteString("men", N(r.Men));
        w.WriteString("other", N(r.Other));
        w.WriteString("total", N(r.Total));
        w.WriteString("todate", r.ReachedToDate is { } d ? N(d) : null);
        w.WriteString("cash", r.IsCash ? "yes" : "no");
        w.WriteString("cashusd", r.CashUsd is { } u ? N(u) : null);
        w.WriteString("status", r.Status.ToString());
        w.WriteString("returnReason", r.ReturnReason);
        w.WriteNull("deleted");
        w.WriteEndObject();
        return Done();
    }

    /// <summary>Field → [null, new] for every field a new report has.</summary>
    public string CreateDiff(ActivityReport r)
    {
        var w = _writer;
        w.WriteStartObject();
        Field("partner", r.ImplementingPartner.Length == 0 ? null : r.ImplementingPartner);
        Field("girls", N(r.Girls));
        Field("boys", N(r.Boys));
        Field("women", N(r.Women));
        Field("men", N(r.Men));
        Field("other", N(r.Other));
        Field("total", N(r.Total));
        Field("todate", r.ReachedToDate is { } d ? N(d) : null);
        Field("cash", r.IsCash ? "yes" : "no");
        Field("cashusd", r.CashUsd is { } u ? N(u) : null);
        Field("status", r.Status.ToString());
        Field("returnReason", r.ReturnReason);
        w.WriteEndObject();
        return Done();
    }

    private void Field(string name, string? value)
    {
        if (value is not null)
        {
            _writer.WriteStartArray(name);
            _writer.WriteNullValue();
            _writer.WriteStringValue(value);
            _writer.WriteEndArray();
        }
    }
}

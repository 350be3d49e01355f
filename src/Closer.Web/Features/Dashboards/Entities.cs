using Closer.Web.Features.Coordination;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Dashboards;

/// <summary>
/// Pre-aggregated 5W data, one row per plan year × country × indicator × month × population group × organisation ×
/// status: the raw reports summed over admin1 areas. Kept up to date by <see cref="ResponseAggregates"/> in the same
/// transaction as every change to reports. <see cref="Reached"/> is the month's figure of the README's definition:
/// the sum over admin1 of the de-duplicated to-date figure when given, else the month's total.
/// </summary>
public sealed class ResponseMonth : IReportScoped
{
    public int Year { get; set; }
    public required string CountryIso3 { get; set; }
    public required string SectorCode { get; set; }
    public required string IndicatorCode { get; set; }
    /// <summary>YYYY-MM.</summary>
    public required string Month { get; set; }
    public required string PopulationGroup { get; set; }
    public int OrganisationId { get; set; }
    public ReportStatus Status { get; set; }
    /// <summary>Whether the indicator counts people (items and USD are not summed with people).</summary>
    public bool IsPeople { get; set; }
    public int Reports { get; set; }
    public long Girls { get; set; }
    public long Boys { get; set; }
    public long Women { get; set; }
    public long Men { get; set; }
    public long Other { get; set; }
    /// <summary>People counted in the month (sum of totals); never added across months for "to date".</summary>
    public long Total { get; set; }
    /// <summary>Σ over admin1 of (reached to date ?? total).</summary>
    public long Reached { get; set; }
}

/// <summary>
/// One series of a plan year: organisation × country × indicator × population group, with the year's reached figure
/// (the maximum over months of the monthly <see cref="ResponseMonth.Reached"/>), for validated reports only and for
/// every non-deleted report. The public dashboard reads this small table.
/// </summary>
public sealed class ResponseYear
{
    public int Year { get; set; }
    public required string CountryIso3 { get; set; }
    public required string SectorCode { get; set; }
    public required string IndicatorCode { get; set; }
    public required string PopulationGroup { get; set; }
    public int OrganisationId { get; set; }
    public bool IsPeople { get; set; }
    public long ReachedValidated { get; set; }
    public int ReportsValidated { get; set; }
    public long ReachedAll { get; set; }
    public int ReportsAll { get; set; }
    /// <summary>The series' latest month with a validated report (YYYY-MM; null when none): the "as of" of its figure.</summary>
    public string? LastMonthValidated { get; set; }
}

/// <summary>
/// Validated totals of a plan year per country × sector, summed from <see cref="ResponseYears"/>: people reached
/// (people-unit indicators) and partner organisations. The public response query reads only this table.
/// </summary>
public sealed class ResponseTotal
{
    public int Year { get; set; }
    public required string CountryIso3 { get; set; }
    public required string SectorCode { get; set; }
    public long ReachedValidated { get; set; }
    public int PartnersValidated { get; set; }
    /// <summary>The latest month with a validated people-unit report (YYYY-MM; null when none): when the reached figure is "as of".</summary>
    public string? LastMonthValidated { get; set; }
}

/// <summary>
/// An organisation's validated figures in a country × sector "to date" at a month of a plan year (January to that month):
/// Σ over its series of their best month among those months (the dashboards' rule, people-unit indicators), one row per
/// month from the first validated report on. The situation reports read one month's rows instead of the months.
/// </summary>
public sealed class ResponseToDate
{
    public int Year { get; set; }
    /// <summary>YYYY-MM: the figures are those of January to this month.</summary>
    public required string Month { get; set; }
    public required string CountryIso3 { get; set; }
    public required string SectorCode { get; set; }
    public int OrganisationId { get; set; }
    /// <summary>How many of the organisation's series here count people (none: the cell has no reached figure).</summary>
    public int PeopleSeries { get; set; }
    public long Reached { get; set; }
    /// <summary>Validated reports in this month itself (not to date).</summary>
    public int ReportsInMonth { get; set; }
}

/// <summary>
/// The same per admin1 area, from the raw reports (the other aggregates sum admin1 out): Σ over the organisation's series
/// in the area and sector of the best report row among January to the month (reached to date, else the month's total;
/// 0 for indicators not counted in people). A row means the organisation has validated reports there by that month.
/// The country maps read one month's rows of a country.
/// </summary>
public sealed class ResponseAreaToDate
{
    public int Year { get; set; }
    public required string Month { get; set; }
    public required string CountryIso3 { get; set; }
    public required string Admin1PCode { get; set; }
    public required string SectorCode { get; set; }
    public int OrganisationId { get; set; }
    public long Reached { get; set; }
}

/// <summary>One row whose lock (taken by every aggregate refresh) makes refreshes take turns; its counter is not read.</summary>
public sealed class DashboardStamp
{
    public int Id { get; set; }
    public long Version { get; set; }
}

internal sealed class ResponseMonthConfiguration : IEntityTypeConfiguration<ResponseMonth>
{
    public void Configure(EntityTypeBuilder<ResponseMonth> b)
    {
        b.HasKey(m => new { m.Year, m.CountryIso3, m.IndicatorCode, m.Month, m.PopulationGroup, m.OrganisationId, m.Status });
        b.Property(m => m.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.Property(m => m.SectorCode).HasMaxLength(12);
        b.Property(m => m.IndicatorCode).HasMaxLength(20);
        b.Property(m => m.Month).HasMaxLength(7);
        b.Property(m => m.PopulationGroup).HasMaxLength(20);
        b.Property(m => m.Status).HasConversion<string>().HasMaxLength(12);
        // The unit of recomputation (year × organisation × country).
        b.HasIndex(m => new { m.OrganisationId, m.CountryIso3, m.Year });
    }
}

internal sealed class ResponseYearConfiguration : IEntityTypeConfiguration<ResponseYear>
{
    public void Configure(EntityTypeBuilder<ResponseYear> b)
    {
        b.HasKey(y => new { y.Year, y.CountryIso3, y.IndicatorCode, y.PopulationGroup, y.OrganisationId });
        b.Property(y => y.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.Property(y => y.SectorCode).HasMaxLength(12);
        b.Property(y => y.IndicatorCode).HasMaxLength(20);
        b.Property(y => y.PopulationGroup).HasMaxLength(20);
        b.Property(y => y.LastMonthValidated).HasMaxLength(7);
        b.HasIndex(y => new { y.OrganisationId, y.CountryIso3, y.Year });
        // Covers the public query: reached by country × sector of a year.
        b.HasIndex(y => new { y.Year, y.IsPeople, y.CountryIso3, y.SectorCode, y.ReachedValidated, y.ReportsValidated, y.OrganisationId });
    }
}

internal sealed class ResponseTotalConfiguration : IEntityTypeConfiguration<ResponseTotal>
{
    public void Configure(EntityTypeBuilder<ResponseTotal> b)
    {
        b.HasKey(t => new { t.Year, t.CountryIso3, t.SectorCode });
        b.Property(t => t.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.Property(t => t.SectorCode).HasMaxLength(12);
        b.Property(t => t.LastMonthValidated).HasMaxLength(7);
    }
}

internal sealed class ResponseToDateConfiguration : IEntityTypeConfiguration<ResponseToDate>
{
    public void Configure(EntityTypeBuilder<ResponseToDate> b)
    {
        b.HasKey(t => new { t.Year, t.Month, t.CountryIso3, t.SectorCode, t.OrganisationId });
        b.Property(t => t.Month).HasMaxLength(7);
        b.Property(t => t.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.Property(t => t.SectorCode).HasMaxLength(12);
        b.HasIndex(t => new { t.OrganisationId, t.CountryIso3, t.Year });
    }
}

internal sealed class ResponseAreaToDateConfiguration : IEntityTypeConfiguration<ResponseAreaToDate>
{
    public void Configure(EntityTypeBuilder<ResponseAreaToDate> b)
    {
        b.HasKey(t => new { t.Year, t.Month, t.CountryIso3, t.Admin1PCode, t.SectorCode, t.OrganisationId });
        b.Property(t => t.Month).HasMaxLength(7);
        b.Property(t => t.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.Property(t => t.Admin1PCode).HasMaxLength(12);
        b.Property(t => t.SectorCode).HasMaxLength(12);
        b.HasIndex(t => new { t.OrganisationId, t.CountryIso3, t.Year });
    }
}

internal sealed class DashboardStampConfiguration : IEntityTypeConfiguration<DashboardStamp>
{
    public void Configure(EntityTypeBuilder<DashboardStamp> b)
    {
        b.Property(s => s.Id).ValueGeneratedNever();
        b.HasData(new DashboardStamp { Id = 1, Version = 0 });
    }
}

using Closer.Web.Features.Geography;
using Closer.Web.Features.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closer.Web.Features.Coordination;

public enum IndicatorUnit
{
    People,
    Items,
    Usd,
}

public enum ReportStatus
{
    Draft,
    Submitted,
    Validated,
    Returned,
}

/// <summary>The five population groups of 5W reporting; the code is what spreadsheets carry.</summary>
public static class PopulationGroups
{
    public const string InDestination = "destination";
    public const string InTransit = "transit";
    public const string Pendular = "pendular";
    public const string Returnees = "returnees";
    public const string HostCommunity = "host";

    public static IReadOnlyList<string> All { get; } = [InDestination, InTransit, Pendular, Returnees, HostCommunity];

    /// <summary>The English label (a UI-string key).</summary>
    public static string Label(string code) => code switch
    {
        InDestination => "In destination",
        InTransit => "In transit",
        Pendular => "Pendular",
        Returnees => "Returnees",
        HostCommunity => "Host community",
        _ => code,
    };
}

/// <summary>A sector (or Protection sub-sector) of the response plan.</summary>
public sealed class Sector
{
    /// <summary>Short code used in spreadsheets, e.g. EDU, PRO, PRO-CP.</summary>
    public required string Code { get; set; }
    public required string NameEn { get; set; }
    public required string NameEs { get; set; }
    public required string NamePt { get; set; }
    public required string NamePap { get; set; }
    public string? ParentCode { get; set; }
    public int SortOrder { get; set; }

    public string Name(string language) => language switch { "es" => NameEs, "pt" => NamePt, "pap" => NamePap, _ => NameEn };
}

/// <summary>A plan year: the regional response plan with its totals.</summary>
public sealed class ResponsePlan
{
    public int Year { get; set; }
    public long RequirementUsd { get; set; }
    public long PeopleInNeed { get; set; }
    public long PeopleTargeted { get; set; }
    public int Partners { get; set; }
    public string? Source { get; set; }
}

/// <summary>One sector's share of a plan year.</summary>
public sealed class SectorPlan
{
    public int Id { get; set; }
    public int Year { get; set; }
    public required string SectorCode { get; set; }
    public long PeopleInNeed { get; set; }
    public long PeopleTargeted { get; set; }
    public long RequirementUsd { get; set; }
    public int Partners { get; set; }
}

/// <summary>An indicator partners report against.</summary>
public sealed class Indicator
{
    /// <summary>e.g. EDU-01.</summary>
    public required string Code { get; set; }
    public required string SectorCode { get; set; }
    public required string NameEn { get; set; }
    public required string NameEs { get; set; }
    public required string NamePt { get; set; }
    public required string NamePap { get; set; }
    public IndicatorUnit Unit { get; set; }

    public string Name(string language) => language switch { "es" => NameEs, "pt" => NamePt, "pap" => NamePap, _ => NameEn };
}

/// <summary>A target of a plan year for one country × indicator × population group, with the people in need.</summary>
public sealed class PlanTarget
{
    public int Id { get; set; }
    public int Year { get; set; }
    public required string CountryIso3 { get; set; }
    public required string IndicatorCode { get; set; }
    public required string PopulationGroup { get; set; }
    public long Target { get; set; }
    public long PeopleInNeed { get; set; }
    public long RequirementUsd { get; set; }
    /// <summary>Where the figures come from (a plan document, or "Demo: …" with its basis).</summary>
    public string? Source { get; set; }
    public DateTimeOffset? SetAt { get; set; }
}

/// <summary>A reporting month of a plan year with its deadline.</summary>
public sealed class ReportingPeriod
{
    /// <summary>YYYY-MM.</summary>
    public required string Month { get; set; }
    public int Year { get; set; }
    public DateOnly Deadline { get; set; }
}

/// <summary>A country's month closed by a coordinator: no report of it changes until it is unlocked.</summary>
public sealed class PeriodLock
{
    public required string CountryIso3 { get; set; }
    public required string Month { get; set; }
    public DateTimeOffset LockedAt { get; set; }
    public string? LockedBy { get; set; }
}

/// <summary>
/// One 5W row: organisation × country × admin1 × indicator × month × population group.
/// People are counted per month; <see cref="ReachedToDate"/> is the partner's de-duplicated figure, never a sum.
/// </summary>
/// <summary>A report, or an aggregate of reports: what the visibility rule (<see cref="Reports.ReportQueries.VisibleTo{T}"/>) looks at.</summary>
public interface IReportScoped
{
    int OrganisationId { get; }
    string CountryIso3 { get; }
    ReportStatus Status { get; }
}

public sealed class ActivityReport : IReportScoped
{
    public int Id { get; set; }
    public int OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public required string CountryIso3 { get; set; }
    /// <summary>The admin1 P-code; empty when the country has no admin1 areas on record.</summary>
    public required string Admin1PCode { get; set; }
    public required string IndicatorCode { get; set; }
    public required string Month { get; set; }
    public required string PopulationGroup { get; set; }
    /// <summary>
    /// The implementing partner named on the report, part of its key: two partners of one organisation for the same activity,
    /// place, month and group are two reports. Empty (never null) when none is named, so "no partner" is one key value on both
    /// providers (a unique index treats NULLs as distinct on SQLite and on PostgreSQL before NULLS NOT DISTINCT).
    /// </summary>
    public string ImplementingPartner { get; set; } = "";
    public long Girls { get; set; }
    public long Boys { get; set; }
    public long Women { get; set; }
    public long Men { get; set; }
    public long Other { get; set; }
    public long Total { get; set; }
    public long? ReachedToDate { get; set; }
    public bool IsCash { get; set; }
    /// <summary>USD value of cash-based assistance, whole dollars.</summary>
    public long? CashUsd { get; set; }
    public ReportStatus Status { get; set; }
    public string? ReturnReason { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public bool IsDemo { get; set; }
    /// <summary>
    /// The KoboToolbox/ODK submission this report came from (its <c>_uuid</c>), unique per organisation: re-importing
    /// an export, or pulling it again, updates the report instead of adding another.
    /// </summary>
    public string? SourceUuid { get; set; }
    /// <summary>
    /// The id a device made for the report while offline (UUID v7), unique per organisation: the same report synced twice
    /// is found by it and stored once. Null for reports made online, by import or by API without one.
    /// </summary>
    public Guid? DeviceId { get; set; }

    /// <summary>The key as the audit log names the report (cut to the log's 200 characters: a long partner name ends it).</summary>
    public string NaturalKey(string orgAcronym)
    {
        var key = ImplementingPartner.Length == 0
            ? string.Join('|', orgAcronym, CountryIso3, Admin1PCode, IndicatorCode, Month, PopulationGroup)
            : string.Join('|', orgAcronym, CountryIso3, Admin1PCode, IndicatorCode, Month, PopulationGroup, ImplementingPartner);
        return key.Length > 200 ? key[..200] : key;
    }
}

/// <summary>A report as it was after one change (a JSON snapshot), so an admin can see any version.</summary>
public sealed class ReportRevision
{
    public long Id { get; set; }
    public int ReportId { get; set; }
    public ActivityReport? Report { get; set; }
    public int Version { get; set; }
    public required string Snapshot { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public string? ChangedBy { get; set; }
}

/// <summary>Who changed what on coordination data, and when (old → new as JSON).</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string? UserId { get; set; }
    public string? UserEmail { get; set; }
    /// <summary>create, update, delete, submit, validate, return, lock, unlock, import.</summary>
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public required string EntityKey { get; set; }
    public string? CountryIso3 { get; set; }
    public int? OrganisationId { get; set; }
    /// <summary>JSON object: field → [old, new].</summary>
    public string? Changes { get; set; }
}

internal sealed class SectorConfiguration : IEntityTypeConfiguration<Sector>
{
    public void Configure(EntityTypeBuilder<Sector> b)
    {
        b.HasKey(s => s.Code);
        b.Property(s => s.Code).HasMaxLength(12);
        b.Property(s => s.NameEn).HasMaxLength(100);
        b.Property(s => s.NameEs).HasMaxLength(100);
        b.Property(s => s.NamePt).HasMaxLength(100);
        b.Property(s => s.NamePap).HasMaxLength(100);
        b.Property(s => s.ParentCode).HasMaxLength(12);
        b.HasOne<Sector>().WithMany().HasForeignKey(s => s.ParentCode).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ResponsePlanConfiguration : IEntityTypeConfiguration<ResponsePlan>
{
    public void Configure(EntityTypeBuilder<ResponsePlan> b)
    {
        b.HasKey(p => p.Year);
        b.Property(p => p.Year).ValueGeneratedNever();
        b.Property(p => p.Source).HasMaxLength(300);
    }
}

internal sealed class SectorPlanConfiguration : IEntityTypeConfiguration<SectorPlan>
{
    public void Configure(EntityTypeBuilder<SectorPlan> b)
    {
        b.Property(p => p.SectorCode).HasMaxLength(12);
        b.HasIndex(p => new { p.Year, p.SectorCode }).IsUnique();
        b.HasOne<ResponsePlan>().WithMany().HasForeignKey(p => p.Year).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Sector>().WithMany().HasForeignKey(p => p.SectorCode).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IndicatorConfiguration : IEntityTypeConfiguration<Indicator>
{
    public void Configure(EntityTypeBuilder<Indicator> b)
    {
        b.HasKey(i => i.Code);
        b.Property(i => i.Code).HasMaxLength(20);
        b.Property(i => i.SectorCode).HasMaxLength(12);
        b.Property(i => i.NameEn).HasMaxLength(300);
        b.Property(i => i.NameEs).HasMaxLength(300);
        b.Property(i => i.NamePt).HasMaxLength(300);
        b.Property(i => i.NamePap).HasMaxLength(300);
        b.Property(i => i.Unit).HasConversion<string>().HasMaxLength(10);
        b.HasOne<Sector>().WithMany().HasForeignKey(i => i.SectorCode).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PlanTargetConfiguration : IEntityTypeConfiguration<PlanTarget>
{
    public void Configure(EntityTypeBuilder<PlanTarget> b)
    {
        b.Property(t => t.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.Property(t => t.IndicatorCode).HasMaxLength(20);
        b.Property(t => t.PopulationGroup).HasMaxLength(20);
        b.Property(t => t.Source).HasMaxLength(300);
        b.HasIndex(t => new { t.Year, t.CountryIso3, t.IndicatorCode, t.PopulationGroup }).IsUnique();
        b.HasOne<ResponsePlan>().WithMany().HasForeignKey(t => t.Year).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Country>().WithMany().HasForeignKey(t => t.CountryIso3).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Indicator>().WithMany().HasForeignKey(t => t.IndicatorCode).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ReportingPeriodConfiguration : IEntityTypeConfiguration<ReportingPeriod>
{
    public void Configure(EntityTypeBuilder<ReportingPeriod> b)
    {
        b.HasKey(p => p.Month);
        b.Property(p => p.Month).HasMaxLength(7);
        b.HasOne<ResponsePlan>().WithMany().HasForeignKey(p => p.Year).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PeriodLockConfiguration : IEntityTypeConfiguration<PeriodLock>
{
    public void Configure(EntityTypeBuilder<PeriodLock> b)
    {
        b.HasKey(l => new { l.CountryIso3, l.Month });
        b.Property(l => l.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.Property(l => l.Month).HasMaxLength(7);
        b.Property(l => l.LockedBy).HasMaxLength(256);
    }
}

internal sealed class ActivityReportConfiguration : IEntityTypeConfiguration<ActivityReport>
{
    public void Configure(EntityTypeBuilder<ActivityReport> b)
    {
        b.Property(r => r.CountryIso3).HasMaxLength(3).IsFixedLength();
        b.Property(r => r.Admin1PCode).HasMaxLength(12);
        b.Property(r => r.IndicatorCode).HasMaxLength(20);
        b.Property(r => r.Month).HasMaxLength(7);
        b.Property(r => r.PopulationGroup).HasMaxLength(20);
        b.Property(r => r.ImplementingPartner).HasMaxLength(200).HasDefaultValue("");
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(12);
        b.Property(r => r.ReturnReason).HasMaxLength(1000);
        b.HasOne(r => r.Organisation).WithMany().HasForeignKey(r => r.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Country>().WithMany().HasForeignKey(r => r.CountryIso3).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Indicator>().WithMany().HasForeignKey(r => r.IndicatorCode).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.OrganisationId, r.CountryIso3, r.Admin1PCode, r.IndicatorCode, r.Month, r.PopulationGroup, r.ImplementingPartner }).IsUnique();
        b.HasIndex(r => new { r.CountryIso3, r.Month, r.Status });
        b.Property(r => r.SourceUuid).HasMaxLength(64);
        b.HasIndex(r => new { r.OrganisationId, r.SourceUuid }).IsUnique();
        // NULLs are distinct in a unique index on both providers: only device-made reports take part.
        b.HasIndex(r => new { r.OrganisationId, r.DeviceId }).IsUnique();
    }
}

internal sealed class ReportRevisionConfiguration : IEntityTypeConfiguration<ReportRevision>
{
    public void Configure(EntityTypeBuilder<ReportRevision> b)
    {
        b.HasOne(r => r.Report).WithMany().HasForeignKey(r => r.ReportId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => new { r.ReportId, r.Version });
        b.Property(r => r.ChangedBy).HasMaxLength(256);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(a => a.UserId).HasMaxLength(64);
        b.Property(a => a.UserEmail).HasMaxLength(256);
        b.Property(a => a.Action).HasMaxLength(20);
        b.Property(a => a.EntityType).HasMaxLength(40);
        b.Property(a => a.EntityKey).HasMaxLength(200);
        b.Property(a => a.CountryIso3).HasMaxLength(3);
        b.HasIndex(a => a.At);
        b.HasIndex(a => new { a.EntityType, a.EntityKey });
    }
}

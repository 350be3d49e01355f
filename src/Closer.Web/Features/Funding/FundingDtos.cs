namespace Closer.Web.Features.Funding;

public sealed record ContributionDto(
    int Id, int Year, string Donor, string? DonorType, string Recipient, string? Country, string? Sector, decimal AmountUsd, string Status,
    string Date, string? Reference, int Version, bool Deleted, bool IsDemo);

public sealed record ContributionPage(IReadOnlyList<ContributionDto> Items, int Page, int PageSize, int Total);
/// <summary>What an API import answers: <c>{"imported":n,"updated":n}</c>.</summary>
public sealed record ImportCounts(int Imported, int Updated);

public sealed record ContributionInput(
    int? Year, string? Donor, string? DonorType, string? Recipient, string? Country, string? Sector, decimal? AmountUsd, string? Status,
    string? Date, string? Reference);

public sealed record ContributionRevisionDto(int Version, DateTimeOffset ChangedAt, string? ChangedBy, string Snapshot);

public sealed record CoverageLineDto(string? Country, string? Sector, string Name, decimal RequirementUsd, decimal ReceivedUsd, decimal PaidUsd,
    decimal CommittedUsd, decimal PledgedUsd, decimal? CoveragePct);

public sealed record CoverageDto(int Year, string Currency, string Definition, CoverageLineDto Total, IReadOnlyList<CoverageLineDto> Countries,
    IReadOnlyList<CoverageLineDto> Sectors, IReadOnlyList<CoverageLineDto> Cells, bool Demo);

public sealed record DonorDto(string Donor, string? DonorType, decimal ReceivedUsd, decimal PaidUsd, decimal CommittedUsd, decimal PledgedUsd, int Contributions);

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DashboardsFundingSubscriptionsImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Contributions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Donor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DonorType = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    RecipientOrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    CountryIso3 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: true),
                    SectorCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true),
                    AmountCents = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DeletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    IsDemo = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Contributions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Contributions_Countries_CountryIso3",
                        column: x => x.CountryIso3,
                        principalTable: "Countries",
                        principalColumn: "Iso3",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Contributions_Organisations_RecipientOrganisationId",
                        column: x => x.RecipientOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Contributions_ResponsePlans_Year",
                        column: x => x.Year,
                        principalTable: "ResponsePlans",
                        principalColumn: "Year",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Contributions_Sectors_SectorCode",
                        column: x => x.SectorCode,
                        principalTable: "Sectors",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DashboardStamps",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DashboardStamps", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DataStamps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Dataset = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataStamps", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ImportJobs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: true),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UserEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Roles = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: true),
                    Countries = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    TotalRows = table.Column<int>(type: "INTEGER", nullable: true),
                    ProcessedRows = table.Column<int>(type: "INTEGER", nullable: false),
                    Imported = table.Column<int>(type: "INTEGER", nullable: false),
                    Updated = table.Column<int>(type: "INTEGER", nullable: false),
                    Unchanged = table.Column<int>(type: "INTEGER", nullable: false),
                    ErrorCode = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    ErrorMessage = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Errors = table.Column<string>(type: "TEXT", nullable: true),
                    ErrorCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    ClaimToken = table.Column<Guid>(type: "TEXT", nullable: true),
                    ClaimedUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportJobs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ResponseMonths",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    CountryIso3 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    IndicatorCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    PopulationGroup = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    SectorCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    IsPeople = table.Column<bool>(type: "INTEGER", nullable: false),
                    Reports = table.Column<int>(type: "INTEGER", nullable: false),
                    Girls = table.Column<long>(type: "INTEGER", nullable: false),
                    Boys = table.Column<long>(type: "INTEGER", nullable: false),
                    Women = table.Column<long>(type: "INTEGER", nullable: false),
                    Men = table.Column<long>(type: "INTEGER", nullable: false),
                    Other = table.Column<long>(type: "INTEGER", nullable: false),
                    Total = table.Column<long>(type: "INTEGER", nullable: false),
                    Reached = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResponseMonths", x => new { x.Year, x.CountryIso3, x.IndicatorCode, x.Month, x.PopulationGroup, x.OrganisationId, x.Status });
                });

            migrationBuilder.CreateTable(
                name: "ResponseTotals",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    CountryIso3 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    SectorCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    ReachedValidated = table.Column<long>(type: "INTEGER", nullable: false),
                    PartnersValidated = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResponseTotals", x => new { x.Year, x.CountryIso3, x.SectorCode });
                });

            migrationBuilder.CreateTable(
                name: "ResponseYears",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    CountryIso3 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    IndicatorCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PopulationGroup = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    SectorCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    IsPeople = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReachedValidated = table.Column<long>(type: "INTEGER", nullable: false),
                    ReportsValidated = table.Column<int>(type: "INTEGER", nullable: false),
                    ReachedAll = table.Column<long>(type: "INTEGER", nullable: false),
                    ReportsAll = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResponseYears", x => new { x.Year, x.CountryIso3, x.IndicatorCode, x.PopulationGroup, x.OrganisationId });
                });

            migrationBuilder.CreateTable(
                name: "SubscriptionFollows",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubscriptionFollows", x => new { x.UserId, x.Kind, x.Key });
                    table.ForeignKey(
                        name: "FK_SubscriptionFollows_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SubscriptionSettings",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Frequency = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 5, nullable: true),
                    RemindersOff = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubscriptionSettings", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_SubscriptionSettings_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ContributionRevisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ContributionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Snapshot = table.Column<string>(type: "TEXT", nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContributionRevisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ContributionRevisions_Contributions_ContributionId",
                        column: x => x.ContributionId,
                        principalTable: "Contributions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "DashboardStamps",
                columns: new[] { "Id", "Version" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_ContributionRevisions_ContributionId_Version",
                table: "ContributionRevisions",
                columns: new[] { "ContributionId", "Version" });

            migrationBuilder.CreateIndex(
                name: "IX_Contributions_CountryIso3",
                table: "Contributions",
                column: "CountryIso3");

            migrationBuilder.CreateIndex(
                name: "IX_Contributions_RecipientOrganisationId",
                table: "Contributions",
                column: "RecipientOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_Contributions_SectorCode",
                table: "Contributions",
                column: "SectorCode");

            migrationBuilder.CreateIndex(
                name: "IX_Contributions_Year_CountryIso3_SectorCode",
                table: "Contributions",
                columns: new[] { "Year", "CountryIso3", "SectorCode" });

            migrationBuilder.CreateIndex(
                name: "IX_DataStamps_Dataset_ChangedAt",
                table: "DataStamps",
                columns: new[] { "Dataset", "ChangedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportJobs_Status_ClaimedUntil",
                table: "ImportJobs",
                columns: new[] { "Status", "ClaimedUntil" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportJobs_UserId",
                table: "ImportJobs",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_ResponseMonths_OrganisationId_CountryIso3_Year",
                table: "ResponseMonths",
                columns: new[] { "OrganisationId", "CountryIso3", "Year" });

            migrationBuilder.CreateIndex(
                name: "IX_ResponseYears_OrganisationId_CountryIso3_Year",
                table: "ResponseYears",
                columns: new[] { "OrganisationId", "CountryIso3", "Year" });

            migrationBuilder.CreateIndex(
                name: "IX_ResponseYears_Year_IsPeople_CountryIso3_SectorCode_ReachedValidated_ReportsValidated_OrganisationId",
                table: "ResponseYears",
                columns: new[] { "Year", "IsPeople", "CountryIso3", "SectorCode", "ReachedValidated", "ReportsValidated", "OrganisationId" });

            migrationBuilder.CreateIndex(
                name: "IX_SubscriptionSettings_Frequency",
                table: "SubscriptionSettings",
                column: "Frequency");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ContributionRevisions");

            migrationBuilder.DropTable(
                name: "DashboardStamps");

            migrationBuilder.DropTable(
                name: "DataStamps");

            migrationBuilder.DropTable(
                name: "ImportJobs");

            migrationBuilder.DropTable(
                name: "ResponseMonths");

            migrationBuilder.DropTable(
                name: "ResponseTotals");

            migrationBuilder.DropTable(
                name: "ResponseYears");

            migrationBuilder.DropTable(
                name: "SubscriptionFollows");

            migrationBuilder.DropTable(
                name: "SubscriptionSettings");

            migrationBuilder.DropTable(
                name: "Contributions");
        }
    }
}

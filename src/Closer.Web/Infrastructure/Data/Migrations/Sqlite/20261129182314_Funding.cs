using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Funding : Migration
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ContributionRevisions");

            migrationBuilder.DropTable(
                name: "Contributions");
        }
    }
}

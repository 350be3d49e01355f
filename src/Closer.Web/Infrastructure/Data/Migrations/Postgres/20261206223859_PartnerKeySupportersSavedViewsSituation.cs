using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PartnerKeySupportersSavedViewsSituation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ActivityReports_OrganisationId_CountryIso3_Admin1PCode_Indi~",
                table: "ActivityReports");

            migrationBuilder.AddColumn<string>(
                name: "LastMonthValidated",
                table: "ResponseYears",
                type: "character varying(7)",
                maxLength: 7,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastMonthValidated",
                table: "ResponseTotals",
                type: "character varying(7)",
                maxLength: 7,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ConfirmedAt",
                table: "CampaignPledges",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsentLanguage",
                table: "CampaignPledges",
                type: "character varying(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsentVersion",
                table: "CampaignPledges",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "CampaignPledges",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SupporterKey",
                table: "CampaignPledges",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "UnsubscribedAt",
                table: "CampaignPledges",
                type: "timestamp with time zone",
                nullable: true);

            // A report without an implementing partner is stored as "" from now on (the partner is part of the key).
            migrationBuilder.Sql("""UPDATE "ActivityReports" SET "ImplementingPartner" = '' WHERE "ImplementingPartner" IS NULL""");

            migrationBuilder.AlterColumn<string>(
                name: "ImplementingPartner",
                table: "ActivityReports",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.CreateTable(
                name: "SavedViews",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OwnerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Query = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: false),
                    Sharing = table.Column<int>(type: "integer", nullable: false),
                    OrganisationId = table.Column<int>(type: "integer", nullable: true),
                    CountryIso3 = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DeletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedViews", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SituationReports",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Scope = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    HighlightsEn = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    HighlightsEs = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    HighlightsPt = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    HighlightsPap = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedByUserId = table.Column<string>(type: "text", nullable: true),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PublishedByUserId = table.Column<string>(type: "text", nullable: true),
                    ArchivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SituationReports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SituationReportDocuments",
                columns: table => new
                {
                    ReportId = table.Column<int>(type: "integer", nullable: false),
                    Language = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    DocumentId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SituationReportDocuments", x => new { x.ReportId, x.Language });
                    table.ForeignKey(
                        name: "FK_SituationReportDocuments_SituationReports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "SituationReports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SituationReportRevisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ReportId = table.Column<int>(type: "integer", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    HighlightsEn = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    HighlightsEs = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    HighlightsPt = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    HighlightsPap = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: true),
                    UserEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SituationReportRevisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SituationReportRevisions_SituationReports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "SituationReports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CampaignPledges_SupporterKey",
                table: "CampaignPledges",
                column: "SupporterKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ActivityReports_OrganisationId_CountryIso3_Admin1PCode_Indi~",
                table: "ActivityReports",
                columns: new[] { "OrganisationId", "CountryIso3", "Admin1PCode", "IndicatorCode", "Month", "PopulationGroup", "ImplementingPartner" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SavedViews_OwnerId",
                table: "SavedViews",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_SavedViews_Sharing_CountryIso3",
                table: "SavedViews",
                columns: new[] { "Sharing", "CountryIso3" });

            migrationBuilder.CreateIndex(
                name: "IX_SavedViews_Sharing_OrganisationId",
                table: "SavedViews",
                columns: new[] { "Sharing", "OrganisationId" });

            migrationBuilder.CreateIndex(
                name: "IX_SituationReportRevisions_ReportId_Number",
                table: "SituationReportRevisions",
                columns: new[] { "ReportId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SituationReports_Scope_Month",
                table: "SituationReports",
                columns: new[] { "Scope", "Month" },
                unique: true);

            // Existing aggregates learn their "as of" month from the month rows they were built from.
            migrationBuilder.Sql("""
                UPDATE "ResponseYears" SET "LastMonthValidated" = (
                    SELECT MAX(m."Month") FROM "ResponseMonths" m
                    WHERE m."Year" = "ResponseYears"."Year" AND m."CountryIso3" = "ResponseYears"."CountryIso3"
                      AND m."IndicatorCode" = "ResponseYears"."IndicatorCode" AND m."PopulationGroup" = "ResponseYears"."PopulationGroup"
                      AND m."OrganisationId" = "ResponseYears"."OrganisationId" AND m."Status" = 'Validated' AND m."Reports" > 0)
                """);
            migrationBuilder.Sql("""
                UPDATE "ResponseTotals" SET "LastMonthValidated" = (
                    SELECT MAX(y."LastMonthValidated") FROM "ResponseYears" y
                    WHERE y."Year" = "ResponseTotals"."Year" AND y."CountryIso3" = "ResponseTotals"."CountryIso3"
                      AND y."SectorCode" = "ResponseTotals"."SectorCode" AND y."IsPeople")
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SavedViews");

            migrationBuilder.DropTable(
                name: "SituationReportDocuments");

            migrationBuilder.DropTable(
                name: "SituationReportRevisions");

            migrationBuilder.DropTable(
                name: "SituationReports");

            migrationBuilder.DropIndex(
                name: "IX_CampaignPledges_SupporterKey",
                table: "CampaignPledges");

            migrationBuilder.DropIndex(
                name: "IX_ActivityReports_OrganisationId_CountryIso3_Admin1PCode_Indi~",
                table: "ActivityReports");

            migrationBuilder.DropColumn(
                name: "LastMonthValidated",
                table: "ResponseYears");

            migrationBuilder.DropColumn(
                name: "LastMonthValidated",
                table: "ResponseTotals");

            migrationBuilder.DropColumn(
                name: "ConfirmedAt",
                table: "CampaignPledges");

            migrationBuilder.DropColumn(
                name: "ConsentLanguage",
                table: "CampaignPledges");

            migrationBuilder.DropColumn(
                name: "ConsentVersion",
                table: "CampaignPledges");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "CampaignPledges");

            migrationBuilder.DropColumn(
                name: "SupporterKey",
                table: "CampaignPledges");

            migrationBuilder.DropColumn(
                name: "UnsubscribedAt",
                table: "CampaignPledges");

            migrationBuilder.AlterColumn<string>(
                name: "ImplementingPartner",
                table: "ActivityReports",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200,
                oldDefaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityReports_OrganisationId_CountryIso3_Admin1PCode_Indi~",
                table: "ActivityReports",
                columns: new[] { "OrganisationId", "CountryIso3", "Admin1PCode", "IndicatorCode", "Month", "PopulationGroup" },
                unique: true);
        }
    }
}

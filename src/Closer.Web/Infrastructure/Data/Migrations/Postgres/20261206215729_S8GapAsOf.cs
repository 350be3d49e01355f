using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class S8GapAsOf : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
            migrationBuilder.DropColumn(
                name: "LastMonthValidated",
                table: "ResponseYears");

            migrationBuilder.DropColumn(
                name: "LastMonthValidated",
                table: "ResponseTotals");
        }
    }
}

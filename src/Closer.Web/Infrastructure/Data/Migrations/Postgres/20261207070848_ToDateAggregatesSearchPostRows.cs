using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <summary>
    /// The dashboards' "to date" tables (filled by the aggregates' backfill on start), and a forum post's search row made
    /// its own source (kind "post", key the post's id), so a reply indexes one row instead of its whole thread: rows already
    /// indexed keep their text and full-text entry, only their key changes.
    /// </summary>
    public partial class ToDateAggregatesSearchPostRows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "SearchEntries" SET "Source" = 'post', "SourceKey" = split_part("Url", '#post-', 2) WHERE "Source" = 'thread' AND position('#post-' in "Url") > 0;
                """);

            migrationBuilder.CreateTable(
                name: "ResponseAreaToDates",
                columns: table => new
                {
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    CountryIso3 = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    Admin1PCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    SectorCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    OrganisationId = table.Column<int>(type: "integer", nullable: false),
                    Reached = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResponseAreaToDates", x => new { x.Year, x.Month, x.CountryIso3, x.Admin1PCode, x.SectorCode, x.OrganisationId });
                });

            migrationBuilder.CreateTable(
                name: "ResponseToDates",
                columns: table => new
                {
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    CountryIso3 = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    SectorCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    OrganisationId = table.Column<int>(type: "integer", nullable: false),
                    PeopleSeries = table.Column<int>(type: "integer", nullable: false),
                    Reached = table.Column<long>(type: "bigint", nullable: false),
                    ReportsInMonth = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResponseToDates", x => new { x.Year, x.Month, x.CountryIso3, x.SectorCode, x.OrganisationId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_ResponseAreaToDates_OrganisationId_CountryIso3_Year",
                table: "ResponseAreaToDates",
                columns: new[] { "OrganisationId", "CountryIso3", "Year" });

            migrationBuilder.CreateIndex(
                name: "IX_ResponseToDates_OrganisationId_CountryIso3_Year",
                table: "ResponseToDates",
                columns: new[] { "OrganisationId", "CountryIso3", "Year" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "SearchEntries" SET "Source" = 'thread', "SourceKey" = substring("Group" from 8) WHERE "Source" = 'post';
                """);

            migrationBuilder.DropTable(
                name: "ResponseAreaToDates");

            migrationBuilder.DropTable(
                name: "ResponseToDates");
        }
    }
}

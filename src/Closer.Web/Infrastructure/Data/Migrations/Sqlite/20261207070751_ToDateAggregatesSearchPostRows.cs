using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Sqlite
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
                UPDATE "SearchEntries" SET "Source" = 'post', "SourceKey" = substr("Url", instr("Url", '#post-') + 6) WHERE "Source" = 'thread' AND instr("Url", '#post-') > 0;
                """);

            migrationBuilder.CreateTable(
                name: "ResponseAreaToDates",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    CountryIso3 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    Admin1PCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    SectorCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Reached = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResponseAreaToDates", x => new { x.Year, x.Month, x.CountryIso3, x.Admin1PCode, x.SectorCode, x.OrganisationId });
                });

            migrationBuilder.CreateTable(
                name: "ResponseToDates",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    CountryIso3 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    SectorCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    PeopleSeries = table.Column<int>(type: "INTEGER", nullable: false),
                    Reached = table.Column<long>(type: "INTEGER", nullable: false),
                    ReportsInMonth = table.Column<int>(type: "INTEGER", nullable: false)
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
                UPDATE "SearchEntries" SET "Source" = 'thread', "SourceKey" = substr("Group", 8) WHERE "Source" = 'post';
                """);

            migrationBuilder.DropTable(
                name: "ResponseAreaToDates");

            migrationBuilder.DropTable(
                name: "ResponseToDates");
        }
    }
}

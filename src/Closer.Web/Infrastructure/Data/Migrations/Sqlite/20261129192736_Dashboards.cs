using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Dashboards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.InsertData(
                table: "DashboardStamps",
                columns: new[] { "Id", "Version" },
                values: new object[] { 1, 0L });

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DashboardStamps");

            migrationBuilder.DropTable(
                name: "ResponseMonths");

            migrationBuilder.DropTable(
                name: "ResponseTotals");

            migrationBuilder.DropTable(
                name: "ResponseYears");
        }
    }
}

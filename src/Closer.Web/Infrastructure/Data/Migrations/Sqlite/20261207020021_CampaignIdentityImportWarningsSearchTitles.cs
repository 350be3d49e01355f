using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CampaignIdentityImportWarningsSearchTitles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "Documents");

            migrationBuilder.AddColumn<string>(
                name: "TitleLanguage",
                table: "SearchEntries",
                type: "TEXT",
                maxLength: 5,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WarningCount",
                table: "ImportJobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Warnings",
                table: "ImportJobs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CampaignIdentityRevisions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    NameEn = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    NameEs = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    NamePt = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    NamePap = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    MarkSvg = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    RestoredFrom = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignIdentityRevisions", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CampaignIdentityRevisions");

            migrationBuilder.DropColumn(
                name: "TitleLanguage",
                table: "SearchEntries");

            migrationBuilder.DropColumn(
                name: "WarningCount",
                table: "ImportJobs");

            migrationBuilder.DropColumn(
                name: "Warnings",
                table: "ImportJobs");

            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "Documents",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }
    }
}

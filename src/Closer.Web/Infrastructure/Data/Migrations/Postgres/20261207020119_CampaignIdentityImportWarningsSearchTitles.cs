using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Postgres
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
                type: "character varying(5)",
                maxLength: 5,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WarningCount",
                table: "ImportJobs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Warnings",
                table: "ImportJobs",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CampaignIdentityRevisions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    NameEn = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    NameEs = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    NamePt = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    NamePap = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    MarkSvg = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    RestoredFrom = table.Column<int>(type: "integer", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
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
                type: "text",
                nullable: false,
                defaultValue: "");
        }
    }
}

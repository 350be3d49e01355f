using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class S9Search : Migration
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TitleLanguage",
                table: "SearchEntries");

            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "Documents",
                type: "text",
                nullable: false,
                defaultValue: "");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class S7Kobo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SourceUuid",
                table: "ActivityReports",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_ActivityReports_OrganisationId_SourceUuid",
                table: "ActivityReports",
                columns: new[] { "OrganisationId", "SourceUuid" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ActivityReports_OrganisationId_SourceUuid",
                table: "ActivityReports");

            migrationBuilder.DropColumn(
                name: "SourceUuid",
                table: "ActivityReports");
        }
    }
}

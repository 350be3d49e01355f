using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CampaignPictures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CampaignMediaRenditions_AssetId_Width",
                table: "CampaignMediaRenditions");

            migrationBuilder.AddColumn<string>(
                name: "Format",
                table: "CampaignMediaRenditions",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "jpeg");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignMediaRenditions_AssetId_Width_Format",
                table: "CampaignMediaRenditions",
                columns: new[] { "AssetId", "Width", "Format" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CampaignMediaRenditions_AssetId_Width_Format",
                table: "CampaignMediaRenditions");

            migrationBuilder.DropColumn(
                name: "Format",
                table: "CampaignMediaRenditions");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignMediaRenditions_AssetId_Width",
                table: "CampaignMediaRenditions",
                columns: new[] { "AssetId", "Width" },
                unique: true);
        }
    }
}

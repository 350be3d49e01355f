using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PledgeFormToken : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FormTokenId",
                table: "CampaignPledges",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_CampaignPledges_FormTokenId",
                table: "CampaignPledges",
                column: "FormTokenId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CampaignPledges_FormTokenId",
                table: "CampaignPledges");

            migrationBuilder.DropColumn(
                name: "FormTokenId",
                table: "CampaignPledges");
        }
    }
}

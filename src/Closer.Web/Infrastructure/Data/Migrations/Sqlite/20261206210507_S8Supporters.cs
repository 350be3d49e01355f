using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class S8Supporters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ConfirmedAt",
                table: "CampaignPledges",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsentLanguage",
                table: "CampaignPledges",
                type: "TEXT",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsentVersion",
                table: "CampaignPledges",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "CampaignPledges",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SupporterKey",
                table: "CampaignPledges",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "UnsubscribedAt",
                table: "CampaignPledges",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_CampaignPledges_SupporterKey",
                table: "CampaignPledges",
                column: "SupporterKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CampaignPledges_SupporterKey",
                table: "CampaignPledges");

            migrationBuilder.DropColumn(
                name: "ConfirmedAt",
                table: "CampaignPledges");

            migrationBuilder.DropColumn(
                name: "ConsentLanguage",
                table: "CampaignPledges");

            migrationBuilder.DropColumn(
                name: "ConsentVersion",
                table: "CampaignPledges");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "CampaignPledges");

            migrationBuilder.DropColumn(
                name: "SupporterKey",
                table: "CampaignPledges");

            migrationBuilder.DropColumn(
                name: "UnsubscribedAt",
                table: "CampaignPledges");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class S8PartnerKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ActivityReports_OrganisationId_CountryIso3_Admin1PCode_Indi~",
                table: "ActivityReports");

            migrationBuilder.AlterColumn<string>(
                name: "ImplementingPartner",
                table: "ActivityReports",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_ActivityReports_OrganisationId_CountryIso3_Admin1PCode_Indi~",
                table: "ActivityReports",
                columns: new[] { "OrganisationId", "CountryIso3", "Admin1PCode", "IndicatorCode", "Month", "PopulationGroup", "ImplementingPartner" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ActivityReports_OrganisationId_CountryIso3_Admin1PCode_Indi~",
                table: "ActivityReports");

            migrationBuilder.AlterColumn<string>(
                name: "ImplementingPartner",
                table: "ActivityReports",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200,
                oldDefaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityReports_OrganisationId_CountryIso3_Admin1PCode_Indi~",
                table: "ActivityReports",
                columns: new[] { "OrganisationId", "CountryIso3", "Admin1PCode", "IndicatorCode", "Month", "PopulationGroup" },
                unique: true);
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class S7Offline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "DeviceId",
                table: "ActivityReports",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_ActivityReports_OrganisationId_DeviceId",
                table: "ActivityReports",
                columns: new[] { "OrganisationId", "DeviceId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ActivityReports_OrganisationId_DeviceId",
                table: "ActivityReports");

            migrationBuilder.DropColumn(
                name: "DeviceId",
                table: "ActivityReports");
        }
    }
}

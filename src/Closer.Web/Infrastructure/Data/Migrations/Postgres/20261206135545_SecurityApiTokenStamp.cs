using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SecurityApiTokenStamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "UserSecurityStamp",
                table: "ApiTokens",
                type: "text",
                nullable: true);

            // Tokens made before this change carry their owner's present stamp, so they keep working until it changes.
            migrationBuilder.Sql("UPDATE \"ApiTokens\" SET \"UserSecurityStamp\" = (SELECT u.\"SecurityStamp\" FROM \"AspNetUsers\" u WHERE u.\"Id\" = \"ApiTokens\".\"UserId\")");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "UserSecurityStamp",
                table: "ApiTokens");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Closer.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OpenData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DataStamps",
                columns: table => new
                {
                    Dataset = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataStamps", x => x.Dataset);
                });

            migrationBuilder.InsertData(
                table: "DataStamps",
                columns: new[] { "Dataset", "ChangedAt", "Version" },
                values: new object[,]
                {
                    { "countries", 637134336000000000L, 0L },
                    { "figures", 637134336000000000L, 0L },
                    { "funding", 637134336000000000L, 0L },
                    { "organisations", 637134336000000000L, 0L },
                    { "plan", 637134336000000000L, 0L },
                    { "pledges", 637134336000000000L, 0L },
                    { "reports", 637134336000000000L, 0L }
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DataStamps");
        }
    }
}

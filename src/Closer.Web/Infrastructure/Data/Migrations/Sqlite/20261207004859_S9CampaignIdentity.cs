using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class S9CampaignIdentity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CampaignIdentityRevisions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    NameEn = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    NameEs = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    NamePt = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    NamePap = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    MarkSvg = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    RestoredFrom = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
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
        }
    }
}

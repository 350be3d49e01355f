using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class S8SituationReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SituationReports",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    HighlightsEn = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    HighlightsEs = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    HighlightsPt = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    HighlightsPap = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedByUserId = table.Column<string>(type: "TEXT", nullable: true),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PublishedByUserId = table.Column<string>(type: "TEXT", nullable: true),
                    ArchivedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SituationReports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SituationReportDocuments",
                columns: table => new
                {
                    ReportId = table.Column<int>(type: "INTEGER", nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 5, nullable: false),
                    DocumentId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SituationReportDocuments", x => new { x.ReportId, x.Language });
                    table.ForeignKey(
                        name: "FK_SituationReportDocuments_SituationReports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "SituationReports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SituationReportRevisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReportId = table.Column<int>(type: "INTEGER", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    HighlightsEn = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    HighlightsEs = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    HighlightsPt = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    HighlightsPap = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: true),
                    UserEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SituationReportRevisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SituationReportRevisions_SituationReports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "SituationReports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SituationReportRevisions_ReportId_Number",
                table: "SituationReportRevisions",
                columns: new[] { "ReportId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SituationReports_Scope_Month",
                table: "SituationReports",
                columns: new[] { "Scope", "Month" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SituationReportDocuments");

            migrationBuilder.DropTable(
                name: "SituationReportRevisions");

            migrationBuilder.DropTable(
                name: "SituationReports");
        }
    }
}

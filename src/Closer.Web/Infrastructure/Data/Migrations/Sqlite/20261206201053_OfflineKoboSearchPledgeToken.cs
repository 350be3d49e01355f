using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OfflineKoboSearchPledgeToken : Migration
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

            migrationBuilder.AddColumn<Guid>(
                name: "DeviceId",
                table: "ActivityReports",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SourceUuid",
                table: "ActivityReports",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "KoboConnections",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    ServerUrl = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    AssetUid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TokenProtected = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    UserEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NextPullAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastPullAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClaimToken = table.Column<Guid>(type: "TEXT", nullable: true),
                    ClaimedUntil = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KoboConnections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_KoboConnections_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SearchEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Group = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 5, nullable: false),
                    Country = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Audience = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    VisibleFrom = table.Column<long>(type: "INTEGER", nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Text = table.Column<string>(type: "TEXT", nullable: false),
                    Date = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SearchEntries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SearchTerms",
                columns: table => new
                {
                    Term = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SearchTerms", x => x.Term);
                });

            migrationBuilder.CreateTable(
                name: "KoboPullLogs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConnectionId = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Succeeded = table.Column<bool>(type: "INTEGER", nullable: false),
                    Pages = table.Column<int>(type: "INTEGER", nullable: false),
                    Fetched = table.Column<int>(type: "INTEGER", nullable: false),
                    Imported = table.Column<int>(type: "INTEGER", nullable: false),
                    Updated = table.Column<int>(type: "INTEGER", nullable: false),
                    Unchanged = table.Column<int>(type: "INTEGER", nullable: false),
                    Edited = table.Column<int>(type: "INTEGER", nullable: false),
                    Withdrawn = table.Column<int>(type: "INTEGER", nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KoboPullLogs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_KoboPullLogs_KoboConnections_ConnectionId",
                        column: x => x.ConnectionId,
                        principalTable: "KoboConnections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "KoboSubmissions",
                columns: table => new
                {
                    ConnectionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Uuid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LastChange = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KoboSubmissions", x => new { x.ConnectionId, x.Uuid });
                    table.ForeignKey(
                        name: "FK_KoboSubmissions_KoboConnections_ConnectionId",
                        column: x => x.ConnectionId,
                        principalTable: "KoboConnections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CampaignPledges_FormTokenId",
                table: "CampaignPledges",
                column: "FormTokenId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ActivityReports_OrganisationId_DeviceId",
                table: "ActivityReports",
                columns: new[] { "OrganisationId", "DeviceId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ActivityReports_OrganisationId_SourceUuid",
                table: "ActivityReports",
                columns: new[] { "OrganisationId", "SourceUuid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KoboConnections_NextPullAt",
                table: "KoboConnections",
                column: "NextPullAt");

            migrationBuilder.CreateIndex(
                name: "IX_KoboConnections_OrganisationId",
                table: "KoboConnections",
                column: "OrganisationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KoboPullLogs_ConnectionId_StartedAt",
                table: "KoboPullLogs",
                columns: new[] { "ConnectionId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SearchEntries_Source_SourceKey",
                table: "SearchEntries",
                columns: new[] { "Source", "SourceKey" });

            // The full-text index: contentless (the text lives in SearchEntries; rowid = its Id), words folded by
            // unicode61 without diacritics; the indexer writes stems (SearchWords), FTS5 having no Spanish or Portuguese stemmer.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "SearchFts" USING fts5("Title", "Body", content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE \"SearchFts\";");

            migrationBuilder.DropTable(
                name: "KoboPullLogs");

            migrationBuilder.DropTable(
                name: "KoboSubmissions");

            migrationBuilder.DropTable(
                name: "SearchEntries");

            migrationBuilder.DropTable(
                name: "SearchTerms");

            migrationBuilder.DropTable(
                name: "KoboConnections");

            migrationBuilder.DropIndex(
                name: "IX_CampaignPledges_FormTokenId",
                table: "CampaignPledges");

            migrationBuilder.DropIndex(
                name: "IX_ActivityReports_OrganisationId_DeviceId",
                table: "ActivityReports");

            migrationBuilder.DropIndex(
                name: "IX_ActivityReports_OrganisationId_SourceUuid",
                table: "ActivityReports");

            migrationBuilder.DropColumn(
                name: "FormTokenId",
                table: "CampaignPledges");

            migrationBuilder.DropColumn(
                name: "DeviceId",
                table: "ActivityReports");

            migrationBuilder.DropColumn(
                name: "SourceUuid",
                table: "ActivityReports");
        }
    }
}

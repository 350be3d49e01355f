using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Postgres
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
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "DeviceId",
                table: "ActivityReports",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SourceUuid",
                table: "ActivityReports",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "KoboConnections",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrganisationId = table.Column<int>(type: "integer", nullable: false),
                    ServerUrl = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    AssetUid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TokenProtected = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    UserEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NextPullAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastPullAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SourceKey = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Group = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Language = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    Country = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Audience = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    VisibleFrom = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Url = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    Date = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SearchEntries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SearchTerms",
                columns: table => new
                {
                    Term = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SearchTerms", x => x.Term);
                });

            migrationBuilder.CreateTable(
                name: "KoboPullLogs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConnectionId = table.Column<long>(type: "bigint", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Succeeded = table.Column<bool>(type: "boolean", nullable: false),
                    Pages = table.Column<int>(type: "integer", nullable: false),
                    Fetched = table.Column<int>(type: "integer", nullable: false),
                    Imported = table.Column<int>(type: "integer", nullable: false),
                    Updated = table.Column<int>(type: "integer", nullable: false),
                    Unchanged = table.Column<int>(type: "integer", nullable: false),
                    Edited = table.Column<int>(type: "integer", nullable: false),
                    Withdrawn = table.Column<int>(type: "integer", nullable: false),
                    Message = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
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
                    ConnectionId = table.Column<long>(type: "bigint", nullable: false),
                    Uuid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    LastChange = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true)
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

            // Text search configurations per language that fold accents before stemming (Papiamentu: no stemmer,
            // folded words), and the generated tsvector (titles weigh A, text B) with its GIN index.
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS unaccent;
                CREATE TEXT SEARCH CONFIGURATION closer_en (COPY = english);
                ALTER TEXT SEARCH CONFIGURATION closer_en ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
                CREATE TEXT SEARCH CONFIGURATION closer_es (COPY = spanish);
                ALTER TEXT SEARCH CONFIGURATION closer_es ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
                CREATE TEXT SEARCH CONFIGURATION closer_pt (COPY = portuguese);
                ALTER TEXT SEARCH CONFIGURATION closer_pt ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem;
                CREATE TEXT SEARCH CONFIGURATION closer_simple (COPY = simple);
                ALTER TEXT SEARCH CONFIGURATION closer_simple ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
                ALTER TABLE "SearchEntries" ADD COLUMN "Tsv" tsvector GENERATED ALWAYS AS (
                    setweight(CASE "Language" WHEN 'en' THEN to_tsvector('closer_en'::regconfig, "Title") WHEN 'es' THEN to_tsvector('closer_es'::regconfig, "Title") WHEN 'pt' THEN to_tsvector('closer_pt'::regconfig, "Title") ELSE to_tsvector('closer_simple'::regconfig, "Title") END, 'A')
                    || setweight(CASE "Language" WHEN 'en' THEN to_tsvector('closer_en'::regconfig, "Text") WHEN 'es' THEN to_tsvector('closer_es'::regconfig, "Text") WHEN 'pt' THEN to_tsvector('closer_pt'::regconfig, "Text") ELSE to_tsvector('closer_simple'::regconfig, "Text") END, 'B')) STORED;
                CREATE INDEX "IX_SearchEntries_Tsv" ON "SearchEntries" USING GIN ("Tsv");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.Sql("""
                DROP TEXT SEARCH CONFIGURATION closer_en;
                DROP TEXT SEARCH CONFIGURATION closer_es;
                DROP TEXT SEARCH CONFIGURATION closer_pt;
                DROP TEXT SEARCH CONFIGURATION closer_simple;
                """);
        }
    }
}

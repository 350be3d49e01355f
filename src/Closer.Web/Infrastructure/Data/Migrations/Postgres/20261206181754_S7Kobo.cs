using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class S7Kobo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KoboPullLogs");

            migrationBuilder.DropTable(
                name: "KoboSubmissions");

            migrationBuilder.DropTable(
                name: "KoboConnections");

            migrationBuilder.DropIndex(
                name: "IX_ActivityReports_OrganisationId_SourceUuid",
                table: "ActivityReports");

            migrationBuilder.DropColumn(
                name: "SourceUuid",
                table: "ActivityReports");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class S7Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                name: "SearchEntries");

            migrationBuilder.DropTable(
                name: "SearchTerms");

            migrationBuilder.Sql("""
                DROP TEXT SEARCH CONFIGURATION closer_en;
                DROP TEXT SEARCH CONFIGURATION closer_es;
                DROP TEXT SEARCH CONFIGURATION closer_pt;
                DROP TEXT SEARCH CONFIGURATION closer_simple;
                """);
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <summary>
    /// The compact ranking vector: <c>RankTsv</c>, generated like <c>Tsv</c> but from the title and the first 4,000
    /// characters of the text (<c>SearchIndexer.RankChars</c>), which ts_rank() scores while <c>Tsv</c> and its GIN index
    /// only decide what matches: ranking a 50 KB document no longer reads (and decompresses) its whole tsvector from TOAST.
    /// Not indexed; PostgreSQL computes it for the rows already there.
    /// </summary>
    public partial class SearchRankIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE "SearchEntries" ADD COLUMN "RankTsv" tsvector GENERATED ALWAYS AS (
                    setweight(CASE "Language" WHEN 'en' THEN to_tsvector('closer_en'::regconfig, "Title") WHEN 'es' THEN to_tsvector('closer_es'::regconfig, "Title") WHEN 'pt' THEN to_tsvector('closer_pt'::regconfig, "Title") ELSE to_tsvector('closer_simple'::regconfig, "Title") END, 'A')
                    || setweight(CASE "Language" WHEN 'en' THEN to_tsvector('closer_en'::regconfig, left("Text", 4000)) WHEN 'es' THEN to_tsvector('closer_es'::regconfig, left("Text", 4000)) WHEN 'pt' THEN to_tsvector('closer_pt'::regconfig, left("Text", 4000)) ELSE to_tsvector('closer_simple'::regconfig, left("Text", 4000)) END, 'B')) STORED;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE \"SearchEntries\" DROP COLUMN \"RankTsv\";");
        }
    }
}

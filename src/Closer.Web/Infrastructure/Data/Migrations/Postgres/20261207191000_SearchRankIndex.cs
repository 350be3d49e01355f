using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Postgres
{
    /// <summary>
    /// The compact ranking vector: <c>RankTsv</c>, generated like <c>Tsv</c> but from the title and the first 2,000
    /// characters of the text without a word cut at the end (<c>SearchIndexer.RankChars</c>), which ts_rank() scores:
    /// ranking a 50 KB document no longer reads (and decompresses) its whole tsvector (64 KB) from TOAST. Its words are a
    /// subset of <c>Tsv</c>'s at the same positions, so a candidate is tested on it first (<c>RankTsv @@ q OR Tsv @@ q</c>,
    /// the same matches) and the full vector is read only for a row that does not match in its head; its own GIN index
    /// lets that condition be a bitmap OR of the two indexes. PostgreSQL computes it for the rows already there.
    /// </summary>
    public partial class SearchRankIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE "SearchEntries" ADD COLUMN "RankTsv" tsvector GENERATED ALWAYS AS (
                    setweight(CASE "Language" WHEN 'en' THEN to_tsvector('closer_en'::regconfig, "Title") WHEN 'es' THEN to_tsvector('closer_es'::regconfig, "Title") WHEN 'pt' THEN to_tsvector('closer_pt'::regconfig, "Title") ELSE to_tsvector('closer_simple'::regconfig, "Title") END, 'A')
                    || setweight(CASE "Language" WHEN 'en' THEN to_tsvector('closer_en'::regconfig, (CASE WHEN length("Text") <= 2000 THEN "Text" ELSE regexp_replace(left("Text", 2001), '\S*$', '') END)) WHEN 'es' THEN to_tsvector('closer_es'::regconfig, (CASE WHEN length("Text") <= 2000 THEN "Text" ELSE regexp_replace(left("Text", 2001), '\S*$', '') END)) WHEN 'pt' THEN to_tsvector('closer_pt'::regconfig, (CASE WHEN length("Text") <= 2000 THEN "Text" ELSE regexp_replace(left("Text", 2001), '\S*$', '') END)) ELSE to_tsvector('closer_simple'::regconfig, (CASE WHEN length("Text") <= 2000 THEN "Text" ELSE regexp_replace(left("Text", 2001), '\S*$', '') END)) END, 'B')) STORED;
                CREATE INDEX "IX_SearchEntries_RankTsv" ON "SearchEntries" USING GIN ("RankTsv");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_SearchEntries_RankTsv\"; ALTER TABLE \"SearchEntries\" DROP COLUMN \"RankTsv\";");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <summary>
    /// The compact ranking index: a second contentless FTS5 table with each row's title and the first
    /// <c>SearchIndexer.RankChars</c> (2,000) characters of its text (stems, as in <c>SearchFts</c>), which bm25() scores while the
    /// full index only decides what matches. Its rows are stems computed in C#, which SQL cannot fill: the index is emptied
    /// here and rebuilt from its sources by the search backfill before the app serves (as on a database's first start).
    /// </summary>
    public partial class SearchRankIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "SearchRankFts" USING fts5("Title", "Body", content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
                DROP TABLE "SearchFts";
                CREATE VIRTUAL TABLE "SearchFts" USING fts5("Title", "Body", content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
                DELETE FROM "SearchEntries";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE \"SearchRankFts\";");
        }
    }
}

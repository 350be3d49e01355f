using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Closer.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <summary>
    /// A forum post's search row becomes its own source (kind "post", key the post's id), so a reply indexes one row
    /// instead of its whole thread. Rows already indexed keep their text and full-text entry; only their key changes.
    /// </summary>
    public partial class SearchPostRows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "SearchEntries" SET "Source" = 'post', "SourceKey" = substr("Url", instr("Url", '#post-') + 6) WHERE "Source" = 'thread' AND instr("Url", '#post-') > 0;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "SearchEntries" SET "Source" = 'thread', "SourceKey" = substr("Group", 8) WHERE "Source" = 'post';
                """);
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Inbox.Samples.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class RelayAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "relay_attempts",
                table: "inbox_operations",
                type: "int",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "relay_attempts",
                table: "inbox_operations");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Inbox.Samples.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ConsoleIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_inbox_operations_created_at",
                table: "inbox_operations",
                columns: new[] { "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_inbox_operations_failed_updated_at",
                table: "inbox_operations",
                column: "updated_at",
                filter: "status = 3");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_operations_tenant_created_at",
                table: "inbox_operations",
                columns: new[] { "tenant_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_inbox_operations_tenant_endpoint_status",
                table: "inbox_operations",
                columns: new[] { "tenant_id", "endpoint", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_inbox_entries_operation_id",
                table: "inbox_entries",
                column: "operation_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_inbox_operations_created_at",
                table: "inbox_operations");

            migrationBuilder.DropIndex(
                name: "ix_inbox_operations_failed_updated_at",
                table: "inbox_operations");

            migrationBuilder.DropIndex(
                name: "ix_inbox_operations_tenant_created_at",
                table: "inbox_operations");

            migrationBuilder.DropIndex(
                name: "ix_inbox_operations_tenant_endpoint_status",
                table: "inbox_operations");

            migrationBuilder.DropIndex(
                name: "ix_inbox_entries_operation_id",
                table: "inbox_entries");
        }
    }
}

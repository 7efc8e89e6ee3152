using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Inbox.Samples.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class InitialInbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "claims",
                columns: table => new
                {
                    id = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    operation_id = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    patient_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    payer_id = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    amount_cents = table.Column<long>(type: "bigint", nullable: false),
                    service_codes = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    submitted_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_claims", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "inbox_entries",
                columns: table => new
                {
                    consumer = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    message_key = table.Column<string>(type: "varchar(100)", unicode: false, maxLength: 100, nullable: false),
                    status = table.Column<int>(type: "int", nullable: false),
                    operation_id = table.Column<string>(type: "varchar(40)", unicode: false, maxLength: 40, nullable: true),
                    claim_token = table.Column<string>(type: "varchar(32)", unicode: false, maxLength: 32, nullable: false),
                    attempt = table.Column<int>(type: "int", nullable: false),
                    claim_kind = table.Column<int>(type: "int", nullable: false),
                    lease_expires_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    result = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    error_code = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    error_message = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inbox_entries", x => new { x.consumer, x.message_key });
                });

            migrationBuilder.CreateTable(
                name: "inbox_operations",
                columns: table => new
                {
                    id = table.Column<string>(type: "varchar(40)", unicode: false, maxLength: 40, nullable: false),
                    tenant_id = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    endpoint = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    idempotency_key = table.Column<string>(type: "varchar(255)", unicode: false, maxLength: 255, nullable: true),
                    fingerprint = table.Column<byte[]>(type: "varbinary(32)", maxLength: 32, nullable: false),
                    status = table.Column<int>(type: "int", nullable: false),
                    request_id = table.Column<string>(type: "varchar(40)", unicode: false, maxLength: 40, nullable: false),
                    response_status = table.Column<int>(type: "int", nullable: false),
                    response_headers = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    response_body = table.Column<byte[]>(type: "varbinary(max)", nullable: false),
                    message_type = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    message_body = table.Column<byte[]>(type: "varbinary(max)", nullable: false),
                    result = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    error_code = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    error_message = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    relay_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inbox_operations", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_claims_operation_id",
                table: "claims",
                column: "operation_id");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_entries_expires_at",
                table: "inbox_entries",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_operations_expires_at",
                table: "inbox_operations",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_operations_relay_at",
                table: "inbox_operations",
                column: "relay_at",
                filter: "status < 2");

            migrationBuilder.CreateIndex(
                name: "ux_inbox_operations_scope_key",
                table: "inbox_operations",
                columns: new[] { "tenant_id", "endpoint", "idempotency_key" },
                unique: true,
                filter: "[idempotency_key] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "claims");

            migrationBuilder.DropTable(
                name: "inbox_entries");

            migrationBuilder.DropTable(
                name: "inbox_operations");
        }
    }
}

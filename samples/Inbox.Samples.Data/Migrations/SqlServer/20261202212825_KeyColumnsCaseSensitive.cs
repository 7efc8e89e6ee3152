using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Inbox.Samples.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class KeyColumnsCaseSensitive : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQL Server refuses ALTER COLUMN on a primary key's column, and EF Core does not drop the key itself.
            migrationBuilder.DropPrimaryKey(name: "PK_inbox_operations", table: "inbox_operations");
            migrationBuilder.DropPrimaryKey(name: "PK_inbox_entries", table: "inbox_entries");

            migrationBuilder.AlterColumn<string>(
                name: "tenant_id",
                table: "inbox_operations",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200);

            migrationBuilder.AlterColumn<string>(
                name: "idempotency_key",
                table: "inbox_operations",
                type: "varchar(255)",
                unicode: false,
                maxLength: 255,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "varchar(255)",
                oldUnicode: false,
                oldMaxLength: 255,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "endpoint",
                table: "inbox_operations",
                type: "nvarchar(300)",
                maxLength: 300,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(300)",
                oldMaxLength: 300);

            migrationBuilder.AlterColumn<string>(
                name: "id",
                table: "inbox_operations",
                type: "varchar(40)",
                unicode: false,
                maxLength: 40,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "varchar(40)",
                oldUnicode: false,
                oldMaxLength: 40);

            migrationBuilder.AlterColumn<string>(
                name: "operation_id",
                table: "inbox_entries",
                type: "varchar(40)",
                unicode: false,
                maxLength: 40,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "varchar(40)",
                oldUnicode: false,
                oldMaxLength: 40,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "claim_token",
                table: "inbox_entries",
                type: "varchar(32)",
                unicode: false,
                maxLength: 32,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "varchar(32)",
                oldUnicode: false,
                oldMaxLength: 32);

            migrationBuilder.AlterColumn<string>(
                name: "message_key",
                table: "inbox_entries",
                type: "varchar(100)",
                unicode: false,
                maxLength: 100,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "varchar(100)",
                oldUnicode: false,
                oldMaxLength: 100);

            migrationBuilder.AlterColumn<string>(
                name: "consumer",
                table: "inbox_entries",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200);

            migrationBuilder.AddPrimaryKey(name: "PK_inbox_operations", table: "inbox_operations", column: "id");
            migrationBuilder.AddPrimaryKey(name: "PK_inbox_entries", table: "inbox_entries", columns: ["consumer", "message_key"]);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQL Server refuses ALTER COLUMN on a primary key's column, and EF Core does not drop the key itself.
            migrationBuilder.DropPrimaryKey(name: "PK_inbox_operations", table: "inbox_operations");
            migrationBuilder.DropPrimaryKey(name: "PK_inbox_entries", table: "inbox_entries");

            migrationBuilder.AlterColumn<string>(
                name: "tenant_id",
                table: "inbox_operations",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "idempotency_key",
                table: "inbox_operations",
                type: "varchar(255)",
                unicode: false,
                maxLength: 255,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "varchar(255)",
                oldUnicode: false,
                oldMaxLength: 255,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "endpoint",
                table: "inbox_operations",
                type: "nvarchar(300)",
                maxLength: 300,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(300)",
                oldMaxLength: 300,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "id",
                table: "inbox_operations",
                type: "varchar(40)",
                unicode: false,
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "varchar(40)",
                oldUnicode: false,
                oldMaxLength: 40,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "operation_id",
                table: "inbox_entries",
                type: "varchar(40)",
                unicode: false,
                maxLength: 40,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "varchar(40)",
                oldUnicode: false,
                oldMaxLength: 40,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "claim_token",
                table: "inbox_entries",
                type: "varchar(32)",
                unicode: false,
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "varchar(32)",
                oldUnicode: false,
                oldMaxLength: 32,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "message_key",
                table: "inbox_entries",
                type: "varchar(100)",
                unicode: false,
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "varchar(100)",
                oldUnicode: false,
                oldMaxLength: 100,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "consumer",
                table: "inbox_entries",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(200)",
                oldMaxLength: 200,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AddPrimaryKey(name: "PK_inbox_operations", table: "inbox_operations", column: "id");
            migrationBuilder.AddPrimaryKey(name: "PK_inbox_entries", table: "inbox_entries", columns: ["consumer", "message_key"]);
        }
    }
}

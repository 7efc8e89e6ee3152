using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Inbox.Samples.Data;

/// <summary>Lets <c>dotnet ef migrations add X --context PostgresSamplesDbContext</c> build the model without a server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSamplesDbContext>
{
    public PostgresSamplesDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSamplesDbContext>().UseNpgsql("Host=localhost;Database=inbox").Options);
}

/// <summary>Lets <c>dotnet ef migrations add X --context SqlServerSamplesDbContext</c> build the model without a server.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerSamplesDbContext>
{
    public SqlServerSamplesDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerSamplesDbContext>().UseSqlServer("Server=localhost;Database=inbox").Options);
}

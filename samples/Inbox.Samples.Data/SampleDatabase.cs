using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inbox.Samples.Data;

/// <summary>The database providers the samples run on.</summary>
public enum SampleDatabaseProvider
{
    /// <summary>A file under the working directory; created on first run. The embedded default.</summary>
    Sqlite,

    /// <summary>PostgreSQL, schema by migrations.</summary>
    PostgreSql,

    /// <summary>SQL Server, schema by migrations.</summary>
    SqlServer,
}

/// <summary>
/// Chooses the database from configuration: <c>Database:Provider</c> (<c>Sqlite</c>, <c>PostgreSql</c>,
/// <c>SqlServer</c>) and <c>ConnectionStrings:Inbox</c>; <c>Database:Migrate</c> (default true) applies
/// migrations at start-up.
/// </summary>
public static class SampleDatabase
{
    public const string DefaultSqliteConnectionString = "Data Source=inbox-sample.db";

    public static SampleDatabaseProvider ProviderFrom(IConfiguration configuration) =>
        Enum.TryParse<SampleDatabaseProvider>(configuration["Database:Provider"], ignoreCase: true, out var provider)
            ? provider
            : configuration["Database:Provider"] is { Length: > 0 } unknown
                ? throw new InvalidOperationException($"Database:Provider '{unknown}' is not one of Sqlite, PostgreSql, SqlServer.")
                : SampleDatabaseProvider.Sqlite;

    public static IServiceCollection AddSampleDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = ProviderFrom(configuration);
        var connectionString = configuration.GetConnectionString("Inbox");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = provider == SampleDatabaseProvider.Sqlite
                ? DefaultSqliteConnectionString
                : throw new InvalidOperationException($"Database:Provider is {provider}: set ConnectionStrings:Inbox (ConnectionStrings__Inbox).");
        }

        // Pooled: every request and every consumed message resolves the context (the stores run on its connection), and
        // building one afresh each time was the largest share of a warm worker's CPU.
        switch (provider)
        {
            case SampleDatabaseProvider.PostgreSql:
                services.AddDbContextPool<SamplesDbContext, PostgresSamplesDbContext>(o => o.UseNpgsql(connectionString));
                break;
            case SampleDatabaseProvider.SqlServer:
                services.AddDbContextPool<SamplesDbContext, SqlServerSamplesDbContext>(o => o.UseSqlServer(connectionString));
                break;
            default:
                services.AddDbContextPool<SamplesDbContext>(o => o.UseSqlite(connectionString));
                break;
        }

        return services;
    }

    /// <summary>Creates the SQLite file (WAL) on first run, or applies the migrations of PostgreSQL and SQL Server.</summary>
    public static async Task PrepareSampleDatabaseAsync(this IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SamplesDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SampleDatabase));
        if (ProviderFrom(configuration) == SampleDatabaseProvider.Sqlite)
        {
            await db.Database.EnsureCreatedAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            return;
        }

        if (!configuration.GetValue("Database:Migrate", defaultValue: true))
        {
            return;
        }

        // Several instances may start together: retry while the database is still coming up.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (attempt < 30 && exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Migration attempt {Attempt} failed; retrying.", attempt);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }
}

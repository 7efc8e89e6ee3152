using Inbox.AspNetCore;
using Inbox.AspNetCore.Operating;
using Inbox.Stores;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the operations console.</summary>
public static class InboxConsoleEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the operations console under <paramref name="pattern"/>, behind the authorization policy
    /// <paramref name="policy"/>: <c>GET counts</c> (by endpoint and status, with each endpoint's oldest unfinished
    /// operation and the <c>as_of</c> of its read: cached up to <see cref="InboxConsoleOptions.CountsMaxAge"/>),
    /// <c>GET operations</c> (filtered, newest first, paged with <c>after</c> and <c>limit</c>) and
    /// <c>GET operations/{id}</c> (one operation with its inbox entries), <c>GET failures</c> (failed operations
    /// grouped by error code and endpoint, newest group first), and the actions <c>POST operations/{id}/redrive</c>,
    /// <c>POST failures/redrive?code=&amp;endpoint=</c> (at most 500 per call) and <c>POST leases/release</c>, all
    /// answering JSON. Every action must carry the header <c>X-Inbox-Console: 1</c>. An operator sees and acts on only
    /// the tenant the <see cref="ITenantResolver"/> finds for it, unless it also meets
    /// <see cref="InboxConsoleOptions.AllTenantsPolicy"/>.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="pattern">The prefix of the console's routes, e.g. <c>/inbox</c>.</param>
    /// <param name="policy">The name of a registered authorization policy every console route requires.</param>
    /// <param name="configure">Sets the all-tenants policy, whether bodies are shown and how long counts are cached.</param>
    /// <returns>The console's route group, for further conventions.</returns>
    /// <exception cref="ArgumentException"><paramref name="policy"/> is empty: the console is never mapped open; or
    /// <see cref="InboxConsoleOptions.CountsMaxAge"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">A policy named here is not registered.</exception>
    public static RouteGroupBuilder MapInboxConsole(
        this IEndpointRouteBuilder endpoints, string pattern, string policy, Action<InboxConsoleOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        if (string.IsNullOrWhiteSpace(policy))
        {
            throw new ArgumentException(
                "The Inbox operations console shows every operation it can reach, so it is only mapped behind an authorization " +
                "policy. Register one and name it: builder.Services.AddAuthorization(options => options.AddPolicy(\"inbox-operator\", " +
                "p => p.RequireRole(\"operator\"))); then app.MapInboxConsole(\"/inbox\", policy: \"inbox-operator\").",
                nameof(policy));
        }

        var options = new InboxConsoleOptions();
        configure?.Invoke(options);
        RequireRegistered(endpoints.ServiceProvider, policy, nameof(policy));
        if (options.AllTenantsPolicy is not null)
        {
            RequireRegistered(endpoints.ServiceProvider, options.AllTenantsPolicy, nameof(InboxConsoleOptions.AllTenantsPolicy));
        }

        RequireStore(endpoints.ServiceProvider);
        if (options.CountsMaxAge < TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"InboxConsoleOptions.CountsMaxAge must not be negative; it is {options.CountsMaxAge}. TimeSpan.Zero reads the counts on every request.",
                nameof(configure));
        }

        var console = new InboxConsoleEndpoints(options, CountsCache(endpoints.ServiceProvider, options.CountsMaxAge));
        var group = endpoints.MapGroup(pattern);
        group.RequireAuthorization(policy).ExcludeFromDescription();
        group.MapGet("/", ConsolePage.WriteAsync).WithName("Inbox.Console.Page");
        group.MapGet("/counts", console.CountsAsync).WithName("Inbox.Console.Counts");
        group.MapGet("/operations", console.ListAsync).WithName("Inbox.Console.Operations");
        group.MapGet("/operations/{id}", console.DetailAsync).WithName("Inbox.Console.Operation");
        group.MapGet("/failures", console.FailuresAsync).WithName("Inbox.Console.Failures");
        group.MapPost("/operations/{id}/redrive", console.RedriveAsync).WithName("Inbox.Console.Redrive");
        group.MapPost("/failures/redrive", console.RedriveFailuresAsync).WithName("Inbox.Console.RedriveFailures");
        group.MapPost("/leases/release", console.ReleaseLeasesAsync).WithName("Inbox.Console.ReleaseLeases");
        return group;
    }

    // Checked here too, so a store that does not serve the console stops the application rather than answering 500s.
    private static void RequireStore(IServiceProvider services)
    {
        if (services.GetService<IServiceProviderIsService>() is not { } registered)
        {
            return;
        }

        string[] missing = [.. new[] { typeof(IOperationConsoleStore), typeof(IOperationConsoleActionStore) }
            .Where(contract => !registered.IsService(contract)).Select(contract => contract.Name)];
        if (missing.Length > 0)
        {
            throw new InvalidOperationException(
                $"The Inbox operations console reads and acts through {string.Join(" and ", missing)}, which no store registered. " +
                "Call .UseEntityFrameworkCore<TDbContext>() on services.AddIdempotency(), or register your store's implementations.");
        }
    }

    private static ConsoleCountsCache? CountsCache(IServiceProvider services, TimeSpan maxAge) => maxAge == TimeSpan.Zero
        ? null
        : new ConsoleCountsCache(
            services.GetRequiredService<IServiceScopeFactory>(),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILoggerFactory>().CreateLogger<InboxConsoleEndpoints>(),
            maxAge,
            services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None);

    // Checked here rather than on the first request, so a misspelt policy stops the application at start-up.
    private static void RequireRegistered(IServiceProvider services, string policy, string parameter)
    {
        var provider = services.GetService<IAuthorizationPolicyProvider>()
            ?? throw new InvalidOperationException(
                "The Inbox operations console needs authorization: call builder.Services.AddAuthorization(...) and register the policy " +
                $"'{policy}', and app.UseAuthorization().");

        // The default provider answers synchronously; this runs once, while the application is built.
        if (provider.GetPolicyAsync(policy).GetAwaiter().GetResult() is null)
        {
            throw new InvalidOperationException(
                $"The Inbox operations console requires the authorization policy '{policy}' ({parameter}), which is not registered. " +
                $"Add it: builder.Services.AddAuthorization(options => options.AddPolicy(\"{policy}\", p => p.RequireRole(\"operator\"))).");
        }
    }
}

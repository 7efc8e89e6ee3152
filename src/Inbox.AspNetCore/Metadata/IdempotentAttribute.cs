using Inbox.AspNetCore.Synchronous;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Inbox.AspNetCore;

/// <summary>
/// Opts a controller action (or a minimal API handler) into the idempotency contract. Equivalent to
/// <c>WithIdempotency()</c> on an endpoint. On a controller or action in a synchronous mode it is also the action
/// filter that claims the operation after model binding and validation, just before the action runs.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class IdempotentAttribute : Attribute, IIdempotentMetadata, IAsyncActionFilter, IOrderedFilter
{
    private IdempotencyMode? _mode;

    /// <summary>Opts in with the default policy.</summary>
    public IdempotentAttribute()
    {
    }

    /// <summary>Opts in with the named policy.</summary>
    public IdempotentAttribute(string policyName) => PolicyName = policyName;

    /// <inheritdoc />
    public string? PolicyName { get; }

    /// <summary>The endpoint's mode. Default: its policy's (<see cref="IdempotencyPolicy.Mode"/>).</summary>
    public IdempotencyMode Mode
    {
        get => _mode ?? IdempotencyMode.Accept;
        set => _mode = value;
    }

    IdempotencyMode? IIdempotentMetadata.Mode => _mode;

    /// <summary>Runs last among action filters, after <c>[ApiController]</c>'s validation (which runs first).</summary>
    public int Order => int.MaxValue;

    /// <inheritdoc />
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.HttpContext.Features.Get<SynchronousExchange>() is { } exchange
            && !await exchange.ClaimAsync(context.HttpContext).ConfigureAwait(false))
        {
            // The claim answered (a replay, a mismatch, the key in use): the action does not run.
            context.Result = new EmptyResult();
            return;
        }

        await next().ConfigureAwait(false);
    }
}

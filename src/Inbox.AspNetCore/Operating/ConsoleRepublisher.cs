using Inbox.AspNetCore.Diagnostics;
using Inbox.Publishing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inbox.AspNetCore.Operating;

/// <summary>
/// Publishes what an action made due, right after its statement committed, as an acceptance publishes its message:
/// a publish that fails or is not attempted (no publisher in this process, the message type not loaded here) loses
/// nothing, since the store left each operation due for the relay one relay delay later. The first failed publish
/// ends the loop: with the broker down, waiting out one publish timeout per operation of a group would hold the
/// operator's request for minutes, and the relay sends the rest anyway.
/// </summary>
internal static class ConsoleRepublisher
{
    public static async Task PublishAsync(HttpContext context, IReadOnlyList<StoredPublication> due, ILogger logger)
    {
        var services = context.RequestServices;
        if (due.Count == 0 || services.GetService<IOperationPublisher>() is not { } publisher)
        {
            return;
        }

        var settings = services.GetRequiredService<IOptions<IdempotencyOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var metrics = services.GetRequiredService<HttpMetrics>();
        for (var index = 0; index < due.Count; index++)
        {
            var stored = due[index];
            if (MessageTypeNames.Resolve(stored.MessageType) is not { } type)
            {
                Log.ConsoleRepublishTypeMissing(logger, stored.OperationId, stored.MessageType);
                continue;
            }

            // The operator's own abort must not cancel the publish of a committed action; shutdown and the timeout may.
            using var timeout = new CancellationTokenSource(settings.PublishTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
            try
            {
                await publisher.PublishAsync(stored.ToPublication(type), linked.Token).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                metrics.PublishFailed(stored.Scope.Endpoint);
                Log.PublishFailed(logger, stored.OperationId, exception);
                if (due.Count - index - 1 is var left and > 0)
                {
                    Log.ConsoleRepublishLeftToRelay(logger, left);
                }

                return;
            }
        }
    }
}

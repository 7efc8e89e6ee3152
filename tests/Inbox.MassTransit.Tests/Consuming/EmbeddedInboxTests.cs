using Inbox.EntityFrameworkCore.Model;
using Inbox.MassTransit.Tests.Support;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;

namespace Inbox.MassTransit.Tests.Consuming;

/// <summary>The embedded default: SQLite and MassTransit's in-memory transport in one process.</summary>
public sealed class EmbeddedInboxTests
{
    [Fact]
    public async Task Operation_published_five_times_has_one_effect_and_one_result()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit: null, effects);

        var publication = await host.SubmitAsync(new SubmitClaim("pat_1"));
        for (var i = 0; i < 4; i++)
        {
            await host.PublishAsync(publication);
        }

        await Eventually.TrueAsync("four duplicates to be skipped", () => Task.FromResult(host.Metrics.DuplicatesSkipped == 4));
        var operation = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        Assert.Contains("clm_", operation.Result);
        Assert.Single(await host.ClaimsAsync());
        Assert.Equal(1, effects.Invocations[publication.OperationId]);
    }

    [Fact]
    public async Task Burst_of_claims_and_webhooks_with_duplicates_runs_each_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit: null, effects);

        var publications = new List<Inbox.Publishing.OperationPublication>();
        for (var i = 0; i < 60; i++)
        {
            publications.Add(i % 2 == 0
                ? await host.SubmitAsync(new SubmitClaim("pat_" + i))
                : await host.SubmitAsync(new FireWebhook("event_" + i)));
        }

        await Task.WhenAll(publications.Select(p => host.PublishAsync(p)));

        await Eventually.TrueAsync("60 operations to succeed", async () =>
        {
            await using var db = host.CreateDbContext();
            return await db.Set<InboxOperation>().CountAsync(o => o.Status == OperationStatus.Succeeded) == 60;
        }, TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync("60 duplicates to be skipped", () => Task.FromResult(host.Metrics.DuplicatesSkipped == 60));
        Assert.Equal(30, (await host.ClaimsAsync()).Select(c => c.OperationId).Distinct().Count());
        Assert.Equal(30, (await host.ClaimsAsync()).Count);
        Assert.Equal(30, effects.DownstreamCalls.Count);
        Assert.All(effects.DownstreamCalls.Values, calls => Assert.Equal(1, calls));
    }
}

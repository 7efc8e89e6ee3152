using Inbox.Operations;
using Npgsql;

namespace Inbox.Chaos;

/// <summary>Waits for the stack to settle, then reads what happened from the database, the simulator and the counters.</summary>
internal static class ChaosReport
{
    // The sample's consumers and effect names: the downstream key of an operation is derived from them.
    private const string WebhookConsumer = "Inbox.Samples.Hosting.Consumers.WebhookEventConsumer";
    private const string LetterConsumer = "Inbox.Samples.Hosting.Consumers.LetterConsumer";

    public sealed record Figures(IReadOnlyList<string> Lines, bool Broken);

    public static async Task<long> AwaitQuiescenceAsync(string database, TimeSpan limit, Action<string> log)
    {
        var deadline = DateTime.UtcNow + limit;
        long unfinished;
        while (true)
        {
            unfinished = await ScalarAsync(database, "SELECT count(*) FROM inbox_operations WHERE status < 2");
            if (unfinished == 0 || DateTime.UtcNow > deadline)
            {
                break;
            }

            log($"waiting for {unfinished} operation(s) to finish");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        return unfinished;
    }

    /// <summary>The figures; <paramref name="more"/> (the cluster mode's) go before the verdict and count in it.</summary>
    public static async Task<Figures> CollectAsync(
        string database, ChaosStack stack, LoadClient client, ChaosMonkey monkey, ChaosOptions options, int submissions, Figures? more = null)
    {
        var accepted = await ScalarAsync(database, "SELECT count(*) FROM inbox_operations");
        var succeeded = await ScalarAsync(database, "SELECT count(*) FROM inbox_operations WHERE status = 2");
        var failed = await ScalarAsync(database, "SELECT count(*) FROM inbox_operations WHERE status = 3");
        var lost = accepted - succeeded - failed;
        var doubledClaims = await ScalarAsync(database,
            "SELECT count(*) FROM (SELECT operation_id FROM claims GROUP BY operation_id HAVING count(*) > 1) doubled");
        var missingClaims = await ScalarAsync(database,
            "SELECT count(*) FROM inbox_operations o WHERE o.endpoint = 'POST /v1/claims' AND o.status = 2 AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.operation_id = o.id)");

        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (endpoint, consumer, effect) in new[] { ("POST /v1/webhook-events", WebhookConsumer, "webhook"), ("POST /v1/letters", LetterConsumer, "print") })
        {
            foreach (var id in await ListAsync(database, $"SELECT id FROM inbox_operations WHERE endpoint = '{endpoint}' AND status = 2"))
            {
                expected[RandomIds.Derive("dk_", $"{consumer}\nop:{id}\n{effect}")] = id;
            }
        }

        using var http = new HttpClient { BaseAddress = stack.Downstream.BaseAddress };
        var effects = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<Dictionary<string, EffectsOfKind>>(http, "effects") ?? [];
        var seen = effects.Values.SelectMany(kind => kind.by_key.Keys).ToHashSet(StringComparer.Ordinal);
        var calls = effects.Values.Sum(kind => kind.calls);
        var distinct = effects.Values.Sum(kind => kind.distinct_keys);
        var strayKeys = seen.Count(key => !expected.ContainsKey(key));
        var missingCalls = expected.Keys.Count(key => !seen.Contains(key));

        var counters = await stack.CountersAsync();
        long Counter(string name) => counters.GetValueOrDefault(name);

        var failures = await ListAsync(database,
            "SELECT count(*) || 'x ' || coalesce(error_code, '-') || ': ' || left(coalesce(error_message, '-'), 200) FROM inbox_operations WHERE status = 3 GROUP BY error_code, left(coalesce(error_message, '-'), 200) ORDER BY count(*) DESC LIMIT 5");

        var broken = (more?.Broken ?? false) || lost > 0 || doubledClaims > 0 || missingClaims > 0 || strayKeys > 0 || missingCalls > 0 || !client.Inconsistencies.IsEmpty
            || client.OperationByKey.Count != submissions || client.InternalServerErrors > 0;
        var lines = new List<string>
        {
            $"submissions sent: {submissions}",
            $"requests sent: {client.Requests} (lost responses {client.LostResponses}, transport errors {client.TransportErrors}, 500 {client.InternalServerErrors}, 503 {client.Unavailable}, other 5xx {client.OtherServerErrors}, in use {client.InUse})",
            $"submissions answered 202: {client.OperationByKey.Count}",
            $"operations accepted: {accepted}",
            $"operations terminal: {succeeded + failed} (succeeded {succeeded}, failed {failed})",
            $"lost (accepted but never terminal): {lost}",
            $"double transactional effects (claim operations with more than one claim row): {doubledClaims}",
            $"transactional effects missing (succeeded claim operations without a claim row): {missingClaims}",
            $"leased operations with more than one distinct downstream key: {strayKeys}",
            $"leased operations succeeded without a downstream call: {missingCalls}",
            $"downstream calls: {calls} (distinct keys {distinct}, excess over distinct keys {calls - distinct})",
            $"duplicates replayed by the API: {client.Replayed}",
            $"publishes failed at accept time (left to the relay): at least {Counter("inbox.operations.publish_failures")}",
            $"operations republished by the relay: at least {Counter("inbox.operations.relayed")}",
            $"messages consumed: at least {Counter("inbox.messages.consumed")}",
            $"duplicates skipped by the inbox: at least {Counter("inbox.messages.duplicates_skipped")}",
            $"deliveries deferred on a live lease: at least {Counter("inbox.messages.deferred")}",
            $"lease takeovers: at least {Counter("inbox.leases.takeovers")}",
            $"failures recorded: at least {Counter("inbox.messages.failures_recorded")}",
            $"kills survived: {monkey.WorkerKills + monkey.ApiKills} (workers {monkey.WorkerKills}, APIs {monkey.ApiKills}); broker restarts {monkey.BrokerRestarts}; database restarts {monkey.DatabaseRestarts}",
            $"client inconsistencies: {client.Inconsistencies.Count}",
        };
        lines.AddRange(failures.Select(failure => $"  failed operations: {failure}"));
        lines.AddRange(more?.Lines ?? []);
        if (stack.Errors.Distinct > 0)
        {
            lines.Add($"errors logged by the processes ({stack.Errors.Distinct} distinct, most frequent first):");
            lines.AddRange(stack.Errors.Lines(16));
        }

        lines.AddRange(monkey.Skipped.Select(s => $"skipped: {s}"));
        lines.AddRange(client.Inconsistencies.Take(10).Select(i => $"  inconsistency: {i}"));
        if (client.InternalServerErrors > 0)
        {
            lines.Add($"FAILED: {client.InternalServerErrors} request(s) answered 500; an unavailable store must answer 503 service_unavailable with Retry-After");
        }

        lines.Add(broken ? "verdict: BROKEN" : "verdict: nothing lost, nothing doubled");
        return new Figures(lines, broken);
    }

    internal static Task<long> ScalarAsync(string database, string sql) =>
        WithRetriesAsync(database, sql, async command => Convert.ToInt64(await command.ExecuteScalarAsync()));

    internal static Task<List<string>> ListAsync(string database, string sql) =>
        WithRetriesAsync(database, sql, async command =>
        {
            await using var reader = await command.ExecuteReaderAsync();
            var values = new List<string>();
            while (await reader.ReadAsync())
            {
                values.Add(reader.GetString(0));
            }

            return values;
        });

    // A server restart or a failover leaves broken connections in the pool, and the new primary may take a moment.
    private static async Task<T> WithRetriesAsync<T>(string database, string sql, Func<NpgsqlCommand, Task<T>> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(database);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(sql, connection);
                return await read(command);
            }
            catch (NpgsqlException) when (attempt < 10)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

#pragma warning disable IDE1006, CA1707 // The simulator's JSON names.
    private sealed record EffectsOfKind(int calls, int distinct_keys, Dictionary<string, int> by_key);
#pragma warning restore IDE1006, CA1707
}

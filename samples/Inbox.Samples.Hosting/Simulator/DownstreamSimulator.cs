using Inbox.Operations;
using Microsoft.AspNetCore.Http;

namespace Inbox.Samples.Hosting.Simulator;

/// <summary>
/// A stand-in for the webhook subscriber, the print provider and the payer's eligibility service. It records every call it receives by
/// downstream key and deduplicates like a well-behaved downstream: a repeated key gets the same answer.
/// <c>GET /effects</c> reports the calls; <c>PUT /faults</c> makes a fraction of calls fail or stall.
/// </summary>
public static class DownstreamSimulator
{
    private static readonly string[] Kinds = ["webhooks", "letters", "payer"];

    public static IServiceCollection AddDownstreamSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        var plan = new FaultPlan();
        plan.Set(
            configuration.GetValue("Simulator:FailRate", 0.0),
            configuration.GetValue("Simulator:StallRate", 0.0),
            configuration.GetValue("Simulator:StallMilliseconds", 0));
        services.AddSingleton(plan);
        services.AddSingleton<EffectLedger>();
        return services;
    }

    public static RouteGroupBuilder MapDownstreamSimulator(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        var group = endpoints.MapGroup(prefix).WithTags("Downstream simulator").ExcludeFromDescription();

        group.MapPost("/webhooks/{subscription}", async (HttpRequest request, EffectLedger ledger, FaultPlan faults, CancellationToken cancellationToken) =>
        {
            var key = request.Headers["webhook-id"].ToString();
            if (key.Length == 0)
            {
                return Results.BadRequest(new { error = "webhook-id header is required" });
            }

            return await EffectAsync("webhooks", key, ledger, faults, () => Results.Ok(new { received = true }), cancellationToken);
        });

        group.MapPost("/print/letters", async (HttpRequest request, EffectLedger ledger, FaultPlan faults, CancellationToken cancellationToken) =>
        {
            var key = request.Headers["Idempotency-Key"].ToString();
            if (key.Length == 0)
            {
                return Results.BadRequest(new { error = "Idempotency-Key header is required" });
            }

            // The same key always names the same letter: the provider prints it once.
            return await EffectAsync("letters", key, ledger, faults, () => Results.Accepted(value: new { letter_id = RandomIds.Derive("ltr_", key) }), cancellationToken);
        });

        group.MapPost("/payers/{payer}/eligibility", async (string payer, EligibilityCheck check, HttpRequest request, EffectLedger ledger, FaultPlan faults, CancellationToken cancellationToken) =>
        {
            var key = request.Headers["Idempotency-Key"].ToString();
            if (key.Length == 0)
            {
                return Results.BadRequest(new { error = "Idempotency-Key header is required" });
            }

            // Members whose id starts with X are not covered; everyone else is on the payer's one plan.
            var eligible = !check.MemberId.StartsWith('X');
            return await EffectAsync("payer", key, ledger, faults, () => Results.Ok(new { eligible, plan = eligible ? $"{payer} PPO" : null }), cancellationToken);
        });

        group.MapGet("/effects", (EffectLedger ledger) => Results.Ok(ledger.Snapshot(Kinds)));
        group.MapDelete("/effects", (EffectLedger ledger) =>
        {
            ledger.Clear();
            return Results.NoContent();
        });
        group.MapPut("/faults", (FaultSettings settings, FaultPlan faults) =>
        {
            faults.Set(settings.FailRate, settings.StallRate, settings.StallMilliseconds);
            return Results.Ok(new { fail_rate = faults.FailRate, stall_rate = faults.StallRate, stall_ms = faults.StallMilliseconds });
        });
        return group;
    }

    private static async Task<IResult> EffectAsync(
        string kind, string key, EffectLedger ledger, FaultPlan faults, Func<IResult> answer, CancellationToken cancellationToken)
    {
        if (faults.ShouldFail())
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        ledger.Record(kind, key);
        if (faults.StallFor() is { } stall && stall > TimeSpan.Zero)
        {
            // The work is done; the answer is late. A caller that gives up retries with the same key.
            await Task.Delay(stall, CancellationToken.None);
        }

        return answer();
    }

    public sealed record EligibilityCheck(
        [property: System.Text.Json.Serialization.JsonPropertyName("patient_id")] string PatientId,
        [property: System.Text.Json.Serialization.JsonPropertyName("member_id")] string MemberId);

    public sealed record FaultSettings(
        [property: System.Text.Json.Serialization.JsonPropertyName("fail_rate")] double FailRate,
        [property: System.Text.Json.Serialization.JsonPropertyName("stall_rate")] double StallRate,
        [property: System.Text.Json.Serialization.JsonPropertyName("stall_ms")] int StallMilliseconds);
}

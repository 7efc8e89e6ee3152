using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.AspNetCore.Tests.Support;

/// <summary>Synchronous endpoints that write their own responses, in both modes, for the synchronous contract tests.</summary>
public static class SynchronousEndpoints
{
    /// <summary>The body of <c>/sync/stream</c>: 200 KiB written in uneven chunks.</summary>
    public static readonly byte[] StreamedBody = Enumerable.Range(0, 200 * 1024).Select(i => (byte)(i * 31 % 251)).ToArray();

    /// <summary>A policy whose transactional requests read their operation before they claim it.</summary>
    public const string ReadFirstPolicy = "read-first";

    public static void AddServices(IServiceCollection services) => services.AddSingleton<HandlerProbe>();

    public static void Map(WebApplication app)
    {
        app.MapPost("/sync/patients", CreatePatientAsync).WithIdempotency(IdempotencyMode.Transactional);
        app.MapPost("/sync/leased-patients", CreatePatientAsync).WithIdempotency(IdempotencyMode.Leased);
        app.MapPost("/sync/read-first-patients", CreatePatientAsync).WithIdempotency(IdempotencyMode.Transactional, ReadFirstPolicy);

        // A validation filter added before WithIdempotency runs before the claim.
        app.MapPost("/sync/validated-patients", CreatePatientAsync)
            .AddEndpointFilter(async (invocation, next) =>
                invocation.GetArgument<PatientRequest>(0).Name.StartsWith(' ')
                    ? Results.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["must not start with a space"] })
                    : await next(invocation))
            .WithIdempotency(IdempotencyMode.Transactional);

        // Answers the status in the route, after writing a row: for the stored and not-stored classes.
        app.MapPost("/sync/status/{code:int}", async (int code, PatientRequest request, TestDbContext db, HandlerProbe probe) =>
        {
            probe.Ran();
            db.Patients.Add(new TestPatient { Id = "pat_" + Guid.NewGuid().ToString("N"), Name = request.Name });
            await db.SaveChangesAsync();
            return Results.Json(new { code }, statusCode: code);
        }).WithIdempotency(IdempotencyMode.Transactional);
        app.MapPost("/sync/leased-status/{code:int}", (int code, HandlerProbe probe) =>
        {
            probe.Ran();
            return Results.Json(new { code }, statusCode: code);
        }).WithIdempotency(IdempotencyMode.Leased);

        app.MapPost("/sync/throws-after-save", async (PatientRequest request, TestDbContext db, HandlerProbe probe) =>
        {
            probe.Ran();
            db.Patients.Add(new TestPatient { Id = "pat_" + Guid.NewGuid().ToString("N"), Name = request.Name });
            await db.SaveChangesAsync();
            if (probe.Runs == 1)
            {
                throw new InvalidOperationException("The handler failed after its SaveChanges.");
            }

            return TypedResults.Ok(new { saved = true });
        }).WithIdempotency(IdempotencyMode.Transactional);

        app.MapPost("/sync/stream", async (HttpContext context, HandlerProbe probe) =>
        {
            probe.Ran();
            context.Response.ContentType = "application/octet-stream";
            var body = StreamedBody.AsMemory();
            for (var offset = 0; offset < body.Length;)
            {
                var size = Math.Min(body.Length - offset, 1000 + offset % 7919);
                await context.Response.BodyWriter.WriteAsync(body.Slice(offset, size));
                offset += size;
            }
        }).WithIdempotency(IdempotencyMode.Leased);

        app.MapPost("/sync/large", async (PatientRequest request, TestDbContext db, HandlerProbe probe) =>
        {
            probe.Ran();
            db.Patients.Add(new TestPatient { Id = "pat_" + Guid.NewGuid().ToString("N"), Name = request.Name });
            await db.SaveChangesAsync();
            return Results.Text(new string('x', 4000), "text/plain", Encoding.ASCII);
        }).WithIdempotency(IdempotencyMode.Transactional);

        // A custom status a replay must keep (IdempotentAPI replays it as 200).
        app.MapPost("/sync/not-acceptable", (HandlerProbe probe) =>
        {
            probe.Ran();
            return Results.Problem(statusCode: StatusCodes.Status406NotAcceptable, title: "Not acceptable");
        }).WithIdempotency(IdempotencyMode.Leased);
    }

    private static async Task<IResult> CreatePatientAsync(PatientRequest request, HttpContext context, TestDbContext db, HandlerProbe probe)
    {
        probe.Ran();
        var patient = new TestPatient { Id = "pat_" + Guid.NewGuid().ToString("N"), Name = request.Name };
        db.Patients.Add(patient);
        await db.SaveChangesAsync();
        if (context.Features.Get<IIdempotencyFeature>()?.IdempotencyKey is not null)
        {
            probe.DownstreamKeys.Enqueue(context.GetDownstreamKey("payer"));
        }

        await probe.PassGateAsync();
        return TypedResults.Created($"/patients/{patient.Id}", new { id = patient.Id, name = patient.Name, request_id = context.GetInboxRequestId() });
    }
}

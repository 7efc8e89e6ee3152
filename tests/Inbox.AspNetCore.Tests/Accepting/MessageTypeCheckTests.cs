using System.Net;
using Inbox.AspNetCore.Tests.Support;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Publishing;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Inbox.AspNetCore.Tests.Accepting;

/// <summary>
/// The operation row stores the message as JSON and the relay republishes it from there, so a message type whose
/// members do not survive that round trip would make the relay fail every cycle or publish a different message.
/// An endpoint whose message type is known when it is mapped stops the application at start-up instead.
/// </summary>
public sealed class MessageTypeCheckTests
{
    [Fact]
    public async Task A_sample_like_endpoint_that_publishes_a_message_with_a_public_field_stops_the_application_at_start_up()
    {
        var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        try
        {
            // As the samples do: the handler answers IResult (a validation error or the acceptance), so the endpoint names its message type.
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApi.StartAsync(database, endpoints: app =>
                app.MapPost("/field-claims", (ClaimRequest request) => request.AmountCents > 0
                        ? InboxResults.Accept(new FieldClaim { PatientId = request.PatientId, AmountCents = request.AmountCents })
                        : Results.BadRequest())
                    .WithIdempotency()
                    .Publishes(typeof(FieldClaim))));

            Assert.Contains("HTTP: POST /field-claims", error.Message, StringComparison.Ordinal);
            var problem = Assert.IsType<MessageRoundTripException>(error.InnerException);
            Assert.Equal(typeof(FieldClaim), problem.MessageType);
            Assert.Equal("AmountCents", problem.Member);
            Assert.Contains($"{typeof(FieldClaim).FullName} cannot be stored for the relay", error.Message, StringComparison.Ordinal);
            Assert.Contains("public field AmountCents is not stored", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_endpoint_that_returns_the_acceptance_of_an_interface_type_stops_the_application_at_start_up()
    {
        var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApi.StartAsync(database, endpoints: app =>
                app.MapPost("/interface-claims", () => InboxResults.Accept<IClaimSubmitted>(new ClaimSubmitted("pat_1"))).WithIdempotency()));

            var problem = Assert.IsType<MessageRoundTripException>(error.InnerException);
            Assert.Equal(typeof(IClaimSubmitted), problem.MessageType);
            Assert.Contains("IClaimSubmitted is an interface", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_message_type_no_endpoint_names_is_still_accepted_and_reported_once_as_an_error()
    {
        await using var api = await TestApi.StartAsync(
            await TestDatabase.CreateAsync(DatabaseKind.Sqlite),
            services: services => services.AddLogging(logging => logging.AddFakeLogging()),
            endpoints: app => app.MapPost("/get-only-claims", HandleGetOnly).WithIdempotency());
        var logs = api.Services.GetRequiredService<FakeLogCollector>();

        using var first = await api.Client.SendAsync(Http.Post("/get-only-claims", Http.ValidClaim, key: "get-only-1"));
        using var second = await api.Client.SendAsync(Http.Post("/get-only-claims", Http.ValidClaim, key: "get-only-2"));

        // Never a 500: the 202 stands and the first publish carries the message as the handler built it.
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(2, (await api.OperationsAsync()).Count);
        var report = Assert.Single(logs.GetSnapshot(), record => record.Id.Name == "MessageTypeCannotRoundTrip");
        Assert.Equal(LogLevel.Error, report.Level);
        Assert.Contains(typeof(GetOnlyClaim).FullName!, report.Message, StringComparison.Ordinal);
        Assert.Contains("property Reference", report.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("get-only-1", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_message_that_round_trips_starts_and_is_stored_as_it_is_published()
    {
        await using var api = await TestApi.StartAsync(await TestDatabase.CreateAsync(DatabaseKind.Sqlite), endpoints: app =>
            app.MapPost("/record-claims", (ClaimRequest request) => InboxResults.Accept(new SubmitClaim(request.PatientId!, request.AmountCents)))
                .WithIdempotency()
                .Publishes(typeof(SubmitClaim)));

        using var response = await api.Client.SendAsync(Http.Post("/record-claims", Http.ValidClaim, key: "record-1"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        InboxOperation stored = Assert.Single(await api.OperationsAsync());
        Assert.Equal(new SubmitClaim("pat_123", 12500), MessageSerializer.Deserialize(stored.MessageBody, typeof(SubmitClaim)));
    }

    private static IResult HandleGetOnly(ClaimRequest request) =>
        InboxResults.Accept(new GetOnlyClaim(request.PatientId!) { AmountCents = request.AmountCents });

    public interface IClaimSubmitted
    {
        string PatientId { get; }
    }

    public sealed record ClaimSubmitted(string PatientId) : IClaimSubmitted;

    public sealed class FieldClaim
    {
#pragma warning disable CA1051 // the point of the test: System.Text.Json does not write fields
        public int AmountCents;
#pragma warning restore CA1051

        public string? PatientId { get; init; }
    }

    public sealed class GetOnlyClaim
    {
        public GetOnlyClaim(string patientId)
        {
            PatientId = patientId;
            Reference = "ref-" + patientId;
        }

        // Bound to the constructor parameter: read back.
        public string PatientId { get; }

        // Written, but nothing sets it on the way back: the relay would republish the constructor's "ref-" + null.
        public string Reference { get; }

        public int AmountCents { get; init; }
    }
}

using System.Diagnostics.Metrics;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Diagnostics;
using Inbox.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Inbox.AspNetCore.Tests.Diagnostics;

public sealed class MetricsTests
{
    [Fact]
    public async Task Counters_report_accepted_replayed_mismatched_and_rejected_requests_per_endpoint()
    {
        await using var api = await TestApi.StartAsync(await TestDatabase.CreateAsync(DatabaseKind.Sqlite));
        var meters = api.Services.GetRequiredService<IMeterFactory>();
        using var accepted = new MetricCollector<long>(meters, InboxDiagnostics.Name, InboxDiagnostics.OperationsAccepted);
        using var replayed = new MetricCollector<long>(meters, InboxDiagnostics.Name, InboxDiagnostics.OperationsReplayed);
        using var mismatched = new MetricCollector<long>(meters, InboxDiagnostics.Name, InboxDiagnostics.OperationsMismatched);
        using var rejected = new MetricCollector<long>(meters, InboxDiagnostics.Name, InboxDiagnostics.KeysRejected);
        using var publishFailures = new MetricCollector<long>(meters, InboxDiagnostics.Name, InboxDiagnostics.PublishFailures);

        await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        await api.Client.SendAsync(Http.Post("/claims", """{"patientId": "x", "amountCents": 2}""", key: "key-1"));
        await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "bad key"));
        api.Publisher.Fail = true;
        await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-2"));

        Assert.Equal(2, accepted.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(2, replayed.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, mismatched.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, rejected.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, publishFailures.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.All(accepted.GetMeasurementSnapshot(), m => Assert.Equal("POST /claims", m.Tags["inbox.endpoint"]));
    }
}

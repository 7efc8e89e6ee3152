using Inbox.Testing;

namespace Inbox.Client.Tests.Support;

/// <summary>
/// The sample API's embedded default (SQLite, in-memory transport, worker and downstream simulator in one process),
/// started as a real process for the tests of one collection. Subscription <c>sub_gone</c> points at a route the
/// simulator does not have, so its webhook events fail with <c>subscriber_rejected</c>.
/// </summary>
public sealed class SampleApiFixture : IAsyncLifetime
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("inbox-client-").FullName;
    private AppProcess? _api;

    public Uri BaseAddress => _api?.BaseAddress ?? throw new InvalidOperationException("The sample API has not started.");

    public async Task InitializeAsync() => _api = await AppProcess.StartAsync(
        "Inbox.Samples.Api",
        AppProcess.FreePort(),
        new Dictionary<string, string> { ["Subscriptions__sub_gone"] = "gone/sub_gone" },
        _workingDirectory);

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        Directory.Delete(_workingDirectory, recursive: true);
    }
}

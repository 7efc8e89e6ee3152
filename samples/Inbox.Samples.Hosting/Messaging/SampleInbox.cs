using Inbox.Samples.Data;

namespace Inbox.Samples.Hosting;

/// <summary>
/// The store options from configuration: <c>Inbox:RelayDelaySeconds</c> (30) and <c>Inbox:RelayPollSeconds</c> (5);
/// and the library's health check over the store, tagged <c>ready</c> (see <see cref="SampleHealthChecks"/>).
/// </summary>
public static class SampleInbox
{
    public static IInboxBuilder UseSampleStore(this IInboxBuilder inbox, IConfiguration configuration)
    {
        inbox.Services.AddHealthChecks().AddInboxHealthChecks(tags: [SampleHealthChecks.ReadyTag]);
        return inbox.UseEntityFrameworkCore<SamplesDbContext>(store =>
        {
            store.RelayDelay = TimeSpan.FromSeconds(configuration.GetValue("Inbox:RelayDelaySeconds", 30));
            store.RelayPollInterval = TimeSpan.FromSeconds(configuration.GetValue("Inbox:RelayPollSeconds", 5));
        });
    }
}

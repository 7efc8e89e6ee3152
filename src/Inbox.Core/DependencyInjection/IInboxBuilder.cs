namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures Inbox: returned by <c>AddInbox</c> and extended by the store, HTTP and MassTransit packages.</summary>
public interface IInboxBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.AspNetCore.Tests.Operating;

/// <summary>The console reads and acts through the store's console contracts; a store that registers neither stops the application when the console is mapped, not on the first request.</summary>
public sealed class ConsoleStoreRequirementTests
{
    [Fact]
    public async Task Mapping_the_console_without_a_store_that_serves_it_fails_at_start_up_saying_what_to_register()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddIdempotency();
        builder.Services.AddAuthorization(options => options.AddPolicy("inbox-operator", policy => policy.RequireAuthenticatedUser()));
        await using var app = builder.Build();

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapInboxConsole("/inbox", "inbox-operator"));

        Assert.Contains(nameof(Inbox.Stores.IOperationConsoleStore), exception.Message, StringComparison.Ordinal);
        Assert.Contains("UseEntityFrameworkCore", exception.Message, StringComparison.Ordinal);
    }
}

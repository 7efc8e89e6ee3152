using Inbox.MassTransit.Consuming;
using Inbox.MassTransit.Tests.Support;
using MassTransit;

namespace Inbox.MassTransit.Tests.Consuming;

/// <summary>A consumer's inbox name is its key space: it must not change when a deploy changes assembly versions.</summary>
public sealed class InboxNamesTests
{
    [Fact]
    public void Plain_consumer_is_named_by_its_full_name()
    {
        Assert.Equal("Inbox.MassTransit.Tests.Support.NoteConsumer", InboxNames.Of(typeof(NoteConsumer)));
    }

    [Fact]
    public void Closed_generic_consumer_is_named_without_the_assembly_versions_of_its_type_arguments()
    {
        Assert.Equal(
            "Inbox.MassTransit.Tests.Consuming.InboxNamesTests+Generic`2[Inbox.MassTransit.Tests.Support.RecordNote,System.Collections.Generic.List`1[System.Int32][]]",
            InboxNames.Of(typeof(Generic<RecordNote, List<int>[]>)));
    }

    private sealed class Generic<TMessage, TExtra> : IConsumer<TMessage>
        where TMessage : class
    {
        public Task Consume(ConsumeContext<TMessage> context) => Task.CompletedTask;
    }
}

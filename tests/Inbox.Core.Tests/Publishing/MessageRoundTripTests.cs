using Inbox.Publishing;

namespace Inbox.Core.Tests.Publishing;

public sealed class MessageRoundTripTests
{
    [Fact]
    public void A_record_with_a_primary_constructor_round_trips()
    {
        Assert.Null(MessageSerializer.CheckRoundTrip(typeof(RecordMessage)));

        var message = new RecordMessage("p-1", 1200, ["A1", "B2"], new Address("Main St 1"));
        var json = MessageSerializer.Serialize(message, typeof(RecordMessage));
        var copy = (RecordMessage)MessageSerializer.Deserialize(json, typeof(RecordMessage));
        Assert.Equal(json, MessageSerializer.Serialize(copy, typeof(RecordMessage)));
    }

    [Fact]
    public void A_class_with_init_setters_round_trips()
    {
        Assert.Null(MessageSerializer.CheckRoundTrip(typeof(InitMessage)));
    }

    [Fact]
    public void A_record_whose_constructor_refuses_empty_values_round_trips()
    {
        Assert.Null(MessageSerializer.CheckRoundTrip(typeof(ValidatingMessage)));
    }

    [Fact]
    public void A_message_with_a_public_field_is_refused_and_the_field_named()
    {
        var problem = MessageSerializer.CheckRoundTrip(typeof(FieldMessage));

        Assert.NotNull(problem);
        Assert.Equal(typeof(FieldMessage), problem.MessageType);
        Assert.Equal("AmountCents", problem.Member);
        Assert.Contains(typeof(FieldMessage).FullName!, problem.Message, StringComparison.Ordinal);
        Assert.Contains("field AmountCents", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_get_only_property_without_a_constructor_parameter_is_refused_and_named()
    {
        var problem = MessageSerializer.CheckRoundTrip(typeof(GetOnlyMessage));

        Assert.NotNull(problem);
        Assert.Equal("Reference", problem.Member);
        Assert.Contains("property Reference", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(IInterfaceMessage), "an interface")]
    [InlineData(typeof(AbstractMessage), "an abstract class")]
    [InlineData(typeof(NoUsableConstructorMessage), "cannot be created")]
    public void A_type_the_relay_cannot_create_is_refused(Type messageType, string reason)
    {
        var problem = MessageSerializer.CheckRoundTrip(messageType);

        Assert.NotNull(problem);
        Assert.Equal(messageType, problem.MessageType);
        Assert.Null(problem.Member);
        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_problem_in_a_nested_type_names_the_path_to_it()
    {
        var problem = MessageSerializer.CheckRoundTrip(typeof(NestedProblemMessage));

        Assert.NotNull(problem);
        Assert.Equal(typeof(NestedProblemMessage), problem.MessageType);
        Assert.Equal("Items[].AmountCents", problem.Member);
    }

    [Fact]
    public void EnsureRoundTrips_throws_the_problem()
    {
        var exception = Assert.Throws<MessageRoundTripException>(() => MessageSerializer.EnsureRoundTrips(typeof(FieldMessage)));

        Assert.Equal("AmountCents", exception.Member);
        MessageSerializer.EnsureRoundTrips(typeof(RecordMessage));
    }

    public sealed record Address(string Street);

    public sealed record RecordMessage(string PatientId, long AmountCents, IReadOnlyList<string> ServiceCodes, Address Address)
    {
        // Computed from the other members and left out of the JSON: the same again after the round trip.
        [System.Text.Json.Serialization.JsonIgnore]
        public bool IsLarge => AmountCents > 1000;
    }

    public sealed record ValidatingMessage
    {
        public ValidatingMessage(string patientId) => PatientId = patientId.Trim();

        public string PatientId { get; }
    }

    public sealed class InitMessage
    {
        public required string PatientId { get; init; }

        public List<string> Codes { get; init; } = [];
    }

    public sealed class FieldMessage
    {
#pragma warning disable CA1051 // the point of the test
        public long AmountCents;
#pragma warning restore CA1051

        public string? PatientId { get; set; }
    }

    public sealed class GetOnlyMessage
    {
        public GetOnlyMessage() => Reference = "set in the constructor";

        public string Reference { get; }

        public string? PatientId { get; set; }
    }

    public interface IInterfaceMessage
    {
        string PatientId { get; }
    }

    public abstract class AbstractMessage
    {
        public string? PatientId { get; set; }
    }

    public sealed record NestedProblemMessage(IReadOnlyList<FieldMessage> Items);

    public sealed class NoUsableConstructorMessage
    {
        private NoUsableConstructorMessage(string patientId) => PatientId = patientId;

        public string PatientId { get; init; }

        public static NoUsableConstructorMessage Create(string patientId) => new(patientId);
    }
}

using Inbox.Operations;

namespace Inbox.Core.Tests.Operations;

public sealed class RandomIdsTests
{
    [Fact]
    public void Operation_ids_have_the_documented_shape_and_do_not_repeat()
    {
        var ids = Enumerable.Range(0, 20_000).Select(_ => RandomIds.NewOperationId()).ToArray();

        Assert.All(ids, id =>
        {
            Assert.Equal(RandomIds.OperationIdLength, id.Length);
            Assert.StartsWith("op_", id);
            Assert.True(RandomIds.IsOperationId(id));
        });
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Every_character_position_varies()
    {
        var ids = Enumerable.Range(0, 2_000).Select(_ => RandomIds.NewOperationId()).ToArray();

        for (var position = 3; position < RandomIds.OperationIdLength; position++)
        {
            Assert.True(ids.Select(id => id[position]).Distinct().Count() > 4, $"position {position} barely varies");
        }
    }

    [Theory]
    [InlineData("op_0123456789abcdefghjkmnpqrs", true)]
    [InlineData("op_0123456789abcdefghjkmnpqr", false)]
    [InlineData("op_0123456789abcdefghjkmnpqrsu", false)]
    [InlineData("op_0123456789ABCDEFGHJKMNPQRS", false)]
    [InlineData("op_0123456789abcdefghjkmnpqri", false)]
    [InlineData("xx_0123456789abcdefghjkmnpqrs", false)]
    [InlineData("", false)]
    public void Shape_check_rejects_anything_else(string value, bool expected)
    {
        Assert.Equal(expected, RandomIds.IsOperationId(value));
    }

    [Fact]
    public void Request_ids_are_prefixed()
    {
        Assert.StartsWith("req_", RandomIds.NewRequestId());
        Assert.Equal(30, RandomIds.NewRequestId().Length);
    }
}

using System.Buffers.Text;
using System.Text;
using Inbox.AspNetCore.Operating;
using Inbox.Operating;
using Inbox.Operations;

namespace Inbox.AspNetCore.Tests.Operating;

public sealed class ConsoleCursorFormatTests
{
    [Fact]
    public void Cursor_round_trips_to_the_same_instant_and_id()
    {
        var cursor = new OperationCursor(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero).AddTicks(1234567), RandomIds.NewOperationId());

        Assert.True(ConsoleCursorFormat.TryParse(ConsoleCursorFormat.Format(cursor), out var parsed));

        Assert.Equal(cursor, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("638999999999999999:op_short")]
    public void Malformed_cursor_is_refused(string value) => Assert.False(ConsoleCursorFormat.TryParse(value, out _));

    [Fact]
    public void Cursor_with_a_forged_id_or_time_is_refused()
    {
        static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
        var id = RandomIds.NewOperationId();

        Assert.False(ConsoleCursorFormat.TryParse(Encode("123:not_an_operation"), out _));
        Assert.False(ConsoleCursorFormat.TryParse(Encode("-1:" + id), out _));
        Assert.False(ConsoleCursorFormat.TryParse(Encode(long.MaxValue + ":" + id), out _));
        Assert.True(ConsoleCursorFormat.TryParse(Encode("123:" + id), out _));
    }
}

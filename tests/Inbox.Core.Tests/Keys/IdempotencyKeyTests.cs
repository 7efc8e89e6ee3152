using Inbox.Keys;

namespace Inbox.Core.Tests.Keys;

public sealed class IdempotencyKeyTests
{
    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("550e8400-e29b-41d4-a716-446655440000", "550e8400-e29b-41d4-a716-446655440000")]
    [InlineData("!~", "!~")]
    [InlineData("\"abc\"", "abc")]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("\"a\\\\b\"", "a\\b")]
    [InlineData("a,b", "a,b")]
    [InlineData("\"", null)]
    public void Valid_values_parse_to_their_unquoted_key(string value, string? expected)
    {
        var error = IdempotencyKey.Parse(value, requireUuid: false, out var key);

        if (expected is null)
        {
            Assert.NotEqual(IdempotencyKeyError.None, error);
            Assert.Null(key);
        }
        else
        {
            Assert.Equal(IdempotencyKeyError.None, error);
            Assert.Equal(expected, key);
        }
    }

    [Theory]
    [InlineData(null, IdempotencyKeyError.Empty)]
    [InlineData("", IdempotencyKeyError.Empty)]
    [InlineData("\"\"", IdempotencyKeyError.Empty)]
    [InlineData(" ", IdempotencyKeyError.InvalidCharacter)]
    [InlineData("a b", IdempotencyKeyError.InvalidCharacter)]
    [InlineData("\"a b\"", IdempotencyKeyError.InvalidCharacter)]
    [InlineData("a\tb", IdempotencyKeyError.InvalidCharacter)]
    [InlineData("a\r\nX-Injected: 1", IdempotencyKeyError.InvalidCharacter)]
    [InlineData("caf\u00e9", IdempotencyKeyError.InvalidCharacter)]
    [InlineData("\u0000", IdempotencyKeyError.InvalidCharacter)]
    [InlineData("a\u007f", IdempotencyKeyError.InvalidCharacter)]
    [InlineData("\"abc", IdempotencyKeyError.UnterminatedQuotedString)]
    [InlineData("\"", IdempotencyKeyError.UnterminatedQuotedString)]
    [InlineData("\"a\\nb\"", IdempotencyKeyError.InvalidEscape)]
    [InlineData("\"a\"b\"", IdempotencyKeyError.InvalidEscape)]
    [InlineData("\"a\\\"", IdempotencyKeyError.InvalidEscape)]
    public void Invalid_values_name_the_rule_they_break(string? value, IdempotencyKeyError expected)
    {
        Assert.Equal(expected, IdempotencyKey.Parse(value, requireUuid: false, out var key));
        Assert.Null(key);
    }

    [Fact]
    public void Limits_apply_to_the_unquoted_value()
    {
        var max = new string('k', 255);

        Assert.Equal(IdempotencyKeyError.None, IdempotencyKey.Parse(max, false, out _));
        Assert.Equal(IdempotencyKeyError.None, IdempotencyKey.Parse($"\"{max}\"", false, out var quoted));
        Assert.Equal(max, quoted);
        Assert.Equal(IdempotencyKeyError.TooLong, IdempotencyKey.Parse(max + "k", false, out _));
        Assert.Equal(IdempotencyKeyError.TooLong, IdempotencyKey.Parse($"\"{max}k\"", false, out _));
    }

    [Theory]
    [InlineData("550e8400-e29b-41d4-a716-446655440000", IdempotencyKeyError.None)]
    [InlineData("550E8400-E29B-41D4-A716-446655440000", IdempotencyKeyError.None)]
    [InlineData("\"550e8400-e29b-41d4-a716-446655440000\"", IdempotencyKeyError.None)]
    [InlineData("550e8400e29b41d4a716446655440000", IdempotencyKeyError.NotUuid)]
    [InlineData("{550e8400-e29b-41d4-a716-446655440000}", IdempotencyKeyError.NotUuid)]
    [InlineData("order-42", IdempotencyKeyError.NotUuid)]
    public void Uuid_policy_accepts_only_the_hyphenated_form(string value, IdempotencyKeyError expected)
    {
        Assert.Equal(expected, IdempotencyKey.Parse(value, requireUuid: true, out _));
    }

    [Fact]
    public void Every_error_has_a_message_that_names_the_header()
    {
        foreach (var error in Enum.GetValues<IdempotencyKeyError>())
        {
            Assert.Contains("X-Key", error.Describe("X-Key"));
        }
    }

    [Fact]
    public void Parser_never_throws_on_generated_values()
    {
        var random = new Random(20261123);
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 300)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = random.Next(10) switch
                {
                    0 => '"',
                    1 => '\\',
                    < 8 => (char)random.Next(0x20, 0x7F),
                    _ => (char)random.Next(0, 0xFFFF),
                };
            }

            var value = new string(chars);
            var error = IdempotencyKey.Parse(value, requireUuid: random.Next(2) == 0, out var key);

            if (error == IdempotencyKeyError.None)
            {
                Assert.NotNull(key);
                Assert.InRange(key.Length, 1, IdempotencyKey.MaxLength);
                Assert.All(key, c => Assert.InRange(c, '\x21', '\x7E'));
            }
            else
            {
                Assert.Null(key);
            }
        }
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Inbox.Fingerprints;

namespace Inbox.Core.Tests.Fingerprints;

public sealed class JsonCanonicalizerTests
{
    private static string Canonical(string json) => Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(json))!);

    [Fact]
    public void Members_are_sorted_by_ordinal_name_and_whitespace_removed()
    {
        Assert.Equal("""{"Z":2,"a":1,"b":[3,{"c":4,"d":5}]}""", Canonical("""{ "b": [3, {"d":5, "c":4}], "a": 1, "Z": 2 }"""));
    }

    [Fact]
    public void Escaped_and_literal_forms_of_every_character_canonicalize_alike()
    {
        var texts = Enumerable.Range(0x20, 0x7F - 0x20).Select(i => ((char)i).ToString()).Concat(["é", "€", "😀", "\u2028", "\u00a0"]);
        foreach (var text in texts)
        {
            var escaped = string.Concat(text.Select(u => $"\\u{(int)u:x4}"));
            var literal = text switch { "\"" => "\\\"", "\\" => "\\\\", _ => text };
            var a = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes($"{{\"k{escaped}\": \"v{escaped}\"}}"));
            var b = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes($"{{\"k{literal}\": \"v{literal}\"}}"));
            Assert.True(a is not null && b is not null, $"{escaped}: {a is null} {b is null}");
            Assert.Equal(a, b);
        }
    }

    [Theory]
    [InlineData("""{"Amount":1,"amount":2}""")]
    [InlineData("""{"amount":2,"Amount":1}""")]
    [InlineData("""{"a":1,"a":1}""")]
    [InlineData("""{"a":1,"\u0041":2}""")]
    [InlineData("""{"x":[1,{"k":{"deep":1,"DEEP":2}}]}""")]
    [InlineData("""[{"ok":1},{"b":1,"B":2}]""")]
    [InlineData("""{"stra\u00dfe":1,"STRA\u00dfE":2}""")]
    [InlineData("""{"\u00e9t\u00e9":1,"\u00c9T\u00c9":2}""")]
    public void Duplicate_member_names_ignoring_case_at_any_depth_have_no_canonical_form(string json)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();

        Assert.Equal(JsonCanonicalStatus.DuplicateMemberName, JsonCanonicalizer.Write(Encoding.UTF8.GetBytes(json), output));
        Assert.Null(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Duplicate_names_are_found_in_objects_too_large_to_compare_pairwise()
    {
        var members = Enumerable.Range(0, 100).Select(i => $"\"m{i}\":{i}").ToList();
        var distinct = "{" + string.Join(",", members) + "}";
        members.Add("\"M57\":0");
        var duplicated = "{" + string.Join(",", members) + "}";

        Assert.NotNull(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(distinct)));
        Assert.Equal(JsonCanonicalStatus.DuplicateMemberName, JsonCanonicalizer.Write(Encoding.UTF8.GetBytes(duplicated), new System.Buffers.ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void The_same_name_in_sibling_objects_is_no_duplicate()
    {
        Assert.Equal("""{"a":{"x":1},"b":{"X":2,"y":3}}""", Canonical("""{"b":{"y":3,"X":2},"a":{"x":1}}"""));
    }

    [Fact]
    public void Invalid_documents_are_not_json_for_write()
    {
        Assert.Equal(JsonCanonicalStatus.NotJson, JsonCanonicalizer.Write("{"u8.ToArray(), new System.Buffers.ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Numbers_keep_their_text()
    {
        Assert.Equal("""[1.0,1,1e3,-0]""", Canonical("""[1.0, 1, 1e3, -0]"""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"a\":1,}")]
    [InlineData("[1] [2]")]
    [InlineData("// comment\n{}")]
    [InlineData("\"\\ud800\"")]
    public void Invalid_documents_are_refused(string json)
    {
        Assert.Null(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_not_thrown()
    {
        var deep = new string('[', 1000) + new string(']', 1000);

        Assert.Null(JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(deep)));
    }

    [Fact]
    public void Canonical_form_is_stable_under_shuffling_and_reformatting_of_generated_documents()
    {
        var random = new Random(42);
        for (var i = 0; i < 500; i++)
        {
            var node = Generate(random, depth: 0);
            var compact = node?.ToJsonString() ?? "null";
            var shuffled = Shuffle(node?.DeepClone(), random)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? " null ";

            var canonical = Canonical(compact);
            Assert.Equal(canonical, Canonical(shuffled));
            Assert.Equal(canonical, Canonical(canonical));
        }
    }

    [Fact]
    public void Canonicalizer_never_throws_on_random_bytes_and_the_fingerprint_throws_only_for_duplicate_names()
    {
        var random = new Random(7);
        var alphabet = Encoding.UTF8.GetBytes("{}[]\":,0123456789.eE+-truefalsn \\u\n\t");
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            for (var j = 0; j < bytes.Length; j++)
            {
                bytes[j] = random.Next(4) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            var status = JsonCanonicalizer.Write(bytes, new System.Buffers.ArrayBufferWriter<byte>());
            var canonical = JsonCanonicalizer.Canonicalize(bytes);
            if (canonical is not null)
            {
                Assert.Equal(canonical, JsonCanonicalizer.Canonicalize(canonical));
            }

            if (status == JsonCanonicalStatus.DuplicateMemberName)
            {
                Assert.Throws<DuplicateJsonMemberException>(() => RequestFingerprint.Compute("POST", "/r", bytes, isJson: true));
            }
            else
            {
                Assert.Equal(RequestFingerprint.Length, RequestFingerprint.Compute("POST", "/r", bytes, isJson: true).Length);
            }
        }
    }

    private static JsonNode? Generate(Random random, int depth)
    {
        var kind = depth > 3 ? random.Next(4) : random.Next(6);
        return kind switch
        {
            0 => JsonValue.Create(random.Next(-1000, 1000)),
            1 => JsonValue.Create(new string((char)random.Next('a', 'z'), random.Next(0, 5)) + "\u00e9\"\\"),
            2 => JsonValue.Create(random.Next(2) == 0),
            3 => null,
            4 => new JsonArray(Enumerable.Range(0, random.Next(0, 4)).Select(_ => Generate(random, depth + 1)).ToArray()),
            _ => new JsonObject(Enumerable.Range(0, random.Next(0, 5))
                .Select(k => KeyValuePair.Create("k" + k + (char)random.Next('A', 'z'), Generate(random, depth + 1)))),
        };
    }

    private static JsonNode? Shuffle(JsonNode? node, Random random)
    {
        switch (node)
        {
            case JsonObject obj:
                var members = obj.ToList();
                obj.Clear();
                foreach (var (name, value) in members.OrderBy(_ => random.Next()))
                {
                    obj[name] = Shuffle(value, random);
                }

                return obj;
            case JsonArray array:
                var items = array.ToList();
                array.Clear();
                foreach (var item in items)
                {
                    array.Add(Shuffle(item, random));
                }

                return array;
            default:
                return node;
        }
    }
}

using System.Text;
using Inbox.Fingerprints;

namespace Inbox.Core.Tests.Fingerprints;

public sealed class RequestFingerprintTests
{
    private static byte[] Json(string body, string method = "POST", string route = "/v1/claims") =>
        RequestFingerprint.Compute(method, route, Encoding.UTF8.GetBytes(body), isJson: true);

    [Fact]
    public void Key_order_and_whitespace_do_not_change_the_fingerprint()
    {
        var compact = Json("""{"a":1,"b":{"y":[1,2,{"q":true,"p":null}],"x":"s"}}""");
        var reordered = Json("""
            {
              "b" : { "x" : "s", "y" : [ 1, 2, { "p" : null, "q" : true } ] },
              "a" : 1
            }
            """);

        Assert.Equal(compact, reordered);
        Assert.Equal(RequestFingerprint.Length, compact.Length);
    }

    [Theory]
    [InlineData("""{"a":1}""", """{"a":2}""")]
    [InlineData("""{"a":[1,2]}""", """{"a":[2,1]}""")]
    [InlineData("""{"a":"x"}""", """{"a":"X"}""")]
    [InlineData("""{"a":1}""", """{"a":1,"b":1}""")]
    [InlineData("""{"a":null}""", """{}""")]
    public void Different_documents_have_different_fingerprints(string left, string right)
    {
        Assert.NotEqual(Json(left), Json(right));
    }

    [Fact]
    public void Method_and_route_pattern_are_part_of_the_fingerprint()
    {
        var body = """{"a":1}""";

        Assert.NotEqual(Json(body, route: "/v1/claims"), Json(body, route: "/v1/letters"));
        Assert.NotEqual(Json(body, method: "POST"), Json(body, method: "PUT"));
    }

    [Fact]
    public void Equivalent_string_escapes_canonicalize_alike()
    {
        Assert.Equal(Json("""{"name":"A\u00e9"}"""), Json("{\"name\":\"A\u00e9\"}"));
    }

    [Fact]
    public void Non_json_bodies_are_hashed_as_bytes()
    {
        var a = RequestFingerprint.Compute("POST", "/r", "a b"u8.ToArray(), isJson: false);
        var b = RequestFingerprint.Compute("POST", "/r", "a  b"u8.ToArray(), isJson: false);
        var again = RequestFingerprint.Compute("POST", "/r", "a b"u8.ToArray(), isJson: false);

        Assert.NotEqual(a, b);
        Assert.Equal(a, again);
    }

    [Fact]
    public void Malformed_json_falls_back_to_bytes_and_differs_from_valid_json()
    {
        var malformed = RequestFingerprint.Compute("POST", "/r", """{"a":1"""u8.ToArray(), isJson: true);
        var asBytes = RequestFingerprint.Compute("POST", "/r", """{"a":1"""u8.ToArray(), isJson: false);

        Assert.Equal(asBytes, malformed);
    }

    [Fact]
    public void Json_body_and_the_same_bytes_declared_as_text_differ()
    {
        var body = """{"a":1}"""u8.ToArray();

        Assert.NotEqual(
            RequestFingerprint.Compute("POST", "/r", body, isJson: true),
            RequestFingerprint.Compute("POST", "/r", body, isJson: false));
    }

    private static byte[] Target(
        KeyValuePair<string, string?>[]? routeValues = null, KeyValuePair<string, string?>[]? query = null, string body = """{"a":1}""") =>
        RequestFingerprint.Compute("POST", "/accounts/{account}/payments", routeValues ?? [], query ?? [], Encoding.UTF8.GetBytes(body), isJson: true);

    private static KeyValuePair<string, string?>[] Pairs(params (string Name, string? Value)[] pairs) =>
        pairs.Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)).ToArray();

    [Fact]
    public void Route_values_are_part_of_the_fingerprint_and_compare_ordinally()
    {
        Assert.NotEqual(Target(Pairs(("account", "A"))), Target(Pairs(("account", "B"))));
        Assert.NotEqual(Target(Pairs(("account", "A"))), Target(Pairs(("account", "a"))));
        Assert.NotEqual(Target(Pairs(("account", "A"))), Target());
        Assert.NotEqual(Target(Pairs(("account", ""))), Target(Pairs(("account", null))));
        Assert.Equal(Target(Pairs(("account", "A"))), Target(Pairs(("account", "A"))));
    }

    [Fact]
    public void Route_values_are_sorted_by_name()
    {
        Assert.Equal(Target(Pairs(("a", "1"), ("b", "2"))), Target(Pairs(("b", "2"), ("a", "1"))));
        Assert.NotEqual(Target(Pairs(("a", "1"), ("b", "2"))), Target(Pairs(("a", "2"), ("b", "1"))));
    }

    [Fact]
    public void Query_names_may_come_in_any_order_but_the_values_of_one_name_keep_theirs()
    {
        Assert.Equal(Target(query: Pairs(("a", "1"), ("b", "2"))), Target(query: Pairs(("b", "2"), ("a", "1"))));
        Assert.Equal(
            Target(query: Pairs(("tag", "1"), ("x", "0"), ("tag", "2"))),
            Target(query: Pairs(("x", "0"), ("tag", "1"), ("tag", "2"))));
        Assert.NotEqual(Target(query: Pairs(("tag", "1"), ("tag", "2"))), Target(query: Pairs(("tag", "2"), ("tag", "1"))));
        Assert.NotEqual(Target(query: Pairs(("a", "1"))), Target(query: Pairs(("a", "1"), ("a", "1"))));
        Assert.NotEqual(Target(query: Pairs(("a", "1"))), Target(query: Pairs(("A", "1"))));
    }

    [Fact]
    public void Framing_keeps_route_values_query_and_body_apart()
    {
        Assert.NotEqual(Target(Pairs(("a", "1"))), Target(query: Pairs(("a", "1"))));
        Assert.NotEqual(Target(Pairs(("ab", "c"))), Target(Pairs(("a", "bc"))));
        Assert.NotEqual(Target(query: Pairs(("a", "b"), ("c", "d"))), Target(query: Pairs(("a", "b\u0000c"))));
    }

    [Fact]
    public void Without_route_values_and_query_the_fingerprint_is_what_it_was_before_they_were_added()
    {
        // SHA-256 over "POST\n/v1/claims\njson\n" and the canonical {"a":1}: the 1.x framing, so operations stored by an
        // earlier version on endpoints without route parameters or query keep matching their retries.
        var expected = System.Security.Cryptography.SHA256.HashData("POST\n/v1/claims\njson\n{\"a\":1}"u8);

        Assert.Equal(expected, RequestFingerprint.Compute("POST", "/v1/claims", [], [], """{ "a" : 1 }"""u8.ToArray(), isJson: true));
        Assert.Equal(expected, Json("""{"a":1}"""));
    }

    [Fact]
    public void A_json_body_with_a_duplicate_member_name_is_refused()
    {
        Assert.Throws<DuplicateJsonMemberException>(() => Json("""{"Amount":1,"amount":2}"""));
        Assert.Equal(
            RequestFingerprint.Length,
            RequestFingerprint.Compute("POST", "/r", """{"Amount":1,"amount":2}"""u8.ToArray(), isJson: false).Length);
    }
}

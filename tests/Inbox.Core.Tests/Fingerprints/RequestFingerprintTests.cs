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
}

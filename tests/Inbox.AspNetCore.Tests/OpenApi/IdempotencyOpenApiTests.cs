using System.Net;
using System.Text.Json;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.AspNetCore.Tests.OpenApi;

/// <summary>
/// <c>services.AddOpenApi(o => o.AddIdempotency())</c>: the generated document, fetched over real HTTP, describes the
/// contract on opted-in endpoints and leaves the others alone.
/// </summary>
public sealed class IdempotencyOpenApiTests
{
    private static async Task<JsonElement> DocumentAsync(Action<IdempotencyOptions>? configure = null)
    {
        await using var api = await TestApi.StartAsync(
            await TestDatabase.CreateAsync(DatabaseKind.Sqlite),
            configure,
            kestrel: true,
            services: services => services.AddOpenApi(options => options.AddIdempotency()),
            endpoints: app => app.MapOpenApi());
        var response = await api.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static JsonElement Operation(JsonElement document, string path, string method) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static JsonElement? Header(JsonElement operation, string name) =>
        operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Cast<JsonElement?>().FirstOrDefault(p => p!.Value.GetProperty("in").GetString() == "header" && p.Value.GetProperty("name").GetString() == name)
            : null;

    // OpenAPI leaves "required": false out.
    private static bool IsRequired(JsonElement? parameter) =>
        parameter!.Value.TryGetProperty("required", out var required) && required.GetBoolean();

    private static string[] ErrorCodes(JsonElement operation, string status) =>
        operation.GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("schema")
            .GetProperty("properties").GetProperty("error").GetProperty("properties").GetProperty("code").GetProperty("enum")
            .EnumerateArray().Select(code => code.GetString()!).ToArray();

    [Fact]
    public async Task Opted_in_endpoint_documents_the_key_header_the_replayed_header_and_the_error_responses()
    {
        var document = await DocumentAsync();
        var claims = Operation(document, "/claims", "post");

        var key = Header(claims, "Idempotency-Key")!.Value;
        Assert.False(IsRequired(key));
        var description = key.GetProperty("description").GetString()!;
        Assert.Contains("1 to 255 visible ASCII", description);
        Assert.Contains("quoted form", description);
        Assert.Contains("X-Idempotency-Key", description);
        Assert.Equal(255, key.GetProperty("schema").GetProperty("maxLength").GetInt32());
        Assert.NotNull(Header(claims, "X-Idempotency-Key"));

        var responses = claims.GetProperty("responses");
        var successes = responses.EnumerateObject().Where(r => r.Name.StartsWith('2')).ToArray();
        Assert.NotEmpty(successes);
        Assert.All(successes, success => Assert.True(success.Value.GetProperty("headers").TryGetProperty("Idempotent-Replayed", out _)));

        Assert.Equal(["invalid_idempotency_key", "duplicate_json_member"], ErrorCodes(claims, "400"));
        Assert.Equal(["idempotency_key_mismatched_body", "idempotency_key_in_use"], ErrorCodes(claims, "409"));
        Assert.True(responses.GetProperty("409").GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.Equal(["request_body_too_large"], ErrorCodes(claims, "413"));
        Assert.Equal(["service_unavailable"], ErrorCodes(claims, "503"));
        Assert.False(responses.TryGetProperty("422", out _));
    }

    [Fact]
    public async Task Policies_make_the_key_required_or_a_uuid()
    {
        var document = await DocumentAsync();

        var required = Operation(document, "/required-claims", "post");
        Assert.True(IsRequired(Header(required, "Idempotency-Key")));
        Assert.False(IsRequired(Header(required, "X-Idempotency-Key")));
        Assert.Contains("idempotency_key_required", ErrorCodes(required, "400"));

        var uuid = Header(Operation(document, "/uuid-claims", "post"), "Idempotency-Key")!.Value;
        Assert.Equal("uuid", uuid.GetProperty("schema").GetProperty("format").GetString());
        Assert.Contains("A UUID", uuid.GetProperty("description").GetString());
    }

    [Fact]
    public async Task The_mismatch_is_documented_under_its_configured_status()
    {
        var document = await DocumentAsync(options => options.MismatchStatusCode = 422);
        var claims = Operation(document, "/claims", "post");

        Assert.Equal(["idempotency_key_mismatched_body"], ErrorCodes(claims, "422"));
        Assert.Equal(["idempotency_key_in_use"], ErrorCodes(claims, "409"));
    }

    [Fact]
    public async Task Endpoints_not_opted_in_and_methods_that_ignore_the_key_are_left_alone()
    {
        var document = await DocumentAsync();

        foreach (var operation in new[] { Operation(document, "/plain", "post"), Operation(document, "/mixed", "get"), Operation(document, "/mixed", "delete") })
        {
            Assert.Null(Header(operation, "Idempotency-Key"));
            Assert.Null(Header(operation, "X-Idempotency-Key"));
            var responses = operation.GetProperty("responses");
            Assert.All(new[] { "409", "413", "422" }, status => Assert.False(responses.TryGetProperty(status, out _)));
            Assert.All(responses.EnumerateObject(), r => Assert.False(r.Value.TryGetProperty("headers", out var headers) && headers.TryGetProperty("Idempotent-Replayed", out _)));
        }
    }
}

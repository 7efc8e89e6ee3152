using System.Net;
using Inbox.Client.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Inbox.Client.Tests.Keys;

/// <summary>Where the key handler sits and which key it sends; the network is scripted, the handlers are the real ones.</summary>
public sealed class IdempotencyKeyHandlerTests
{
    [Fact]
    public async Task Registered_after_the_resilience_handler_it_still_keys_every_attempt_with_one_key()
    {
        var answers = new ScriptedAnswers(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.Accepted);
        using var services = Services(answers, builder => builder.AddIdempotentResilienceHandler(Fast).Services.AddHttpClient("api").AddIdempotencyKeys());

        using var response = await Client(services).PostAsync("/v1/claims", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(3, answers.Keys.Count);
        Assert.Single(answers.Keys.Distinct());
        Assert.True(Guid.TryParse(answers.Keys.First(), out _));
    }

    [Fact]
    public async Task Registered_after_a_hedging_handler_which_copies_the_request_per_attempt_it_still_keys_them_all_alike()
    {
        var answers = new ScriptedAnswers(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.Accepted);
        using var services = Services(answers, builder => builder
            .AddStandardHedgingHandler().Configure(o => o.Hedging.MaxHedgedAttempts = 2).Services.AddHttpClient("api").AddIdempotencyKeys());

        using var response = await Client(services).PostAsync("/v1/claims", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(3, answers.Keys.Count);
        Assert.Single(answers.Keys.Distinct());
    }

    [Fact]
    public async Task Two_sends_get_two_keys()
    {
        var answers = new ScriptedAnswers(HttpStatusCode.Accepted);
        using var services = Services(answers, builder => builder.AddIdempotencyKeys());
        var client = Client(services);

        (await client.PostAsync("/v1/claims", new StringContent("{}"))).Dispose();
        (await client.PostAsync("/v1/claims", new StringContent("{}"))).Dispose();

        Assert.Equal(2, answers.Keys.Distinct().Count());
    }

    [Fact]
    public async Task The_callers_key_wins()
    {
        var answers = new ScriptedAnswers(HttpStatusCode.Accepted);
        using var services = Services(answers, builder => builder.AddIdempotencyKeys());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/claims") { Content = new StringContent("{}") };
        request.SetIdempotencyKey("draft-42");

        (await Client(services).SendAsync(request)).Dispose();

        Assert.Equal(["draft-42"], answers.Keys);
        Assert.Equal("draft-42", request.GetIdempotencyKey());
    }

    [Fact]
    public async Task A_key_header_already_present_wins()
    {
        var answers = new ScriptedAnswers(HttpStatusCode.Accepted);
        using var services = Services(answers, builder => builder.AddIdempotencyKeys());
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/claims/1") { Content = new StringContent("{}") };
        request.Headers.Add("X-Idempotency-Key", "from-header");

        (await Client(services).SendAsync(request)).Dispose();

        Assert.Equal(["from-header"], answers.Keys);
        Assert.False(request.Headers.Contains("Idempotency-Key"));
    }

    [Theory]
    [InlineData("POST", true)]
    [InlineData("PUT", true)]
    [InlineData("PATCH", true)]
    [InlineData("GET", false)]
    [InlineData("DELETE", false)]
    [InlineData("HEAD", false)]
    public async Task Only_POST_PUT_and_PATCH_get_a_key(string method, bool keyed)
    {
        var answers = new ScriptedAnswers(HttpStatusCode.OK);
        using var services = Services(answers, builder => builder.AddIdempotencyKeys());

        (await Client(services).SendAsync(new HttpRequestMessage(new HttpMethod(method), "/x"))).Dispose();

        Assert.Equal(keyed, answers.Keys.Single() is not null);
    }

    [Fact]
    public async Task The_header_name_is_configurable()
    {
        var answers = new ScriptedAnswers(HttpStatusCode.Accepted);
        using var services = Services(answers, builder => builder.AddIdempotencyKeys(o =>
        {
            o.HeaderName = "X-Idempotency-Key";
            o.KeyGenerator = () => "fixed-key";
        }));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/claims");

        (await Client(services).SendAsync(request)).Dispose();

        Assert.Equal(["fixed-key"], request.Headers.GetValues("X-Idempotency-Key"));
        Assert.False(request.Headers.Contains("Idempotency-Key"));
    }

    [Fact]
    public void Another_header_name_is_refused_with_every_error()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddHttpClient("api").AddIdempotencyKeys(o =>
        {
            o.HeaderName = "Request-Id";
            o.KeyGenerator = null!;
        }));

        Assert.Equal(
            "IdempotencyKeyOptions.HeaderName must be Idempotency-Key or X-Idempotency-Key; it is 'Request-Id'. " +
            "IdempotencyKeyOptions.KeyGenerator must not be null. (Parameter 'configure')",
            error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("caf\u00e9")]
    public void An_invalid_key_is_refused(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/claims");
        Assert.Throws<ArgumentException>(() => request.SetIdempotencyKey(key));
        Assert.Throws<ArgumentException>(() => request.SetIdempotencyKey(new string('k', 256)));
    }

    [Fact]
    public void A_replayed_answer_says_so()
    {
        using var replayed = new HttpResponseMessage(HttpStatusCode.Accepted);
        replayed.Headers.Add("Idempotent-Replayed", "true");
        using var first = new HttpResponseMessage(HttpStatusCode.Accepted);

        Assert.True(replayed.IsIdempotentReplay());
        Assert.False(first.IsIdempotentReplay());
    }

    private static void Fast(IdempotentRetryOptions options) => options.BaseDelay = TimeSpan.FromMilliseconds(1);

    private static ServiceProvider Services(ScriptedAnswers answers, Action<IHttpClientBuilder> configure)
    {
        var services = new ServiceCollection();
        var builder = services.AddHttpClient("api", http => http.BaseAddress = new Uri("http://api.test/"))
            .ConfigurePrimaryHttpMessageHandler(() => answers);
        configure(builder);
        return services.BuildServiceProvider();
    }

    private static HttpClient Client(ServiceProvider services) => services.GetRequiredService<IHttpClientFactory>().CreateClient("api");
}

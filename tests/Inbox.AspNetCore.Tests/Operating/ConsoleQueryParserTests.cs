using Inbox.AspNetCore.Operating;
using Inbox.Operating;
using Inbox.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Inbox.AspNetCore.Tests.Operating;

public sealed class ConsoleQueryParserTests
{
    private static (InboxError? Error, OperationListQuery Filters) Parse(string query, string[]? allowed = null)
    {
        var error = ConsoleQueryParser.TryParse(new QueryCollection(QueryHelpers.ParseQuery(query)), allowed ?? ConsoleQueryParser.ListParameters, out var filters);
        return (error, filters);
    }

    [Fact]
    public void No_parameters_list_the_first_page_of_everything_in_scope()
    {
        var (error, filters) = Parse("");

        Assert.Null(error);
        Assert.Equal(new OperationListQuery { Tenant = null, Limit = ConsoleQueryParser.DefaultLimit }, filters);
        Assert.Equal(50, filters.Limit);
    }

    [Fact]
    public void Every_filter_is_read()
    {
        var (error, filters) = Parse("?status=processing&endpoint=POST%20/claims&tenant=org_a&key=%22k%5C%221%22&created_from=2026-11-23T09:00:00.5Z&created_before=2026-11-23T11:00:00%2B01:00&limit=500");

        Assert.Null(error);
        Assert.Equal(OperationStatus.Processing, filters.Status);
        Assert.Equal("POST /claims", filters.Endpoint);
        Assert.Equal("org_a", filters.Tenant);
        Assert.Equal("k\"1", filters.IdempotencyKey);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 0, 0, 500, TimeSpan.Zero), filters.CreatedFrom);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), filters.CreatedBefore);
        Assert.Equal(TimeSpan.Zero, filters.CreatedBefore!.Value.Offset);
        Assert.Equal(500, filters.Limit);
    }

    [Theory]
    [InlineData("?limit=%2B5", InboxErrorCodes.InvalidConsoleLimit, "limit must be a whole number from 1 to 500.")]
    [InlineData("?status=Failed", InboxErrorCodes.InvalidConsoleStatus, "status must be one of accepted, processing, succeeded, failed.")]
    [InlineData("?tenant=a&tenant=a", InboxErrorCodes.InvalidConsoleTenant, "tenant may be given once.")]
    [InlineData("?created_from=2026-11-23", InboxErrorCodes.InvalidConsoleCreatedRange, "created_from must be an RFC 3339 timestamp with its offset, e.g. 2026-11-23T09:00:00Z.")]
    [InlineData("?created_from=2026-11-23T09:00:00Z&created_before=2026-11-23T09:00:00Z", InboxErrorCodes.InvalidConsoleCreatedRange, "created_from must be earlier than created_before.")]
    [InlineData("?Status=failed", InboxErrorCodes.UnknownConsoleParameter, "This console route does not take the query parameter 'Status'; it takes: status, endpoint, tenant, key, created_from, created_before, after, limit.")]
    public void Bad_value_is_refused_with_its_code_and_message(string query, string code, string message)
    {
        var (error, _) = Parse(query);

        Assert.Equal(new InboxError(400, code, message), error);
    }

    [Fact]
    public void Endpoint_longer_than_a_scope_allows_is_refused()
    {
        var (error, _) = Parse("?endpoint=" + new string('a', OperationScope.MaxEndpointLength + 1));

        Assert.Equal(InboxErrorCodes.InvalidConsoleEndpoint, error?.Code);
    }

    [Fact]
    public void Route_without_parameters_refuses_any()
    {
        var (error, _) = Parse("?tenant=org_a", ConsoleQueryParser.NoParameters);

        Assert.Equal("This console route does not take the query parameter 'tenant'; it takes: none.", error?.Message);
    }
}

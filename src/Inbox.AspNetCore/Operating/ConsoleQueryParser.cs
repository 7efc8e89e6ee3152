using System.Globalization;
using Inbox.Keys;
using Inbox.Operating;
using Inbox.Operations;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore.Operating;

/// <summary>
/// Validates the console's query string. Every parameter a route does not take, every repeated parameter and every
/// malformed value is refused with its own code, so a typo never widens a search into a list of everything.
/// </summary>
internal static class ConsoleQueryParser
{
    public const string Status = "status";
    public const string Endpoint = "endpoint";
    public const string Tenant = "tenant";
    public const string Key = "key";
    public const string CreatedFrom = "created_from";
    public const string CreatedBefore = "created_before";
    public const string After = "after";
    public const string Limit = "limit";
    public const string Code = "code";

    /// <summary>The longest error code an operation stores.</summary>
    public const int MaxErrorCodeLength = 100;

    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static readonly string[] ListParameters = [Status, Endpoint, Tenant, Key, CreatedFrom, CreatedBefore, After, Limit];
    public static readonly string[] CountParameters = [Tenant];
    public static readonly string[] FailureParameters = [Endpoint, Tenant];
    public static readonly string[] GroupRedriveParameters = [Code, Endpoint, Tenant];
    public static readonly string[] NoParameters = [];

    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
    ];

    /// <returns>The error to answer with, or <see langword="null"/> when <paramref name="filters"/> holds the valid query (its
    /// <see cref="OperationListQuery.Tenant"/> the <c>tenant</c> asked for, still to be narrowed to the operator's scope).</returns>
    public static InboxError? TryParse(IQueryCollection query, IReadOnlyCollection<string> allowed, out OperationListQuery filters)
    {
        filters = new OperationListQuery { Tenant = null, Limit = DefaultLimit };
        foreach (var (name, _) in query)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                return Error(InboxErrorCodes.UnknownConsoleParameter,
                    $"This console route does not take the query parameter '{Truncate(name)}'; it takes: {(allowed.Count == 0 ? "none" : string.Join(", ", allowed))}.");
            }
        }

        if (Single(query, Status, InboxErrorCodes.InvalidConsoleStatus, out var status) is { } statusError)
        {
            return statusError;
        }

        if (status is not null)
        {
            if (ParseStatus(status) is not { } parsed)
            {
                return Error(InboxErrorCodes.InvalidConsoleStatus, "status must be one of accepted, processing, succeeded, failed.");
            }

            filters = filters with { Status = parsed };
        }

        if (Text(query, Endpoint, OperationScope.MaxEndpointLength, InboxErrorCodes.InvalidConsoleEndpoint, out var endpoint) is { } endpointError)
        {
            return endpointError;
        }

        if (Text(query, Tenant, OperationScope.MaxTenantLength, InboxErrorCodes.InvalidConsoleTenant, out var tenant) is { } tenantError)
        {
            return tenantError;
        }

        filters = filters with { Endpoint = endpoint, Tenant = tenant };

        if (Single(query, Key, InboxErrorCodes.InvalidConsoleKey, out var keyValue) is { } keyError)
        {
            return keyError;
        }

        if (keyValue is not null)
        {
            var rule = IdempotencyKey.Parse(keyValue, requireUuid: false, out var key);
            if (rule != IdempotencyKeyError.None)
            {
                return Error(InboxErrorCodes.InvalidConsoleKey, rule.Describe(Key));
            }

            filters = filters with { IdempotencyKey = key };
        }

        if (Timestamp(query, CreatedFrom, out var from) is { } fromError)
        {
            return fromError;
        }

        if (Timestamp(query, CreatedBefore, out var before) is { } beforeError)
        {
            return beforeError;
        }

        if (from >= before)
        {
            return Error(InboxErrorCodes.InvalidConsoleCreatedRange, "created_from must be earlier than created_before.");
        }

        filters = filters with { CreatedFrom = from, CreatedBefore = before };

        if (Single(query, After, InboxErrorCodes.InvalidConsoleCursor, out var after) is { } afterError)
        {
            return afterError;
        }

        if (after is not null)
        {
            if (!ConsoleCursorFormat.TryParse(after, out var cursor))
            {
                return Error(InboxErrorCodes.InvalidConsoleCursor, "after must be the next cursor of a previous page, unchanged.");
            }

            filters = filters with { After = cursor };
        }

        if (Single(query, Limit, InboxErrorCodes.InvalidConsoleLimit, out var limitValue) is { } limitError)
        {
            return limitError;
        }

        if (limitValue is not null)
        {
            if (!int.TryParse(limitValue, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit is < 1 or > MaxLimit)
            {
                return Error(InboxErrorCodes.InvalidConsoleLimit, $"limit must be a whole number from 1 to {MaxLimit}.");
            }

            filters = filters with { Limit = limit };
        }

        return null;
    }

    /// <returns>
    /// The error to answer with, or <see langword="null"/> when <paramref name="code"/> holds the failure group's
    /// error code (required) from a query <see cref="TryParse"/> already accepted.
    /// </returns>
    public static InboxError? TryParseErrorCode(IQueryCollection query, out string code)
    {
        code = string.Empty;
        if (Text(query, Code, MaxErrorCodeLength, InboxErrorCodes.InvalidConsoleErrorCode, out var value) is { } error)
        {
            return error;
        }

        if (value is null)
        {
            return Error(InboxErrorCodes.InvalidConsoleErrorCode, "code is required: the error code of the failure group to redrive.");
        }

        code = value;
        return null;
    }

    private static OperationStatus? ParseStatus(string value) => value switch
    {
        "accepted" => OperationStatus.Accepted,
        "processing" => OperationStatus.Processing,
        "succeeded" => OperationStatus.Succeeded,
        "failed" => OperationStatus.Failed,
        _ => null,
    };

    private static InboxError? Single(IQueryCollection query, string name, string code, out string? value)
    {
        value = null;
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count != 1)
        {
            return Error(code, $"{name} may be given once.");
        }

        value = values[0];
        return null;
    }

    private static InboxError? Text(IQueryCollection query, string name, int maxLength, string code, out string? value)
    {
        if (Single(query, name, code, out value) is { } error)
        {
            return error;
        }

        if (value is not null && (value.Length == 0 || value.Length > maxLength || value.Any(char.IsControl)))
        {
            value = null;
            return Error(code, $"{name} must be 1 to {maxLength} characters without control characters.");
        }

        return null;
    }

    private static InboxError? Timestamp(IQueryCollection query, string name, out DateTimeOffset? value)
    {
        value = null;
        if (Single(query, name, InboxErrorCodes.InvalidConsoleCreatedRange, out var text) is { } error)
        {
            return error;
        }

        if (text is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return Error(InboxErrorCodes.InvalidConsoleCreatedRange,
                $"{name} must be an RFC 3339 timestamp with its offset, e.g. 2026-11-23T09:00:00Z.");
        }

        // Stored times are UTC, and PostgreSQL binds only UTC offsets; SQLite compares them as text.
        value = parsed.ToUniversalTime();
        return null;
    }

    private static string Truncate(string name) => name.Length <= 40 ? name : name[..40] + "...";

    private static InboxError Error(string code, string message) => new(StatusCodes.Status400BadRequest, code, message);
}

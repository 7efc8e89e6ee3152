namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// The parameters that end a synchronous request's claim on operation <paramref name="Id"/>: its completion with
/// the handler's response, or its release (which names only the id and the token).
/// </summary>
internal sealed record OperationClaimEndValues(
    string Id, string ClaimToken, int ResponseStatus = 0, string? ResponseHeaders = null, byte[]? ResponseBody = null, DateTimeOffset Now = default)
{
    public static readonly StatementParameters<OperationClaimEndValues> Parameters = new()
    {
        ["id"] = v => v.Id,
        ["claimToken"] = v => v.ClaimToken,
        ["responseStatus"] = v => v.ResponseStatus,
        ["responseHeaders"] = v => v.ResponseHeaders,
        ["responseBody"] = v => v.ResponseBody,
        ["now"] = v => v.Now,
    };
}

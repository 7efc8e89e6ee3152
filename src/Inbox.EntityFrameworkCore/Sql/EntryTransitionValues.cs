namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// The parameters of a transition of a claimed inbox entry or of its operation: what each statement names of them
/// is bound, the rest is left out.
/// </summary>
internal sealed record EntryTransitionValues(string? Consumer, string? MessageKey, DateTimeOffset Now)
{
    public string? ClaimToken { get; init; }

    public string? OperationId { get; init; }

    public string? Result { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>When the relay should republish the started operation if the consumer goes away meanwhile.</summary>
    public DateTimeOffset? RelayAt { get; init; }

    public static readonly StatementParameters<EntryTransitionValues> Parameters = new()
    {
        ["consumer"] = v => v.Consumer,
        ["messageKey"] = v => v.MessageKey,
        ["now"] = v => v.Now,
        ["claimToken"] = v => v.ClaimToken,
        ["operationId"] = v => v.OperationId,
        ["result"] = v => v.Result,
        ["errorCode"] = v => v.ErrorCode,
        ["errorMessage"] = v => v.ErrorMessage,
        ["relayAt"] = v => v.RelayAt,
    };
}

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// The parameters of a group-commit batch (<see cref="OperationSql.InsertOrSelectBatch"/>): one array per column of
/// <see cref="AcceptanceValues"/>, an acceptance per index, in the batch's order.
/// </summary>
internal sealed class AcceptanceBatchValues
{
    public static readonly StatementParameters<AcceptanceBatchValues> Parameters = new()
    {
        ["ids"] = v => v.Column(a => a.Id),
        ["tenants"] = v => v.Column(a => a.Tenant),
        ["endpoints"] = v => v.Column(a => a.Endpoint),
        ["idempotencyKeys"] = v => v.Column(a => a.IdempotencyKey),
        ["fingerprints"] = v => v.Column(a => a.Fingerprint),
        ["requestIds"] = v => v.Column(a => a.RequestId),
        ["responseStatuses"] = v => v.Column(a => a.ResponseStatus),
        ["responseHeaders"] = v => v.Column(a => a.ResponseHeaders),
        ["responseBodies"] = v => v.Column(a => a.ResponseBody),
        ["messageTypes"] = v => v.Column(a => a.MessageType),
        ["messageBodies"] = v => v.Column(a => a.MessageBody),
        ["nows"] = v => v.Column(a => a.Now),
        ["expiresAts"] = v => v.Column(a => a.ExpiresAt),
        ["relayAts"] = v => v.Column(a => a.RelayAt),
    };

    private readonly IReadOnlyList<AcceptanceValues> _rows;

    public AcceptanceBatchValues(IReadOnlyList<AcceptanceValues> rows) => _rows = rows;

    private TColumn[] Column<TColumn>(Func<AcceptanceValues, TColumn> read)
    {
        var column = new TColumn[_rows.Count];
        for (var i = 0; i < column.Length; i++)
        {
            column[i] = read(_rows[i]);
        }

        return column;
    }
}

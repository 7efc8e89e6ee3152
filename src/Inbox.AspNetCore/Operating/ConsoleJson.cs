using System.Text;
using System.Text.Json;
using Inbox.AspNetCore.Responses;
using Inbox.Operating;
using Inbox.Operations;

namespace Inbox.AspNetCore.Operating;

/// <summary>The console's response bodies: <c>data</c>, then <c>meta.request_id</c>, names in snake case.</summary>
internal static class ConsoleJson
{
    private static readonly OperationStatus[] Statuses = Enum.GetValues<OperationStatus>();

    public static byte[] Counts(ConsoleCounts read, DateTimeOffset now, string requestId) => Envelope(requestId, writer =>
    {
        var counts = read.Counts;
        writer.WriteStartObject();
        writer.WriteString("as_of", Json.Timestamp(read.AsOf));
        writer.WriteStartArray("endpoints");
        var endpoints = counts.Counts.Select(c => c.Endpoint).Concat(counts.Backlogs.Select(b => b.Endpoint))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            writer.WriteStartObject();
            writer.WriteString("endpoint", endpoint);
            writer.WriteStartObject("counts");
            foreach (var status in Statuses)
            {
                writer.WriteNumber(status.ToWireName(), counts.Counts.FirstOrDefault(c => c.Endpoint == endpoint && c.Status == status)?.Count ?? 0);
            }

            writer.WriteEndObject();
            if (counts.Backlogs.FirstOrDefault(b => b.Endpoint == endpoint) is { } backlog)
            {
                writer.WriteString("oldest_unfinished_at", Json.Timestamp(backlog.OldestCreatedAt));
                writer.WriteNumber("oldest_unfinished_age_seconds", Math.Max(0, (long)(now - backlog.OldestCreatedAt).TotalSeconds));
            }
            else
            {
                writer.WriteNull("oldest_unfinished_at");
                writer.WriteNull("oldest_unfinished_age_seconds");
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    public static byte[] Page(OperationPage page, string requestId) => Envelope(requestId, writer =>
    {
        writer.WriteStartArray();
        foreach (var operation in page.Items)
        {
            writer.WriteStartObject();
            WriteSummary(writer, operation);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }, writer =>
    {
        if (page.Next is null)
        {
            writer.WriteNull("next");
        }
        else
        {
            writer.WriteString("next", ConsoleCursorFormat.Format(page.Next));
        }
    });

    public static byte[] Detail(OperationDetail detail, bool includeBodies, string requestId) => Envelope(requestId, writer =>
    {
        writer.WriteStartObject();
        WriteSummary(writer, detail.Summary);
        WriteError(writer, detail.Summary.ErrorCode, detail.ErrorMessage);
        writer.WriteString("request_id", detail.RequestId);
        writer.WriteString("message_type", detail.MessageType);
        writer.WriteNumber("response_status", detail.ResponseStatus);
        writer.WriteString("expires_at", Json.Timestamp(detail.ExpiresAt));
        writer.WriteNumber("relay_attempts", detail.RelayAttempts);
        writer.WriteStartArray("inbox_entries");
        foreach (var entry in detail.InboxEntries)
        {
            writer.WriteStartObject();
            writer.WriteString("consumer", entry.Consumer);
            writer.WriteString("status", entry.Status.ToWireName());
            writer.WriteNumber("attempt", entry.Attempt);
            WriteTimestamp(writer, "lease_expires_at", entry.LeaseExpiresAt);
            WriteError(writer, entry.ErrorCode, entry.ErrorMessage);
            writer.WriteString("created_at", Json.Timestamp(entry.CreatedAt));
            writer.WriteString("updated_at", Json.Timestamp(entry.UpdatedAt));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (includeBodies)
        {
            WriteText(writer, "response_body", detail.ResponseBody);
            WriteText(writer, "message", detail.MessageBody);
            if (detail.ResultJson is null)
            {
                writer.WriteNull("result");
            }
            else
            {
                writer.WriteString("result", detail.ResultJson);
            }
        }

        writer.WriteEndObject();
    });

    public static byte[] Failures(IReadOnlyList<FailureGroup> groups, string requestId) => Envelope(requestId, writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("groups");
        foreach (var group in groups)
        {
            writer.WriteStartObject();
            writer.WriteString("code", group.ErrorCode);
            writer.WriteString("endpoint", group.Endpoint);
            writer.WriteNumber("count", group.Count);
            writer.WriteStartObject("newest");
            WriteSummary(writer, group.Newest);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>An action's answer: <c>{"data": {"<paramref name="name"/>": <paramref name="count"/>}}</c>.</summary>
    public static byte[] Acted(string name, int count, string requestId) => Envelope(requestId, writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber(name, count);
        writer.WriteEndObject();
    });

    private static void WriteSummary(Utf8JsonWriter writer, OperationSummary operation)
    {
        writer.WriteString("id", operation.Id);
        writer.WriteString("tenant", operation.Tenant);
        writer.WriteString("endpoint", operation.Endpoint);
        writer.WriteString("idempotency_key", operation.IdempotencyKey);
        writer.WriteString("status", operation.Status.ToWireName());
        writer.WriteString("created_at", Json.Timestamp(operation.CreatedAt));
        writer.WriteString("updated_at", Json.Timestamp(operation.UpdatedAt));
        writer.WriteString("error_code", operation.ErrorCode);
    }

    private static void WriteError(Utf8JsonWriter writer, string? code, string? message)
    {
        if (code is null)
        {
            writer.WriteNull("error");
            return;
        }

        writer.WriteStartObject("error");
        writer.WriteString("code", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
    }

    private static void WriteTimestamp(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } timestamp)
        {
            writer.WriteString(name, Json.Timestamp(timestamp));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    // Bodies are shown as text: they are JSON when Inbox wrote them, but a stored response may be anything.
    private static void WriteText(Utf8JsonWriter writer, string name, ReadOnlyMemory<byte>? value)
    {
        if (value is { } bytes)
        {
            writer.WriteString(name, Encoding.UTF8.GetString(bytes.Span));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static byte[] Envelope(string requestId, Action<Utf8JsonWriter> data, Action<Utf8JsonWriter>? paging = null) => Json.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WritePropertyName("data");
        data(writer);
        paging?.Invoke(writer);
        writer.WriteStartObject("meta");
        writer.WriteString("request_id", requestId);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });
}

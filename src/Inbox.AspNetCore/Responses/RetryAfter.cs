using System.Globalization;

namespace Inbox.AspNetCore.Responses;

/// <summary>The <c>Retry-After</c> header value: whole seconds, rounded up, at least one.</summary>
internal static class RetryAfter
{
    public static string Seconds(TimeSpan value) =>
        Math.Max(1, (int)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

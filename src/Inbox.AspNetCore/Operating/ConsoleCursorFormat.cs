using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Inbox.Operating;
using Inbox.Operations;

namespace Inbox.AspNetCore.Operating;

/// <summary>
/// The <c>after</c> cursor on the wire: base64url of the last row's creation time (UTC ticks) and id. Opaque to
/// operators, so its shape can change; any string that does not decode to a real pair is refused.
/// </summary>
internal static class ConsoleCursorFormat
{
    private const char Separator = ':';

    public static string Format(OperationCursor cursor) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            cursor.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + Separator + cursor.Id));

    public static bool TryParse(string value, out OperationCursor? cursor)
    {
        cursor = null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(value);
        }
        catch (FormatException)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes);
        var separator = text.IndexOf(Separator, StringComparison.Ordinal);
        if (separator <= 0
            || !long.TryParse(text.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !RandomIds.IsOperationId(text.AsSpan(separator + 1)))
        {
            return false;
        }

        cursor = new OperationCursor(new DateTimeOffset(ticks, TimeSpan.Zero), text[(separator + 1)..]);
        return true;
    }
}

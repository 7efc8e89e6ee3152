using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Inbox.Fingerprints;

/// <summary>
/// Writes a JSON document in a canonical form: object members sorted by name (ordinal over their UTF-8 bytes,
/// stable for duplicate names), no insignificant whitespace, strings re-escaped one way. Numbers keep their text.
/// </summary>
public static class JsonCanonicalizer
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    private static readonly JsonDocumentOptions ReaderOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
    };

    /// <summary>
    /// Writes the canonical form of <paramref name="json"/> to <paramref name="output"/>.
    /// </summary>
    /// <returns><see langword="false"/> when the input is not a single valid JSON document (nothing useful is written).</returns>
    public static bool TryWrite(ReadOnlyMemory<byte> json, IBufferWriter<byte> output)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ReaderOptions);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            // Invalid UTF-8 surfaces as ArgumentException on some paths.
            return false;
        }

        using (document)
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            try
            {
                Write(document.RootElement, writer);
            }
            catch (InvalidOperationException)
            {
                // A string with invalid UTF-16 (lone surrogate escapes) cannot be re-encoded.
                return false;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns the canonical form of <paramref name="json"/>, or <see langword="null"/> when it is not valid JSON.</summary>
    public static byte[]? Canonicalize(ReadOnlyMemory<byte> json)
    {
        var output = new ArrayBufferWriter<byte>(Math.Max(256, json.Length));
        return TryWrite(json, output) ? output.WrittenSpan.ToArray() : null;
    }

    private static void Write(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(element, writer);
                break;

            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(item, writer);
                }

                writer.WriteEndArray();
                break;

            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(element);
                if (IsPlainAscii(raw[1..^1]))
                {
                    // Nothing to unescape or re-escape: the token is already in canonical form.
                    writer.WriteRawValue(raw, skipInputValidation: true);
                }
                else
                {
                    writer.WriteStringValue(element.GetString());
                }

                break;

            case JsonValueKind.Number:
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(element), skipInputValidation: true);
                break;

            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;

            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;

            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WriteObject(JsonElement element, Utf8JsonWriter writer)
    {
        var count = element.GetPropertyCount();
        var members = ArrayPool<Member>.Shared.Rent(count);
        try
        {
            var index = 0;
            foreach (var property in element.EnumerateObject())
            {
                var rawName = JsonMarshal.GetRawUtf8PropertyName(property);
                var name = rawName.IndexOf((byte)'\\') < 0 ? null : Encoding.UTF8.GetBytes(property.Name);
                members[index] = new Member(property, name, index);
                index++;
            }

            // Ordinal over the unescaped UTF-8 name; the position keeps duplicate names in document order.
            members.AsSpan(0, count).Sort(static (a, b) =>
            {
                var byName = a.Name.SequenceCompareTo(b.Name);
                return byName != 0 ? byName : a.Index.CompareTo(b.Index);
            });

            writer.WriteStartObject();
            foreach (var member in members.AsSpan(0, count))
            {
                writer.WritePropertyName(member.Name);
                Write(member.Property.Value, writer);
            }

            writer.WriteEndObject();
        }
        finally
        {
            ArrayPool<Member>.Shared.Return(members, clearArray: true);
        }
    }

    private static bool IsPlainAscii(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (b is < 0x20 or >= 0x7F or (byte)'\\' or (byte)'"')
            {
                return false;
            }
        }

        return true;
    }

    private readonly struct Member(JsonProperty property, byte[]? unescapedName, int index)
    {
        public JsonProperty Property { get; } = property;

        public int Index { get; } = index;

        public ReadOnlySpan<byte> Name => unescapedName ?? JsonMarshal.GetRawUtf8PropertyName(Property);
    }
}

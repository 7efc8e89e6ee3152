using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Inbox.Fingerprints;

/// <summary>
/// Writes a JSON document in a canonical form: object members sorted by name (ordinal over their UTF-8 bytes), no
/// insignificant whitespace, strings re-escaped one way. Numbers keep their text. A document that names a member twice
/// in one object (compared ignoring case) has no canonical form.
/// </summary>
public static class JsonCanonicalizer
{
    // Objects up to this size are checked for duplicate names pair by pair, without allocating.
    private const int PairwiseDuplicateCheckLimit = 16;

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
    /// <returns>
    /// <see langword="false"/> when the input is not a single valid JSON document or names a member twice in one object
    /// (nothing useful is written).
    /// </returns>
    public static bool TryWrite(ReadOnlyMemory<byte> json, IBufferWriter<byte> output) =>
        Write(json, output) == JsonCanonicalStatus.Written;

    /// <summary>
    /// Writes the canonical form of <paramref name="json"/> to <paramref name="output"/>, and says whether it could:
    /// <see cref="JsonCanonicalStatus.NotJson"/> and <see cref="JsonCanonicalStatus.DuplicateMemberName"/> leave
    /// nothing useful in <paramref name="output"/>.
    /// </summary>
    public static JsonCanonicalStatus Write(ReadOnlyMemory<byte> json, IBufferWriter<byte> output)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ReaderOptions);
        }
        catch (JsonException)
        {
            return JsonCanonicalStatus.NotJson;
        }
        catch (ArgumentException)
        {
            // Invalid UTF-8 surfaces as ArgumentException on some paths.
            return JsonCanonicalStatus.NotJson;
        }

        using (document)
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            try
            {
                return Write(document.RootElement, writer) ? JsonCanonicalStatus.Written : JsonCanonicalStatus.DuplicateMemberName;
            }
            catch (InvalidOperationException)
            {
                // A string with invalid UTF-16 (lone surrogate escapes) cannot be re-encoded.
                return JsonCanonicalStatus.NotJson;
            }
            catch (ArgumentException)
            {
                return JsonCanonicalStatus.NotJson;
            }
        }
    }

    /// <summary>
    /// Returns the canonical form of <paramref name="json"/>, or <see langword="null"/> when it is not valid JSON or
    /// names a member twice in one object.
    /// </summary>
    public static byte[]? Canonicalize(ReadOnlyMemory<byte> json)
    {
        var output = new ArrayBufferWriter<byte>(Math.Max(256, json.Length));
        return TryWrite(json, output) ? output.WrittenSpan.ToArray() : null;
    }

    /// <returns><see langword="false"/> as soon as an object names a member twice.</returns>
    private static bool Write(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                return WriteObject(element, writer);

            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    if (!Write(item, writer))
                    {
                        return false;
                    }
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

        return true;
    }

    private static bool WriteObject(JsonElement element, Utf8JsonWriter writer)
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
                members[index] = new Member(property, name);
                index++;
            }

            var sorted = members.AsSpan(0, count);
            if (HasDuplicateName(sorted))
            {
                return false;
            }

            // Ordinal over the unescaped UTF-8 name.
            sorted.Sort(static (a, b) => a.Name.SequenceCompareTo(b.Name));

            writer.WriteStartObject();
            foreach (var member in sorted)
            {
                writer.WritePropertyName(member.Name);
                if (!Write(member.Property.Value, writer))
                {
                    return false;
                }
            }

            writer.WriteEndObject();
            return true;
        }
        finally
        {
            ArrayPool<Member>.Shared.Return(members, clearArray: true);
        }
    }

    // Ignoring case as System.Text.Json's case-insensitive binding does (StringComparer.OrdinalIgnoreCase), so no two
    // members can bind to one property.
    private static bool HasDuplicateName(ReadOnlySpan<Member> members)
    {
        if (members.Length <= PairwiseDuplicateCheckLimit)
        {
            for (var i = 1; i < members.Length; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (NamesEqualIgnoringCase(members[i].Name, members[j].Name))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        var names = new HashSet<string>(members.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var member in members)
        {
            if (!names.Add(Encoding.UTF8.GetString(member.Name)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool NamesEqualIgnoringCase(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) =>
        Ascii.IsValid(left) && Ascii.IsValid(right)
            ? Ascii.EqualsIgnoreCase(left, right)
            : string.Equals(Encoding.UTF8.GetString(left), Encoding.UTF8.GetString(right), StringComparison.OrdinalIgnoreCase);

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

    private readonly struct Member(JsonProperty property, byte[]? unescapedName)
    {
        public JsonProperty Property { get; } = property;

        public ReadOnlySpan<byte> Name => unescapedName ?? JsonMarshal.GetRawUtf8PropertyName(Property);
    }
}

using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Inbox.Fingerprints;

/// <summary>
/// Writes a JSON document in a canonical form: object members sorted by name (ordinal, stable for duplicate
/// names), no insignificant whitespace, strings re-escaped one way. Numbers keep their text.
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
                var members = new List<JsonProperty>();
                foreach (var member in element.EnumerateObject())
                {
                    members.Add(member);
                }

                // List.Sort is not stable; the index breaks ties so duplicate names keep document order.
                var ordered = new (JsonProperty Member, int Index)[members.Count];
                for (var i = 0; i < ordered.Length; i++)
                {
                    ordered[i] = (members[i], i);
                }

                Array.Sort(ordered, static (a, b) =>
                {
                    var byName = string.CompareOrdinal(a.Member.Name, b.Member.Name);
                    return byName != 0 ? byName : a.Index.CompareTo(b.Index);
                });

                writer.WriteStartObject();
                foreach (var (member, _) in ordered)
                {
                    writer.WritePropertyName(member.Name);
                    Write(member.Value, writer);
                }

                writer.WriteEndObject();
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
                writer.WriteStringValue(element.GetString());
                break;

            case JsonValueKind.Number:
                writer.WriteRawValue(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element), skipInputValidation: true);
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
}

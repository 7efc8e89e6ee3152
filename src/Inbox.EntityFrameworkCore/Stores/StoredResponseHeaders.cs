using System.Text.Json;

namespace Inbox.EntityFrameworkCore.Stores;

/// <summary>Stores the acceptance's headers as a JSON array of name/value pairs, keeping their order.</summary>
internal static class StoredResponseHeaders
{
    public static string Serialize(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var pairs = new string[headers.Count][];
        for (var i = 0; i < headers.Count; i++)
        {
            pairs[i] = [headers[i].Key, headers[i].Value];
        }

        return JsonSerializer.Serialize(pairs, StoreJsonContext.Default.StringArrayArray);
    }

    public static IReadOnlyList<KeyValuePair<string, string>> Deserialize(string json)
    {
        var pairs = JsonSerializer.Deserialize(json, StoreJsonContext.Default.StringArrayArray) ?? [];
        var headers = new KeyValuePair<string, string>[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            headers[i] = new KeyValuePair<string, string>(pairs[i][0], pairs[i][1]);
        }

        return headers;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[][]))]
internal sealed partial class StoreJsonContext : System.Text.Json.Serialization.JsonSerializerContext;

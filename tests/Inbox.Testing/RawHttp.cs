using System.Net.Sockets;
using System.Text;

namespace Inbox.Testing;

/// <summary>
/// Sends HTTP/1.1 requests byte for byte over a socket, for what HttpClient refuses to send: control
/// characters, bare CR or LF, non-ASCII bytes and repeated headers.
/// </summary>
public static class RawHttp
{
    public sealed record Response(int Status, string Headers, string Body);

    public static async Task<Response> SendAsync(Uri server, string method, string path, IEnumerable<(string Name, byte[] Value)> headers, byte[]? body)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var request = new MemoryStream();
        void Write(string text) => request.Write(Encoding.ASCII.GetBytes(text));
        Write($"{method} {path} HTTP/1.1\r\nHost: {server.Host}:{server.Port}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            Write(name + ": ");
            request.Write(value);
            Write("\r\n");
        }

        if (body is not null)
        {
            Write($"Content-Length: {body.Length}\r\n");
        }

        Write("\r\n");
        if (body is not null)
        {
            request.Write(body);
        }

        await stream.WriteAsync(request.ToArray());
        using var reader = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await stream.CopyToAsync(reader, timeout.Token);
        }
        catch (IOException)
        {
            // The server may reset a connection it rejected; what arrived is the answer.
        }

        var text = Encoding.UTF8.GetString(reader.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var content = split < 0 ? "" : text[(split + 4)..];
        var status = head.Length >= 12 && int.TryParse(head.AsSpan(9, 3), out var code) ? code : 0;
        return new Response(status, head, content);
    }

    public static byte[] Ascii(string value) => Encoding.ASCII.GetBytes(value);

    public static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value);
}

using System.Net;
using System.Net.Sockets;

namespace Inbox.AspNetCore.Tests.Support;

/// <summary>
/// Forwards TCP connections from a local port to a real server, and can cut them all: once stopped, open
/// connections are closed and new ones are refused, as while a database server restarts.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;

    private TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptLoopAsync();
    }

    /// <summary>The local port that forwards to the target.</summary>
    public int Port { get; }

    public static TcpProxy Start(string targetHost, int targetPort) => new(targetHost, targetPort);

    /// <summary>Closes every forwarded connection and refuses new ones.</summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Stop();
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }

        await _accepting;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(inbound);
        }
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        if (!Track(inbound, outbound))
        {
            return;
        }

        try
        {
            await outbound.ConnectAsync(_targetHost, _targetPort, _stopping.Token);
            var inboundStream = inbound.GetStream();
            var outboundStream = outbound.GetStream();
            await Task.WhenAny(
                inboundStream.CopyToAsync(outboundStream, _stopping.Token),
                outboundStream.CopyToAsync(inboundStream, _stopping.Token));
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Either side went away, or the proxy stopped: the other side is closed below.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    private bool Track(TcpClient inbound, TcpClient outbound)
    {
        lock (_open)
        {
            if (_stopping.IsCancellationRequested)
            {
                inbound.Dispose();
                outbound.Dispose();
                return false;
            }

            _open.Add(inbound);
            _open.Add(outbound);
            return true;
        }
    }
}

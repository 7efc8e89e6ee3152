using System.Net;
using System.Net.Sockets;

namespace Inbox.Testing;

/// <summary>
/// Forwards TCP connections from a local port to a real server, and can cut them all: once stopped, open
/// connections are closed and new ones are refused, as while a database server restarts. Cut for a while
/// (<see cref="Cut"/>), it closes every connection and each new one as soon as it arrives, counting them, until
/// <see cref="Restore"/>: a test can wait for a number of attempts rather than for a time.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private volatile bool _cut;
    private int _cutAttempts;

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

    /// <summary>How many connections arrived while the proxy was cut (each closed at once).</summary>
    public int CutAttempts => Volatile.Read(ref _cutAttempts);

    public static TcpProxy Start(string targetHost, int targetPort) => new(targetHost, targetPort);

    /// <summary>Closes every forwarded connection, and from now on each new one as it arrives, until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        CloseOpen();
    }

    /// <summary>Forwards new connections again.</summary>
    public void Restore() => _cut = false;

    /// <summary>Closes every forwarded connection and refuses new ones.</summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Stop();
        CloseOpen();
        await _accepting;
    }

    private void CloseOpen()
    {
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
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

            if (_cut)
            {
                Interlocked.Increment(ref _cutAttempts);
                inbound.Dispose();
                continue;
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

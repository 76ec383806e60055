using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Ledger.Tests.Fixtures;

/// <summary>
/// A real HTTP endpoint on the loopback interface standing in for the county's webhook receiver: it
/// keeps every delivery (its Idempotency-Key header and JSON body) and can be told to answer the next
/// requests with 503, to see the ledger retry.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    public sealed record Delivery(string? Key, JsonElement Body);

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Delivery> _received = new();
    private int _failNext;
    private int _refused;

    public Uri Url { get; }

    public WebhookReceiver()
    {
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/hook/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _ = Task.Run(ListenAsync);
    }

    public IReadOnlyList<Delivery> Received => _received.ToArray();
    /// <summary>How many requests were answered 503 on purpose.</summary>
    public int Refused => _refused;

    public void FailNext(int requests) => Interlocked.Exchange(ref _failNext, requests);

    public void Clear()
    {
        _received.Clear();
        Interlocked.Exchange(ref _failNext, 0);
        Interlocked.Exchange(ref _refused, 0);
    }

    /// <summary>Waits (without sleeping on a guess: it polls what arrived) until at least this many deliveries came, or gives up after a minute.</summary>
    public async Task<IReadOnlyList<Delivery>> WaitForAsync(int count)
    {
        var giveUp = DateTime.UtcNow.AddMinutes(1);
        while (_received.Count < count && DateTime.UtcNow < giveUp) await Task.Delay(50);
        return Received;
    }

    private async Task ListenAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            if (Interlocked.Decrement(ref _failNext) >= 0)
            {
                Interlocked.Increment(ref _refused);
                context.Response.StatusCode = 503;
                context.Response.Close();
                continue;
            }
            Interlocked.Exchange(ref _failNext, 0);
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone();
            _received.Enqueue(new Delivery(context.Request.Headers["Idempotency-Key"], body));
            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose() => _listener.Close();
}

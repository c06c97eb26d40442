using System.Diagnostics;

namespace Portal.LoadBenchmark;

/// <summary>One request of an open-loop load: its path, its latency from when it was due, and what went wrong if anything did.</summary>
internal sealed record TimedRequest(string Path, TimeSpan Latency, string? Error);

/// <summary>
/// GET requests at a fixed rate, cycling through paths, each started when it is due whether or not the earlier ones have
/// been answered (open loop: a slow server gets more requests in flight, not fewer). A latency runs from when the request
/// was due, so a request the client itself started late is not counted as fast. A request fails on an error status, a
/// transport error, or when it ends up anywhere but the path asked for (the sign-in has lapsed).
/// </summary>
internal sealed class OpenLoopLoad
{
    private readonly HttpClient _client;
    private readonly IReadOnlyList<string> _paths;
    private readonly double _perSecond;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task<TimedRequest>> _requests = [];
    private readonly Task _schedule;

    private OpenLoopLoad(HttpClient client, IReadOnlyList<string> paths, double perSecond)
    {
        _client = client;
        _paths = paths;
        _perSecond = perSecond;
        _schedule = Task.Run(ScheduleAsync);
    }

    public static OpenLoopLoad Start(HttpClient client, IReadOnlyList<string> paths, double perSecond) => new(client, paths, perSecond);

    /// <summary>Starts no more requests, waits for those in flight, and returns them all in the order they were due.</summary>
    public async Task<IReadOnlyList<TimedRequest>> StopAsync()
    {
        await _stop.CancelAsync();
        await _schedule;
        var requests = await Task.WhenAll(_requests);
        _stop.Dispose();
        return requests;
    }

    private async Task ScheduleAsync()
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0L; ; i++)
        {
            var due = start + (long)(i * Stopwatch.Frequency / _perSecond);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _stop.Token);
                }

                _stop.Token.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var path = _paths[(int)(i % _paths.Count)];
            _requests.Add(Task.Run(() => GetAsync(path, due)));
        }
    }

    private async Task<TimedRequest> GetAsync(string path, long due)
    {
        try
        {
            using var response = await _client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            await response.Content.CopyToAsync(Stream.Null);
            var landed = response.RequestMessage!.RequestUri!;
            var error = !response.IsSuccessStatusCode ? $"HTTP {(int)response.StatusCode}"
                : landed.AbsolutePath != new Uri(_client.BaseAddress!, path).AbsolutePath ? $"ended up at {landed.AbsolutePath}"
                : null;
            return new TimedRequest(path, Stopwatch.GetElapsedTime(due), error);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException)
        {
            return new TimedRequest(path, Stopwatch.GetElapsedTime(due), exception.Message);
        }
    }
}

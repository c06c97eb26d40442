using System.Globalization;

namespace Portal.DevStack.TencentSimulator;

/// <summary>How a garbled answer looks (<c>answer=…</c>).</summary>
internal enum GarbledAnswer
{
    /// <summary>HTTP 200 with an HTML page instead of JSON.</summary>
    Html,

    /// <summary>The JSON answer, cut in half: Content-Length promises all of it, then the connection drops.</summary>
    Truncated,

    /// <summary><c>{"retCode":0,"errMsg":""}</c>: success without an uploadId.</summary>
    NoUploadId,

    /// <summary><c>{"retCode":0,"errMsg":"","uploadId":0}</c>.</summary>
    ZeroUploadId,
}

/// <summary>
/// A fault to inject, parsed from <see cref="TencentSimulatorFaults.Header"/> or an app's <c>Fault</c> setting
/// (syntax in <see cref="TencentSimulatorFaults"/>).
/// </summary>
internal sealed record SimulatorFault
{
    /// <summary>The fault as it was written.</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>Wait this long before answering.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Answer this HTTP status instead (nothing is recorded).</summary>
    public int? Status { get; init; }

    /// <summary>Answer this retCode instead (nothing is recorded).</summary>
    public int? RetCode { get; init; }

    /// <summary>Take the package as usual (it is recorded) but garble the answer.</summary>
    public GarbledAnswer? Answer { get; init; }

    /// <summary>Drop the connection after reading this many bytes of the request body.</summary>
    public long? ResetAfterBytes { get; init; }

    /// <summary>Take the package as usual (it is recorded), then drop the connection instead of answering.</summary>
    public bool ResetAfterBody { get; init; }

    /// <summary>Read the request body no faster than this.</summary>
    public int? SlowReadBytesPerSecond { get; init; }

    /// <summary>Whether the fault replaces the answer, so the package is refused and not recorded.</summary>
    public bool Refuses => Status is not null || RetCode is not null;

    public static bool TryParse(string? text, out SimulatorFault fault, out string error)
    {
        fault = new SimulatorFault { Text = text ?? string.Empty };
        error = string.Empty;
        var items = (text ?? string.Empty).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Length == 0)
        {
            error = "the fault is empty";
            return false;
        }

        foreach (var item in items)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var key = (equals < 0 ? item : item[..equals]).Trim().ToLowerInvariant();
            var value = equals < 0 ? string.Empty : item[(equals + 1)..].Trim().ToLowerInvariant();
            SimulatorFault? next = key switch
            {
                "latency" when TryParseDuration(value, out var latency) => fault with { Latency = latency },
                "status" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 200 and <= 599 =>
                    fault with { Status = status },
                "retcode" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var retCode) && retCode != 0 =>
                    fault with { RetCode = retCode },
                "answer" => value switch
                {
                    "html" => fault with { Answer = GarbledAnswer.Html },
                    "truncated" => fault with { Answer = GarbledAnswer.Truncated },
                    "no-upload-id" => fault with { Answer = GarbledAnswer.NoUploadId },
                    "zero-upload-id" => fault with { Answer = GarbledAnswer.ZeroUploadId },
                    _ => null,
                },
                "reset" when value == "end" => fault with { ResetAfterBody = true },
                "reset" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) => fault with { ResetAfterBytes = bytes },
                "slow-read" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rate) && rate > 0 =>
                    fault with { SlowReadBytesPerSecond = rate },
                _ => null,
            };
            if (next is null)
            {
                error = $"'{item}' is not a fault. {TencentSimulatorFaults.Syntax}";
                return false;
            }

            fault = next;
        }

        return true;
    }

    /// <summary><c>250ms</c>, <c>3s</c> or <c>2m</c>.</summary>
    private static bool TryParseDuration(string value, out TimeSpan duration)
    {
        var (digits, unit) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], TimeSpan.FromMilliseconds(1))
            : value.EndsWith('s') ? (value[..^1], TimeSpan.FromSeconds(1))
            : value.EndsWith('m') ? (value[..^1], TimeSpan.FromMinutes(1))
            : (value, TimeSpan.Zero);
        duration = TimeSpan.Zero;
        if (unit == TimeSpan.Zero || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return false;
        }

        duration = unit * count;
        return true;
    }
}

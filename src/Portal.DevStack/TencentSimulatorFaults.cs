namespace Portal.DevStack;

/// <summary>
/// Fault injection in the Tencent Push simulator, for tests and demos. A fault is a list of <c>key=value</c> items
/// separated by <c>;</c> or <c>,</c>, given per request in the <see cref="Header"/> header or per app in the setting
/// <c>Apps:N:Fault</c> (the header wins). Items:
/// <list type="table">
/// <item><term><c>latency=250ms|3s|2m</c></term><description>wait before answering (after the package was taken)</description></item>
/// <item><term><c>status=500|502|503|403|…</c></term><description>answer this HTTP status with an HTML error page; nothing is recorded</description></item>
/// <item><term><c>retcode=1008028|…</c></term><description>answer this retCode (with <c>status</c>: in that status); nothing is recorded</description></item>
/// <item><term><c>answer=html|truncated|no-upload-id|zero-upload-id</c></term><description>take and record the package, garble the answer</description></item>
/// <item><term><c>reset=N</c></term><description>drop the connection after reading N bytes of the request body (0: at once)</description></item>
/// <item><term><c>reset=end</c></term><description>take and record the package, then drop the connection instead of answering</description></item>
/// <item><term><c>slow-read=N</c></term><description>read the request body at N bytes per second</description></item>
/// </list>
/// Example: <c>X-Simulator-Fault: slow-read=65536; latency=2s</c>. A malformed header is answered with HTTP 400.
/// Every answer, faulty or not, comes after the whole request body was read.
/// </summary>
public static class TencentSimulatorFaults
{
    public const string Header = "X-Simulator-Fault";

    internal const string Syntax =
        "Use key=value items separated by ';': latency=250ms|3s|2m, status=<200-599>, retcode=<non-zero>, "
        + "answer=html|truncated|no-upload-id|zero-upload-id, reset=<bytes>|end, slow-read=<bytes per second>.";
}

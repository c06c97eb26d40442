using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace Portal.Data;

/// <summary>
/// At start-up, once the configuration has passed its checks and before the portal takes requests: creates the data
/// folders, makes the data directory private to the portal's user (it holds account lists, which are personal data),
/// and brings the database schema up to date. Nothing is created on disk before this runs.
/// </summary>
public sealed partial class StoragePreparation(IOptions<StorageOptions> options, DatabaseMigrator migrator, ILogger<StoragePreparation> logger) : IHostedService
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var storage = options.Value;
        if (!OperatingSystem.IsWindows())
        {
            // Everything this process creates from now on (the database and its journal, staged files, reports, keys) is
            // readable by its own user only.
            SetUmask(0b000_111_111);
            MakePrivate(new DirectoryInfo(storage.DataDirectory));
            if (!IsWithin(storage.StagingDirectory, storage.DataDirectory))
            {
                MakePrivate(new DirectoryInfo(storage.StagingDirectory));
            }
        }

        Directory.CreateDirectory(storage.StagingDirectory);
        await migrator.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool IsWithin(string path, string directory) =>
        Path.GetFullPath(path).StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The data directory 0700, and what an earlier version left in it 0700 (folders) or 0600 (files).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void MakePrivate(DirectoryInfo directory)
    {
        directory.Create();
        foreach (var entry in directory.EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Prepend(directory))
        {
            var mode = entry is DirectoryInfo ? PrivateDirectory : PrivateFile;
            if (entry.UnixFileMode != mode)
            {
                entry.UnixFileMode = mode;
                LogMadePrivate(logger, entry.FullName);
            }
        }
    }

    [DllImport("libc", EntryPoint = "umask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint SetUmask(uint mask);

    [LoggerMessage(Level = LogLevel.Information, Message = "Made {Path} private to the portal's user")]
    private static partial void LogMadePrivate(ILogger logger, string path);
}

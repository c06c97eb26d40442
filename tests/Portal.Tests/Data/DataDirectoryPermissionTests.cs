using System.Net;
using Portal.Tests.TestHost;

namespace Portal.Tests.Data;

/// <summary>The data directory holds account lists (personal data): only the portal's own user can read any of it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryPermissionTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task The_data_directory_and_every_file_in_it_are_private_also_those_an_older_version_left_readable()
    {
        var data = Directory.CreateTempSubdirectory("portal-private-").FullName;
        try
        {
            // As an older version left it: the directory and a file readable by everyone.
            var leftOver = Path.Combine(data, "left-over.txt");
            await File.WriteAllTextAsync(leftOver, "alice\n");
            File.SetUnixFileMode(data, Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(leftOver, PrivateFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            using var portal = new PortalFactory(new Dictionary<string, string?>(), data);
            using var browser = await BrowserSession.SignInAsync(portal, "mia", "/upload");
            var token = await BrowserSession.AntiforgeryTokenAsync(browser, "/upload");
            using var upload = await BrowserSession.PostPackageAsync(browser, token, "private.txt", "alice\nbob\nalice\n");
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);

            var entries = new DirectoryInfo(data).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Prepend(new DirectoryInfo(data)).ToList();
            Assert.Contains(entries, entry => entry.Name == "portal.db");
            Assert.Contains(entries, entry => entry.Name.EndsWith(".bin", StringComparison.Ordinal));
            Assert.Contains(entries, entry => entry.Name.EndsWith(".problems.csv", StringComparison.Ordinal));
            Assert.All(entries, entry => Assert.Equal((entry.FullName, entry is DirectoryInfo ? Private : PrivateFile), (entry.FullName, entry.UnixFileMode)));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}

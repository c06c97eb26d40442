using System.Xml.Linq;
using Portal.Tests.TestHost;

namespace Portal.Tests.Hosting;

/// <summary>
/// The container cannot be built here (no registry), and CI's publish step runs from the whole repository, so a project
/// the portal comes to depend on could be missing from the image's build context unnoticed. The Dockerfile must copy every
/// project the image needs: its project file before the restore, its folder before the publish.
/// </summary>
public sealed class DockerfileTests
{
    [Fact]
    public void The_image_build_copies_every_project_the_portal_references_outside_the_development_stack()
    {
        var root = Repository.Root();
        var dockerfile = File.ReadAllLines(Path.Combine(root, "Dockerfile")).Select(line => line.Trim()).ToList();
        var restore = dockerfile.FindIndex(line => line.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var publish = dockerfile.FindIndex(line => line.StartsWith("RUN dotnet publish", StringComparison.Ordinal));
        Assert.True(restore > 0 && publish > restore, "The Dockerfile should restore, then publish.");

        var projects = ImageProjects(root, "src/Portal/Portal.csproj");
        Assert.Contains("src/Portal.Packages/Portal.Packages.csproj", projects);
        foreach (var project in projects)
        {
            var folder = project[..(project.LastIndexOf('/') + 1)];
            Assert.True(dockerfile.Take(restore).Contains($"COPY --link {project} {folder}"), $"The Dockerfile does not copy {project} before the restore.");
            Assert.True(dockerfile.Take(publish).Contains($"COPY --link {folder} {folder}"), $"The Dockerfile does not copy {folder} before the publish.");
        }
    }

    /// <summary>The project and every project it references, transitively, leaving out conditional references (the development stack).</summary>
    private static SortedSet<string> ImageProjects(string root, string project)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!found.Add(next))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(Path.Combine(root, next))!;
            var references = XDocument.Load(Path.Combine(root, next)).Descendants("ProjectReference")
                .Where(reference => reference.Parent?.Attribute("Condition") is null)
                .Select(reference => Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value.Replace('\\', '/')))).Replace('\\', '/'));
            foreach (var reference in references)
            {
                pending.Push(reference);
            }
        }

        return found;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Text;
using Portal.Packages;

// Validator benchmark: generates its inputs, times sha256sum on each as the baseline (best of 3), then the validator in
// three fresh child processes (best time, highest peak working set). Each child warms the JIT up on a small file, then
// validates the file twice: "cold" (the first large validation in the process) and the main figure (as in a server that
// has validated before), and tells its working set after that validation: the duplicate table is handed back by then.
// A case marked "arriving" feeds the file as an upload arrives: a receiver thread writes each 64 KiB chunk to a staged
// copy, then hands it to the validator through a pipe; its times include the staging.
//   dotnet run -c Release --project tests/Portal.Benchmarks [-- --keep] [-- --dir PATH]
// Child mode (internal): --measure FILE [--arriving]
return args is ["--measure", var file, ..] ? Measure.Run(file, args.Contains("--arriving")) : Bench.Run(args);

internal static class Bench
{
    private const long TargetBytes = 100L * 1024 * 1024;

    public static int Run(string[] args)
    {
        var keep = args.Contains("--keep");
        var dirIndex = Array.IndexOf(args, "--dir");
        var folder = dirIndex >= 0 ? Directory.CreateDirectory(args[dirIndex + 1]) : Directory.CreateTempSubdirectory("package-bench-");
        try
        {
            var accounts = Path.Combine(folder.FullName, "accounts.txt");
            Console.WriteLine("Generating inputs in " + folder.FullName + " …");
            var rows = Generate(accounts, i => (i * 7919 % 100_000_000_000L).ToString("D11", CultureInfo.InvariantCulture));
            var cases = new List<(string File, long Rows, bool Arriving)>
            {
                (accounts, rows, false),
                (accounts, rows, true),
                (Zip(accounts), rows, false),
                (WithBlankFirstRow(accounts), rows + 1, false),
                (WithLastRowRepeated(accounts), rows, false),
                Worst(folder.FullName, "two-ascii.txt", TwoAsciiCharacters),
                Worst(folder.FullName, "two-cjk.txt", TwoChineseCharacters),
                Worst(folder.FullName, "four-ascii.txt", FourAsciiCharacters),
            };

            Console.WriteLine();
            var validatorSeconds = new Dictionary<string, double>();
            Console.WriteLine($"{"file",-26} {"size",13} {"rows",11} {"sha256sum s",12} {"validator s",12} {"ratio",6} {"cold s",7} {"ratio",6} {"peak WS MB",11} {"WS after MB",12}  report");
            foreach (var (file, count, arriving) in cases)
            {
                var label = Path.GetFileName(file) + (arriving ? " (arriving)" : "");
                var baseline = Best(() => Time(() => RunProcess("sha256sum", file)));
                var runs = Enumerable.Range(0, 3).Select(_ => RunProcess(Environment.ProcessPath!, ChildArguments(file, arriving)).Split('\t')).ToList();
                var seconds = runs.Min(run => double.Parse(run[0], CultureInfo.InvariantCulture));
                var cold = runs.Min(run => double.Parse(run[1], CultureInfo.InvariantCulture));
                var peak = runs.Max(run => long.Parse(run[2], CultureInfo.InvariantCulture));
                var after = runs.Max(run => long.Parse(run[3], CultureInfo.InvariantCulture));
                var report = runs[0][4];
                validatorSeconds[label] = seconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label,-26} {new FileInfo(file).Length,13:N0} {count,11:N0} {baseline,12:F3} {seconds,12:F3} {seconds / baseline,6:F2} {cold,7:F3} {cold / baseline,6:F2} {peak / 1048576.0,11:F0} {after / 1048576.0,12:F0}  {report}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"accounts.zip / accounts.txt validator time: {validatorSeconds["accounts.zip"] / validatorSeconds["accounts.txt"]:F2}; arriving / staged: {validatorSeconds["accounts.txt (arriving)"] / validatorSeconds["accounts.txt"]:F2}"));
        }
        finally
        {
            if (!keep && dirIndex < 0)
            {
                folder.Delete(recursive: true);
            }
        }

        return 0;
    }

    private static string[] ChildArguments(string file, bool arriving)
    {
        // Under `dotnet run` the process is the app host; under `dotnet X.dll` it is dotnet itself.
        var self = typeof(Bench).Assembly.Location;
        string[] measure = arriving ? ["--measure", file, "--arriving"] : ["--measure", file];
        return Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? [self, .. measure] : measure;
    }

    /// <summary>Rows of a given shape until the file would pass 100 MiB.</summary>
    private static long Generate(string path, Func<long, string> row)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        long bytes = 0, rows = 0;
        for (; ; rows++)
        {
            var text = row(rows);
            var length = Encoding.UTF8.GetByteCount(text) + 1;
            if (bytes + length > TargetBytes)
            {
                return rows;
            }

            writer.Write(text);
            writer.Write('\n');
            bytes += length;
        }
    }

    private static string Zip(string path)
    {
        var zip = Path.ChangeExtension(path, ".zip");
        File.Delete(zip);
        using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
        archive.CreateEntryFromFile(path, Path.GetFileName(path), CompressionLevel.Optimal);
        return zip;
    }

    /// <summary>The same accounts after one blank row: the clean package must then be written (and zipped) in full.</summary>
    private static string WithBlankFirstRow(string path)
    {
        var copy = Path.Combine(Path.GetDirectoryName(path)!, "blank-first.txt");
        using var target = File.Create(copy);
        target.WriteByte((byte)'\n');
        using var source = File.OpenRead(path);
        source.CopyTo(target);
        return copy;
    }

    /// <summary>
    /// The same accounts less the first, with the last one repeated (the same size, within the limit): the clean package
    /// departs from the original only at its very end, so its prefix is read again in full, and so is the file by the
    /// second pass that finds where the duplicate first appeared.
    /// </summary>
    private static string WithLastRowRepeated(string path)
    {
        var copy = Path.Combine(Path.GetDirectoryName(path)!, "last-repeated.txt");
        var text = File.ReadAllBytes(path);
        var last = text.AsSpan(text.AsSpan(..^1).LastIndexOf((byte)'\n') + 1);
        using var target = File.Create(copy);
        target.Write(text.AsSpan(text.AsSpan().IndexOf((byte)'\n') + 1));
        target.Write(last);
        return copy;
    }

    private static (string, long, bool) Worst(string folder, string name, Func<long, string> row)
    {
        var path = Path.Combine(folder, name);
        return (path, Generate(path, row), false);
    }

    /// <summary>The most rows 100 MiB can hold (3 bytes each); only 94² of them can differ.</summary>
    private static string TwoAsciiCharacters(long row) =>
        string.Concat((char)('!' + row % 94), (char)('!' + row / 94 % 94));

    /// <summary>The most distinct 2-character accounts 100 MiB can hold: CJK ideographs, 7 bytes a row, all different.</summary>
    private static string TwoChineseCharacters(long row) =>
        string.Concat((char)(0x4E00 + row % 20_000), (char)(0x4E00 + row / 20_000 % 20_000));

    /// <summary>The most distinct accounts 100 MiB can hold at all: 4 printable ASCII characters, 5 bytes a row, all different.</summary>
    private static string FourAsciiCharacters(long row) =>
        string.Concat((char)('!' + row % 94), (char)('!' + row / 94 % 94), (char)('!' + row / (94 * 94) % 94), (char)('!' + row / (94 * 94 * 94) % 94));

    private static double Best(Func<double> run) => Enumerable.Range(0, 3).Min(_ => run());

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static string RunProcess(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"{program} exited with {process.ExitCode}");
    }
}

/// <summary>The child: warms the validator up on a small copy (so the JIT is done), then times a cold and a warm run.</summary>
internal static class Measure
{
    private const int ChunkSize = 64 * 1024;

    public static int Run(string file, bool arriving)
    {
        var folder = Directory.CreateTempSubdirectory("package-measure-");
        var validate = arriving ? (Func<string, string, ValidationReport>)ValidateArriving : Validate;
        try
        {
            var warmUp = WarmUpCopy(file, folder.FullName);
            for (var run = 0; run < 3; run++)
            {
                validate(warmUp, folder.FullName);
            }

            // Let the JIT's background compilation to optimised code finish, as it has in a server that ran for a while.
            Thread.Sleep(500);
            GC.Collect();

            // First run: the first large validation in the process (the GC's first large buffers, the hot loops' last JIT
            // promotions). Second run: as in a server that has validated before. The duplicate table is native memory,
            // new to either run: it goes back to the system at the end of each.
            var cold = Stopwatch.StartNew();
            validate(file, folder.FullName);
            var coldSeconds = cold.Elapsed.TotalSeconds;
            GC.Collect();
            var warm = Stopwatch.StartNew();
            var report = validate(file, folder.FullName);
            var seconds = warm.Elapsed.TotalSeconds;

            using var self = Process.GetCurrentProcess();
            var clean = report.CleanPackage;
            var firstDuplicate = report.Duplicates.Count == 0 ? "" : $" (first at line {report.Duplicates[0].DuplicateLine:N0}, first seen on {report.Duplicates[0].FirstLine:N0})";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{seconds:F3}\t{coldSeconds:F3}\t{self.PeakWorkingSet64}\t{self.WorkingSet64}\tvalid {report.ValidCount:N0}, duplicates {report.DuplicateCount:N0}{firstDuplicate}, problems {report.ProblemCount:N0}, {(clean is null ? "no clean package (original sendable)" : $"clean {clean.FileName} {clean.Size:N0} B")}"));
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The first 8 MiB of the file's text, in a file of the same kind.</summary>
    private static string WarmUpCopy(string file, string folder)
    {
        var path = Path.Combine(folder, "warm-up" + Path.GetExtension(file));
        var head = new byte[8 << 20];
        int length;
        if (Path.GetExtension(file) == ".zip")
        {
            using var archive = ZipFile.OpenRead(file);
            using var entry = archive.Entries[0].Open();
            length = entry.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            using var target = ZipFile.Open(path, ZipArchiveMode.Create);
            using var copy = target.CreateEntry(archive.Entries[0].Name).Open();
            copy.Write(head, 0, length);
            return path;
        }

        using var source = File.OpenRead(file);
        length = source.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        File.WriteAllBytes(path, head[..length]);
        return path;
    }

    private static ValidationReport Validate(string file, string folder) =>
        PackageValidator.Validate(new ValidationRequest(Path.GetFileName(file)), file, Outputs(folder));

    /// <summary>
    /// The file as an upload arrives: a receiver thread reads it in chunks, writes each to the staged copy (unbuffered, so
    /// it is there for another handle) and then hands it to the validator through a pipe, as the upload endpoint would.
    /// </summary>
    private static ValidationReport ValidateArriving(string file, string folder)
    {
        var staged = Path.Combine(folder, "staged");
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20, minimumSegmentSize: ChunkSize, useSynchronizationContext: false));
        var receiver = Task.Run(async () =>
        {
            try
            {
                await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
                await using var stage = new FileStream(staged, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
                var chunk = new byte[ChunkSize];
                while (await source.ReadAsync(chunk) is > 0 and var read)
                {
                    await stage.WriteAsync(chunk.AsMemory(0, read));
                    await pipe.Writer.WriteAsync(chunk.AsMemory(0, read));
                }

                await pipe.Writer.CompleteAsync();
            }
            catch (Exception exception)
            {
                await pipe.Writer.CompleteAsync(exception);
            }
        });
        using var body = pipe.Reader.AsStream();
        var content = PackageContent.Arriving(body, () => new FileStream(staged, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0), new FileInfo(file).Length);
        var report = PackageValidator.Validate(new ValidationRequest(Path.GetFileName(file)), content, Outputs(folder), new LatestProgress(), CancellationToken.None);
        receiver.GetAwaiter().GetResult();
        return report;
    }

    private static ValidationOutputs Outputs(string folder) => new(Path.Combine(folder, "clean"), Path.Combine(folder, "problems.csv"));

    /// <summary>Keeps the latest figure, as a page would before showing it: only what reporting progress costs is measured.</summary>
    private sealed class LatestProgress : IProgress<ValidationProgress>
    {
        public ValidationProgress Latest { get; private set; }

        public void Report(ValidationProgress value) => Latest = value;
    }
}

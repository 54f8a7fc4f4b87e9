using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace DslOptim.Generators.Tests.Infrastructure;

/// <summary>
/// Golden-file snapshots of generated code, compared as text (Verify.SourceGenerators is not served by this
/// project's package source). A mismatch writes <c>NAME.received.txt</c> beside the golden file and fails.
/// To accept new output, run the tests with <c>DSLOPTIM_ACCEPT_SNAPSHOTS=1</c>; that switch is refused
/// when <c>CI=true</c>, so CI only ever compares. See Snapshots/README.md.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "DSLOPTIM_ACCEPT_SNAPSHOTS";

    public static void Match(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        var directory = Path.Combine(ProjectDirectory(callerPath), "Snapshots");
        var golden = Path.Combine(directory, name + ".txt");
        var received = Path.Combine(directory, name + ".received.txt");
        actual = Normalize(actual);
        var accept = Environment.GetEnvironmentVariable(AcceptVariable) == "1";
        if (accept && string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new XunitException($"{AcceptVariable}=1 is refused when CI=true: snapshots are accepted on a developer's machine and committed.");
        }
        if (accept)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(golden, actual);
            File.Delete(received);
            return;
        }
        if (!File.Exists(golden))
        {
            File.WriteAllText(received, actual);
            throw new XunitException($"No snapshot '{golden}'. The output was written to '{received}'; review it and run with {AcceptVariable}=1 to accept.");
        }
        var expected = Normalize(File.ReadAllText(golden));
        if (expected != actual)
        {
            File.WriteAllText(received, actual);
            throw new XunitException($"Generated code differs from '{golden}' at line {FirstDifferentLine(expected, actual)}. " +
                $"The new output is in '{received}': diff the two, and run with {AcceptVariable}=1 to accept if the change is intended.");
        }
        File.Delete(received);
    }

    private static string ProjectDirectory(string callerPath)
    {
        // The caller lives in tests/DslOptim.Generators.Tests/<folder>/; walk up to the folder holding the .csproj.
        var directory = Path.GetDirectoryName(callerPath);
        while (directory is not null && !File.Exists(Path.Combine(directory, "DslOptim.Generators.Tests.csproj")))
        {
            directory = Path.GetDirectoryName(directory);
        }
        return directory ?? throw new InvalidOperationException($"Cannot find the test project above '{callerPath}'.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");

    private static int FirstDifferentLine(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i])
            {
                return i + 1;
            }
        }
        return Math.Min(a.Length, b.Length) + 1;
    }
}

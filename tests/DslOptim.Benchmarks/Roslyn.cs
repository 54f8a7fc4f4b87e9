using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using DslOptim.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DslOptim.Benchmarks;

/// <summary>
/// Builds compilations the way the generator tests do: the running runtime's System.* assemblies and
/// DslOptim.dll as references, and <see cref="OptimizerGenerator"/> driven by <see cref="CSharpGeneratorDriver"/>.
/// </summary>
public static class Roslyn
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    public static CSharpCompilation Compile(params string[] sources)
        => CSharpCompilation.Create(
            "Benchmark",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            LazyReferences.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    public static GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create(
            new[] { new OptimizerGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None));

    /// <summary>Fails the setup if the generator did not produce compiling code (a benchmark of a broken run is meaningless).</summary>
    public static void EnsureGenerated(GeneratorDriver driver, Compilation output)
    {
        var result = driver.GetRunResult();
        if (result.GeneratedTrees.IsEmpty || result.Results.Any(r => r.Exception is not null))
        {
            throw new InvalidOperationException("the generator produced nothing or threw");
        }
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("generated code does not compile: " + string.Join("; ", errors));
        }
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = trusted
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(OptimizerAttribute).Assembly.Location));
        return references.ToImmutableArray();
    }
}

using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DslOptim.Benchmarks;

/// <summary>
/// Measures <see cref="GeneratorDriver.RunGenerators(Compilation, System.Threading.CancellationToken)"/> on a
/// project of one optimizer (clipped GD) and one unrelated file. Each run gets a <c>Clone()</c> of the
/// compilation (same syntax trees, fresh symbols and semantic caches), as a build or an IDE edit does,
/// so the binding the generator triggers is measured every time rather than cached by the first run.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GeneratorBenchmarks
{
    private CSharpCompilation compilation = null!;
    private CSharpCompilation edited = null!;
    private GeneratorDriver warmDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        compilation = Roslyn.Compile(Sources.ClippedGd, Sources.Unrelated);
        warmDriver = Roslyn.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        Roslyn.EnsureGenerated(warmDriver, output);

        // The unrelated edit: the second file's tree is replaced; the optimizer's tree is untouched.
        var unrelated = compilation.SyntaxTrees[1];
        var changed = CSharpSyntaxTree.ParseText(Sources.Unrelated.Replace("=> 1;", "=> 2;"), Roslyn.ParseOptions, path: unrelated.FilePath);
        edited = compilation.ReplaceSyntaxTree(unrelated, changed);
    }

    /// <summary>A new driver each time: parsing the declaration, deriving, emitting — the first build.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver FromScratch() => Roslyn.CreateDriver().RunGenerators(compilation.Clone());

    /// <summary>The driver already ran on the unedited project; only the re-run after the unrelated edit is timed.</summary>
    [Benchmark]
    public GeneratorDriver IncrementalAfterUnrelatedEdit() => warmDriver.RunGenerators(edited.Clone());
}

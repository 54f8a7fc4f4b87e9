using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using DslOptim.Generators.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DslOptim.Benchmarks;

/// <summary>
/// Measures the theory checker: one run of <see cref="OptimizerAnalyzer"/> (CompilationWithAnalyzers →
/// GetAnalyzerDiagnosticsAsync) over a precompiled compilation of one declaration, generator output
/// included as in a build. CompilationWithAnalyzers forks the compilation, so the time includes the
/// binding the analyzer's callbacks need, not only the formula analysis.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AnalyzerBenchmarks
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new OptimizerAnalyzer());

    private Compilation compilation = null!;

    [Params(nameof(Sources.ClippedGd), nameof(Sources.NormalizedGd), nameof(Sources.AdamWithoutMomentum))]
    public string Potential { get; set; } = nameof(Sources.ClippedGd);

    [GlobalSetup]
    public void Setup()
    {
        var driver = Roslyn.CreateDriver().RunGeneratorsAndUpdateCompilation(Roslyn.Compile(Sources.Of(Potential)), out compilation, out _);
        Roslyn.EnsureGenerated(driver, compilation);
    }

    [Benchmark]
    public ImmutableArray<Diagnostic> Analyze()
        => compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
}

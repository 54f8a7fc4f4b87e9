using System.Linq;
using System.Threading.Tasks;
using DslOptim.CodeFixes.Tests.Infrastructure;
using DslOptim.Generators.Analysis;
using Xunit;

namespace DslOptim.CodeFixes.Tests;

/// <summary>The real analyzer reports DSLOPT002, the fix applies, and the fixed code compiles without DSLOPT002.</summary>
public class EndToEndTests
{
    private const string Source = """
        using System;
        using DslOptim;

        namespace Cases;

        [Optimizer]
        public partial struct Kinked
        {
            public double Eps { get; init; } = 0.5;

            [Potential] public double Phi(double z) => Math.Abs(z) + 0.5 * z * z;

            [Schedule] public double LearningRate(long t) => 0.1;
        }
        """;

    [Fact]
    public async Task Analyzer_diagnostic_is_fixed_and_the_fix_compiles_clean()
    {
        var before = await CodeFixRunner.AnalyzeAsync(Source, new OptimizerAnalyzer());
        var kink = Assert.Single(before, d => d.Id == "DSLOPT002");

        var fixedSource = await CodeFixRunner.ApplyAsync(Source, kink);

        Assert.NotNull(fixedSource);
        Assert.Contains("Math.Sqrt(z * z + Delta * Delta)", fixedSource!.Text);
        var compiled = await CodeFixRunner.CompileWithGeneratorAsync(fixedSource.Document);
        Assert.Empty(compiled.Errors);
        var after = await CodeFixRunner.AnalyzeAsync(fixedSource.Text, new OptimizerAnalyzer());
        Assert.DoesNotContain(after, d => d.Id == "DSLOPT002");
        Assert.Empty(after.Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
    }
}

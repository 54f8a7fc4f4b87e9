using System.Globalization;
using System.IO;
using System.Linq;
using DslOptim.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DslOptim.Generators.Tests.Analysis;

/// <summary>DSLOPT011: √, log and division over what the states can reach, proven by induction or flagged with the failing interval.</summary>
public class DomainTests
{
    private static string Stateful(string preconditioner, double eps = 1e-8) => Samples.Usings + $$"""
        namespace Cases;

        [Optimizer]
        public partial struct Moments
        {
            public double Beta1 { get; init; } = 0.9;
            public double Beta2 { get; init; } = 0.999;
            public double Eps { get; init; } = {{eps.ToString("R", CultureInfo.InvariantCulture)}};

            [State] public double M(double g, double m) => Beta1 * m + (1 - Beta1) * g;
            [State] public double V(double g, double v) => Beta2 * v + (1 - Beta2) * g * g;
            [Preconditioner] public double Direction(double m, double v, long t) => {{preconditioner}};
            [Schedule] public double LearningRate(long t) => 1e-3;
        }
        """;

    private const string AdamDirection = "m / (1 - Math.Pow(Beta1, t)) / (Math.Sqrt(v / (1 - Math.Pow(Beta2, t))) + Eps)";

    [Theory]
    [InlineData(AdamDirection, 0.0, "denominator", "may be 0")]
    [InlineData("Math.Sqrt(m)", 1e-8, "√ of m_t", "may be negative")]
    [InlineData("m / Math.Log(v)", 1e-8, "log of v_t", "may be ≤ 0")]
    public void Fires_where_the_states_can_leave_the_domain(string direction, double eps, string what, string why)
    {
        var source = Stateful(direction, eps);
        var diagnostics = AnalysisHarness.Analyze(source);

        var found = diagnostics.Where(d => d.Id == "DSLOPT011").Select(d => d.GetMessage(CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(found, m => m.Contains(what) && m.Contains(why));
        var diagnostic = diagnostics.First(d => d.Id == "DSLOPT011");
        Assert.Equal(direction, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    [Fact]
    public void Adam_with_a_positive_eps_is_proven_and_its_invariant_is_in_Info()
    {
        var source = Stateful(AdamDirection);

        Assert.DoesNotContain(AnalysisHarness.Analyze(source), d => d.Id == "DSLOPT011");
        var generated = Assert.Single(GeneratorHarness.Run(source).Generated).Value;
        Assert.Contains("v_t ∈ [0, ∞)", generated);
        Assert.Contains("m_t ∈ (−∞, ∞)", generated);
    }

    [Fact]
    public async System.Threading.Tasks.Task No_zoo_member_fires()
    {
        var folder = Path.GetFullPath(Path.Combine(System.AppContext.BaseDirectory, "../../../../../src/DslOptim/Optimizers"));
        var sources = Directory.GetFiles(folder, "*.cs").Select(File.ReadAllText).ToArray();
        Assert.True(sources.Length >= 12, $"expected the zoo in {folder}");

        var compilation = GeneratorHarness.Compile(sources);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        Assert.True(output.SyntaxTrees.Count() >= 2 * sources.Length, "the zoo's optimizers were not generated");
        var diagnostics = await output.WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<DiagnosticAnalyzer>(new Generators.Analysis.OptimizerAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();

        Assert.Empty(diagnostics.Where(d => d.Id == "DSLOPT011").Select(d => d.GetMessage(CultureInfo.InvariantCulture)));
    }
}

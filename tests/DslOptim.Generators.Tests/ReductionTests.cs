using System.Globalization;
using System.Linq;
using DslOptim.Generators.Tests.Infrastructure;
using Xunit;

namespace DslOptim.Generators.Tests;

/// <summary>
/// [Reduction] members: the generated pass and its binding by name, DSLOPT009 on the exact span for declarations the
/// pass cannot carry (never a throw), DSLOPT011 over a reduction's range, and the golden file of a declaration with
/// every kind of reduction.
/// </summary>
public class ReductionTests
{
    private static string Optimizer(string members, string keyword = "struct") => Samples.Usings + $$"""
        namespace Cases;

        [Optimizer]
        public partial {{keyword}} Reducing
        {
            public double Lr { get; init; } = 0.1;
        {{members}}
            [Schedule] public double LearningRate(long t) => Lr;
        }
        """;

    private const string Direction = "    [Preconditioner] public double D(double g) => g;\n";

    [Theory]
    [InlineData("    [State] public double M(double g, double m) => 0.9 * m + g;\n    [Reduction] public double Z(double w, double m) => w * m;\n    [Preconditioner] public double D(double m) => m;", "m", "binds to nothing")]
    [InlineData("    [Reduction] public double Z(double w, double q) => w * q;\n" + Direction, "q", "binds to nothing")]
    [InlineData("    [Reduction] public double Z(int w) => w;\n" + Direction, "w", "must be double")]
    [InlineData("    [Reduction] public double Z(ref double w) => w;\n" + Direction, "w", "plain value parameter")]
    [InlineData("    [Reduction] public double Eta(double g) => g;\n" + Direction, "Eta", "rename")]
    [InlineData("    [State] public double M(double g, double m) => 0.9 * m + g;\n    [Reduction] public double Sums(double g) => g;\n    [Preconditioner] public double D(double m) => m;", "Sums", "rename")]
    [InlineData("    [Reduction] public double Z(double g) => g;\n    [Potential(PotentialKind.Isotropic)] public double H(double s) => 0.5 * s * s;", "Reduction", "isotropic")]
    [InlineData("    [Reduction((ReductionKind)7)] public double Z(double g) => g;\n" + Direction, "Reduction((ReductionKind)7)", "kind 7")]
    [InlineData("    [Reduction] public double A(double g) => g;\n    [Reduction] public double B(double g) => g;\n    [Reduction] public double C(double g) => g;\n    [Reduction] public double E(double g) => g;\n    [Reduction(ReductionKind.Norm)] public double F(double g) => g;\n" + Direction, "Reduction(ReductionKind.Norm)", "at most 4")]
    [InlineData("    [Reduction] public double Z(double g) => g;\n" + Direction + "    [Update] public double U(double w, double y) => w - y;", "y", "a reduction (z)")]
    [InlineData("    [Reduction] public int Z(double g) => 1;\n" + Direction, "int", "must return double")]
    public void Declarations_the_pass_cannot_carry_get_DSLOPT009_on_the_exact_span(string members, string span, string message)
    {
        var source = Optimizer(members);
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Exceptions);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("DSLOPT009", diagnostic.Id);
        Assert.Equal(span, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains(message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Empty(run.Generated);
    }

    [Theory]
    [InlineData("    [Reduction] public double Z(double g) => Console.Read();\n" + Direction, "Console.Read()")]
    [InlineData("    [Reduction] public double Z(double g) { var x = g; return x; }\n" + Direction, "{ var x = g; return x; }")]
    public void Unsupported_constructs_in_a_reduction_get_DSLOPT008_on_their_span(string members, string span)
    {
        var source = Optimizer(members);
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Exceptions);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("DSLOPT008", diagnostic.Id);
        Assert.Equal(span, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Empty(run.Generated);
    }

    [Theory]
    [InlineData("    [Reduction] public double Z(double g, double w) => w * Math.Exp(-g);\n")]
    [InlineData("    [Reduction] public double Z(double g, double w) => w * Math.Exp(-g)\n")]
    [InlineData("    [Reduction(ReductionKind.Norm) public double Z(double g) => g;\n")]
    [InlineData("    [Reduction] public double Z(double g, double w) => w * Math.Exp(-g);\n    [Update] public double U(double w, double z, double z2) => w / z;\n")]
    [InlineData("    [Reduction] public double Z(double g, double z) => g;\n" + Direction)]
    [InlineData("    [Reduction] public double Z(double g) => g;\n    [Reduction] public double Z(double g, double w) => g;\n" + Direction)]
    [InlineData("    [Reduction] public double Z;\n" + Direction)]
    public void Broken_declarations_never_throw(string members)
    {
        var run = GeneratorHarness.Run(Optimizer(members));

        Assert.Empty(run.Exceptions);
        Assert.Contains(run.All, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
    }

    [Fact]
    public void A_stateful_optimizer_with_reductions_and_a_class_compile_and_bind_by_name()
    {
        var source = Optimizer("""
                [Reduction(ReductionKind.Norm)] public double GNorm(double g) => g;
                [Reduction] public double Dot(double w, double g, double lr, long t) => w * g * lr / t;
                [State(Initial = 1.0)] public double P(double p, double gNorm) => 0.5 * p + gNorm;
                [State] public double M(double g, double m, double dot) => 0.9 * m + g * dot;
                [Preconditioner] public double D(double m, double gNorm) => m / (1 + gNorm);
                [Update] public double U(double w, double d, double lr, double p) => w - lr * d * p;
            """, "class");
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Errors);
        var generated = Assert.Single(run.Generated).Value;
        Assert.Contains("double gNorm = global::System.Math.Sqrt(reductions[0]); // gNorm = √(Σ_i (g)²)", generated);
        Assert.Contains("double dot = reductions[1]; // dot = Σ_i w·g·η_t/t", generated);
        Assert.Contains("public static int Count => 2;", generated);
        Assert.Contains("first one reduction pass over w and g for gNorm, dot", generated);
        // The pass comes before the scalar state that reads it.
        Assert.True(generated.IndexOf("ReductionPass.Sums", System.StringComparison.Ordinal) < generated.IndexOf("double pNow", System.StringComparison.Ordinal));
    }

    [Fact]
    public void A_stateless_preconditioner_reading_a_reduction_gets_its_derivatives_in_g()
    {
        var source = Optimizer("""
                [Reduction(ReductionKind.Norm)] public double GNorm(double g) => g;
                [Preconditioner] public double D(double g, double gNorm) => g / (1 + gNorm);
            """);
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Errors);
        var generated = Assert.Single(run.Generated).Value;
        Assert.Contains("public double DPrime(double g, double gNorm) => 1.0 / (1.0 + gNorm);", generated);
    }

    private static string Normalized(string reduction, string update) => Optimizer($$"""
            {{reduction}}
            [Preconditioner] public double D(double g) => g;
            [Update] public double U(double w, double g, double lr, double z) => {{update}};
        """);

    [Theory]
    [InlineData("[Reduction] public double Z(double w, double g, double lr) => w * Math.Exp(-lr * g);", "w * Math.Exp(-lr * g) / z", "the denominator z may be 0")]
    [InlineData("[Reduction(ReductionKind.Norm)] public double Z(double g) => g;", "w - lr * g / z", "the denominator z may be 0")]
    [InlineData("[Reduction] public double Z(double w, double g) => w * g;", "w - lr * Math.Sqrt(z)", "√ of z")]
    [InlineData("[Reduction] public double Z(double w, double g) => w * g;", "z < 0 ? w : w - lr * Math.Log(z)", "log of z")]
    public void DSLOPT011_fires_where_a_reduction_can_leave_the_domain(string reduction, string update, string what)
    {
        var source = Normalized(reduction, update);
        var diagnostics = AnalysisHarness.Analyze(source);

        var diagnostic = Assert.Single(diagnostics, d => d.Id == "DSLOPT011");
        Assert.Contains(what, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(update, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    [Theory]
    [InlineData("[Reduction] public double Z(double w, double g, double lr) => w * Math.Exp(-lr * g);", "z > 0 ? w * Math.Exp(-lr * g) / z : w")]
    [InlineData("[Reduction] public double Z(double w, double g, double lr) => w * Math.Exp(-lr * g);", "0 >= z ? w : w * Math.Exp(-lr * g) / z")]
    [InlineData("[Reduction] public double Z(double g) => 1 + Math.Exp(g);", "w / z")]
    [InlineData("[Reduction] public double Z(double g) => Math.Exp(g) + 0.5;", "w / z")]
    [InlineData("[Reduction(ReductionKind.Norm)] public double Z(double g) => 1 + g * g;", "w - lr * g / z")]
    [InlineData("[Reduction] public double Z(double w, double g) => w * w + g * g;", "w - lr * Math.Sqrt(z)")]
    public void DSLOPT011_is_proven_away_by_a_reduction_range_or_a_guard(string reduction, string update)
    {
        var source = Normalized(reduction, update);

        Assert.DoesNotContain(AnalysisHarness.Analyze(source), d => d.Id == "DSLOPT011");
        var generated = Assert.Single(GeneratorHarness.Run(source).Generated).Value;
        Assert.Contains("domains: proven", generated);
    }

    [Fact]
    public void Generated_source_matches_snapshot()
    {
        var run = GeneratorHarness.Run(Samples.SphereSgd);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Errors);
        var (file, text) = Assert.Single(run.Generated.Select(p => (p.Key, p.Value)));
        Snapshot.Match(nameof(Samples.SphereSgd) + "." + file, text);
    }
}

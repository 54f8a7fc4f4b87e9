using System.Globalization;
using System.Linq;
using DslOptim.Generators.Tests.Infrastructure;
using Xunit;

namespace DslOptim.Generators.Tests;

/// <summary>DSLOPT009 for stateful declarations the fused kernel cannot carry, on the right span; none for good ones.</summary>
public class StateDiagnosticTests
{
    private static string Optimizer(string members) => Samples.Usings + $$"""
        namespace Cases;

        [Optimizer]
        public partial struct Stateful
        {
            public double Beta { get; init; } = 0.9;
        {{members}}
            [Schedule] public double LearningRate(long t) => 0.1;
        }
        """;

    [Theory]
    [InlineData("    [State] public double M(double g, double m, double q) => Beta * m + g;\n    [Preconditioner] public double D(double m) => m;", "q", "binds to nothing")]
    [InlineData("    [State] public double M(double g, double m) => Beta * m + g;\n    [Preconditioner] public double D(double m, double lr) => m;", "lr", "binds to nothing")]
    [InlineData("    [State] public double M(double g, double m) => Beta * m + g;\n    [Preconditioner] public double D(double m) => m;\n    [Update] public double U(double w, double d, double x) => w - d;", "x", "binds to nothing")]
    [InlineData("    [State] public double M(double g, double m) => Beta * m + g;\n    [Potential(PotentialKind.Isotropic)] public double H(double s) => 0.5 * s * s;", "Stateful", "isotropic")]
    [InlineData("    [State] public double A(double g, double a) => a + g;\n    [State] public double B(double g, double b) => b + g;\n    [State] public double C(double g, double c) => c + g;\n    [State] public double E(double g, double e) => e + g;\n    [State] public double F(double g, double f) => f + g;\n    [Preconditioner] public double D(double a) => a;", "Stateful", "at most 4")]
    public void Stateful_declarations_the_kernel_cannot_carry_are_reported(string members, string span, string message)
    {
        var source = Optimizer(members);
        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("DSLOPT009", diagnostic.Id);
        Assert.Equal(span, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Contains(message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void A_scalar_state_and_an_update_generate_code_that_compiles()
    {
        var source = Optimizer("""
                [State(Initial = 1.0)] public double P(double p, long t) => p * Beta;
                [State] public double M(double g, double m, double p) => Beta * m + p * g;
                [Preconditioner] public double D(double m) => m;
                [Update] public double U(double w, double d, double lr) => w - lr * d - 0.01 * lr * w;
            """);
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Errors);
        var generated = Assert.Single(run.Generated).Value;
        Assert.Contains("public double P { get; set; }", generated);
        Assert.Contains("public global::System.Span<T> M => _m.Span;", generated);
        Assert.Contains("public static int StateCount => 1;", generated);
    }

    [Fact]
    public void A_multi_line_preconditioner_reading_g_and_a_state_compiles_with_its_derivatives()
    {
        var source = Optimizer("""
                [State] public double GAvg(double g, double gAvg) => Beta * gAvg + (1 - Beta) * g;
                [Preconditioner]
                public double D(double g, double gAvg)
                    => g
                       / (1 + gAvg * gAvg);
            """);
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Errors);
        var generated = Assert.Single(run.Generated).Value;
        Assert.Contains("public double DPrime(double g, double gAvg)", generated);
        Assert.Contains("[Preconditioner] D(g, gAvg) => g / (1 + gAvg * gAvg)", generated);
    }
}

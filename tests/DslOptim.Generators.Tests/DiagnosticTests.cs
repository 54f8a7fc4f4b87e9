using System.Linq;
using DslOptim.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DslOptim.Generators.Tests;

/// <summary>DSLOPT008 and DSLOPT009: on the exact span, with a message that says what to do, and no code emitted.</summary>
public class DiagnosticTests
{
    private static string Optimizer(string members, string modifiers = "public partial struct") => Samples.Usings + $$"""
        namespace Cases;

        [Optimizer]
        {{modifiers}} Case
        {
            public double Eps { get; init; } = 0.5;
            public double[] Table { get; init; } = new double[1];
            private double _field = 1.0;
            public Case() { }
        {{members}}
            [Schedule] public double LearningRate(long t) => 0.1;
        }
        """;

    [Theory]
    [InlineData("Math.Floor(z)", "Math.Floor")]
    [InlineData("z % 2.0", "'%'")]
    [InlineData("new Random(1).NextDouble()", "Random.NextDouble")]
    [InlineData("_field", "field '_field'")]
    [InlineData("Table[0]", "element access")]
    [InlineData("z switch { > 0 => z, _ => -z }", "switch expression")]
    [InlineData("MathF.Abs((float)z)", "MathF.Abs")]
    public void Unsupported_construct_is_reported_on_its_span(string construct, string named)
    {
        var source = Optimizer($"    [Potential] public double Phi(double z) => 1.0 + {construct};");
        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("DSLOPT008", diagnostic.Id);
        Assert.Equal(source.IndexOf(construct + ";", System.StringComparison.Ordinal), diagnostic.Location.SourceSpan.Start);
        Assert.Equal(construct.Length, diagnostic.Location.SourceSpan.Length);
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(named, message);
        Assert.Contains("Math.Abs/Sqrt/Exp/Log/Pow/Max/Min/Tanh/Atan/Sign/Cosh/Sinh", message);
        Assert.Empty(run.Generated);
        Assert.Empty(run.Exceptions);
    }

    [Fact]
    public void Every_unsupported_construct_of_a_formula_is_reported_in_one_build()
    {
        var source = Optimizer("    [Potential] public double Phi(double z) => Math.Floor(z) + z % 2.0 + Math.Ceiling(z);");
        var run = GeneratorHarness.Run(source);

        Assert.Equal(3, run.GeneratorDiagnostics.Count(d => d.Id == "DSLOPT008"));
    }

    [Fact]
    public void Statement_body_is_reported()
    {
        var source = Optimizer("    [Potential] public double Phi(double z) { var a = z * z; return a; }");
        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("DSLOPT008", diagnostic.Id);
        Assert.Equal(source.IndexOf("{ var a", System.StringComparison.Ordinal), diagnostic.Location.SourceSpan.Start);
    }

    [Fact]
    public void Single_return_block_body_is_accepted()
    {
        var run = GeneratorHarness.Run(Optimizer("    [Potential] public double Phi(double z) { return 0.5 * z * z; }"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Generated);
    }

    [Fact]
    public void Not_partial_is_reported_on_the_type_name()
    {
        var source = Optimizer("    [Potential] public double Phi(double z) => z * z;", "public struct");
        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("DSLOPT009", diagnostic.Id);
        Assert.Equal("Case", Text(source, diagnostic));
        Assert.Contains("partial", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void No_potential_is_reported()
    {
        var source = Optimizer("    [Loss] public static double L(double r) => r * r;");
        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("DSLOPT009", diagnostic.Id);
        Assert.Contains("no [Potential] or [Preconditioner]", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void Two_potentials_are_reported_on_the_second()
    {
        var source = Optimizer("    [Potential] public double A(double z) => z * z;\n    [Preconditioner] public double B(double g) => g;");
        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("DSLOPT009", diagnostic.Id);
        Assert.Equal("Preconditioner", Text(source, diagnostic));
        Assert.Empty(run.Generated);
    }

    [Theory]
    [InlineData("[Potential] public double Phi(int z) => z * z;", "int z", "must be double")]
    [InlineData("[Potential] public float Phi(double z) => (float)z;", "float", "must return double")]
    [InlineData("[Potential] public double Phi(double z, double y) => z * y;", "Phi", "exactly one double parameter")]
    [InlineData("[Preconditioner] public double D(double a, double b) => a * b;", "double a", "binds to nothing")]
    [InlineData("[Potential(PotentialKind.Spectral)] public double F(double s) => s;", "Potential(PotentialKind.Spectral)", "Spectral")]
    public void Wrong_signature_is_reported(string member, string span, string message)
    {
        var source = Optimizer("    " + member);
        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("DSLOPT009", diagnostic.Id);
        Assert.StartsWith(span.Split(' ').Last(), Text(source, diagnostic).Split(' ').Last());
        Assert.Contains(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.Generated);
    }

    [Fact]
    public void A_broken_declaration_leaves_the_others_generated()
    {
        var broken = Optimizer("    [Potential] public double Phi(double z) => Math.Floor(z);");
        var run = GeneratorHarness.Run(broken, Samples.ClippedGd);

        Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(new[] { "Samples.ClippedGd.g.cs" }, run.Generated.Keys.ToArray());
        Assert.DoesNotContain(run.Errors, e => e.Location.SourceTree?.FilePath.EndsWith("Source1.cs", System.StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Descriptors_link_to_their_docs_page()
    {
        foreach (var descriptor in new[] { Diagnostics.DiagnosticDescriptors.UnsupportedConstruct, Diagnostics.DiagnosticDescriptors.MalformedDeclaration })
        {
            Assert.Equal("docs/diagnostics/" + descriptor.Id + ".md", descriptor.HelpLinkUri);
            var repository = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.AppContext.BaseDirectory, "../../../../.."));
            Assert.True(System.IO.File.Exists(System.IO.Path.Combine(repository, descriptor.HelpLinkUri)), descriptor.HelpLinkUri + " is missing");
        }
    }

    private static string Text(string source, Diagnostic diagnostic)
        => source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);
}

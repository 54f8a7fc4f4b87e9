using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using DslOptim.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DslOptim.Generators.Tests.Analysis;

/// <summary>Each theory diagnostic on a minimal declaration, at its span, with the values in its message; none on the good ones.</summary>
public class AnalyzerTests
{
    public static IEnumerable<object[]> Cases() => new[]
    {
        // id, source, span text, fragments of the message
        new object[] { "DSLOPT001", AnalysisHarness.Potential("z * z * z * z - z * z"), "z * z * z * z - z * z", new[] { "not convex", "F(0) = 0 > (F(-0.5) + F(0.5))/2 = -0.1875" } },
        new object[] { "DSLOPT001", AnalysisHarness.Preconditioner("-g"), "-g", new[] { "not monotone", "F(-1.5) = 1.5 > F(-0.5) = 0.5" } },
        new object[] { "DSLOPT002", AnalysisHarness.Potential("Math.Abs(z) + 0.5 * z * z"), "Math.Abs(z)", new[] { "not differentiable at z = 0", "one-sided slopes -1 and 1" } },
        new object[] { "DSLOPT003", AnalysisHarness.Potential("0.5 * (z - 1) * (z - 1)"), "0.5 * (z - 1) * (z - 1)", new[] { "∇K(0) ≠ 0", "F′(0) = -1" } },
        new object[] { "DSLOPT004", AnalysisHarness.Potential("s + 0.5 * s * s", "Isotropic", "s"), "s + 0.5 * s * s", new[] { "h′(0) = F′(0) = 1 ≠ 0", "Theorem 2" } },
        new object[] { "DSLOPT004", AnalysisHarness.Potential("s * s - s", "Isotropic", "s"), "s * s - s", new[] { "h′(0) = F′(0) = -1" } },
        new object[] { "DSLOPT005", AnalysisHarness.Potential("z * z * z * z - 4 * z * z * z + 6 * z * z"), "z * z * z * z - 4 * z * z * z + 6 * z * z", new[] { "undecided", "interval arithmetic" } },
        new object[] { "DSLOPT006", AnalysisHarness.Loss("Math.Log(1 + Math.Exp(-z))"), "Math.Log(1 + Math.Exp(-z))", new[] { "not strongly convex", "μ = inf ℓ″ = 0", "F″(100) = 3.72E-44" } },
        new object[] { "DSLOPT006", AnalysisHarness.Loss("z * z * z * z"), "z * z * z * z", new[] { "not Lipschitz", "M = ∞" } },
        new object[] { "DSLOPT006", AnalysisHarness.Loss("Math.Sqrt(1 + z * z) - z * z"), "Math.Sqrt(1 + z * z) - z * z", new[] { "not convex" } },
        new object[] { "DSLOPT007", AnalysisHarness.Potential("Math.Pow(Math.Abs(z), 1.5)"), "Math.Pow(Math.Abs(z), 1.5)", new[] { "not Lipschitz", "unbounded near z = 0", "L_K = ∞" } },
        new object[] { "DSLOPT010", AnalysisHarness.Potential("z < 1 ? 0.5 * z * z : z * z"), "z < 1 ? 0.5 * z * z : z * z", new[] { "jumps at z = 1", "differ by 0.5" } },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Diagnostic_fires_at_its_span_with_its_values(string id, string source, string span, string[] fragments)
    {
        var diagnostics = AnalysisHarness.Analyze(source);

        var found = diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(found.Count > 0, $"{id} did not fire; got: {string.Join(" | ", diagnostics.Select(d => d.Id + " " + d.GetMessage(CultureInfo.InvariantCulture)))}");
        var diagnostic = found.FirstOrDefault(d => d.GetMessage(CultureInfo.InvariantCulture) is var m && fragments.All(m.Contains))
                         ?? throw new Xunit.Sdk.XunitException($"no {id} message contains [{string.Join(", ", fragments)}]: {string.Join(" | ", found.Select(d => d.GetMessage(CultureInfo.InvariantCulture)))}");
        var text = source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);
        Assert.Equal(span, text);
        Assert.EndsWith("docs/diagnostics/" + id + ".md", diagnostic.Descriptor.HelpLinkUri);
    }

    [Fact]
    public void Abs_kink_names_its_construct_for_the_code_fix()
    {
        var diagnostic = AnalysisHarness.Analyze(AnalysisHarness.Potential("Math.Abs(z) + 0.5 * z * z")).Single(d => d.Id == "DSLOPT002");

        Assert.Equal("Math.Abs", diagnostic.Properties["Construct"]);
    }

    public static IEnumerable<object[]> GoodDeclarations() => new[]
    {
        new object[] { "paper: clipping (DESIGN.md)", Samples.ClippedGd },
        new object[] { "paper: normalized GD", Samples.NormalizedGd },
        new object[] { "paper: Adam without momentum", Samples.AdamWithoutMomentum },
        new object[] { "squared loss", AnalysisHarness.Loss("0.5 * z * z") },
        new object[] { "pseudo-Huber", AnalysisHarness.Potential("Math.Sqrt(z * z + Eps * Eps) - Eps") },
        new object[] { "softplus, centred so that ∇K(0) = 0", AnalysisHarness.Potential("Math.Log(1 + Math.Exp(z)) - 0.5 * z - Math.Log(2)") },
        new object[] { "log-cosh", AnalysisHarness.Potential("Math.Log(Math.Cosh(z))") },
        new object[] { "Huber as a potential", AnalysisHarness.Potential("Math.Abs(z) <= Delta ? 0.5 * z * z : Delta * (Math.Abs(z) - 0.5 * Delta)") },
        new object[] { "Adam's map as a preconditioner", AnalysisHarness.Preconditioner("g / (Eps + Math.Abs(g))") },
    };

    [Theory]
    [MemberData(nameof(GoodDeclarations))]
    public void Nothing_fires_on_the_papers_and_the_textbook_convex_functions(string name, string source)
    {
        var diagnostics = AnalysisHarness.Analyze(source);

        Assert.True(diagnostics.IsEmpty, $"{name}: {string.Join(" | ", diagnostics.Select(d => d.Id + " " + d.GetMessage(CultureInfo.InvariantCulture)))}");
    }

    [Theory]
    [InlineData("error", DiagnosticSeverity.Error)]
    [InlineData("suggestion", DiagnosticSeverity.Info)]
    [InlineData("none", null)]
    public async System.Threading.Tasks.Task Editorconfig_severity_takes_effect(string setting, DiagnosticSeverity? expected)
    {
        var source = AnalysisHarness.Potential("Math.Abs(z) + 0.5 * z * z");
        var config = AnalyzerConfig.Parse($"root = true\n\n[*.cs]\ndotnet_diagnostic.DSLOPT002.severity = {setting}\n", "/project/.editorconfig");
        var tree = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, "/project/Case.cs");
        var options = AnalyzerConfigSet.Create(ImmutableArray.Create(config)).GetOptionsForSourcePath(tree.FilePath);
        var compilation = CSharpCompilation.Create(
            "EditorConfigTest",
            new[] { tree },
            GeneratorHarness.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true)
                .WithSyntaxTreeOptionsProvider(new EditorConfigOptions(tree, options.TreeOptions)));
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);

        var all = await output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new Generators.Analysis.OptimizerAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        var diagnostics = all.Where(d => d.Id == "DSLOPT002").ToList();

        if (expected is null)
        {
            Assert.Empty(diagnostics);
        }
        else
        {
            Assert.Equal(expected.Value, Assert.Single(diagnostics).Severity);
        }
    }

    [Fact]
    public void Default_severity_is_warning_without_editorconfig()
    {
        var diagnostic = AnalysisHarness.Analyze(AnalysisHarness.Potential("Math.Abs(z) + 0.5 * z * z")).Single(d => d.Id == "DSLOPT002");

        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
    }

    /// <summary>What the compiler builds from .editorconfig: per-tree severities.</summary>
    private sealed class EditorConfigOptions : SyntaxTreeOptionsProvider
    {
        private readonly SyntaxTree _tree;
        private readonly ImmutableDictionary<string, ReportDiagnostic> _severities;

        public EditorConfigOptions(SyntaxTree tree, ImmutableDictionary<string, ReportDiagnostic> severities)
        {
            _tree = tree;
            _severities = severities;
        }

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return tree == _tree && _severities.TryGetValue(diagnosticId, out severity);
        }

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return false;
        }
    }
}

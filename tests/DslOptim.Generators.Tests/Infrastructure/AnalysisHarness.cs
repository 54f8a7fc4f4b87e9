using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DslOptim.Generators.Analysis;
using DslOptim.Generators.Model;
using DslOptim.Generators.Parsing;
using DslOptim.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DslOptim.Generators.Tests.Infrastructure;

/// <summary>Runs the theory checker on one formula, or the analyzer on source text.</summary>
internal static class AnalysisHarness
{
    /// <summary>A declaration with one formula in the given role, and Eps = 0.5, Delta = 1 as hyperparameters.</summary>
    public static string Declaration(string member) => Samples.Usings + $$"""
        namespace Cases;

        [Optimizer]
        public partial struct Case
        {
            public double Eps { get; init; } = 0.5;
            public double Delta { get; init; } = 1.0;

            {{member}}

            [Schedule] public double LearningRate(long t) => 0.1;
        }
        """;

    public static string Potential(string body, string kind = "Elementwise", string variable = "z")
        => Declaration($"[Potential(PotentialKind.{kind})] public double F(double {variable}) => {body};");

    public static string Loss(string body)
        => Declaration($"[Potential] public double K(double z) => 0.5 * z * z;\n    [Loss] public double F(double z) => {body};");

    public static string Preconditioner(string body)
        => Declaration($"[Preconditioner] public double F(double g) => {body};");

    /// <summary>The report of the formula named F in the declaration.</summary>
    public static FormulaReport Report(string source)
    {
        var compilation = GeneratorHarness.Compile(source);
        var type = compilation.GetTypeByMetadataName("Cases.Case")!;
        var syntax = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().First();
        var diagnostics = new List<DiagnosticInfo>();
        var model = OptimizerParser.ParseType(type, syntax, compilation, diagnostics, CancellationToken.None)
                    ?? throw new System.InvalidOperationException("does not parse: " + string.Join("; ", diagnostics.Select(d => d.ToDiagnostic().GetMessage())));
        var formula = model.Loss?.Name == "F" ? model.Loss : model.Direction;
        return FormulaAnalysis.Analyze(Symbolic.DerivedFormula.Of(formula), OptimizerAnalysis.Hyperparameters(model), CancellationToken.None);
    }

    /// <summary>The analyzer's diagnostics on the source (after the generator ran, as in a build).</summary>
    public static ImmutableArray<Diagnostic> Analyze(string source, AnalyzerOptions? options = null)
    {
        var compilation = GeneratorHarness.Compile(source);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var withAnalyzers = output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new OptimizerAnalyzer()), options);
        return withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }
}

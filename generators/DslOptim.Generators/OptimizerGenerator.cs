using System.Collections.Immutable;
using DslOptim.Generators.Emit;
using DslOptim.Generators.Model;
using DslOptim.Generators.Parsing;
using DslOptim.Generators.Symbolic;
using Microsoft.CodeAnalysis;

namespace DslOptim.Generators;

/// <summary>
/// The pipeline, stage by stage (DESIGN.md): Parsing → Symbolic → Emit, plus Diagnostics.
/// Each step carries a tracking name; tests assert that an unrelated edit leaves every step cached.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class OptimizerGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline's steps, read by the incrementality tests.</summary>
    public static class Steps
    {
        /// <summary>Declarations marked [Optimizer], parsed into values plus the diagnostics that stop generation.</summary>
        public const string Parse = "Parse";

        /// <summary>The models that parsed cleanly.</summary>
        public const string Model = "Model";

        /// <summary>Derivatives, the per-element update, and the theory checker's verdicts and constants.</summary>
        public const string Derive = "Derive";

        /// <summary>The diagnostics of each declaration.</summary>
        public const string Diagnostics = "Diagnostics";

        /// <summary>What the referenced runtime offers (the linear-model layer), as a tiny value.</summary>
        public const string RuntimeFeatures = "RuntimeFeatures";
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Parsing: only types carrying [Optimizer] reach the transform, and it returns values, never symbols.
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                OptimizerParser.OptimizerAttribute,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                transform: static (context, cancellationToken) => OptimizerParser.Parse(context, cancellationToken))
            .WithTrackingName(Steps.Parse);

        // Diagnostics travel apart from the model, so a moved line refreshes squiggles without re-emitting code.
        var diagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(Steps.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (output, found) =>
        {
            foreach (var diagnostic in found)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        var models = parsed
            .Select(static (result, _) => result.Model)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(Steps.Model);

        // Symbolic and Analysis: derivatives, simplification, the update expression, and the verdicts for Info.
        var specs = models
            .Select(static (model, cancellationToken) => OptimizerSpec.Derive(model, cancellationToken))
            .WithTrackingName(Steps.Derive);

        // A compilation-wide fact projected to a bool, so that edits elsewhere leave it equal and emission cached:
        // the full linear-model step is emitted only against a runtime that has LinearProblem<T>.
        var features = context.CompilationProvider
            .Select(static (compilation, _) => new RuntimeFeatures(
                compilation.GetTypeByMetadataName(RuntimeFeatures.LinearProblemType) is not null,
                compilation.GetTypeByMetadataName(RuntimeFeatures.TwoLayerProblemType) is not null))
            .WithTrackingName(Steps.RuntimeFeatures);

        // Emit: one file per optimizer.
        context.RegisterSourceOutput(specs.Combine(features), static (output, pair) =>
            output.AddSource(OptimizerEmitter.HintName(pair.Left.Model), OptimizerEmitter.Emit(pair.Left, pair.Right)));
    }
}

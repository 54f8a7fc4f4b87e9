using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DslOptim.Generators.Diagnostics;
using DslOptim.Generators.Model;
using DslOptim.Generators.Parsing;
using DslOptim.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DslOptim.Generators.Analysis;

/// <summary>
/// The theory checker in the IDE and the build: for every <c>[Optimizer]</c> that parses, runs
/// <see cref="FormulaAnalysis"/> on its potential (or preconditioner) and loss, and reports what it
/// concluded on the formula's span — or on the construct responsible, such as a <c>Math.Abs</c> call.
/// Declarations the generator rejects (DSLOPT008/009) are left to the generator's diagnostics.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class OptimizerAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Property naming the construct a DSLOPT002 is about (the code fix reads it).</summary>
    public const string ConstructProperty = "Construct";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.NotConvex,
        DiagnosticDescriptors.NotDifferentiable,
        DiagnosticDescriptors.NonzeroGradientAtZero,
        DiagnosticDescriptors.IsotropicAssumption,
        DiagnosticDescriptors.ConvexityUndecided,
        DiagnosticDescriptors.LossAssumption,
        DiagnosticDescriptors.GradientNotLipschitz,
        DiagnosticDescriptors.Discontinuous,
        DiagnosticDescriptors.DomainNotProven);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var optimizerAttribute = start.Compilation.GetTypeByMetadataName(OptimizerParser.OptimizerAttribute);
            if (optimizerAttribute is null)
            {
                return;
            }
            start.RegisterSyntaxNodeAction(
                node => AnalyzeType(node, optimizerAttribute),
                Microsoft.CodeAnalysis.CSharp.SyntaxKind.StructDeclaration,
                Microsoft.CodeAnalysis.CSharp.SyntaxKind.ClassDeclaration,
                Microsoft.CodeAnalysis.CSharp.SyntaxKind.RecordDeclaration,
                Microsoft.CodeAnalysis.CSharp.SyntaxKind.RecordStructDeclaration);
        });
    }

    private static void AnalyzeType(SyntaxNodeAnalysisContext context, INamedTypeSymbol optimizerAttribute)
    {
        var syntax = (TypeDeclarationSyntax)context.Node;
        if (context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not INamedTypeSymbol type
            || !type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, optimizerAttribute)))
        {
            return;
        }
        // A partial type is analysed once, from the declaration that carries [Optimizer].
        if (!syntax.AttributeLists.SelectMany(l => l.Attributes).Any(a =>
                SymbolEqualityComparer.Default.Equals(context.SemanticModel.GetTypeInfo(a, context.CancellationToken).Type, optimizerAttribute)))
        {
            return;
        }
        var model = OptimizerParser.ParseType(type, syntax, context.Compilation, new List<DiagnosticInfo>(), context.CancellationToken);
        if (model is null)
        {
            return;
        }
        var hyperparameters = OptimizerAnalysis.Hyperparameters(model);
        var formulas = new List<FormulaModel>();
        if (!model.IsStateful)
        {
            // A direction that reads states is not a map ∇K(g): the dual-space checks do not apply.
            formulas.Add(model.Direction);
        }
        if (model.Loss is not null)
        {
            formulas.Add(model.Loss);
        }
        if (model.IsStateful || model.Reductions.Count > 0)
        {
            var (_, domainFindings, names) = StateDomains.Check(model, hyperparameters);
            for (var i = 0; i < domainFindings.Count; i++)
            {
                var formula = model.States.Select(s => s.Formula).Append(model.Direction).Concat(model.Update is null ? new List<FormulaModel>() : new List<FormulaModel> { model.Update })
                    .Concat(model.Reductions.Select(r => r.Formula))
                    .First(f => f.Name == names[i]);
                context.ReportDiagnostic(Locate(domainFindings[i], formula, type, context.SemanticModel, context.CancellationToken));
            }
        }
        foreach (var formula in formulas)
        {
            var report = FormulaAnalysis.Analyze(DerivedFormula.Of(formula), hyperparameters, context.CancellationToken);
            foreach (var finding in report.Findings)
            {
                context.ReportDiagnostic(Locate(finding, formula, type, context.SemanticModel, context.CancellationToken));
            }
        }
    }

    private static Diagnostic Locate(Finding finding, FormulaModel formula, INamedTypeSymbol type, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var method = type.GetMembers(formula.Name).OfType<IMethodSymbol>().FirstOrDefault();
        var declaration = method?.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        var body = (SyntaxNode?)declaration?.ExpressionBody?.Expression
                   ?? (declaration?.Body?.Statements.FirstOrDefault() as ReturnStatementSyntax)?.Expression
                   ?? (SyntaxNode?)declaration;
        var location = body?.GetLocation() ?? Location.None;
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (finding.Site.Construct is { } construct && method is not null && body is not null && body.SyntaxTree == semanticModel.SyntaxTree)
        {
            var node = FindConstruct(construct, body, formula, type, method, semanticModel, cancellationToken);
            if (node is not null)
            {
                location = node.GetLocation();
                if (construct is Call { Function: MathFunction.Abs })
                {
                    properties = properties.Add(ConstructProperty, "Math.Abs");
                }
            }
        }
        return Diagnostic.Create(finding.Descriptor, location, properties, finding.Message);
    }

    /// <summary>The syntax node whose IR is the construct: each call and ?: of the body is parsed and compared by value.</summary>
    private static SyntaxNode? FindConstruct(Expr construct, SyntaxNode body, FormulaModel formula, INamedTypeSymbol type, IMethodSymbol method, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var parameters = formula.Parameters.ToDictionary(p => p.Name);
        foreach (var candidate in body.DescendantNodesAndSelf().OfType<ExpressionSyntax>())
        {
            if (candidate is not (InvocationExpressionSyntax or ConditionalExpressionSyntax))
            {
                continue;
            }
            var parser = new FormulaParser(semanticModel, type, method, parameters, new List<DiagnosticInfo>(), cancellationToken);
            if (parser.Parse(candidate) is { } parsed && parsed.Equals(construct))
            {
                return candidate;
            }
        }
        return null;
    }
}

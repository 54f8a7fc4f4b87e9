using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DslOptim.Generators.Diagnostics;
using DslOptim.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DslOptim.Generators.Parsing;

/// <summary>
/// The [Reduction] members (DESIGN.md): a per-element formula whose parameters bind by name to <c>w</c>, <c>g</c>,
/// <c>lr</c> (η_t) and <c>long t</c>, summed (or normed) over all elements in one pass before the update; its value
/// binds by name, as a scalar, in [Update], [State] and [Preconditioner] formulas (reduction <c>Z</c> ↔ parameter
/// <c>z</c>). Malformed declarations get DSLOPT009 on the exact span: the parameter, the attribute or the name.
/// </summary>
internal static class ReductionParser
{
    /// <summary>The runtime's reduction pass carries up to four reductions.</summary>
    public const int MaxReductions = 4;

    // Names the generated StepCore/Update use for its own locals, and the names formulas bind: a reduction's
    // parameter name becomes a local of the step, so it must differ from all of them.
    private static readonly HashSet<string> Reserved = new()
    {
        "w", "g", "t", "d", "lr", "eta", "update", "state", "sums", "s", "value", "squaredNorm", "loss", "problem", "workspace", "reductions",
    };

    public static List<FormulaParameter>? Bind(IMethodSymbol method, List<DiagnosticInfo> diagnostics)
    {
        var bound = new List<FormulaParameter>();
        foreach (var parameter in method.Parameters)
        {
            var location = LocationInfo.From(parameter.Locations.FirstOrDefault());
            if (parameter.RefKind != RefKind.None || parameter.IsParams)
            {
                diagnostics.Add(Malformed(location, $"The parameter '{parameter.Name}' of '{method.Name}' must be a plain value parameter"));
                return null;
            }
            if (parameter.Type.SpecialType == SpecialType.System_Int64)
            {
                bound.Add(new FormulaParameter(parameter.Name, ParameterBinding.Step));
                continue;
            }
            var binding = parameter.Type.SpecialType != SpecialType.System_Double ? (ParameterBinding?)null : parameter.Name switch
            {
                "w" => ParameterBinding.Weight,
                "g" => ParameterBinding.Variable,
                "lr" => ParameterBinding.LearningRate,
                _ => null,
            };
            if (binding is null)
            {
                var what = parameter.Type.SpecialType != SpecialType.System_Double
                    ? $"must be double (w, g, lr) or long t, not {parameter.Type.ToDisplayString()}"
                    : "binds to nothing: a reduction reads w (the weight entry), g (the gradient entry), lr (η_t) and long t — not states or other reductions, which come after its pass";
                diagnostics.Add(Malformed(location, $"The parameter '{parameter.Name}' of the [Reduction] member '{method.Name}' {what}"));
                return null;
            }
            bound.Add(new FormulaParameter(parameter.Name, binding.Value));
        }
        return bound;
    }

    /// <summary>The declaration-level rules: the kind, how many, the names, and no isotropic potential beside them.</summary>
    public static void Check(
        INamedTypeSymbol type,
        List<(IMethodSymbol Method, AttributeData Attribute)> reductions,
        List<(IMethodSymbol Method, AttributeData Attribute)> states,
        bool isotropic,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        var stateNames = new HashSet<string>(states.Select(s => StateBinder.ParameterName(s.Method.Name)));
        var hyperparameters = new HashSet<string>(type.GetMembers().OfType<IPropertySymbol>().Select(p => p.Name));
        var seen = new HashSet<string>();
        for (var i = 0; i < reductions.Count; i++)
        {
            var (method, attribute) = reductions[i];
            var attributeLocation = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? method.Locations.FirstOrDefault());
            var identifier = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>().FirstOrDefault()?.Identifier.GetLocation();
            var nameLocation = LocationInfo.From(identifier ?? method.Locations.FirstOrDefault());
            var name = StateBinder.ParameterName(method.Name);
            if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int kind && kind is not (0 or 1))
            {
                diagnostics.Add(Malformed(attributeLocation, $"The [Reduction] member '{method.Name}' has kind {kind}; use ReductionKind.Sum or ReductionKind.Norm"));
            }
            if (isotropic)
            {
                diagnostics.Add(Malformed(attributeLocation,
                    $"The optimizer '{type.Name}' combines the [Reduction] member '{method.Name}' with an isotropic potential; declare the direction as a [Preconditioner] and the update with an [Update] that reads the reduction"));
            }
            if (i == MaxReductions)
            {
                diagnostics.Add(Malformed(attributeLocation,
                    $"The optimizer '{type.Name}' declares {reductions.Count} [Reduction] members; the reduction pass carries at most {MaxReductions}"));
            }
            if (Reserved.Contains(name) || stateNames.Contains(name) || hyperparameters.Contains(name) || !seen.Add(name))
            {
                diagnostics.Add(Malformed(nameLocation,
                    $"The [Reduction] member '{method.Name}' binds as '{name}', which is already {(stateNames.Contains(name) ? "a state's name" : hyperparameters.Contains(name) ? "a property's name" : Reserved.Contains(name) ? "taken by the step (w, g, t, d, lr, eta, …)" : "another reduction's name")}; rename it"));
            }
        }
    }

    public static ReductionForm FormOf(AttributeData attribute)
        => attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is 1 ? ReductionForm.Norm : ReductionForm.Sum;

    private static DiagnosticInfo Malformed(LocationInfo? location, string message)
        => DiagnosticInfo.Create(DiagnosticDescriptors.MalformedDeclaration, location, message);
}

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DslOptim.Generators.Diagnostics;
using DslOptim.Generators.Model;
using DslOptim.Generators.Symbolic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DslOptim.Generators.Parsing;

/// <summary>
/// Reads one <c>[Optimizer]</c> declaration into an <see cref="OptimizerModel"/>: checks the declaration's
/// shape (DSLOPT009), finds the attributed members, and parses each formula (DSLOPT008). Symbols are used
/// here and never leave: the result holds only values.
/// </summary>
internal static class OptimizerParser
{
    public const string OptimizerAttribute = "DslOptim.OptimizerAttribute";
    private const string PotentialAttribute = "DslOptim.PotentialAttribute";
    private const string PreconditionerAttribute = "DslOptim.PreconditionerAttribute";
    private const string LossAttribute = "DslOptim.LossAttribute";
    private const string ScheduleAttribute = "DslOptim.ScheduleAttribute";
    private const string StateAttribute = "DslOptim.StateAttribute";
    private const string UpdateAttribute = "DslOptim.UpdateAttribute";
    private const string ReductionAttribute = "DslOptim.ReductionAttribute";

    /// <summary>The runtime's stateful driver carries up to four per-element states.</summary>
    public const int MaxElementwiseStates = 4;

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var model = context.TargetSymbol is INamedTypeSymbol type && context.TargetNode is TypeDeclarationSyntax syntax
            ? ParseType(type, syntax, context.SemanticModel.Compilation, diagnostics, cancellationToken)
            : null;
        return new ParseResult(diagnostics.Count == 0 ? model : null, diagnostics.ToEquatableArray());
    }

    internal static OptimizerModel? ParseType(
        INamedTypeSymbol type,
        TypeDeclarationSyntax syntax,
        Compilation compilation,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        var typeLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(Malformed(typeLocation,
                $"The optimizer '{type.Name}' must be declared partial, so that the generator can add its Step kernels"));
            return null;
        }
        if (type.IsGenericType)
        {
            diagnostics.Add(Malformed(typeLocation, $"The optimizer '{type.Name}' must not be generic"));
            return null;
        }
        var containers = ContainersOf(syntax, diagnostics);
        if (containers is null)
        {
            return null;
        }

        var attributes = new AttributeTypes(compilation);
        IMethodSymbol? direction = null;
        IMethodSymbol? loss = null;
        IMethodSymbol? schedule = null;
        IMethodSymbol? update = null;
        var states = new List<(IMethodSymbol Method, AttributeData Attribute)>();
        var reductions = new List<(IMethodSymbol Method, AttributeData Attribute)>();
        AttributeData? directionAttribute = null;
        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is not IMethodSymbol method)
            {
                continue;
            }
            foreach (var attribute in method.GetAttributes())
            {
                var role = attributes.RoleOf(attribute.AttributeClass);
                if (role == AttributeRole.None)
                {
                    continue;
                }
                var location = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) ?? syntax);
                switch (role)
                {
                    case AttributeRole.Potential or AttributeRole.Preconditioner when direction is not null:
                        diagnostics.Add(Malformed(location,
                            $"The optimizer '{type.Name}' declares more than one [Potential] or [Preconditioner] ('{direction.Name}' and '{method.Name}'); keep one"));
                        break;
                    case AttributeRole.Potential or AttributeRole.Preconditioner:
                        direction = method;
                        directionAttribute = attribute;
                        break;
                    case AttributeRole.Loss when loss is not null:
                        diagnostics.Add(Malformed(location, $"The optimizer '{type.Name}' declares more than one [Loss] ('{loss.Name}' and '{method.Name}')"));
                        break;
                    case AttributeRole.Loss:
                        loss = method;
                        break;
                    case AttributeRole.Schedule when schedule is not null:
                        diagnostics.Add(Malformed(location, $"The optimizer '{type.Name}' declares more than one [Schedule] ('{schedule.Name}' and '{method.Name}')"));
                        break;
                    case AttributeRole.Schedule:
                        schedule = method;
                        break;
                    case AttributeRole.State:
                        states.Add((method, attribute));
                        break;
                    case AttributeRole.Update when update is not null:
                        diagnostics.Add(Malformed(location, $"The optimizer '{type.Name}' declares more than one [Update] ('{update.Name}' and '{method.Name}')"));
                        break;
                    case AttributeRole.Update:
                        update = method;
                        break;
                    case AttributeRole.Reduction:
                        reductions.Add((method, attribute));
                        break;
                }
            }
        }

        if (direction is null)
        {
            diagnostics.Add(Malformed(typeLocation,
                $"The optimizer '{type.Name}' declares no [Potential] or [Preconditioner] member: add one, e.g. [Potential(PotentialKind.Isotropic)] public double H(double s) => 0.5 * s * s;"));
        }
        if (schedule is null)
        {
            diagnostics.Add(Malformed(typeLocation,
                $"The optimizer '{type.Name}' declares no [Schedule] member: add one, e.g. [Schedule] public double LearningRate(long t) => 0.01;"));
        }
        var scheduleModel = schedule is null ? null : ParseSchedule(schedule, compilation, diagnostics, cancellationToken);
        var stateContext = StateBinder.Create(states).WithReductions(reductions.Select(r => r.Method.Name).ToList());
        var directionRole = directionAttribute is not null && attributes.RoleOf(directionAttribute.AttributeClass) == AttributeRole.Potential
            ? FormulaRole.Potential
            : FormulaRole.Preconditioner;
        var directionModel = direction is null || directionAttribute is null
            ? null
            : ParseFormula(type, direction, directionRole, FormOf(directionAttribute), directionAttribute, compilation, diagnostics, cancellationToken, stateContext.ForDirection());
        var lossModel = loss is null ? null : ParseFormula(type, loss, FormulaRole.Loss, PotentialForm.Elementwise, null, compilation, diagnostics, cancellationToken);
        var stateModels = new List<StateModel>();
        for (var i = 0; i < states.Count; i++)
        {
            var formula = ParseFormula(type, states[i].Method, FormulaRole.State, PotentialForm.Elementwise, states[i].Attribute, compilation, diagnostics, cancellationToken, stateContext.ForState(i));
            if (formula is not null)
            {
                stateModels.Add(new StateModel(states[i].Method.Name, stateContext.IsScalar(i), InitialOf(states[i].Attribute), formula));
            }
        }
        var reductionModels = new List<ReductionModel>();
        foreach (var (method, attribute) in reductions)
        {
            var formula = ParseFormula(type, method, FormulaRole.Reduction, PotentialForm.Elementwise, attribute, compilation, diagnostics, cancellationToken);
            if (formula is not null)
            {
                reductionModels.Add(new ReductionModel(method.Name, ReductionParser.FormOf(attribute), formula));
            }
        }
        ReductionParser.Check(type, reductions, states, directionModel is { Role: FormulaRole.Potential, Form: PotentialForm.Isotropic }, diagnostics, cancellationToken);
        var updateModel = update is null ? null : ParseFormula(type, update, FormulaRole.Update, PotentialForm.Elementwise, null, compilation, diagnostics, cancellationToken, stateContext.ForDirection());
        if (states.Count > 0 && directionModel is { Role: FormulaRole.Potential, Form: PotentialForm.Isotropic })
        {
            diagnostics.Add(Malformed(typeLocation, $"The optimizer '{type.Name}' combines [State] members with an isotropic potential; declare the direction as a [Preconditioner] of the states instead"));
        }
        if (stateContext.ElementwiseCount > MaxElementwiseStates)
        {
            diagnostics.Add(Malformed(typeLocation, $"The optimizer '{type.Name}' declares {stateContext.ElementwiseCount} per-element states; the fused kernel carries at most {MaxElementwiseStates}"));
        }

        if (diagnostics.Count > 0 || directionModel is null || scheduleModel is null || (loss is not null && lossModel is null)
            || stateModels.Count != states.Count || (update is not null && updateModel is null) || reductionModels.Count != reductions.Count)
        {
            return null;
        }

        var hyperparameters = type.GetMembers()
            .OfType<IPropertySymbol>()
            .Where(p => p.DeclaredAccessibility == Accessibility.Public && !p.IsStatic && p.GetMethod is not null && p.Type.SpecialType == SpecialType.System_Double)
            .Select(p => new HyperparameterModel(p.Name, DefaultOf(p, compilation, cancellationToken)))
            .ToEquatableArray();
        var declaresConstructor = type.InstanceConstructors.Any(c => !c.IsImplicitlyDeclared);

        return new OptimizerModel(
            type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(),
            containers.Value,
            Keyword(syntax),
            type.Name,
            type.IsValueType,
            declaresConstructor,
            hyperparameters,
            directionModel,
            lossModel,
            scheduleModel,
            stateModels.ToEquatableArray(),
            updateModel) { Reductions = reductionModels.ToEquatableArray() };
    }

    private static FormulaModel? ParseFormula(
        INamedTypeSymbol type,
        IMethodSymbol method,
        FormulaRole role,
        PotentialForm form,
        AttributeData? attribute,
        Compilation compilation,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken,
        StateBinder? states = null)
    {
        var declaration = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        var location = LocationInfo.From(declaration?.Identifier.GetLocation() ?? method.Locations.FirstOrDefault());
        var roleName = role switch
        {
            FormulaRole.Potential => "[Potential]",
            FormulaRole.Preconditioner => "[Preconditioner]",
            FormulaRole.State => "[State]",
            FormulaRole.Update => "[Update]",
            FormulaRole.Reduction => "[Reduction]",
            _ => "[Loss]",
        };
        if (declaration is null)
        {
            diagnostics.Add(Malformed(location, $"The {roleName} member '{method.Name}' must be a method with a body"));
            return null;
        }
        if (form == PotentialForm.Spectral)
        {
            diagnostics.Add(Malformed(LocationInfo.From(attribute?.ApplicationSyntaxReference?.GetSyntax(cancellationToken) ?? declaration),
                $"PotentialKind.Spectral has no kernel in this version of DslOptim; declare an Elementwise or Isotropic potential"));
            return null;
        }
        if (method.ReturnType.SpecialType != SpecialType.System_Double || method.IsGenericMethod)
        {
            diagnostics.Add(Malformed(LocationInfo.From(declaration.ReturnType), $"The {roleName} member '{method.Name}' must return double"));
            return null;
        }

        var parameters = role == FormulaRole.Reduction
            ? ReductionParser.Bind(method, diagnostics)
            : role is FormulaRole.State or FormulaRole.Update || (role == FormulaRole.Preconditioner && states is { HasStates: true } or { HasReductions: true })
            ? states!.Bind(method, role, roleName, diagnostics)?.ToList()
            : BindParameters(method, role, roleName, diagnostics);
        if (parameters is null)
        {
            return null;
        }

        var body = BodyOf(declaration);
        if (body is null)
        {
            if (declaration.Body is null && declaration.ExpressionBody is null)
            {
                diagnostics.Add(Malformed(location, $"The {roleName} member '{method.Name}' must have an expression body"));
            }
            else
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct,
                    LocationInfo.From((SyntaxNode?)declaration.Body ?? declaration),
                    "A statement body", method.Name, "an expression body: => formula"));
            }
            return null;
        }

        var byName = new Dictionary<string, FormulaParameter>();
        foreach (var parameter in parameters)
        {
            byName[parameter.Name] = parameter;
        }
        var model = compilation.GetSemanticModel(declaration.SyntaxTree);
        var parser = new FormulaParser(model, type, method, byName, diagnostics, cancellationToken);
        var expr = parser.Parse(body);
        if (expr is null)
        {
            return null;
        }
        return new FormulaModel(method.Name, role, form, method.IsStatic, parameters.ToEquatableArray(), expr, OneLine(body.ToString()));
    }

    /// <summary>
    /// Potentials and losses take one double (the variable). A preconditioner's double parameters bind by
    /// name: <c>w</c> is the weight, <c>g</c> (or the only double) the gradient; a <c>long</c> is the step t.
    /// </summary>
    private static List<FormulaParameter>? BindParameters(IMethodSymbol method, FormulaRole role, string roleName, List<DiagnosticInfo> diagnostics)
    {
        var bound = new List<FormulaParameter>();
        var doubles = method.Parameters.Count(p => p.Type.SpecialType == SpecialType.System_Double);
        foreach (var parameter in method.Parameters)
        {
            var location = LocationInfo.From(parameter.Locations.FirstOrDefault());
            if (parameter.RefKind != RefKind.None || parameter.IsParams)
            {
                diagnostics.Add(Malformed(location, $"The parameter '{parameter.Name}' of '{method.Name}' must be a plain value parameter"));
                return null;
            }
            var special = parameter.Type.SpecialType;
            if (role == FormulaRole.Preconditioner && special == SpecialType.System_Int64)
            {
                bound.Add(new FormulaParameter(parameter.Name, ParameterBinding.Step));
            }
            else if (special != SpecialType.System_Double)
            {
                var expected = role == FormulaRole.Preconditioner ? "double (g, w) or long (t)" : "double";
                diagnostics.Add(Malformed(location, $"The parameter '{parameter.Name}' of the {roleName} member '{method.Name}' must be {expected}, not {parameter.Type.ToDisplayString()}"));
                return null;
            }
            else if (role == FormulaRole.Preconditioner && parameter.Name == "w")
            {
                bound.Add(new FormulaParameter(parameter.Name, ParameterBinding.Weight));
            }
            else if (role != FormulaRole.Preconditioner || parameter.Name == "g" || doubles == 1 || (doubles == 2 && method.Parameters.Any(p => p.Name == "w")))
            {
                bound.Add(new FormulaParameter(parameter.Name, ParameterBinding.Variable));
            }
            else
            {
                diagnostics.Add(Malformed(location,
                    $"The parameter '{parameter.Name}' of '{method.Name}' binds to nothing: name it g (the gradient entry) or w (the weight entry)"));
                return null;
            }
        }
        var variables = bound.Count(p => p.Binding == ParameterBinding.Variable);
        if (variables != 1 || (role != FormulaRole.Preconditioner && bound.Count != 1))
        {
            var expected = role == FormulaRole.Preconditioner
                ? "one double gradient parameter (g), optionally the weight w and the step long t"
                : "exactly one double parameter";
            var location = LocationInfo.From(method.Locations.FirstOrDefault());
            diagnostics.Add(Malformed(location, $"The {roleName} member '{method.Name}' must take {expected}"));
            return null;
        }
        return bound;
    }

    private const string ObservedQuantitiesType = "DslOptim.ObservedQuantities";

    /// <summary>
    /// A schedule's parameters bind like a formula's: a <c>long</c> is the step t; <c>double loss</c>,
    /// <c>double gradientNorm</c> and <c>double weightNorm</c> (the properties of ObservedQuantities, lower-case first)
    /// are the quantities the caller observed at the weights the step starts from; a parameter of type
    /// <c>ObservedQuantities</c> (by value or <c>in</c>) is all three. A schedule that reads an observation makes every
    /// Step overload take them (ScheduleEmitter), so they cannot be forgotten.
    /// </summary>
    private static ScheduleModel? ParseSchedule(IMethodSymbol method, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var declaration = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (method.ReturnType.SpecialType != SpecialType.System_Double || method.IsGenericMethod || method.Parameters.Length == 0)
        {
            diagnostics.Add(Malformed(LocationInfo.From(method.Locations.FirstOrDefault()),
                $"The [Schedule] member '{method.Name}' must have the signature double {method.Name}(long t), optionally with observed quantities of the previous step (double loss, double gradientNorm, double weightNorm, or in ObservedQuantities observed)"));
            return null;
        }
        var observedType = compilation.GetTypeByMetadataName(ObservedQuantitiesType);
        var parameters = new List<ScheduleParameter>();
        var ok = true;
        foreach (var parameter in method.Parameters)
        {
            var location = LocationInfo.From(parameter.Locations.FirstOrDefault());
            var isObserved = observedType is not null && SymbolEqualityComparer.Default.Equals(parameter.Type, observedType);
            ScheduleParameter? bound = null;
            if (parameter.IsParams || (parameter.RefKind != RefKind.None && !(isObserved && parameter.RefKind == RefKind.In)))
            {
                diagnostics.Add(Malformed(location, $"The parameter '{parameter.Name}' of the [Schedule] member '{method.Name}' must be a plain value parameter (only an ObservedQuantities may be passed with in)"));
                ok = false;
                continue;
            }
            if (isObserved)
            {
                bound = new ScheduleParameter(parameter.Name, ScheduleInput.Observed, parameter.RefKind == RefKind.In ? "in ObservedQuantities" : "ObservedQuantities");
            }
            else if (parameter.Type.SpecialType == SpecialType.System_Int64)
            {
                bound = new ScheduleParameter(parameter.Name, ScheduleInput.Step, "long");
            }
            else if (parameter.Type.SpecialType == SpecialType.System_Double)
            {
                ScheduleInput? input = parameter.Name switch
                {
                    "loss" => ScheduleInput.Loss,
                    "gradientNorm" => ScheduleInput.GradientNorm,
                    "weightNorm" => ScheduleInput.WeightNorm,
                    _ => null,
                };
                if (input is null)
                {
                    diagnostics.Add(Malformed(location,
                        $"The parameter '{parameter.Name}' of the [Schedule] member '{method.Name}' binds to nothing: a double parameter of a schedule is an observed quantity of the previous step, named loss, gradientNorm or weightNorm"));
                    ok = false;
                    continue;
                }
                bound = new ScheduleParameter(parameter.Name, input.Value, "double");
            }
            else
            {
                diagnostics.Add(Malformed(location,
                    $"The parameter '{parameter.Name}' of the [Schedule] member '{method.Name}' must be long (the step t), double (loss, gradientNorm or weightNorm) or ObservedQuantities, not {parameter.Type.ToDisplayString()}"));
                ok = false;
                continue;
            }
            if (parameters.Any(p => p.Input == bound.Input))
            {
                diagnostics.Add(Malformed(location,
                    $"The parameter '{parameter.Name}' of the [Schedule] member '{method.Name}' binds to {Describe(bound.Input)} a second time"));
                ok = false;
                continue;
            }
            parameters.Add(bound);
        }
        if (!ok)
        {
            return null;
        }
        var text = declaration is null ? method.Name : OneLine(BodyOf(declaration)?.ToString() ?? declaration.Body?.ToString() ?? method.Name);
        return new ScheduleModel(method.Name, method.IsStatic, text, parameters.ToEquatableArray());

        static string Describe(ScheduleInput input) => input switch
        {
            ScheduleInput.Step => "the step t",
            ScheduleInput.Loss => "the loss",
            ScheduleInput.GradientNorm => "the gradient norm",
            ScheduleInput.WeightNorm => "the weight norm",
            _ => "the observed quantities",
        };
    }

    /// <summary>The property initializer's value when it is a compile-time constant (the analysis checks the declared defaults).</summary>
    private static double? DefaultOf(IPropertySymbol property, Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is PropertyDeclarationSyntax { Initializer.Value: { } value })
            {
                var constant = compilation.GetSemanticModel(value.SyntaxTree).GetConstantValue(value, cancellationToken);
                if (constant.HasValue && constant.Value is not null)
                {
                    try
                    {
                        return System.Convert.ToDouble(constant.Value, System.Globalization.CultureInfo.InvariantCulture);
                    }
                    catch (System.Exception e) when (e is System.FormatException or System.InvalidCastException or System.OverflowException)
                    {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    /// <summary>A formula as one line, for the generated header's <c>//</c> comments: a body spread over lines must not break them.</summary>
    private static string OneLine(string text)
        => string.Join(" ", text.Split(new[] { '\r', '\n' }, System.StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim()));

    private static ExpressionSyntax? BodyOf(MethodDeclarationSyntax declaration)
    {
        if (declaration.ExpressionBody is { } arrow)
        {
            return arrow.Expression;
        }
        if (declaration.Body is { Statements.Count: 1 } block && block.Statements[0] is ReturnStatementSyntax { Expression: { } returned })
        {
            return returned;
        }
        return null;
    }

    private static EquatableArray<ContainingType>? ContainersOf(TypeDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics)
    {
        var containers = new List<ContainingType>();
        for (var parent = syntax.Parent as TypeDeclarationSyntax; parent is not null; parent = parent.Parent as TypeDeclarationSyntax)
        {
            if (!parent.Modifiers.Any(SyntaxKind.PartialKeyword) || parent.TypeParameterList is not null)
            {
                diagnostics.Add(Malformed(LocationInfo.From(parent.Identifier.GetLocation()),
                    $"The type '{parent.Identifier.ValueText}' that contains an optimizer must be partial and not generic"));
                return null;
            }
            containers.Insert(0, new ContainingType(Keyword(parent), parent.Identifier.ValueText));
        }
        return containers.ToEquatableArray();
    }

    private static string Keyword(TypeDeclarationSyntax syntax) => syntax switch
    {
        RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
        RecordDeclarationSyntax => "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };

    private static double InitialOf(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "Initial" && argument.Value.Value is double initial)
            {
                return initial;
            }
        }
        return 0.0;
    }

    private static PotentialForm FormOf(AttributeData attribute)
        => attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int kind
            ? (PotentialForm)kind
            : PotentialForm.Elementwise;

    private static DiagnosticInfo Malformed(LocationInfo? location, string message)
        => DiagnosticInfo.Create(DiagnosticDescriptors.MalformedDeclaration, location, message);

    private enum AttributeRole
    {
        None,
        Potential,
        Preconditioner,
        Loss,
        Schedule,
        State,
        Update,
        Reduction,
    }

    /// <summary>The attribute types of this compilation, compared by symbol, never by display string.</summary>
    private readonly struct AttributeTypes
    {
        private readonly ImmutableArray<(INamedTypeSymbol? Type, AttributeRole Role)> _types;

        public AttributeTypes(Compilation compilation)
            => _types = ImmutableArray.Create(
                (compilation.GetTypeByMetadataName(PotentialAttribute), AttributeRole.Potential),
                (compilation.GetTypeByMetadataName(PreconditionerAttribute), AttributeRole.Preconditioner),
                (compilation.GetTypeByMetadataName(LossAttribute), AttributeRole.Loss),
                (compilation.GetTypeByMetadataName(ScheduleAttribute), AttributeRole.Schedule),
                (compilation.GetTypeByMetadataName(StateAttribute), AttributeRole.State),
                (compilation.GetTypeByMetadataName(UpdateAttribute), AttributeRole.Update),
                (compilation.GetTypeByMetadataName(ReductionAttribute), AttributeRole.Reduction));

        public AttributeRole RoleOf(INamedTypeSymbol? attributeClass)
        {
            foreach (var (type, role) in _types)
            {
                if (type is not null && SymbolEqualityComparer.Default.Equals(type, attributeClass))
                {
                    return role;
                }
            }
            return AttributeRole.None;
        }
    }
}

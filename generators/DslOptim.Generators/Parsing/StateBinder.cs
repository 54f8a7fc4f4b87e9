using System.Collections.Generic;
using System.Linq;
using DslOptim.Generators.Diagnostics;
using DslOptim.Generators.Model;
using Microsoft.CodeAnalysis;

namespace DslOptim.Generators.Parsing;

/// <summary>
/// Binds the parameters of [State], [Update] and stateful [Preconditioner] members by name (DESIGN.md):
/// <c>g</c> the gradient entry, <c>w</c> the weight entry, <c>long t</c> the step, <c>d</c> and <c>lr</c> in an
/// update, and states — state <c>M</c> ↔ parameter <c>m</c>; a state's own name is its previous value, an
/// earlier-declared state's name its value at this step, a later one's its previous value. A state is scalar when
/// it binds nothing per element (no g, no w, no per-element state), and is then updated once per step.
/// </summary>
internal sealed class StateBinder
{
    private readonly List<string> _names;
    private readonly bool[] _scalar;
    private readonly int _index;
    private readonly IReadOnlyList<string> _reductions;

    private StateBinder(List<string> names, bool[] scalar, int index, IReadOnlyList<string>? reductions = null)
    {
        _names = names;
        _scalar = scalar;
        _index = index;
        _reductions = reductions ?? new List<string>();
    }

    public bool HasStates => _names.Count > 0;

    /// <summary>Whether the declaration has [Reduction] members, whose values bind by name as scalars.</summary>
    public bool HasReductions => _reductions.Count > 0;

    /// <summary>This binder, also binding the [Reduction] members by name (reduction <c>Z</c> ↔ parameter <c>z</c>).</summary>
    public StateBinder WithReductions(IReadOnlyList<string> reductions) => new(_names, _scalar, _index, reductions);

    /// <summary>The binder of a declaration: state names in declaration order, and which states are scalar.</summary>
    public static StateBinder Create(List<(IMethodSymbol Method, AttributeData Attribute)> states)
    {
        var names = states.Select(s => s.Method.Name).ToList();
        var scalar = new bool[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            // Per element when the formula reads g, w, another per-element state, or a later state (conservatively).
            var perElement = false;
            foreach (var parameter in states[i].Method.Parameters)
            {
                var state = names.FindIndex(n => ParameterName(n) == parameter.Name);
                perElement |= parameter.Name is "g" or "w" || (state >= 0 && state != i && (state > i || !scalar[state]));
            }
            scalar[i] = !perElement;
        }
        return new StateBinder(names, scalar, -1);
    }

    public FormulaParameter[]? Bind(IMethodSymbol method, FormulaRole role, string roleName, List<DiagnosticInfo> diagnostics)
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
            if (parameter.Type.SpecialType != SpecialType.System_Double)
            {
                diagnostics.Add(Malformed(location, $"The parameter '{parameter.Name}' of the {roleName} member '{method.Name}' must be double (or long t), not {parameter.Type.ToDisplayString()}"));
                return null;
            }
            var state = _names.FindIndex(n => ParameterName(n) == parameter.Name);
            if (state >= 0)
            {
                // In a state's own formula: earlier states are current, itself and later ones previous.
                var current = _index < 0 || state < _index;
                bound.Add(new FormulaParameter(parameter.Name, ParameterBinding.State, _names[state], current, _scalar[state]));
            }
            else if (IndexOfReduction(parameter.Name) is var reduction and >= 0)
            {
                bound.Add(new FormulaParameter(parameter.Name, ParameterBinding.Reduction, _reductions[reduction]));
            }
            else if (parameter.Name == "g")
            {
                bound.Add(new FormulaParameter(parameter.Name, ParameterBinding.Variable));
            }
            else if (parameter.Name == "w")
            {
                bound.Add(new FormulaParameter(parameter.Name, ParameterBinding.Weight));
            }
            else if (role == FormulaRole.Update && parameter.Name == "d")
            {
                bound.Add(new FormulaParameter(parameter.Name, ParameterBinding.Direction));
            }
            else if (role == FormulaRole.Update && parameter.Name == "lr")
            {
                bound.Add(new FormulaParameter(parameter.Name, ParameterBinding.LearningRate));
            }
            else
            {
                var states = _names.Count == 0 ? "" : ", a state (" + string.Join(", ", _names.Select(ParameterName)) + ")";
                var extra = role == FormulaRole.Update ? ", d (the direction), lr (η_t)" : "";
                states += _reductions.Count == 0 ? "" : ", a reduction (" + string.Join(", ", _reductions.Select(ParameterName)) + ")";
                diagnostics.Add(Malformed(location,
                    $"The parameter '{parameter.Name}' of '{method.Name}' binds to nothing: name it g (the gradient entry), w (the weight entry){extra}{states}, or make it long t"));
                return null;
            }
        }
        return bound.ToArray();
    }

    public bool IsScalar(int index) => _scalar[index];

    public int ElementwiseCount => _scalar.Count(s => !s);

    public StateBinder ForState(int index) => new(_names, _scalar, index, _reductions);

    public StateBinder ForDirection() => new(_names, _scalar, -1, _reductions);

    private int IndexOfReduction(string parameter)
    {
        for (var i = 0; i < _reductions.Count; i++)
        {
            if (ParameterName(_reductions[i]) == parameter)
            {
                return i;
            }
        }
        return -1;
    }

    public static string ParameterName(string state) => char.ToLowerInvariant(state[0]) + state.Substring(1);

    private static DiagnosticInfo Malformed(LocationInfo? location, string message)
        => DiagnosticInfo.Create(DiagnosticDescriptors.MalformedDeclaration, location, message);
}

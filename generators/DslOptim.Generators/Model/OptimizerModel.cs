using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Model;

// The incremental model: immutable records of values with pointwise equality. It holds no ISymbol,
// SyntaxNode, Compilation or Location, so an edit elsewhere leaves it equal and the emit step cached.
// New members must keep that contract.

/// <summary>The role an attributed formula member plays.</summary>
internal enum FormulaRole
{
    Potential,
    Preconditioner,
    Loss,
    State,
    Update,
    Reduction,
}

/// <summary>The potential's form; mirrors DslOptim.PotentialKind.</summary>
internal enum PotentialForm
{
    Elementwise = 0,
    Isotropic = 1,
    Spectral = 2,
}

/// <summary>What a formula parameter binds to.</summary>
internal enum ParameterBinding
{
    /// <summary>The per-element variable the formula is a function of (z, s, r, or the gradient g).</summary>
    Variable,

    /// <summary>The weight entry w (preconditioners).</summary>
    Weight,

    /// <summary>The step index t (a <c>long</c>).</summary>
    Step,

    /// <summary>An optimizer state, by name (state <c>M</c> ↔ parameter <c>m</c>).</summary>
    State,

    /// <summary>The direction d (the preconditioner's output or ∇K(g)), in an [Update].</summary>
    Direction,

    /// <summary>η_t, in an [Update] (parameter <c>lr</c>).</summary>
    LearningRate,

    /// <summary>A declared reduction's value at this step, by name (reduction <c>Z</c> ↔ parameter <c>z</c>).</summary>
    Reduction,
}

/// <param name="Name">The parameter's name.</param>
/// <param name="Binding">What it binds to.</param>
/// <param name="State">For a state binding: the state member's name; for a reduction binding, the reduction member's name.</param>
/// <param name="Current">For a state binding: its value at this step (declared earlier), else its previous value.</param>
/// <param name="ScalarState">For a state binding: the state is a scalar state.</param>
internal sealed record FormulaParameter(string Name, ParameterBinding Binding, string? State = null, bool Current = false, bool ScalarState = false)
{
    public bool IsStep => Binding == ParameterBinding.Step;
}

/// <summary>An optimizer state: its recurrence, its initial value, and whether it is updated once per step (scalar).</summary>
internal sealed record StateModel(string Name, bool IsScalar, double Initial, FormulaModel Formula)
{
    /// <summary>The name a formula's parameter uses for it: the state's name with a lower-case first letter.</summary>
    public string ParameterName => char.ToLowerInvariant(Name[0]) + Name.Substring(1);
}

/// <summary>How a reduction's per-element values combine; mirrors DslOptim.ReductionKind.</summary>
internal enum ReductionForm
{
    Sum = 0,
    Norm = 1,
}

/// <summary>A [Reduction] member: Σ f (Sum) or √(Σ f²) (Norm) over all elements, computed before the update.</summary>
internal sealed record ReductionModel(string Name, ReductionForm Form, FormulaModel Formula)
{
    /// <summary>The name a formula's parameter uses for it: the member's name with a lower-case first letter.</summary>
    public string ParameterName => char.ToLowerInvariant(Name[0]) + Name.Substring(1);
}

/// <summary>One attributed formula member, parsed into the IR.</summary>
/// <param name="Name">The member's name, e.g. <c>H</c>; derived members are <c>HPrime</c>, <c>HDoublePrime</c>.</param>
/// <param name="Role">Potential, preconditioner or loss.</param>
/// <param name="Form">For potentials: elementwise, isotropic or spectral.</param>
/// <param name="IsStatic">Whether the member (and so its derived members) is static.</param>
/// <param name="Parameters">The parameters in declaration order.</param>
/// <param name="Body">The expression body in the IR, simplified.</param>
/// <param name="SourceText">The body as the person wrote it, for comments.</param>
internal sealed record FormulaModel(
    string Name,
    FormulaRole Role,
    PotentialForm Form,
    bool IsStatic,
    EquatableArray<FormulaParameter> Parameters,
    Expr Body,
    string SourceText)
{
    /// <summary>The name of the variable the formula is differentiated in.</summary>
    public string VariableName
    {
        get
        {
            foreach (var parameter in Parameters)
            {
                if (parameter.Binding == ParameterBinding.Variable)
                {
                    return parameter.Name;
                }
            }
            return "x";
        }
    }
}

/// <summary>The <c>[Schedule]</c> member: called once per step, any C# body.</summary>
/// <param name="Name">The member's name.</param>
/// <param name="IsStatic">Whether it is static.</param>
/// <param name="SourceText">Its body as written, for the header.</param>
/// <param name="Parameters">What its parameters bind to (t and observed quantities of the previous step); see ScheduleEmitter.</param>
internal sealed record ScheduleModel(string Name, bool IsStatic, string SourceText, EquatableArray<ScheduleParameter> Parameters = default);

/// <summary>A hyperparameter: a public double property, with its initializer's value when that is a constant.</summary>
internal sealed record HyperparameterModel(string Name, double? Default);

/// <summary>A type that contains the optimizer (nested declarations), outermost first.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>An <c>[Optimizer]</c> declaration that parsed cleanly: everything the emitter needs.</summary>
/// <param name="Namespace">The namespace, empty for the global namespace.</param>
/// <param name="Containers">Enclosing types, outermost first.</param>
/// <param name="Keyword">The declaration keyword(s): <c>struct</c>, <c>class</c>, <c>record struct</c>, ….</param>
/// <param name="Name">The type's name.</param>
/// <param name="IsValueType">Structs need the generated parameterless constructor and the default-value guard.</param>
/// <param name="DeclaresConstructor">Whether the person declared an instance constructor.</param>
/// <param name="Hyperparameters">The public <c>double</c> properties with their declared defaults, in declaration order.</param>
/// <param name="Direction">The potential or preconditioner.</param>
/// <param name="Loss">The loss, if declared.</param>
/// <param name="Schedule">The schedule.</param>
/// <param name="States">The [State] members in declaration order.</param>
/// <param name="Update">The [Update] member, if declared.</param>
internal sealed record OptimizerModel(
    string Namespace,
    EquatableArray<ContainingType> Containers,
    string Keyword,
    string Name,
    bool IsValueType,
    bool DeclaresConstructor,
    EquatableArray<HyperparameterModel> Hyperparameters,
    FormulaModel Direction,
    FormulaModel? Loss,
    ScheduleModel Schedule,
    EquatableArray<StateModel> States,
    FormulaModel? Update)
{
    public bool IsStateful => States.Count > 0;

    /// <summary>The [Reduction] members in declaration order, computed in one pass before the update (empty when none).</summary>
    public EquatableArray<ReductionModel> Reductions { get; init; } = EquatableArray<ReductionModel>.Empty;

    public string FullName => Namespace.Length == 0 ? Name : Namespace + "." + Name;
}

/// <summary>What parsing one declaration produced: a model (null when generation must stop) and diagnostics.</summary>
internal sealed record ParseResult(OptimizerModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);

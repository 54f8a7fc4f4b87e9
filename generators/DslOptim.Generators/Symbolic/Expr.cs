using DslOptim.Generators.Model;

namespace DslOptim.Generators.Symbolic;

/// <summary>
/// The symbolic IR of a per-element formula: small, immutable and value-equal. Value equality makes the
/// incremental pipeline cache on it and gives common-subexpression keys for free. New cases must stay
/// sealed records of values.
/// </summary>
internal abstract record Expr;

/// <summary>A numeric literal (or a folded constant).</summary>
internal sealed record Constant(double Value) : Expr
{
    public static readonly Constant Zero = new(0.0);
    public static readonly Constant One = new(1.0);
    public static readonly Constant Two = new(2.0);
}

/// <summary>What a name in a formula stands for.</summary>
internal enum SymbolRole
{
    /// <summary>The formula's per-element variable (z, s, r, g, w): differs for every element.</summary>
    Variable,

    /// <summary>The weight entry w: differs for every element.</summary>
    Weight,

    /// <summary>A hyperparameter property of the optimizer: constant during a step.</summary>
    Hyperparameter,

    /// <summary>The step index t: constant during a step.</summary>
    Step,

    /// <summary>The step size η_t the schedule returned: constant during a step.</summary>
    LearningRate,

    /// <summary>A per-element state's previous value.</summary>
    StatePrevious,

    /// <summary>A per-element state's value at this step (substituted away before emission).</summary>
    StateCurrent,

    /// <summary>A scalar state's previous value: constant during a step.</summary>
    ScalarPrevious,

    /// <summary>A scalar state's value at this step: constant during a step.</summary>
    ScalarCurrent,

    /// <summary>The direction d in an [Update] (substituted away before emission).</summary>
    Direction,

    /// <summary>A declared reduction's value (Σ over all elements, computed before the update): constant during the update pass.</summary>
    Reduction,
}

/// <summary>A named value: a variable, a hyperparameter or the step.</summary>
internal sealed record Symbol(string Name, SymbolRole Kind) : Expr
{
    public bool VariesPerElement => Kind is SymbolRole.Variable or SymbolRole.Weight or SymbolRole.StatePrevious or SymbolRole.StateCurrent or SymbolRole.Direction;
}

/// <summary>−x.</summary>
internal sealed record Negate(Expr Operand) : Expr;

internal enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
}

/// <summary>An arithmetic operation.</summary>
internal sealed record Binary(BinaryOperator Operator, Expr Left, Expr Right) : Expr;

/// <summary>A call of a supported math function (see <see cref="MathFunctions"/>).</summary>
internal sealed record Call(MathFunction Function, EquatableArray<Expr> Arguments) : Expr
{
    public Expr Argument => Arguments[0];

    public static Call Of(MathFunction function, params Expr[] arguments) => new(function, arguments.ToEquatableArray());
}

/// <summary>test ? whenTrue : whenFalse — the piecewise formulas of the papers (clipping, Huber).</summary>
internal sealed record Conditional(Condition Test, Expr WhenTrue, Expr WhenFalse) : Expr;

/// <summary>A boolean test inside a <see cref="Conditional"/>.</summary>
internal abstract record Condition;

internal enum ComparisonOperator
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
}

/// <summary>left op right.</summary>
internal sealed record Comparison(ComparisonOperator Operator, Expr Left, Expr Right) : Condition;

internal enum LogicalOperator
{
    And,
    Or,
}

/// <summary>left &amp;&amp; right, left || right.</summary>
internal sealed record Logical(LogicalOperator Operator, Condition Left, Condition Right) : Condition;

/// <summary>!operand.</summary>
internal sealed record Not(Condition Operand) : Condition;

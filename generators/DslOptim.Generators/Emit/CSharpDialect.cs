using System;
using System.Collections.Generic;
using System.Text;
using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Emit;

/// <summary>
/// Lowers the IR to C# text. Arithmetic keeps C#'s operators in every dialect (they work on VectorN&lt;T&gt;
/// too); what differs per dialect — literals, names, calls, conditionals — is a virtual member. Parentheses
/// follow the IR exactly, so the emitted code rounds the way the formula is written.
/// </summary>
internal abstract class CSharpDialect
{
    private const int ConditionalLevel = 0;
    private const int SumLevel = 1;
    private const int ProductLevel = 2;
    private const int UnaryLevel = 3;
    private const int AtomLevel = 4;

    /// <summary>Subtrees already bound to a name (a hoisted field or a shared local).</summary>
    public IReadOnlyDictionary<Expr, string> Names { get; set; } = new Dictionary<Expr, string>();

    public string Render(Expr expr)
    {
        var text = new StringBuilder();
        Write(text, expr, ConditionalLevel);
        return text.ToString();
    }

    protected abstract string Literal(double value);

    protected abstract string Name(Symbol symbol);

    protected abstract string Call(MathFunctionInfo function, IReadOnlyList<string> arguments);

    protected abstract string Select(string test, string whenTrue, string whenFalse);

    protected abstract string Compare(ComparisonOperator op, string left, string right);

    protected abstract string Combine(LogicalOperator op, string left, string right);

    protected abstract string Negation(string operand);

    /// <summary>How a bound name is read (vector dialects broadcast scalar fields).</summary>
    protected virtual string Bound(string name) => name;

    private void Write(StringBuilder text, Expr expr, int context)
    {
        if (Names.TryGetValue(expr, out var bound))
        {
            text.Append(Bound(bound));
            return;
        }
        var level = Level(expr);
        var parenthesize = level < context;
        if (parenthesize)
        {
            text.Append('(');
        }
        switch (expr)
        {
            case Constant c:
                text.Append(Literal(c.Value));
                break;
            case Symbol s:
                text.Append(Name(s));
                break;
            case Negate n:
                text.Append('-');
                Write(text, n.Operand, AtomLevel);
                break;
            case Binary b:
                var (op, leftLevel, rightLevel) = b.Operator switch
                {
                    BinaryOperator.Add => (" + ", SumLevel, SumLevel + 1),
                    BinaryOperator.Subtract => (" - ", SumLevel, SumLevel + 1),
                    BinaryOperator.Multiply => (" * ", ProductLevel, ProductLevel + 1),
                    _ => (" / ", ProductLevel, ProductLevel + 1),
                };
                Write(text, b.Left, leftLevel);
                text.Append(op);
                Write(text, b.Right, rightLevel);
                break;
            case Symbolic.Call c:
                var arguments = new List<string>(c.Arguments.Count);
                foreach (var argument in c.Arguments)
                {
                    arguments.Add(Render(argument));
                }
                text.Append(Call(MathFunctions.Get(c.Function), arguments));
                break;
            case Conditional c:
                text.Append(Select(RenderCondition(c.Test), Render(c.WhenTrue), Render(c.WhenFalse)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expr));
        }
        if (parenthesize)
        {
            text.Append(')');
        }
    }

    private string RenderCondition(Condition condition) => condition switch
    {
        Comparison c => Compare(c.Operator, Render(c.Left), Render(c.Right)),
        Logical l => Combine(l.Operator, RenderCondition(l.Left), RenderCondition(l.Right)),
        Not n => Negation(RenderCondition(n.Operand)),
        _ => throw new ArgumentOutOfRangeException(nameof(condition)),
    };

    private static int Level(Expr expr) => expr switch
    {
        Constant c => c.Value < 0 || double.IsNaN(c.Value) || double.IsInfinity(c.Value) ? UnaryLevel : AtomLevel,
        Symbol or Symbolic.Call or Conditional => AtomLevel,
        Negate => UnaryLevel,
        Binary { Operator: BinaryOperator.Add or BinaryOperator.Subtract } => SumLevel,
        Binary => ProductLevel,
        _ => AtomLevel,
    };

    protected static string CSharpOperator(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.Equal => "==",
        _ => "!=",
    };
}

/// <summary>Plain <c>double</c> code: the derived scalar members and the once-per-step values.</summary>
internal sealed class DoubleDialect : CSharpDialect
{
    private readonly Func<Symbol, string> _names;

    public DoubleDialect(Func<Symbol, string> names) => _names = names;

    protected override string Literal(double value) => Numbers.CSharpLiteral(value);

    protected override string Name(Symbol symbol) => _names(symbol);

    protected override string Call(MathFunctionInfo function, IReadOnlyList<string> arguments)
        => function.Function == MathFunction.Sign
            ? $"global::DslOptim.Kernels.ScalarMath.Sign({arguments[0]})"
            : $"global::System.Math.{function.Name}({string.Join(", ", arguments)})";

    protected override string Select(string test, string whenTrue, string whenFalse) => $"({test} ? {whenTrue} : {whenFalse})";

    protected override string Compare(ComparisonOperator op, string left, string right) => $"{left} {CSharpOperator(op)} {right}";

    protected override string Combine(LogicalOperator op, string left, string right)
        => $"({left} {(op == LogicalOperator.And ? "&&" : "||")} {right})";

    protected override string Negation(string operand) => $"!({operand})";
}

/// <summary>Generic scalar code on <c>T : IFloatingPointIeee754&lt;T&gt;</c>: the kernels' peel and tail.</summary>
internal sealed class GenericScalarDialect : CSharpDialect
{
    private readonly Func<Symbol, string> _names;

    public GenericScalarDialect(Func<Symbol, string> names) => _names = names;

    protected override string Literal(double value) => $"T.CreateTruncating({Numbers.CSharpLiteral(value)})";

    protected override string Name(Symbol symbol) => _names(symbol);

    protected override string Call(MathFunctionInfo function, IReadOnlyList<string> arguments)
        => $"{function.ScalarLowering}({string.Join(", ", arguments)})";

    protected override string Select(string test, string whenTrue, string whenFalse) => $"({test} ? {whenTrue} : {whenFalse})";

    protected override string Compare(ComparisonOperator op, string left, string right) => $"{left} {CSharpOperator(op)} {right}";

    protected override string Combine(LogicalOperator op, string left, string right)
        => $"({left} {(op == LogicalOperator.And ? "&&" : "||")} {right})";

    protected override string Negation(string operand) => $"!({operand})";
}

/// <summary>
/// Generic vector code for one width (<c>Vector128</c>, <c>Vector256</c> or <c>Vector512</c>): comparisons
/// give lane masks and <c>?:</c> becomes <c>ConditionalSelect</c> (both branches are computed, which is
/// why per-element formulas must have no side effects).
/// </summary>
internal sealed class VectorDialect : CSharpDialect
{
    private readonly Func<Symbol, string> _names;

    public VectorDialect(string width, Func<Symbol, string> names)
    {
        Width = width;
        _names = names;
    }

    public string Width { get; }

    protected override string Literal(double value) => $"{Width}.Create(T.CreateTruncating({Numbers.CSharpLiteral(value)}))";

    protected override string Name(Symbol symbol) => _names(symbol);

    protected override string Call(MathFunctionInfo function, IReadOnlyList<string> arguments)
        => $"{function.VectorLowering}({string.Join(", ", arguments)})";

    protected override string Select(string test, string whenTrue, string whenFalse)
        => $"{Width}.ConditionalSelect({test}, {whenTrue}, {whenFalse})";

    protected override string Compare(ComparisonOperator op, string left, string right) => op switch
    {
        ComparisonOperator.Less => $"{Width}.LessThan({left}, {right})",
        ComparisonOperator.LessOrEqual => $"{Width}.LessThanOrEqual({left}, {right})",
        ComparisonOperator.Greater => $"{Width}.GreaterThan({left}, {right})",
        ComparisonOperator.GreaterOrEqual => $"{Width}.GreaterThanOrEqual({left}, {right})",
        ComparisonOperator.Equal => $"{Width}.Equals({left}, {right})",
        _ => $"~{Width}.Equals({left}, {right})",
    };

    protected override string Combine(LogicalOperator op, string left, string right)
        => $"({left} {(op == LogicalOperator.And ? "&" : "|")} {right})";

    protected override string Negation(string operand) => $"~({operand})";
}

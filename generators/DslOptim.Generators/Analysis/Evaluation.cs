using System;
using System.Collections.Generic;
using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Analysis;

/// <summary>
/// The values the analysis gives the names of a formula: hyperparameters at their declared defaults, the
/// step t over [1, ∞), the weight over ℝ. The per-element variable is what the analysis varies.
/// </summary>
internal sealed class Bindings
{
    private readonly IReadOnlyDictionary<string, double> _hyperparameters;

    private readonly Func<Symbol, Interval?>? _intervals;

    public Bindings(IReadOnlyDictionary<string, double> hyperparameters, string variable, Func<Symbol, Interval?>? intervals = null)
    {
        _hyperparameters = hyperparameters;
        Variable = variable;
        _intervals = intervals;
    }

    /// <summary>The name of the variable the formula is a function of.</summary>
    public string Variable { get; }

    public bool TryHyperparameter(string name, out double value) => _hyperparameters.TryGetValue(name, out value);

    /// <summary>The point value used for a non-variable symbol in point evaluations (t = 1, w = 0).</summary>
    public double PointValue(Symbol symbol) => symbol.Kind switch
    {
        SymbolRole.Hyperparameter => _hyperparameters.TryGetValue(symbol.Name, out var v) ? v : double.NaN,
        SymbolRole.Step => 1.0,
        SymbolRole.LearningRate => 1.0,
        _ => 0.0,
    };

    public Interval IntervalValue(Symbol symbol) => _intervals?.Invoke(symbol) ?? symbol.Kind switch
    {
        SymbolRole.Hyperparameter => _hyperparameters.TryGetValue(symbol.Name, out var v) ? Interval.Point(v) : Interval.Entire,
        SymbolRole.Step => new Interval(1, double.PositiveInfinity),
        SymbolRole.LearningRate => Interval.NonNegative,
        _ => Interval.Entire,
    };
}

/// <summary>Evaluates the IR at a point, in double, with System.Math: witnesses and samples.</summary>
internal static class PointEvaluator
{
    public static double Evaluate(Expr expr, double x, Bindings bindings) => expr switch
    {
        Constant c => c.Value,
        Symbol s => s.Kind == SymbolRole.Variable && s.Name == bindings.Variable ? x : bindings.PointValue(s),
        Negate n => -Evaluate(n.Operand, x, bindings),
        Binary b => Apply(b.Operator, Evaluate(b.Left, x, bindings), Evaluate(b.Right, x, bindings)),
        Call c => EvaluateCall(c, x, bindings),
        Conditional c => Test(c.Test, x, bindings) ? Evaluate(c.WhenTrue, x, bindings) : Evaluate(c.WhenFalse, x, bindings),
        _ => double.NaN,
    };

    public static bool Test(Condition condition, double x, Bindings bindings) => condition switch
    {
        Comparison c => Build.Evaluate(c.Operator, Evaluate(c.Left, x, bindings), Evaluate(c.Right, x, bindings)),
        Logical { Operator: LogicalOperator.And } l => Test(l.Left, x, bindings) && Test(l.Right, x, bindings),
        Logical l => Test(l.Left, x, bindings) || Test(l.Right, x, bindings),
        Not n => !Test(n.Operand, x, bindings),
        _ => false,
    };

    private static double Apply(BinaryOperator op, double a, double b) => op switch
    {
        BinaryOperator.Add => a + b,
        BinaryOperator.Subtract => a - b,
        BinaryOperator.Multiply => a * b,
        _ => a / b,
    };

    private static double EvaluateCall(Call call, double x, Bindings bindings)
    {
        var values = new double[call.Arguments.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Evaluate(call.Arguments[i], x, bindings);
        }
        return MathFunctions.Get(call.Function).Evaluate(values);
    }
}

/// <summary>
/// Evaluates the IR over an interval of the variable with <see cref="Interval"/> arithmetic: an enclosure
/// of every value the formula takes there. A <c>?:</c> whose test compares the variable with a constant
/// evaluates each branch only on its own part of the box, so breakpoints do not smear one branch's
/// singularity into the other.
/// </summary>
internal static class IntervalEvaluator
{
    public static Interval Evaluate(Expr expr, Interval box, Bindings bindings)
    {
        switch (expr)
        {
            case Constant c:
                return Interval.Point(c.Value);
            case Symbol s:
                return s.Kind == SymbolRole.Variable && s.Name == bindings.Variable ? box : bindings.IntervalValue(s);
            case Negate n:
                return -Evaluate(n.Operand, box, bindings);
            case Binary { Operator: BinaryOperator.Multiply } product:
                return EvaluateProduct(product, box, bindings);
            case Binary b:
                var left = Evaluate(b.Left, box, bindings);
                var right = Evaluate(b.Right, box, bindings);
                return b.Operator switch
                {
                    BinaryOperator.Add => left + right,
                    BinaryOperator.Subtract => left - right,
                    BinaryOperator.Multiply => left * right,
                    _ => left / right,
                };
            case Call c:
                return EvaluateCall(c, box, bindings);
            case Conditional c:
                return EvaluateConditional(c, box, bindings);
            default:
                return Interval.Entire;
        }
    }

    /// <summary>
    /// A product evaluated factor by factor with equal factors grouped into powers, so that c·g·g is c·g² and never
    /// negative for c ≥ 0 (two independent intervals g·g would include negative values).
    /// </summary>
    private static Interval EvaluateProduct(Binary product, Interval box, Bindings bindings)
    {
        var factors = new List<Expr>();
        Flatten(product, factors);
        var groups = new List<(Expr Factor, int Power)>();
        foreach (var factor in factors)
        {
            var index = groups.FindIndex(g => g.Factor.Equals(factor));
            if (index >= 0)
            {
                groups[index] = (factor, groups[index].Power + 1);
            }
            else
            {
                groups.Add((factor, 1));
            }
        }
        var result = new Interval(1, 1);
        foreach (var (factor, power) in groups)
        {
            var value = Evaluate(factor, box, bindings);
            result *= power == 1 ? value : Interval.Pow(value, Interval.Point(power));
        }
        return result;
    }

    private static void Flatten(Expr expr, List<Expr> factors)
    {
        if (expr is Binary { Operator: BinaryOperator.Multiply } product)
        {
            Flatten(product.Left, factors);
            Flatten(product.Right, factors);
        }
        else
        {
            factors.Add(expr);
        }
    }

    private static Interval EvaluateCall(Call call, Interval box, Bindings bindings)
    {
        var a = Evaluate(call.Arguments[0], box, bindings);
        switch (call.Function)
        {
            case MathFunction.Abs: return a.Abs();
            case MathFunction.Sqrt: return a.Sqrt();
            case MathFunction.Exp: return a.Exp();
            case MathFunction.Log: return a.Log();
            case MathFunction.Tanh: return a.Tanh();
            case MathFunction.Atan: return a.Atan();
            case MathFunction.Sign: return a.Sign();
            case MathFunction.Cosh: return a.Cosh();
            case MathFunction.Sinh: return a.Sinh();
        }
        var b = Evaluate(call.Arguments[1], box, bindings);
        return call.Function switch
        {
            MathFunction.Pow => Interval.Pow(a, b),
            MathFunction.Max => Interval.Max(a, b),
            MathFunction.Min => Interval.Min(a, b),
            MathFunction.Atan2 => Interval.Atan2(a, b),
            _ => Interval.Entire,
        };
    }

    private static Interval EvaluateConditional(Conditional conditional, Interval box, Bindings bindings)
    {
        if (TrySplit(conditional.Test, box, bindings, out var whenTrue, out var whenFalse))
        {
            if (whenTrue is null && whenFalse is null)
            {
                return Interval.Entire;
            }
            if (whenFalse is null)
            {
                return Evaluate(conditional.WhenTrue, whenTrue!.Value, bindings);
            }
            if (whenTrue is null)
            {
                return Evaluate(conditional.WhenFalse, whenFalse.Value, bindings);
            }
            return Interval.Hull(Evaluate(conditional.WhenTrue, whenTrue.Value, bindings), Evaluate(conditional.WhenFalse, whenFalse.Value, bindings));
        }
        switch (Decide(conditional.Test, box, bindings))
        {
            case true:
                return Evaluate(conditional.WhenTrue, box, bindings);
            case false:
                return Evaluate(conditional.WhenFalse, box, bindings);
            default:
                return Interval.Hull(Evaluate(conditional.WhenTrue, box, bindings), Evaluate(conditional.WhenFalse, box, bindings));
        }
    }

    /// <summary>True, false, or null when the test can go either way on the box.</summary>
    public static bool? Decide(Condition condition, Interval box, Bindings bindings)
    {
        switch (condition)
        {
            case Comparison c:
                var left = Evaluate(c.Left, box, bindings);
                var right = Evaluate(c.Right, box, bindings);
                return Compare(c.Operator, left, right);
            case Logical l:
                var a = Decide(l.Left, box, bindings);
                var b = Decide(l.Right, box, bindings);
                if (l.Operator == LogicalOperator.And)
                {
                    return a == false || b == false ? false : a == true && b == true ? true : null;
                }
                return a == true || b == true ? true : a == false && b == false ? false : null;
            case Not n:
                var inner = Decide(n.Operand, box, bindings);
                return inner is null ? null : !inner;
            default:
                return null;
        }
    }

    private static bool? Compare(ComparisonOperator op, Interval a, Interval b)
    {
        switch (op)
        {
            case ComparisonOperator.Less:
                return a.Hi < b.Lo ? true : a.Lo >= b.Hi ? false : null;
            case ComparisonOperator.LessOrEqual:
                return a.Hi <= b.Lo ? true : a.Lo > b.Hi ? false : null;
            case ComparisonOperator.Greater:
                return a.Lo > b.Hi ? true : a.Hi <= b.Lo ? false : null;
            case ComparisonOperator.GreaterOrEqual:
                return a.Lo >= b.Hi ? true : a.Hi < b.Lo ? false : null;
            case ComparisonOperator.Equal:
                return a.IsPoint && b.IsPoint && a.Lo == b.Lo ? true : a.Hi < b.Lo || b.Hi < a.Lo ? false : null;
            default:
                return a.IsPoint && b.IsPoint && a.Lo == b.Lo ? false : a.Hi < b.Lo || b.Hi < a.Lo ? true : null;
        }
    }

    /// <summary>
    /// For a test "x op c" (or "c op x") with c a constant point, the parts of the box where it is true and
    /// false (null when empty). The closed parts overlap at the breakpoint, which keeps the enclosure sound.
    /// </summary>
    private static bool TrySplit(Condition condition, Interval box, Bindings bindings, out Interval? whenTrue, out Interval? whenFalse)
    {
        whenTrue = whenFalse = null;
        if (condition is not Comparison comparison || comparison.Operator is ComparisonOperator.Equal or ComparisonOperator.NotEqual)
        {
            return false;
        }
        var op = comparison.Operator;
        Expr other;
        if (comparison.Left is Symbol { Kind: SymbolRole.Variable } left && left.Name == bindings.Variable)
        {
            other = comparison.Right;
        }
        else if (comparison.Right is Symbol { Kind: SymbolRole.Variable } right && right.Name == bindings.Variable)
        {
            other = comparison.Left;
            op = op switch
            {
                ComparisonOperator.Less => ComparisonOperator.Greater,
                ComparisonOperator.LessOrEqual => ComparisonOperator.GreaterOrEqual,
                ComparisonOperator.Greater => ComparisonOperator.Less,
                _ => ComparisonOperator.LessOrEqual,
            };
        }
        else
        {
            return false;
        }
        var c = Evaluate(other, box, bindings);
        if (!c.IsPoint)
        {
            return false;
        }
        var below = Intersect(box, double.NegativeInfinity, c.Lo);
        var above = Intersect(box, c.Lo, double.PositiveInfinity);
        if (op is ComparisonOperator.Less or ComparisonOperator.LessOrEqual)
        {
            whenTrue = below;
            whenFalse = above;
        }
        else
        {
            whenTrue = above;
            whenFalse = below;
        }
        return true;
    }

    private static Interval? Intersect(Interval box, double lo, double hi)
    {
        var a = Math.Max(box.Lo, lo);
        var b = Math.Min(box.Hi, hi);
        return a <= b ? new Interval(a, b) : null;
    }
}

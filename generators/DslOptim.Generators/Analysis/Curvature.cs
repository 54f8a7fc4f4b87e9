using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Analysis;

internal enum Shape
{
    Constant,
    Affine,
    Convex,
    Concave,
    Unknown,
}

/// <summary>
/// Disciplined-convex-programming composition rules over the IR: sound where they apply (a convex
/// nondecreasing function of a convex argument is convex, |affine| is convex, …), silent otherwise.
/// Ranges of arguments (u ≥ 0 for x^p, p ≥ 1) come from interval enclosures over the domain. They prove
/// what they can quickly; the interval proof on the second derivative takes the rest.
/// </summary>
internal static class Curvature
{
    public static Shape Of(Expr expr, Interval domain, Bindings bindings)
    {
        switch (expr)
        {
            case Constant:
                return Shape.Constant;
            case Symbol s:
                return s.Kind == SymbolRole.Variable && s.Name == bindings.Variable ? Shape.Affine : s.VariesPerElement ? Shape.Unknown : Shape.Constant;
            case Negate n:
                return Flip(Of(n.Operand, domain, bindings));
            case Binary { Operator: BinaryOperator.Add } sum:
                return Add(Of(sum.Left, domain, bindings), Of(sum.Right, domain, bindings));
            case Binary { Operator: BinaryOperator.Subtract } difference:
                return Add(Of(difference.Left, domain, bindings), Flip(Of(difference.Right, domain, bindings)));
            case Binary { Operator: BinaryOperator.Multiply } product:
                return Multiply(product, domain, bindings);
            case Binary { Operator: BinaryOperator.Divide } quotient:
                var denominator = Of(quotient.Right, domain, bindings);
                if (denominator != Shape.Constant)
                {
                    return Shape.Unknown;
                }
                return Scale(Of(quotient.Left, domain, bindings), IntervalEvaluator.Evaluate(quotient.Right, domain, bindings));
            case Call call:
                return OfCall(call, domain, bindings);
            default:
                return Shape.Unknown;
        }
    }

    private static Shape Multiply(Binary product, Interval domain, Bindings bindings)
    {
        var left = Of(product.Left, domain, bindings);
        var right = Of(product.Right, domain, bindings);
        if (left == Shape.Constant)
        {
            return Scale(right, IntervalEvaluator.Evaluate(product.Left, domain, bindings));
        }
        if (right == Shape.Constant)
        {
            return Scale(left, IntervalEvaluator.Evaluate(product.Right, domain, bindings));
        }
        // u·u of an affine u is a square: convex.
        if (product.Left.Equals(product.Right) && left == Shape.Affine)
        {
            return Shape.Convex;
        }
        return Shape.Unknown;
    }

    private static Shape OfCall(Call call, Interval domain, Bindings bindings)
    {
        var u = Of(call.Argument, domain, bindings);
        if (u == Shape.Constant && (call.Arguments.Count == 1 || Of(call.Arguments[1], domain, bindings) == Shape.Constant))
        {
            return Shape.Constant;
        }
        var range = IntervalEvaluator.Evaluate(call.Argument, domain, bindings);
        switch (call.Function)
        {
            case MathFunction.Exp:
                // convex, nondecreasing
                return IsConvexOrAffine(u) ? Shape.Convex : Shape.Unknown;
            case MathFunction.Log when range.Lo > 0:
            case MathFunction.Sqrt when range.Lo >= 0:
                // concave, nondecreasing
                return IsConcaveOrAffine(u) ? Shape.Concave : Shape.Unknown;
            case MathFunction.Abs:
                if (u == Shape.Affine || u == Shape.Convex && range.Lo >= 0 || u == Shape.Concave && range.Hi <= 0)
                {
                    return Shape.Convex;
                }
                return Shape.Unknown;
            case MathFunction.Cosh:
                return u == Shape.Affine ? Shape.Convex : Shape.Unknown;
            case MathFunction.Max:
                return IsConvexOrAffine(u) && IsConvexOrAffine(Of(call.Arguments[1], domain, bindings)) ? Shape.Convex : Shape.Unknown;
            case MathFunction.Min:
                return IsConcaveOrAffine(u) && IsConcaveOrAffine(Of(call.Arguments[1], domain, bindings)) ? Shape.Concave : Shape.Unknown;
            case MathFunction.Pow when call.Arguments[1] is Constant { Value: var p }:
                var isEvenInteger = p == System.Math.Round(p) && ((long)p) % 2 == 0 && p >= 2;
                if (isEvenInteger && u == Shape.Affine)
                {
                    return Shape.Convex;
                }
                if (p >= 1 && range.Lo >= 0 && IsConvexOrAffine(u))
                {
                    // x^p for p ≥ 1 is convex and nondecreasing on x ≥ 0
                    return Shape.Convex;
                }
                if (p > 0 && p < 1 && range.Lo >= 0 && IsConcaveOrAffine(u))
                {
                    return Shape.Concave;
                }
                return Shape.Unknown;
            default:
                return Shape.Unknown;
        }
    }

    private static bool IsConvexOrAffine(Shape s) => s is Shape.Convex or Shape.Affine or Shape.Constant;

    private static bool IsConcaveOrAffine(Shape s) => s is Shape.Concave or Shape.Affine or Shape.Constant;

    private static Shape Flip(Shape s) => s switch
    {
        Shape.Convex => Shape.Concave,
        Shape.Concave => Shape.Convex,
        _ => s,
    };

    private static Shape Add(Shape a, Shape b)
    {
        if (a == Shape.Unknown || b == Shape.Unknown)
        {
            return Shape.Unknown;
        }
        if (a == Shape.Constant)
        {
            return b;
        }
        if (b == Shape.Constant)
        {
            return a;
        }
        if (a == Shape.Affine)
        {
            return b;
        }
        if (b == Shape.Affine)
        {
            return a;
        }
        return a == b ? a : Shape.Unknown;
    }

    private static Shape Scale(Shape s, Interval factor)
    {
        if (s is Shape.Constant or Shape.Affine or Shape.Unknown)
        {
            return s;
        }
        if (factor.Lo >= 0)
        {
            return s;
        }
        if (factor.Hi <= 0)
        {
            return Flip(s);
        }
        return Shape.Unknown;
    }
}

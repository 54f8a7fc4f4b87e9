using System;
using System.Collections.Immutable;

namespace DslOptim.Generators.Symbolic;

/// <summary>
/// Analytic differentiation of the IR with respect to one variable. Each rule builds through
/// <see cref="Build"/>, so the result comes out simplified. Piecewise formulas differentiate branch by
/// branch (the one-sided derivatives; continuity at the breakpoints is the analysis's job).
/// </summary>
internal static class Derivative
{
    public static Expr Of(Expr expr, string variable) => expr switch
    {
        Constant => Constant.Zero,
        Symbol s => s.Kind == SymbolRole.Variable && s.Name == variable ? Constant.One : Constant.Zero,
        Negate n => Build.Negate(Of(n.Operand, variable)),
        Binary b => OfBinary(b, variable),
        Call c => OfCall(c, variable),
        Conditional c => Build.Conditional(c.Test, Of(c.WhenTrue, variable), Of(c.WhenFalse, variable)),
        _ => throw new ArgumentOutOfRangeException(nameof(expr)),
    };

    private static Expr OfBinary(Binary b, string variable)
    {
        var dl = Of(b.Left, variable);
        var dr = Of(b.Right, variable);
        switch (b.Operator)
        {
            case BinaryOperator.Add:
                return Build.Add(dl, dr);
            case BinaryOperator.Subtract:
                return Build.Subtract(dl, dr);
            case BinaryOperator.Multiply:
                // (uv)′ = u′v + uv′
                return Build.Add(Build.Multiply(dl, b.Right), Build.Multiply(b.Left, dr));
            case BinaryOperator.Divide:
                // (u/v)′ = u′/v − u·v′/v², written so a constant denominator stays a plain division.
                if (dr is Constant { Value: 0.0 })
                {
                    return Build.Divide(dl, b.Right);
                }
                // (u/(c + v))′ = (c·u′ + (u′·v − u·v′))/(c + v)² = c·u′/(c + v)² for c free of the variable when
                // u′·v and u·v′ build to the same expression: no difference of two nearly equal terms for |v| ≫ |c|.
                // v = u: the h″ of normalized GD's h′(s) = s/(ε + s) is ε/(ε + s)²; u = z, v = |z| (u′·v = |z| =
                // z·sign(z) = u·v′): Adam without momentum's φ″ of φ′(z) = z/(ε + |z|) is ε/(ε + |z|)².
                if (b.Right is Binary { Operator: BinaryOperator.Add } sum
                    && (ShareOfOwnSum(b.Left, dl, sum.Left, sum.Right, variable) ?? ShareOfOwnSum(b.Left, dl, sum.Right, sum.Left, variable)) is { } c)
                {
                    return Build.Divide(Build.Multiply(c, dl), Build.Multiply(b.Right, b.Right));
                }
                return Build.Subtract(
                    Build.Divide(dl, b.Right),
                    Build.Divide(Build.Multiply(b.Left, dr), Build.Multiply(b.Right, b.Right)));
            default:
                throw new ArgumentOutOfRangeException(nameof(b));
        }
    }

    /// <summary>c when c is free of the variable and u′·v = u·v′ as built expressions (in either order of the factors); otherwise null.</summary>
    private static Expr? ShareOfOwnSum(Expr u, Expr du, Expr c, Expr v, string variable)
    {
        if (Of(c, variable) is not Constant { Value: 0.0 })
        {
            return null;
        }
        var left = Build.Multiply(du, v);
        var dv = Of(v, variable);
        return left.Equals(Build.Multiply(u, dv)) || left.Equals(Build.Multiply(dv, u)) ? c : null;
    }

    private static Expr OfCall(Call c, string variable)
    {
        var arguments = ImmutableArray.CreateBuilder<Expr>(c.Arguments.Count);
        var derivatives = ImmutableArray.CreateBuilder<Expr>(c.Arguments.Count);
        var allZero = true;
        foreach (var argument in c.Arguments)
        {
            var d = Of(argument, variable);
            arguments.Add(argument);
            derivatives.Add(d);
            allZero &= d is Constant { Value: 0.0 };
        }
        if (allZero)
        {
            return Constant.Zero;
        }
        return MathFunctions.Get(c.Function).Derivative(arguments.MoveToImmutable(), derivatives.MoveToImmutable());
    }
}

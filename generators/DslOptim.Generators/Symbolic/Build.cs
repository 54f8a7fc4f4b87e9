using System;
using System.Collections.Immutable;
using DslOptim.Generators.Model;

namespace DslOptim.Generators.Symbolic;

/// <summary>
/// Smart constructors: every IR node the derivative and the simplifier create goes through these, so the
/// tree stays small as it is built — constants folded, identities (x + 0, 1·x, x − x, −(−x)) applied,
/// constants moved to the left of products, and a quotient of a piecewise formula pushed into its branches
/// (h′(s)/s for gradient clipping becomes s ≤ ε ? 1 : ε/s, the paper's min(ε/‖Z‖, 1)).
/// Floating-point identities that change a finite result are not applied, except where the rewritten form is
/// the more accurate one (1 − a/(a + b) = b/(a + b) and P − a·(P/(a + b)) = P·(b/(a + b)), which avoid a
/// cancellation). sign(x)·|x| = x and x·sign(x) = |x| are exact (see <see cref="Multiply"/>).
/// </summary>
internal static class Build
{
    public static Expr Add(Expr left, Expr right)
    {
        if (left is Constant a && right is Constant b)
        {
            return new Constant(a.Value + b.Value);
        }
        if (IsZero(left))
        {
            return right;
        }
        if (IsZero(right))
        {
            return left;
        }
        if (right is Negate negatedRight)
        {
            return Subtract(left, negatedRight.Operand);
        }
        if (left is Negate negatedLeft)
        {
            return Subtract(right, negatedLeft.Operand);
        }
        if (left.Equals(right))
        {
            return Multiply(Constant.Two, left);
        }
        if (right is Constant && left is not Constant)
        {
            return new Binary(BinaryOperator.Add, right, left);
        }
        return new Binary(BinaryOperator.Add, left, right);
    }

    public static Expr Subtract(Expr left, Expr right)
    {
        if (left is Constant a && right is Constant b)
        {
            return new Constant(a.Value - b.Value);
        }
        if (IsZero(right))
        {
            return left;
        }
        if (IsZero(left))
        {
            return Negate(right);
        }
        if (left.Equals(right))
        {
            return Constant.Zero;
        }
        if (right is Negate negated)
        {
            return Add(left, negated.Operand);
        }
        // 1 − a/(a + b) = b/(a + b): the same number without subtracting two nearly equal terms when |b| ≪ |a|
        // (normalized GD's h′(s) = 1 − ε/(ε + s) near s = 0). Also where a + b = 0: both sides are the same
        // signed infinity, or both NaN. Not where b = ±∞ or a + b overflows: see ShareOfFactor's caveat.
        if (IsOne(left) && Complement(right) is { } rest)
        {
            return Divide(rest, ((Binary)right).Right);
        }
        // a/(a + b) − 1 = −b/(a + b)
        if (IsOne(right) && Complement(left) is { } restOnLeft)
        {
            return Negate(Divide(restOnLeft, ((Binary)left).Right));
        }
        // P − a·(P/(a + b)) = P·(b/(a + b)), the rule above with a common factor P.
        if (ShareOfFactor(right, left) is { } share)
        {
            return share;
        }
        // a·(P/(a + b)) − P = −P·(b/(a + b))
        if (ShareOfFactor(left, right) is { } shareOnLeft)
        {
            return Negate(shareOnLeft);
        }
        return new Binary(BinaryOperator.Subtract, left, right);
    }

    /// <summary>
    /// P·(b/(a + b)) when <paramref name="term"/> is a share a/(a + b) of <paramref name="factor"/> = P, in any of the
    /// forms the builders leave: a·(P/(a + b)), (P/(a + b))·a, (a·P)/(a + b), (P·a)/(a + b), (a/(a + b))·P or
    /// P·(a/(a + b)), with a + b in either order; otherwise null. P − term is then P·(b/(a + b)): the same real
    /// function wherever a + b ≠ 0, without the cancellation of P − term when |b| ≪ |a| (Adam without momentum's
    /// φ′(z) = sign(z) − ε·(sign(z)/(ε + |z|)) becomes sign(z)·(|z|/(ε + |z|)), and then z/(ε + |z|)).
    /// </summary>
    /// <remarks>
    /// In floating point the forms agree to a few roundings for finite a, b, P with a + b finite and nonzero. At
    /// a + b = ±0 (a = −b ≠ 0) both are the same signed infinity for finite P ≠ 0, or both NaN for P = 0. Where P is
    /// infinite the original is ∞ − ∞ = NaN (undefined) or P, and the rewrite a signed infinity. The caveat is
    /// overflow: at b = ±∞ (finite a, P) the original gives its limit P − a·0 = P but the rewrite ∞/∞ = NaN, and
    /// where a + b overflows for finite a, b the original gives P and the rewrite 0, with the exact value between
    /// (both are then off by up to |P|). 1 − a/(a + b) = b/(a + b) above has the same caveat. For Adam without
    /// momentum it means a gradient entry g = ±∞ now yields a NaN weight, as Adam's own g/√(g²) does, where the
    /// old φ′ gave ±1.
    /// </remarks>
    private static Expr? ShareOfFactor(Expr term, Expr factor)
    {
        if (term is not Binary { Operator: BinaryOperator.Multiply or BinaryOperator.Divide } binary)
        {
            return null;
        }
        if (binary.Operator == BinaryOperator.Divide)
        {
            // (a·P)/(a + b) or (P·a)/(a + b)
            if (binary.Left is Binary { Operator: BinaryOperator.Multiply } numerator && binary.Right is Binary { Operator: BinaryOperator.Add } sum)
            {
                var a = numerator.Right.Equals(factor) ? numerator.Left : numerator.Left.Equals(factor) ? numerator.Right : null;
                if (a is not null && OtherTerm(sum, a) is { } b)
                {
                    return Multiply(factor, Divide(b, sum));
                }
            }
            return null;
        }
        // The product x·y: one side is a, the other P/(a + b); or one side is P, the other a/(a + b).
        foreach (var (x, y) in new[] { (binary.Left, binary.Right), (binary.Right, binary.Left) })
        {
            if (y is Binary { Operator: BinaryOperator.Divide, Right: Binary { Operator: BinaryOperator.Add } sum } quotient)
            {
                if (quotient.Left.Equals(factor) && OtherTerm(sum, x) is { } b)
                {
                    return Multiply(factor, Divide(b, sum));
                }
                if (x.Equals(factor) && OtherTerm(sum, quotient.Left) is { } rest)
                {
                    return Multiply(factor, Divide(rest, sum));
                }
            }
        }
        return null;
    }

    /// <summary>b when <paramref name="sum"/> is a + b or b + a; otherwise null.</summary>
    private static Expr? OtherTerm(Binary sum, Expr a) => sum.Left.Equals(a) ? sum.Right : sum.Right.Equals(a) ? sum.Left : null;

    /// <summary>b when <paramref name="quotient"/> is a/(a + b) or a/(b + a); otherwise null.</summary>
    private static Expr? Complement(Expr quotient)
    {
        if (quotient is not Binary { Operator: BinaryOperator.Divide, Right: Binary { Operator: BinaryOperator.Add } sum } q)
        {
            return null;
        }
        return q.Left.Equals(sum.Left) ? sum.Right : q.Left.Equals(sum.Right) ? sum.Left : null;
    }

    public static Expr Multiply(Expr left, Expr right)
    {
        if (left is Constant a && right is Constant b)
        {
            return new Constant(a.Value * b.Value);
        }
        if (IsZero(left) || IsZero(right))
        {
            return Constant.Zero;
        }
        if (IsOne(left))
        {
            return right;
        }
        if (IsOne(right))
        {
            return left;
        }
        if (left is Constant { Value: -1.0 })
        {
            return Negate(right);
        }
        if (right is Constant { Value: -1.0 })
        {
            return Negate(left);
        }
        if (left is Negate negatedLeft && right is Negate negatedRight)
        {
            return Multiply(negatedLeft.Operand, negatedRight.Operand);
        }
        if (left is Negate onlyLeft)
        {
            return Negate(Multiply(onlyLeft.Operand, right));
        }
        if (right is Negate onlyRight)
        {
            return Negate(Multiply(left, onlyRight.Operand));
        }
        if (right is Constant && left is not Constant)
        {
            return Multiply(right, left);
        }
        if ((SignTimesMagnitude(left, right) ?? SignTimesMagnitude(right, left)) is { } unsigned)
        {
            return unsigned;
        }
        // c1·(c2·x) = (c1·c2)·x
        if (left is Constant outer && right is Binary { Operator: BinaryOperator.Multiply, Left: Constant inner } product)
        {
            return Multiply(new Constant(outer.Value * inner.Value), product.Right);
        }
        // a·(1/b) = a/b
        if (right is Binary { Operator: BinaryOperator.Divide, Left: Constant { Value: 1.0 } } reciprocal)
        {
            return Divide(left, reciprocal.Right);
        }
        return new Binary(BinaryOperator.Multiply, left, right);
    }

    /// <summary>
    /// sign(x)·|x| = x, sign(x)·(|x|/y) = x/y and sign(x)·x = |x| (<paramref name="other"/> the second factor); otherwise
    /// null. Exact in IEEE arithmetic: for x ≠ 0 finite or ±∞, sign(x) = ±1 and the product only sets the sign, and
    /// rounding to nearest is symmetric, so ±(|x|/y) is x/y bit for bit; for NaN both sides are NaN. The runtime's sign
    /// (ScalarMath.Sign, VectorMath.Sign and the constant folding) is +0 at ±0 and at NaN, so the forms differ only in
    /// the sign of a zero at x = −0: sign(−0)·|−0| = +0 but x = −0; sign(−0)·(|−0|/y) = +0/y but −0/y; sign(−0)·(−0) =
    /// −0 but |−0| = +0. In an update w − η·d(g) (η > 0 finite) a zero d of either sign leaves w ≠ 0 unchanged and
    /// w = ±0 equal to zero (w = −0, g = −0 gives −0 before and +0 after for Adam without momentum).
    /// </summary>
    private static Expr? SignTimesMagnitude(Expr sign, Expr other)
    {
        if (sign is not Symbolic.Call { Function: MathFunction.Sign } call)
        {
            return null;
        }
        var x = call.Argument;
        if (other is Symbolic.Call { Function: MathFunction.Abs } abs && abs.Argument.Equals(x))
        {
            return x;
        }
        if (other is Binary { Operator: BinaryOperator.Divide, Left: Symbolic.Call { Function: MathFunction.Abs } magnitude } quotient
            && magnitude.Argument.Equals(x))
        {
            return Divide(x, quotient.Right);
        }
        return other.Equals(x) ? Call(MathFunction.Abs, x) : null;
    }

    public static Expr Divide(Expr left, Expr right)
    {
        if (left is Constant a && right is Constant b && b.Value != 0.0)
        {
            return new Constant(a.Value / b.Value);
        }
        if (IsZero(left) && !IsZero(right))
        {
            return Constant.Zero;
        }
        if (IsOne(right))
        {
            return left;
        }
        if (left.Equals(right) && left is not Constant)
        {
            return Constant.One;
        }
        if (left is Negate negatedLeft)
        {
            return Negate(Divide(negatedLeft.Operand, right));
        }
        if (right is Negate negatedRight)
        {
            return Negate(Divide(left, negatedRight.Operand));
        }
        // sinh(u)/cosh(u) = tanh(u): log-cosh's φ′ reads tanh(z), and its φ″ = 1 − tanh² is provably ≥ 0.
        if (left is Symbolic.Call { Function: MathFunction.Sinh } sinh && right is Symbolic.Call { Function: MathFunction.Cosh } cosh
            && sinh.Argument.Equals(cosh.Argument))
        {
            return Call(MathFunction.Tanh, sinh.Argument);
        }
        // (c ? a : b)/x = c ? a/x : b/x — lets each branch simplify on its own.
        if (left is Conditional piecewise)
        {
            return Conditional(piecewise.Test, Divide(piecewise.WhenTrue, right), Divide(piecewise.WhenFalse, right));
        }
        return new Binary(BinaryOperator.Divide, left, right);
    }

    /// <summary>
    /// left/right for a caller that never evaluates the quotient where right = 0 — the isotropic scale h′(s)/s,
    /// which the step skips at s = 0 — so a factor right of left's numerator cancels: (x/y)/x = 1/y. Elsewhere
    /// the cancellation would turn 0/0 into a number, so <see cref="Divide"/> does not apply it.
    /// </summary>
    public static Expr DivideByNonZero(Expr left, Expr right) => left switch
    {
        Binary { Operator: BinaryOperator.Divide } quotient when quotient.Left.Equals(right) => Divide(Constant.One, quotient.Right),
        Negate negated => Negate(DivideByNonZero(negated.Operand, right)),
        Conditional piecewise => Conditional(piecewise.Test, DivideByNonZero(piecewise.WhenTrue, right), DivideByNonZero(piecewise.WhenFalse, right)),
        _ => Divide(left, right),
    };

    public static Expr Negate(Expr operand) => operand switch
    {
        Constant c => new Constant(-c.Value),
        Negate n => n.Operand,
        Binary { Operator: BinaryOperator.Subtract } difference => new Binary(BinaryOperator.Subtract, difference.Right, difference.Left),
        _ => new Negate(operand),
    };

    public static Expr Pow(Expr baseExpr, Expr exponent)
    {
        if (exponent is Constant { Value: 1.0 })
        {
            return baseExpr;
        }
        if (exponent is Constant { Value: 0.0 })
        {
            return Constant.One;
        }
        return Call(MathFunction.Pow, baseExpr, exponent);
    }

    public static Expr Call(MathFunction function, params Expr[] arguments)
    {
        var allConstant = true;
        foreach (var argument in arguments)
        {
            allConstant &= argument is Constant;
        }
        if (allConstant)
        {
            var values = new double[arguments.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ((Constant)arguments[i]).Value;
            }
            var folded = MathFunctions.Get(function).Evaluate(values);
            if (!double.IsNaN(folded) && !double.IsInfinity(folded))
            {
                return new Constant(folded);
            }
        }
        if (function == MathFunction.Pow && arguments[1] is Constant exponent && exponent.Value is 0.0 or 1.0)
        {
            return exponent.Value == 0.0 ? Constant.One : arguments[0];
        }
        // |(|u|)| = |u|, sign(sign(u)) = sign(u)
        if (function is MathFunction.Abs or MathFunction.Sign && arguments[0] is Call inner && inner.Function == function)
        {
            return inner;
        }
        return Symbolic.Call.Of(function, arguments);
    }

    public static Expr Conditional(Condition test, Expr whenTrue, Expr whenFalse)
    {
        if (whenTrue.Equals(whenFalse))
        {
            return whenTrue;
        }
        if (test is Comparison { Left: Constant left, Right: Constant right } comparison)
        {
            return Evaluate(comparison.Operator, left.Value, right.Value) ? whenTrue : whenFalse;
        }
        return new Conditional(test, whenTrue, whenFalse);
    }

    public static bool Evaluate(ComparisonOperator op, double left, double right) => op switch
    {
        ComparisonOperator.Less => left < right,
        ComparisonOperator.LessOrEqual => left <= right,
        ComparisonOperator.Greater => left > right,
        ComparisonOperator.GreaterOrEqual => left >= right,
        ComparisonOperator.Equal => left == right,
        ComparisonOperator.NotEqual => left != right,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static Expr Binary(BinaryOperator op, Expr left, Expr right) => op switch
    {
        BinaryOperator.Add => Add(left, right),
        BinaryOperator.Subtract => Subtract(left, right),
        BinaryOperator.Multiply => Multiply(left, right),
        BinaryOperator.Divide => Divide(left, right),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static bool IsZero(Expr e) => e is Constant { Value: 0.0 };

    private static bool IsOne(Expr e) => e is Constant { Value: 1.0 };
}

/// <summary>Re-builds a tree bottom-up through <see cref="Build"/>, so a parsed formula gets the same simplifications.</summary>
internal static class Simplifier
{
    public static Expr Simplify(Expr expr) => expr switch
    {
        Constant or Symbol => expr,
        Negate n => Build.Negate(Simplify(n.Operand)),
        Binary b => Build.Binary(b.Operator, Simplify(b.Left), Simplify(b.Right)),
        Call c => Build.Call(c.Function, SimplifyAll(c.Arguments)),
        Conditional c => Build.Conditional(Simplify(c.Test), Simplify(c.WhenTrue), Simplify(c.WhenFalse)),
        _ => throw new ArgumentOutOfRangeException(nameof(expr)),
    };

    public static Condition Simplify(Condition condition) => condition switch
    {
        Comparison c => new Comparison(c.Operator, Simplify(c.Left), Simplify(c.Right)),
        Logical l => new Logical(l.Operator, Simplify(l.Left), Simplify(l.Right)),
        Not n => new Not(Simplify(n.Operand)),
        _ => throw new ArgumentOutOfRangeException(nameof(condition)),
    };

    private static Expr[] SimplifyAll(EquatableArray<Expr> arguments)
    {
        var result = new Expr[arguments.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Simplify(arguments[i]);
        }
        return result;
    }
}

using System;
using System.Collections.Generic;
using DslOptim.Generators.Analysis;
using DslOptim.Generators.Symbolic;
using Xunit;

namespace DslOptim.Generators.Tests;

/// <summary>
/// The simplifier's cancellation-free forms of a share of a sum: 1 − a/(a + b) = b/(a + b) (<see cref="Build.Subtract"/>),
/// the quotient rule's (u/(c + u))′ = c·u′/(c + u)² (<see cref="Derivative"/>), and the isotropic scale's
/// (x/y)/x = 1/y, applied only by <see cref="Build.DivideByNonZero"/>.
/// </summary>
public class ShareOfASumTests
{
    private static readonly Symbol A = new("Eps", SymbolRole.Hyperparameter);
    private static readonly Symbol B = new("s", SymbolRole.Variable);
    private static readonly Symbol C = new("Delta", SymbolRole.Hyperparameter);

    private static readonly Bindings EpsHalf = new(new Dictionary<string, double> { ["Eps"] = 0.5, ["Delta"] = 1.0 }, "s");

    private static Binary Sum(Expr left, Expr right) => new(BinaryOperator.Add, left, right);

    private static Binary Quotient(Expr left, Expr right) => new(BinaryOperator.Divide, left, right);

    private static Binary Product(Expr left, Expr right) => new(BinaryOperator.Multiply, left, right);

    [Fact]
    public void One_minus_a_share_of_a_sum_is_the_other_share()
    {
        Assert.Equal(Quotient(B, Sum(A, B)), Build.Subtract(Constant.One, Quotient(A, Sum(A, B))));
        Assert.Equal(Quotient(B, Sum(B, A)), Build.Subtract(Constant.One, Quotient(A, Sum(B, A))));
        Assert.Equal(Quotient(A, Sum(A, B)), Build.Subtract(Constant.One, Quotient(B, Sum(A, B))));
        Assert.Equal(Quotient(A, Sum(B, A)), Build.Subtract(Constant.One, Quotient(B, Sum(B, A))));
        // a/(a + b) − 1 = −b/(a + b)
        Assert.Equal(new Negate(Quotient(B, Sum(A, B))), Build.Subtract(Quotient(A, Sum(A, B)), Constant.One));
        // −a/(a + b) + 1 reaches the same rule through x + (−y) = x − y.
        Assert.Equal(Quotient(B, Sum(A, B)), Build.Add(Build.Negate(Quotient(A, Sum(A, B))), Constant.One));
        // Re-building a parsed 1 − Eps/(Eps + s) (normalized GD's h′) gives the same.
        var parsed = new Binary(BinaryOperator.Subtract, Constant.One, Quotient(A, Sum(A, B)));
        Assert.Equal(Quotient(B, Sum(A, B)), Simplifier.Simplify(parsed));
        Assert.Equal("s/(Eps + s)", MathRenderer.Render(Simplifier.Simplify(parsed)));
    }

    [Fact]
    public void Other_differences_are_left_alone()
    {
        Expr[] untouched =
        {
            new Binary(BinaryOperator.Subtract, Constant.One, Quotient(A, Sum(C, B))),           // 1 − a/(c + b)
            new Binary(BinaryOperator.Subtract, Constant.Two, Quotient(A, Sum(A, B))),           // 2 − a/(a + b)
            new Binary(BinaryOperator.Subtract, Constant.One, Quotient(A, Product(A, B))),       // 1 − a/(a·b)
            new Binary(BinaryOperator.Subtract, Constant.One, Quotient(Sum(A, B), A)),           // 1 − (a + b)/a
            new Binary(BinaryOperator.Subtract, Quotient(A, Sum(A, B)), Constant.Two),           // a/(a + b) − 2
        };
        foreach (var expr in untouched)
        {
            Assert.Equal(expr, Simplifier.Simplify(expr));
        }
    }

    /// <summary>The rewritten form is the same function: agrees with 1 − a/(a + b) to a few roundings where no cancellation occurs, and identically (signed infinities, NaN) where a + b = 0.</summary>
    [Fact]
    public void The_rewrite_is_the_same_function()
    {
        var original = new Binary(BinaryOperator.Subtract, Constant.One, Quotient(new Symbol("x", SymbolRole.Variable), Sum(new Symbol("x", SymbolRole.Variable), C)));
        var rewritten = Simplifier.Simplify(original);
        Assert.Equal(Quotient(C, Sum(new Symbol("x", SymbolRole.Variable), C)), rewritten);
        var random = new Random(5);
        for (var i = 0; i < 20000; i++)
        {
            var a = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 7));
            var b = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 7));
            var bindings = new Bindings(new Dictionary<string, double> { ["Delta"] = b }, "x");
            var before = PointEvaluator.Evaluate(original, a, bindings);
            var after = PointEvaluator.Evaluate(rewritten, a, bindings);
            // 1 − q with q = a/(a + b): each side within two or three roundings of the exact value, absolute error ≲ u·(1 + |q|).
            var q = Math.Abs(a / (a + b));
            Assert.True(Math.Abs(before - after) <= 8 * Math.Pow(2, -53) * (1 + q),
                $"a = {a:R}, b = {b:R}: 1 − a/(a + b) = {before:R} but b/(a + b) = {after:R}");
        }

        // a + b = 0: 1 − a/0 and b/0 are the same signed infinity, or both NaN.
        foreach (var (a, b) in new[] { (1.0, -1.0), (-2.5, 2.5), (1e-300, -1e-300), (0.0, 0.0), (-0.0, 0.0) })
        {
            var bindings = new Bindings(new Dictionary<string, double> { ["Delta"] = b }, "x");
            var before = PointEvaluator.Evaluate(original, a, bindings);
            var after = PointEvaluator.Evaluate(rewritten, a, bindings);
            Assert.True(before.Equals(after), $"a = {a:R}, b = {b:R}: 1 − a/(a + b) = {before:R} but b/(a + b) = {after:R}");
        }
    }

    [Fact]
    public void The_rewrite_removes_the_cancellation_for_a_small_share()
    {
        // a = 0.5, b = 5e-13: a + b is rounded at ulp(0.5) ≈ 1.1e-16, which is 2e-4 of b, and 1 − a/(a + b) keeps that error.
        const double a = 0.5, b = 5e-13;
        var original = new Binary(BinaryOperator.Subtract, Constant.One, Quotient(A, Sum(A, B)));
        var exact = b / a / (1 + b / a); // b/(a + b) with a = 0.5 exactly: b/a is exact, 1 + b/a rounds once, the quotient once
        var after = PointEvaluator.Evaluate(Simplifier.Simplify(original), b, EpsHalf);
        var before = PointEvaluator.Evaluate(original, b, EpsHalf);
        Assert.True(Math.Abs(after - exact) <= 2 * Math.Pow(2, -52) * exact, $"b/(a + b) = {after:R}, exact {exact:R}");
        Assert.True(Math.Abs(before - exact) > 1e-6 * exact, $"1 − a/(a + b) = {before:R} was expected to lose digits against {exact:R}");
    }

    [Fact]
    public void Quotient_rule_of_a_share_of_its_own_sum_has_no_difference()
    {
        // (s/(Eps + s))′ = Eps/((Eps + s)·(Eps + s)), normalized GD's h″ as before the rewrite of h′.
        var share = Quotient(B, Sum(A, B));
        var derivative = Derivative.Of(share, "s");
        Assert.Equal(Quotient(A, Product(Sum(A, B), Sum(A, B))), derivative);
        Assert.Equal("Eps/((Eps + s)·(Eps + s))", MathRenderer.Render(derivative));
        Assert.Equal(Quotient(A, Product(Sum(B, A), Sum(B, A))), Derivative.Of(Quotient(B, Sum(B, A)), "s"));

        // u = s², c = Eps: (s²/(Eps + s²))′ = 2·Eps·s/(Eps + s²)².
        var square = Product(B, B);
        var squareShare = Derivative.Of(Quotient(square, Sum(A, square)), "s");
        // c depends on s: s/(s·s + s) = 1/(s + 1) has derivative −1/(s + 1)², and the special rule must not apply.
        var varying = Derivative.Of(Quotient(B, Sum(square, B)), "s");
        foreach (var s in new[] { 1e-3, 0.3, 1.0, 7.5, 1e4 })
        {
            var closedSquare = 2 * 0.5 * s / ((0.5 + s * s) * (0.5 + s * s));
            Assert.Equal(closedSquare, PointEvaluator.Evaluate(squareShare, s, EpsHalf), closedSquare * 1e-14);
            var closedVarying = -1 / ((s + 1) * (s + 1));
            Assert.Equal(closedVarying, PointEvaluator.Evaluate(varying, s, EpsHalf), Math.Abs(closedVarying) * 1e-12);
        }

        // For s ≫ Eps the new h″ keeps its digits; the general rule's 1/(Eps + s) − s/(Eps + s)² would not.
        const double large = 1e9;
        var exact = 0.5 / ((0.5 + large) * (0.5 + large));
        Assert.Equal(exact, PointEvaluator.Evaluate(derivative, large, EpsHalf), exact * 1e-15);
        var general = 1 / (0.5 + large) - large / ((0.5 + large) * (0.5 + large));
        Assert.True(Math.Abs(general - exact) > 1e-9 * exact, $"the general quotient rule was expected to cancel: {general:R} against {exact:R}");
    }

    [Fact]
    public void A_factor_cancels_only_where_the_divisor_is_known_nonzero()
    {
        var share = Quotient(B, Sum(A, B));
        // The isotropic scale: (s/(Eps + s))/s = 1/(Eps + s), whose value at s = 0 is the limit 1/Eps.
        var scale = Build.DivideByNonZero(share, B);
        Assert.Equal(Quotient(Constant.One, Sum(A, B)), scale);
        Assert.Equal(2.0, PointEvaluator.Evaluate(scale, 0.0, EpsHalf));

        // The general division keeps 0/0 at s = 0.
        var general = Build.Divide(share, B);
        Assert.Equal(Quotient(share, B), general);
        Assert.True(double.IsNaN(PointEvaluator.Evaluate(general, 0.0, EpsHalf)));

        // Through a negation and into both branches of a piecewise formula; anything else as Build.Divide.
        Assert.Equal(new Negate(Quotient(Constant.One, Sum(A, B))), Build.DivideByNonZero(new Negate(share), B));
        var test = new Comparison(ComparisonOperator.LessOrEqual, B, A);
        Assert.Equal(
            new Conditional(test, Quotient(Constant.One, Sum(A, B)), Quotient(A, B)),
            Build.DivideByNonZero(new Conditional(test, share, A), B));
        var other = Quotient(A, Sum(A, B));
        Assert.Equal(Build.Divide(other, B), Build.DivideByNonZero(other, B));
        Assert.Equal(Constant.One, Build.DivideByNonZero(B, B));
    }
}

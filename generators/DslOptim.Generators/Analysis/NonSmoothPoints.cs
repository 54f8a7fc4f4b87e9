using System;
using System.Collections.Generic;
using System.Globalization;
using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Analysis;

/// <summary>A point where a construct of the formula may break smoothness: |u| at u = 0, a breakpoint of ?:, ….</summary>
/// <param name="At">The point.</param>
/// <param name="Construct">The IR node responsible (a Call or a Conditional).</param>
/// <param name="Description">How a message names it: "|z| (Math.Abs)", "the breakpoint of '?:'".</param>
/// <param name="Jump">f(x+) − f(x−): nonzero means the formula is discontinuous there.</param>
/// <param name="LeftSlope">f′(x−).</param>
/// <param name="RightSlope">f′(x+).</param>
/// <param name="CoarseJump">The jump measured at the larger offset.</param>
/// <param name="CoarseGap">The slope gap measured at the larger offset.</param>
internal sealed record NonSmoothPoint(double At, Expr Construct, string Description, double Jump, double LeftSlope, double RightSlope, double CoarseJump, double CoarseGap)
{
    /// <summary>No jump, or one that shrinks with the offset (√|z| is continuous with an infinite slope).</summary>
    public bool IsContinuous => Math.Abs(Jump) <= 1e-6 * Math.Max(1, Math.Abs(LeftSlope) + Math.Abs(RightSlope)) || Math.Abs(Jump) < 0.05 * Math.Abs(CoarseJump);

    /// <summary>Finite one-sided slopes that agree, or whose gap shrinks with the offset (|z|^1.5 at 0).</summary>
    public bool IsDifferentiable
    {
        get
        {
            if (!IsContinuous || double.IsInfinity(LeftSlope) || double.IsInfinity(RightSlope))
            {
                return false;
            }
            var gap = Math.Abs(RightSlope - LeftSlope);
            return gap <= 1e-5 * Math.Max(1, Math.Max(Math.Abs(LeftSlope), Math.Abs(RightSlope))) || gap < 0.05 * CoarseGap;
        }
    }
}

/// <summary>
/// Finds where the constructs that can break smoothness (|u|, sign(u), √u, max/min, the tests of ?:) switch,
/// by a root search of their arguments over a logarithmic grid with bisection, and measures there the
/// one-sided values and slopes of the formula (f′ from the derived IR, at x ± δ as δ shrinks).
/// </summary>
internal static class NonSmoothPoints
{
    private static readonly double[] Grid = BuildGrid();

    public static List<NonSmoothPoint> Find(Expr f, Expr derivative, Interval domain, Bindings bindings)
    {
        var suspects = new List<(Expr Construct, Expr Switch, string Description)>();
        Collect(f, suspects, bindings);
        var found = new List<NonSmoothPoint>();
        var seen = new HashSet<string>();
        foreach (var (construct, switching, description) in suspects)
        {
            foreach (var root in Roots(switching, domain, bindings))
            {
                if (!seen.Add(description + "@" + root.ToString("R", CultureInfo.InvariantCulture)))
                {
                    continue;
                }
                var point = Measure(f, derivative, root, construct, description, domain, bindings);
                // NaN on one side is the edge of the formula's domain (r^r at r = 0), not a jump or a kink.
                if (!double.IsNaN(point.Jump) && !double.IsNaN(point.CoarseJump))
                {
                    found.Add(point);
                }
            }
        }
        return found;
    }

    private static NonSmoothPoint Measure(Expr f, Expr derivative, double x, Expr construct, string description, Interval domain, Bindings bindings)
    {
        // Two shrinking offsets: a jump or a slope gap that persists as δ shrinks is real, not rounding.
        double jump = 0, left = 0, right = 0, coarseJump = 0, coarseGap = 0;
        foreach (var scale in new[] { 1e-6, 1e-9 })
        {
            coarseJump = jump;
            coarseGap = Math.Abs(right - left);
            var delta = scale * Math.Max(1, Math.Abs(x));
            var below = Math.Max(domain.Lo, x - delta);
            var above = Math.Min(domain.Hi, x + delta);
            var fBelow = below < x ? PointEvaluator.Evaluate(f, below, bindings) : PointEvaluator.Evaluate(f, x, bindings);
            var fAbove = above > x ? PointEvaluator.Evaluate(f, above, bindings) : PointEvaluator.Evaluate(f, x, bindings);
            jump = fAbove - fBelow;
            left = below < x ? PointEvaluator.Evaluate(derivative, below, bindings) : double.NaN;
            right = above > x ? PointEvaluator.Evaluate(derivative, above, bindings) : double.NaN;
        }
        if (double.IsNaN(left))
        {
            left = right;
        }
        if (double.IsNaN(right))
        {
            right = left;
        }
        if (Math.Abs(left) > 1e7)
        {
            left = double.PositiveInfinity * Math.Sign(left);
        }
        if (Math.Abs(right) > 1e7)
        {
            right = double.PositiveInfinity * Math.Sign(right);
        }
        return new NonSmoothPoint(x, construct, description, jump, left, right, coarseJump, coarseGap);
    }

    private static void Collect(Expr expr, List<(Expr, Expr, string)> suspects, Bindings bindings)
    {
        switch (expr)
        {
            case Negate n:
                Collect(n.Operand, suspects, bindings);
                break;
            case Binary b:
                Collect(b.Left, suspects, bindings);
                Collect(b.Right, suspects, bindings);
                break;
            case Call c:
                foreach (var argument in c.Arguments)
                {
                    Collect(argument, suspects, bindings);
                }
                var text = MathRenderer.Render(c);
                switch (c.Function)
                {
                    case MathFunction.Abs:
                        suspects.Add((c, c.Argument, $"{text} (Math.Abs)"));
                        break;
                    case MathFunction.Sign:
                        suspects.Add((c, c.Argument, $"{text} (Math.Sign)"));
                        break;
                    case MathFunction.Sqrt:
                        suspects.Add((c, c.Argument, $"{text} (Math.Sqrt)"));
                        break;
                    case MathFunction.Max:
                    case MathFunction.Min:
                        suspects.Add((c, Build.Subtract(c.Arguments[0], c.Arguments[1]), $"{text} (Math.{c.Function})"));
                        break;
                    case MathFunction.Pow:
                        suspects.Add((c, c.Argument, $"{text} (Math.Pow)"));
                        break;
                }
                break;
            case Conditional c:
                CollectTest(c, c.Test, suspects, bindings);
                Collect(c.WhenTrue, suspects, bindings);
                Collect(c.WhenFalse, suspects, bindings);
                break;
        }
    }

    private static void CollectTest(Conditional conditional, Condition test, List<(Expr, Expr, string)> suspects, Bindings bindings)
    {
        switch (test)
        {
            case Comparison comparison:
                Collect(comparison.Left, suspects, bindings);
                Collect(comparison.Right, suspects, bindings);
                suspects.Add((conditional, Build.Subtract(comparison.Left, comparison.Right), $"the breakpoint of '{MathRenderer.Render(test)} ? … : …'"));
                break;
            case Logical logical:
                CollectTest(conditional, logical.Left, suspects, bindings);
                CollectTest(conditional, logical.Right, suspects, bindings);
                break;
            case Not not:
                CollectTest(conditional, not.Operand, suspects, bindings);
                break;
        }
    }

    /// <summary>Zeros of g on the domain: exact zeros on the grid, and bisected sign changes between grid points.</summary>
    private static IEnumerable<double> Roots(Expr g, Interval domain, Bindings bindings)
    {
        double previousX = double.NaN, previousValue = double.NaN;
        foreach (var x in Grid)
        {
            if (x < domain.Lo || x > domain.Hi)
            {
                continue;
            }
            var value = PointEvaluator.Evaluate(g, x, bindings);
            if (value == 0)
            {
                yield return x;
            }
            else if (!double.IsNaN(previousValue) && previousValue != 0 && !double.IsNaN(value) && Math.Sign(value) != Math.Sign(previousValue))
            {
                yield return Bisect(g, previousX, x, previousValue, bindings);
            }
            previousX = x;
            previousValue = value;
        }
    }

    private static double Bisect(Expr g, double a, double b, double ga, Bindings bindings)
    {
        for (var i = 0; i < 200; i++)
        {
            var m = 0.5 * (a + b);
            if (m <= a || m >= b)
            {
                break;
            }
            var gm = PointEvaluator.Evaluate(g, m, bindings);
            if (gm == 0)
            {
                return m;
            }
            if (Math.Sign(gm) == Math.Sign(ga))
            {
                a = m;
                ga = gm;
            }
            else
            {
                b = m;
            }
        }
        // A root of a nice closed form (ε = 0.5, 1, …) should read as itself; round to 12 significant digits when that stays a root bracket.
        var rounded = double.Parse(b.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return rounded >= a && rounded <= b ? rounded : b;
    }

    private static double[] BuildGrid()
    {
        var points = new SortedSet<double> { 0 };
        for (var exponent = -8; exponent <= 8; exponent++)
        {
            foreach (var mantissa in new[] { 1.0, 1.5, 2.0, 3.0, 5.0, 7.0 })
            {
                var x = mantissa * Math.Pow(10, exponent);
                points.Add(x);
                points.Add(-x);
            }
        }
        var grid = new double[points.Count];
        points.CopyTo(grid);
        return grid;
    }
}

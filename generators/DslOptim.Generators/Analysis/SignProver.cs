using System;
using System.Collections.Generic;
using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Analysis;

internal enum Outcome
{
    Proven,
    Refuted,
    Undecided,
}

/// <summary>The answer of a sign proof: proven, refuted at a witness point, or undecided (with where it got stuck).</summary>
internal sealed record SignProof(Outcome Outcome, double Witness, double WitnessValue, int Boxes, Interval? Stuck)
{
    public bool IsProven => Outcome == Outcome.Proven;
}

/// <summary>
/// Branch and bound over the variable's domain: a box is settled when an enclosure of f (in any of its
/// equivalent forms — as derived, or as N/D in <see cref="RationalForm"/>) has the required sign; a box where
/// f is negative at a point refutes the claim with that point; the rest is bisected. Unbounded boxes are
/// handled directly by interval arithmetic with infinite endpoints, and split geometrically (a, 16a, ∞).
/// </summary>
internal static class SignProver
{
    /// <summary>Proves f ≥ 0 (or f &gt; 0 when <paramref name="strict"/>) on <paramref name="domain"/>.</summary>
    /// <param name="f">The function; its point values decide refutations.</param>
    /// <param name="domain">Where the claim is made.</param>
    /// <param name="bindings">Values of the names other than the variable.</param>
    /// <param name="strict">Claim f &gt; 0 instead of f ≥ 0.</param>
    /// <param name="budget">The search's bound.</param>
    /// <param name="alternatives">Equivalent forms of f (or forms with the same sign) that may settle a box f alone cannot.</param>
    /// <param name="openBelow">The domain's lower end is excluded: no witness there (h′(s) &gt; 0 is claimed for s &gt; 0 only).</param>
    public static SignProof Prove(Expr f, Interval domain, Bindings bindings, bool strict, Budget budget, IReadOnlyList<Expr>? alternatives = null, bool openBelow = false)
    {
        var forms = new List<Expr> { f };
        if (alternatives is not null)
        {
            forms.AddRange(alternatives);
        }
        var rational = RationalForm.Of(f);
        var boxes = new Stack<Interval>();
        PushInitial(boxes, domain);
        var settled = 0;
        Interval? stuck = null;
        while (boxes.Count > 0)
        {
            var box = boxes.Pop();
            if (!budget.Spend())
            {
                return new SignProof(Outcome.Undecided, double.NaN, double.NaN, settled, box);
            }
            if (Settles(forms, rational, box, bindings, strict))
            {
                settled++;
                continue;
            }
            // A point inside the box where the claim fails refutes it.
            foreach (var x in Probes(box))
            {
                if (openBelow && x == domain.Lo)
                {
                    continue;
                }
                var value = PointEvaluator.Evaluate(f, x, bindings);
                if (strict ? value <= 0 : value < 0)
                {
                    return new SignProof(Outcome.Refuted, x, value, settled, null);
                }
            }
            if (!TrySplit(box, out var left, out var right))
            {
                stuck ??= box;
                continue;
            }
            boxes.Push(right);
            boxes.Push(left);
        }
        return stuck is null
            ? new SignProof(Outcome.Proven, double.NaN, double.NaN, settled, null)
            : new SignProof(Outcome.Undecided, double.NaN, double.NaN, settled, stuck);
    }

    private static bool Settles(List<Expr> forms, RationalForm? rational, Interval box, Bindings bindings, bool strict)
    {
        foreach (var form in forms)
        {
            var value = IntervalEvaluator.Evaluate(form, box, bindings);
            if (strict ? value.Lo > 0 : value.Lo >= 0)
            {
                return true;
            }
        }
        if (rational is null)
        {
            return false;
        }
        var n = IntervalEvaluator.Evaluate(rational.Numerator.ToExpr(), box, bindings);
        var d = IntervalEvaluator.Evaluate(rational.Denominator.ToExpr(), box, bindings);
        if (strict)
        {
            return (n.Lo > 0 && d.Lo > 0) || (n.Hi < 0 && d.Hi < 0);
        }
        return (n.Lo >= 0 && d.Lo > 0) || (n.Hi <= 0 && d.Hi < 0);
    }

    private static IEnumerable<double> Probes(Interval box)
    {
        var mid = box.Midpoint;
        yield return mid;
        if (!double.IsInfinity(box.Lo))
        {
            yield return box.Lo;
        }
        if (!double.IsInfinity(box.Hi))
        {
            yield return box.Hi;
        }
    }

    private static void PushInitial(Stack<Interval> boxes, Interval domain)
    {
        if (domain.Lo < 0 && domain.Hi > 0)
        {
            // Zero is where potentials are special (∇K(0) = 0, kinks of |z|): never let a box straddle it.
            boxes.Push(new Interval(0, domain.Hi));
            boxes.Push(new Interval(domain.Lo, 0));
            return;
        }
        boxes.Push(domain);
    }

    public static bool TrySplit(Interval box, out Interval left, out Interval right)
    {
        var mid = box.Midpoint;
        left = right = box;
        var width = box.Hi - box.Lo;
        var scale = Math.Max(1e-300, Math.Max(Math.Abs(box.Lo), Math.Abs(box.Hi)));
        var tooSmall = !double.IsInfinity(width) && width <= 1e-12 * scale;
        var tooFar = double.IsInfinity(box.Hi) && box.Lo > 1e300 || double.IsInfinity(box.Lo) && box.Hi < -1e300;
        if (tooSmall || tooFar || !(mid > box.Lo && mid < box.Hi))
        {
            return false;
        }
        left = new Interval(box.Lo, mid);
        right = new Interval(mid, box.Hi);
        return true;
    }
}

/// <summary>Enclosures of sup f and inf f over a domain by branch and bound: sound outer bounds plus the best point seen.</summary>
internal static class Extremum
{
    /// <summary>An upper bound of sup f (sound) and the largest value seen at a point, with where.</summary>
    public static (double Bound, double Best, double At) Supremum(Expr f, Interval domain, Bindings bindings, Budget budget)
    {
        var rational = RationalForm.Of(f);
        var queue = new List<(Interval Box, double Upper)>();
        double best = double.NegativeInfinity, at = double.NaN;
        void Add(Interval box)
        {
            var upper = Upper(f, rational, box, bindings);
            foreach (var x in new[] { box.Midpoint })
            {
                var v = PointEvaluator.Evaluate(f, x, bindings);
                if (v > best)
                {
                    best = v;
                    at = x;
                }
            }
            queue.Add((box, upper));
        }
        if (domain.Lo < 0 && domain.Hi > 0)
        {
            Add(new Interval(domain.Lo, 0));
            Add(new Interval(0, domain.Hi));
        }
        else
        {
            Add(domain);
        }
        var finalBound = double.PositiveInfinity;
        while (queue.Count > 0)
        {
            var index = 0;
            for (var i = 1; i < queue.Count; i++)
            {
                if (queue[i].Upper > queue[index].Upper)
                {
                    index = i;
                }
            }
            var (box, upper) = queue[index];
            finalBound = upper;
            if (upper - best <= 1e-9 * Math.Max(1, Math.Abs(best)) || !budget.Spend() || !SignProver.TrySplit(box, out var left, out var right))
            {
                break;
            }
            queue.RemoveAt(index);
            Add(left);
            Add(right);
        }
        return (Math.Max(finalBound, best), best, at);
    }

    private static double Upper(Expr f, RationalForm? rational, Interval box, Bindings bindings)
    {
        var upper = IntervalEvaluator.Evaluate(f, box, bindings).Hi;
        if (rational is not null)
        {
            var n = IntervalEvaluator.Evaluate(rational.Numerator.ToExpr(), box, bindings);
            var d = IntervalEvaluator.Evaluate(rational.Denominator.ToExpr(), box, bindings);
            upper = Math.Min(upper, (n / d).Hi);
        }
        return double.IsNaN(upper) ? double.PositiveInfinity : upper;
    }
}

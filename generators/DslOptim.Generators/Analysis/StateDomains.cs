using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DslOptim.Generators.Diagnostics;
using DslOptim.Generators.Model;
using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Analysis;

/// <summary>
/// DSLOPT011 for stateful optimizers: the interval each state can reach, proven by induction over its recurrence
/// (s_0 in I, and the recurrence maps I into I for every gradient), then every √, log, fractional power and
/// division of the states' formulas, the direction and the update checked against those intervals. The induction
/// iterates the recurrences on intervals from s_0 and widens a bound that keeps moving to the next of −∞, −1, 0,
/// 1, ∞, so it ends; v ≥ 0 for a convex combination of squares comes out of it. A declared reduction's value ranges
/// over what a sum (or norm) of its term's interval can reach (<see cref="ReductionRange"/>), and inside a <c>?:</c>
/// whose test compares a per-step value (a reduction, a scalar state) with a constant, each branch sees that value
/// narrowed to where the test holds — how <c>z &gt; 0 ? w·e^{−ηg}/z : w</c> is proven safe.
/// </summary>
internal static class StateDomains
{
    private static readonly double[] Thresholds = { double.NegativeInfinity, -1, 0, 1, double.PositiveInfinity };

    /// <summary>The invariants as verdicts (for Info) and the findings of unproven domains.</summary>
    public static (List<VerdictInfo> Invariants, List<Finding> Findings, List<string> Formulas) Check(OptimizerModel model, IReadOnlyDictionary<string, double> hyperparameters)
    {
        var reductions = model.Reductions.ToDictionary(r => r.Name, r => ReductionRange(r, hyperparameters));
        var previous = model.States.ToDictionary(s => s.Name, s => Interval.Point(s.Initial));
        var current = new Dictionary<string, Interval>();
        for (var round = 0; round < 12; round++)
        {
            current = Advance(model, hyperparameters, previous, reductions);
            var changed = false;
            foreach (var state in model.States)
            {
                var hull = Interval.Hull(previous[state.Name], current[state.Name]);
                var widened = new Interval(
                    hull.Lo < previous[state.Name].Lo ? Thresholds.Last(t => t <= hull.Lo) : hull.Lo,
                    hull.Hi > previous[state.Name].Hi ? Thresholds.First(t => t >= hull.Hi) : hull.Hi);
                changed |= !widened.Equals(previous[state.Name]);
                previous[state.Name] = widened;
            }
            if (!changed)
            {
                break;
            }
        }
        current = Advance(model, hyperparameters, previous, reductions);

        var invariants = model.States
            .Select(s => new VerdictInfo($"{s.ParameterName}_t ∈ {Text(previous[s.Name])}", Outcome.Proven,
                $"by induction: {s.ParameterName}_0 = {FormulaAnalysis.Format(s.Initial)} and the recurrence maps the interval into itself"))
            .ToList();

        var findings = new List<Finding>();
        var formulas = new List<string>();
        foreach (var formula in model.States.Select(s => s.Formula).Append(model.Direction).Concat(model.Update is null ? Array.Empty<FormulaModel>() : new[] { model.Update })
                     .Concat(model.Reductions.Select(r => r.Formula)))
        {
            var scalar = model.States.Any(s => s.IsScalar && s.Formula == formula);
            foreach (var problem in Problems(formula.Body, hyperparameters, Intervals(previous, current, reductions, scalar)))
            {
                findings.Add(new Finding(DiagnosticDescriptors.DomainNotProven, $"Domain not proven in {formula.Name}: {problem}", FindingSite.Body));
                formulas.Add(formula.Name);
            }
        }
        return (invariants, findings, formulas);
    }

    private static Dictionary<string, Interval> Advance(
        OptimizerModel model, IReadOnlyDictionary<string, double> hyperparameters, Dictionary<string, Interval> previous, Dictionary<string, Interval> reductions)
    {
        var current = new Dictionary<string, Interval>();
        foreach (var state in model.States)
        {
            var bindings = new Bindings(hyperparameters, "g", Intervals(previous, current, reductions, state.IsScalar));
            current[state.Name] = IntervalEvaluator.Evaluate(state.Formula.Body, Interval.Entire, bindings);
        }
        return current;
    }

    /// <param name="previous">The states' previous values.</param>
    /// <param name="current">The states' values at this step.</param>
    /// <param name="reductions">The reductions' values over a nonempty input.</param>
    /// <param name="scalar">For a scalar state's formula, which runs even for an empty input: a sum may then be 0.</param>
    private static Func<Symbol, Interval?> Intervals(Dictionary<string, Interval> previous, Dictionary<string, Interval> current, Dictionary<string, Interval> reductions, bool scalar)
        => symbol => symbol.Kind switch
        {
            SymbolRole.StatePrevious or SymbolRole.ScalarPrevious => previous.TryGetValue(symbol.Name, out var p) ? p : Interval.Entire,
            SymbolRole.StateCurrent or SymbolRole.ScalarCurrent => current.TryGetValue(symbol.Name, out var c) ? c : Interval.Entire,
            SymbolRole.Reduction => reductions.TryGetValue(symbol.Name, out var r) ? (scalar ? Interval.Hull(r, Interval.Zero) : r) : Interval.Entire,
            SymbolRole.Weight or SymbolRole.Direction => Interval.Entire,
            _ => null,
        };

    /// <summary>
    /// What a reduction can be over n ≥ 1 elements (the update only runs for n ≥ 1) when each term f lies in [a, b]:
    /// a sum lies in [a, ∞) for a &gt; 0, [0, ∞) for a = 0, ℝ otherwise (and symmetrically above); a norm √(Σ f²) in
    /// [min |f|, ∞).
    /// </summary>
    internal static Interval ReductionRange(ReductionModel reduction, IReadOnlyDictionary<string, double> hyperparameters)
    {
        var term = IntervalEvaluator.Evaluate(reduction.Formula.Body, Interval.Entire, new Bindings(hyperparameters, "g",
            symbol => symbol.Kind == SymbolRole.Weight ? Interval.Entire : null));
        if (reduction.Form == ReductionForm.Norm)
        {
            var smallest = term.Lo > 0 ? term.Lo : term.Hi < 0 ? -term.Hi : 0;
            return new Interval(smallest, double.PositiveInfinity);
        }
        var lo = term.Lo >= 0 ? term.Lo : double.NegativeInfinity;
        var hi = term.Hi <= 0 ? term.Hi : double.PositiveInfinity;
        return new Interval(lo, hi);
    }

    /// <summary>Every operation of the formula whose argument may leave its domain, described with the failing interval.</summary>
    private static IEnumerable<string> Problems(Expr expr, IReadOnlyDictionary<string, double> hyperparameters, Func<Symbol, Interval?> intervals)
    {
        var found = new List<string>();
        Walk(expr, hyperparameters, intervals, found);
        return found.Distinct();
    }

    private static void Walk(Expr expr, IReadOnlyDictionary<string, double> hyperparameters, Func<Symbol, Interval?> intervals, List<string> found)
    {
        var bindings = new Bindings(hyperparameters, "g", intervals);
        switch (expr)
        {
            case Negate n:
                Walk(n.Operand, hyperparameters, intervals, found);
                break;
            case Binary b:
                Walk(b.Left, hyperparameters, intervals, found);
                Walk(b.Right, hyperparameters, intervals, found);
                if (b.Operator == BinaryOperator.Divide && Value(b.Right, bindings) is var denominator && denominator.Contains(0))
                {
                    found.Add($"the denominator {MathRenderer.Render(b.Right)} may be 0 (it can take any value in {Text(denominator)})");
                }
                break;
            case Call c:
                foreach (var argument in c.Arguments)
                {
                    Walk(argument, hyperparameters, intervals, found);
                }
                var u = Value(c.Argument, bindings);
                if (c.Function == MathFunction.Sqrt && u.Lo < 0)
                {
                    found.Add($"√ of {MathRenderer.Render(c.Argument)}, which may be negative (it can take any value in {Text(u)})");
                }
                else if (c.Function == MathFunction.Log && u.Lo <= 0)
                {
                    found.Add($"log of {MathRenderer.Render(c.Argument)}, which may be ≤ 0 (it can take any value in {Text(u)})");
                }
                else if (c.Function == MathFunction.Pow && u.Lo < 0 && !(c.Arguments[1] is Constant { Value: var p } && p == Math.Round(p)))
                {
                    found.Add($"a fractional power of {MathRenderer.Render(c.Argument)}, which may be negative (it can take any value in {Text(u)})");
                }
                break;
            case Conditional c:
                // A branch the test rules out (null) never runs: nothing in it can fail.
                if (Narrowed(c.Test, true, intervals, bindings) is { } whenTrue)
                {
                    Walk(c.WhenTrue, hyperparameters, whenTrue, found);
                }
                if (Narrowed(c.Test, false, intervals, bindings) is { } whenFalse)
                {
                    Walk(c.WhenFalse, hyperparameters, whenFalse, found);
                }
                break;
        }
    }

    /// <summary>
    /// For a test "s op c" (or "c op s") of a per-step symbol s (a reduction, a scalar state, a hyperparameter) and a
    /// constant c: the intervals with s narrowed to where the test is <paramref name="outcome"/>, null when it never is. A strict bound moves
    /// to the next double (z &gt; 0 means z ≥ 4.9e-324), so a denominator z proven ≠ 0 there. Otherwise unchanged.
    /// </summary>
    private static Func<Symbol, Interval?>? Narrowed(Condition test, bool outcome, Func<Symbol, Interval?> intervals, Bindings bindings)
    {
        if (test is not Comparison comparison || comparison.Operator is ComparisonOperator.Equal or ComparisonOperator.NotEqual)
        {
            return intervals;
        }
        var op = comparison.Operator;
        Symbol? symbol;
        Expr other;
        if (comparison.Left is Symbol { VariesPerElement: false } left)
        {
            (symbol, other) = (left, comparison.Right);
        }
        else if (comparison.Right is Symbol { VariesPerElement: false } right)
        {
            (symbol, other) = (right, comparison.Left);
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
            return intervals;
        }
        var bound = Value(other, bindings);
        if (!bound.IsPoint || double.IsNaN(bound.Lo))
        {
            return intervals;
        }
        if (!outcome)
        {
            // ¬(s > c) is s ≤ c for every s but NaN, which no interval holds.
            op = op switch
            {
                ComparisonOperator.Less => ComparisonOperator.GreaterOrEqual,
                ComparisonOperator.LessOrEqual => ComparisonOperator.Greater,
                ComparisonOperator.Greater => ComparisonOperator.LessOrEqual,
                _ => ComparisonOperator.Less,
            };
        }
        var c = bound.Lo;
        var value = Value(symbol, bindings);
        var narrowed = op switch
        {
            ComparisonOperator.Greater => new Interval(Math.Max(value.Lo, Rounding.NextUp(c)), value.Hi),
            ComparisonOperator.GreaterOrEqual => new Interval(Math.Max(value.Lo, c), value.Hi),
            ComparisonOperator.Less => new Interval(value.Lo, Math.Min(value.Hi, Rounding.NextDown(c))),
            _ => new Interval(value.Lo, Math.Min(value.Hi, c)),
        };
        if (narrowed.Lo > narrowed.Hi)
        {
            return null;
        }
        return s => s.Equals(symbol) ? narrowed : intervals(s);
    }

    private static Interval Value(Expr expr, Bindings bindings) => IntervalEvaluator.Evaluate(expr, Interval.Entire, bindings);

    private static string Text(Interval interval)
    {
        static string Bound(double x) => double.IsInfinity(x) ? (x > 0 ? "∞" : "−∞") : x.ToString("G4", CultureInfo.InvariantCulture);
        return $"{(double.IsInfinity(interval.Lo) ? "(" : "[")}{Bound(interval.Lo)}, {Bound(interval.Hi)}{(double.IsInfinity(interval.Hi) ? ")" : "]")}";
    }
}

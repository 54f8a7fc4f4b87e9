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
/// 1, ∞, so it ends; v ≥ 0 for a convex combination of squares comes out of it.
/// </summary>
internal static class StateDomains
{
    private static readonly double[] Thresholds = { double.NegativeInfinity, -1, 0, 1, double.PositiveInfinity };

    /// <summary>The invariants as verdicts (for Info) and the findings of unproven domains.</summary>
    public static (List<VerdictInfo> Invariants, List<Finding> Findings, List<string> Formulas) Check(OptimizerModel model, IReadOnlyDictionary<string, double> hyperparameters)
    {
        var previous = model.States.ToDictionary(s => s.Name, s => Interval.Point(s.Initial));
        var current = new Dictionary<string, Interval>();
        for (var round = 0; round < 12; round++)
        {
            current = Advance(model, hyperparameters, previous);
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
        current = Advance(model, hyperparameters, previous);

        var invariants = model.States
            .Select(s => new VerdictInfo($"{s.ParameterName}_t ∈ {Text(previous[s.Name])}", Outcome.Proven,
                $"by induction: {s.ParameterName}_0 = {FormulaAnalysis.Format(s.Initial)} and the recurrence maps the interval into itself"))
            .ToList();

        var bindings = BindingsFor(hyperparameters, previous, current);
        var findings = new List<Finding>();
        var formulas = new List<string>();
        foreach (var formula in model.States.Select(s => s.Formula).Append(model.Direction).Concat(model.Update is null ? Array.Empty<FormulaModel>() : new[] { model.Update }))
        {
            foreach (var problem in Problems(formula.Body, bindings))
            {
                findings.Add(new Finding(DiagnosticDescriptors.DomainNotProven, $"Domain not proven in {formula.Name}: {problem}", FindingSite.Body));
                formulas.Add(formula.Name);
            }
        }
        return (invariants, findings, formulas);
    }

    private static Dictionary<string, Interval> Advance(OptimizerModel model, IReadOnlyDictionary<string, double> hyperparameters, Dictionary<string, Interval> previous)
    {
        var current = new Dictionary<string, Interval>();
        foreach (var state in model.States)
        {
            var bindings = BindingsFor(hyperparameters, previous, current);
            current[state.Name] = IntervalEvaluator.Evaluate(state.Formula.Body, Interval.Entire, bindings);
        }
        return current;
    }

    private static Bindings BindingsFor(IReadOnlyDictionary<string, double> hyperparameters, Dictionary<string, Interval> previous, Dictionary<string, Interval> current)
        => new(hyperparameters, "g", symbol => symbol.Kind switch
        {
            SymbolRole.StatePrevious or SymbolRole.ScalarPrevious => previous.TryGetValue(symbol.Name, out var p) ? p : Interval.Entire,
            SymbolRole.StateCurrent or SymbolRole.ScalarCurrent => current.TryGetValue(symbol.Name, out var c) ? c : Interval.Entire,
            SymbolRole.Weight or SymbolRole.Direction => Interval.Entire,
            _ => null,
        });

    /// <summary>Every operation of the formula whose argument may leave its domain, described with the failing interval.</summary>
    private static IEnumerable<string> Problems(Expr expr, Bindings bindings)
    {
        var found = new List<string>();
        Walk(expr, bindings, found);
        return found.Distinct();
    }

    private static void Walk(Expr expr, Bindings bindings, List<string> found)
    {
        switch (expr)
        {
            case Negate n:
                Walk(n.Operand, bindings, found);
                break;
            case Binary b:
                Walk(b.Left, bindings, found);
                Walk(b.Right, bindings, found);
                if (b.Operator == BinaryOperator.Divide && Value(b.Right, bindings) is var denominator && denominator.Contains(0))
                {
                    found.Add($"the denominator {MathRenderer.Render(b.Right)} may be 0 (it can take any value in {Text(denominator)})");
                }
                break;
            case Call c:
                foreach (var argument in c.Arguments)
                {
                    Walk(argument, bindings, found);
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
                Walk(c.WhenTrue, bindings, found);
                Walk(c.WhenFalse, bindings, found);
                break;
        }
    }

    private static Interval Value(Expr expr, Bindings bindings) => IntervalEvaluator.Evaluate(expr, Interval.Entire, bindings);

    private static string Text(Interval interval)
    {
        static string Bound(double x) => double.IsInfinity(x) ? (x > 0 ? "∞" : "−∞") : x.ToString("G4", CultureInfo.InvariantCulture);
        return $"{(double.IsInfinity(interval.Lo) ? "(" : "[")}{Bound(interval.Lo)}, {Bound(interval.Hi)}{(double.IsInfinity(interval.Hi) ? ")" : "]")}";
    }
}

using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DslOptim.Generators.Model;
using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Analysis;

/// <summary>The theory checker's conclusions for a whole optimizer: what the generated Info carries.</summary>
internal sealed record OptimizerAnalysis(
    EquatableArray<VerdictInfo> Verdicts,
    double GradientLipschitz,
    double MinimumCurvature,
    double LossStrongConvexity,
    double LossSmoothness)
{
    public static IReadOnlyDictionary<string, double> Hyperparameters(OptimizerModel model)
    {
        var values = new Dictionary<string, double>();
        foreach (var hyperparameter in model.Hyperparameters)
        {
            if (hyperparameter.Default is { } value)
            {
                values[hyperparameter.Name] = value;
            }
        }
        return values;
    }

    public static OptimizerAnalysis Of(OptimizerModel model, DerivedFormula direction, DerivedFormula? loss, CancellationToken cancellationToken)
    {
        var hyperparameters = Hyperparameters(model);
        if (model.IsStateful)
        {
            // A direction of states is not ∇K of the gradient: the dual-space theory does not apply to it.
            var stateful = new List<VerdictInfo> { new("dual-space analysis", Outcome.Undecided, "the direction reads optimizer states, so it is not a map ∇K(g) of the gradient alone") };
            var (invariants, findings, _) = StateDomains.Check(model, hyperparameters);
            stateful.AddRange(invariants);
            stateful.Add(findings.Count == 0
                ? new VerdictInfo("domains", Outcome.Proven, "every √, log, fractional power and division stays in its domain for all values the states can reach")
                : new VerdictInfo("domains", Outcome.Undecided, string.Join("; ", findings.Select(f => f.Message))));
            return new OptimizerAnalysis(stateful.ToEquatableArray(), double.NaN, double.NaN, double.NaN, double.NaN);
        }
        var potential = FormulaAnalysis.Analyze(direction, hyperparameters, cancellationToken);
        var verdicts = new List<VerdictInfo>(potential.Verdicts);
        var differentiable = !Contains(potential, "K differentiable", Outcome.Refuted);
        var lipschitz = differentiable ? Finite(potential.UpperCurvature) : double.PositiveInfinity;
        if (Contains(potential, "∇K Lipschitz", Outcome.Refuted))
        {
            lipschitz = double.PositiveInfinity;
        }
        double mu = double.NaN, m = double.NaN;
        if (loss is not null)
        {
            var report = FormulaAnalysis.Analyze(loss, hyperparameters, cancellationToken);
            verdicts.AddRange(report.Verdicts);
            if (report.Convexity != Outcome.Refuted)
            {
                mu = Contains(report, "ℓ strongly convex", Outcome.Refuted) ? 0 : report.LowerCurvature > 0 ? report.LowerCurvature : double.NaN;
                m = Contains(report, "ℓ′ Lipschitz", Outcome.Refuted) ? double.PositiveInfinity : Finite(report.UpperCurvature);
            }
        }
        if (model.Reductions.Count > 0)
        {
            // The update reads declared reductions: its √, log and divisions are checked against their ranges (DSLOPT011).
            var (_, findings, _) = StateDomains.Check(model, hyperparameters);
            verdicts.Add(findings.Count == 0
                ? new VerdictInfo("domains", Outcome.Proven, "every √, log, fractional power and division stays in its domain for all values the reductions can reach")
                : new VerdictInfo("domains", Outcome.Undecided, string.Join("; ", findings.Select(f => f.Message))));
        }
        var minimum = potential.Convexity == Outcome.Proven ? potential.LowerCurvature : double.NaN;
        return new OptimizerAnalysis(verdicts.ToEquatableArray(), lipschitz, minimum, mu, m);
    }

    private static bool Contains(FormulaReport report, string claim, Outcome outcome)
    {
        foreach (var verdict in report.Verdicts)
        {
            if (verdict.Claim == claim && verdict.Outcome == outcome)
            {
                return true;
            }
        }
        return false;
    }

    private static double Finite(double value) => double.IsInfinity(value) ? double.NaN : value;
}

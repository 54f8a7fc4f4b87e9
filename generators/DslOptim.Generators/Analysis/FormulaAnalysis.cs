using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using DslOptim.Generators.Diagnostics;
using DslOptim.Generators.Model;
using DslOptim.Generators.Symbolic;

namespace DslOptim.Generators.Analysis;

/// <summary>
/// The theory checker for one formula, shared by the analyzer (diagnostics) and the generator (Info):
/// convexity (composition rules, then interval branch and bound on the second derivative with the kinks
/// checked separately, then a counterexample search), differentiability and continuity at the points where
/// a construct switches, the role's assumptions (∇K(0) = 0, h′(0) = 0 and h′ &gt; 0, μ and M of the loss),
/// and the constants L_K, m_K, μ, M. Verdicts are three-valued and "proven" only ever comes from a proof.
/// </summary>
internal static class FormulaAnalysis
{
    private static readonly Interval Reals = Interval.Entire;
    private static readonly Interval HalfLine = Interval.NonNegative;

    public static FormulaReport Analyze(DerivedFormula derived, IReadOnlyDictionary<string, double> hyperparameters, CancellationToken cancellationToken)
    {
        var formula = derived.Formula;
        var bindings = new Bindings(hyperparameters, formula.VariableName);
        var context = new Context(derived, bindings, cancellationToken);
        if (!context.HyperparametersKnown)
        {
            context.Verdict("analysis", Outcome.Undecided, "a hyperparameter has no constant default, so the formula was not analysed");
            return context.Report();
        }
        switch (formula.Role)
        {
            case FormulaRole.Potential when formula.Form == PotentialForm.Isotropic:
                AnalyzeIsotropic(context);
                break;
            case FormulaRole.Potential:
                AnalyzeElementwise(context);
                break;
            case FormulaRole.Preconditioner:
                AnalyzePreconditioner(context);
                break;
            default:
                AnalyzeLoss(context);
                break;
        }
        return context.Report();
    }

    private static void AnalyzeElementwise(Context c)
    {
        var name = c.Name;
        var x = c.Variable;
        var kinks = c.Smoothness(Reals);
        var convexity = c.Convexity(Reals, kinks, "K convex");
        if (convexity.Outcome == Outcome.Refuted && !c.Discontinuous)
        {
            c.Add(DiagnosticDescriptors.NotConvex, $"{name} is not convex, so K(Z) = Σ {name}(z_ij) is not (Assumption 1.1): {convexity.Text}");
        }
        else if (convexity.Outcome == Outcome.Undecided)
        {
            c.Add(DiagnosticDescriptors.ConvexityUndecided, $"Convexity of {name} is undecided: {convexity.Text}");
        }

        // Assumption 1.1: ∇K(0) = 0 and K minimal at 0.
        var slopeAtZero = c.Value(c.Derived.First, 0);
        if (!double.IsNaN(slopeAtZero) && Math.Abs(slopeAtZero) > 1e-12)
        {
            c.Verdict("∇K(0) = 0", Outcome.Refuted, $"{name}′(0) = {Format(slopeAtZero)}");
            c.Add(DiagnosticDescriptors.NonzeroGradientAtZero,
                $"∇K(0) ≠ 0: {name}′(0) = {Format(slopeAtZero)}; Assumption 1.1 needs ∇K = 0 where K is minimal, or the iteration cannot rest on an interpolating point");
        }
        else if (!double.IsNaN(slopeAtZero))
        {
            c.Verdict("∇K(0) = 0", Outcome.Proven, $"{name}′(0) = 0");
            if (convexity.Outcome != Outcome.Proven && c.BelowZero(Reals) is { } lower)
            {
                c.Add(DiagnosticDescriptors.NonzeroGradientAtZero,
                    $"K is not minimal at 0: {name}({Format(lower)}) = {Format(c.Value(c.Formula.Body, lower))} < {name}(0) = {Format(c.Value(c.Formula.Body, 0))} (Assumption 1.1)");
            }
        }
        c.Lipschitz(Reals, kinks, $"{name}″", x);
        c.Constants(Reals, c.Derived.Second);
    }

    private static void AnalyzeIsotropic(Context c)
    {
        var name = c.Name;
        var kinks = c.Smoothness(HalfLine);
        var slopeAtZero = c.Value(c.Derived.First, 0);
        if (!double.IsNaN(slopeAtZero) && Math.Abs(slopeAtZero) > 1e-12)
        {
            c.Verdict("h′(0) = 0", Outcome.Refuted, $"{name}′(0) = {Format(slopeAtZero)}");
            c.Add(DiagnosticDescriptors.IsotropicAssumption,
                $"h′(0) = {name}′(0) = {Format(slopeAtZero)} ≠ 0: ∇K(G) = h′(‖G‖)/‖G‖·G has no limit at G = 0, and Theorem 2's implicit bias needs h′(0) = 0");
        }
        else
        {
            c.Verdict("h′(0) = 0", Outcome.Proven, $"{name}′(0) = 0");
        }

        // h′(s) > 0 for s > 0, proved on h′(s)/s near 0 and on h′ itself further out.
        var positive = SignProver.Prove(c.Spec.Update, HalfLine, c.Bindings, strict: true, c.Budget, new[] { c.Derived.First }, openBelow: true);
        switch (positive.Outcome)
        {
            case Outcome.Proven:
                c.Verdict("h′(s) > 0 for s > 0", Outcome.Proven, $"interval arithmetic on h′(s)/s and h′(s) over s ≥ 0 ({positive.Boxes} boxes)");
                break;
            case Outcome.Refuted:
                var s = positive.Witness;
                c.Verdict("h′(s) > 0 for s > 0", Outcome.Refuted, $"{name}′({Format(s)}) = {Format(c.Value(c.Derived.First, s))}");
                c.Add(DiagnosticDescriptors.IsotropicAssumption,
                    $"h′(s) ≤ 0 at s = {Format(s)}: {name}′({Format(s)}) = {Format(c.Value(c.Derived.First, s))}, so ∇K(G) = h′(‖G‖)/‖G‖·G is not a positive multiple of G and Theorem 2's implicit bias is lost");
                break;
            default:
                c.Verdict("h′(s) > 0 for s > 0", Outcome.Undecided, "neither a proof nor a point with h′(s) ≤ 0 was found");
                break;
        }

        var convexity = c.Convexity(HalfLine, kinks, "h convex on s ≥ 0");
        if (convexity.Outcome == Outcome.Refuted && !c.Discontinuous)
        {
            c.Add(DiagnosticDescriptors.IsotropicAssumption, $"h = {name} is not convex on s ≥ 0 (Theorem 2): {convexity.Text}");
        }
        else if (convexity.Outcome == Outcome.Undecided)
        {
            c.Add(DiagnosticDescriptors.ConvexityUndecided, $"Convexity of {name} on s ≥ 0 is undecided: {convexity.Text}");
        }

        // L_K = max(sup h″, sup h′(s)/s); h′(0) ≠ 0 makes h′(s)/s blow up at 0 (already DSLOPT004).
        var scale = Extremum.Supremum(c.Spec.Update, HalfLine, c.Bindings, c.BoundBudget);
        if (!double.IsNaN(slopeAtZero) && Math.Abs(slopeAtZero) > 1e-12)
        {
            c.Verdict("∇K Lipschitz", Outcome.Refuted, "h′(s)/s → ∞ as s → 0");
        }
        else
        {
            c.Lipschitz(HalfLine, kinks, $"{name}″", c.Variable, extraBound: scale.Bound, extraName: $"{name}′(s)/s");
        }
        c.Constants(HalfLine, c.Derived.Second, extraUpper: scale.Bound);
    }

    private static void AnalyzePreconditioner(Context c)
    {
        var name = c.Name;
        var x = c.Variable;
        var kinks = c.Smoothness(Reals);
        var proof = SignProver.Prove(c.Derived.First, Reals, c.Bindings, strict: false, c.Budget);
        switch (proof.Outcome)
        {
            case Outcome.Proven:
                c.Verdict("∇K monotone", Outcome.Proven, $"interval arithmetic on ∂{name}/∂{x} ≥ 0 over ℝ ({proof.Boxes} boxes)");
                break;
            case Outcome.Refuted when c.MonotonicityWitness(proof.Witness) is { } pair:
                var (a, b) = pair;
                var text = $"{name}({Format(a)}) = {Format(c.Value(c.Formula.Body, a))} > {name}({Format(b)}) = {Format(c.Value(c.Formula.Body, b))}";
                c.Verdict("∇K monotone", Outcome.Refuted, text);
                c.Add(DiagnosticDescriptors.NotConvex, $"The preconditioner {name} is not monotone, so it is not the gradient of a convex K: {text}");
                break;
            default:
                c.Verdict("∇K monotone", Outcome.Undecided, "neither a proof nor a decreasing pair was found");
                c.Add(DiagnosticDescriptors.ConvexityUndecided,
                    $"Monotonicity of the preconditioner {name} is undecided: interval arithmetic on ∂{name}/∂{x} stopped after {proof.Boxes} boxes and no decreasing pair was found");
                break;
        }
        var atZero = c.Value(c.Formula.Body, 0);
        if (!double.IsNaN(atZero) && Math.Abs(atZero) > 1e-12)
        {
            c.Verdict("∇K(0) = 0", Outcome.Refuted, $"{name}(0) = {Format(atZero)}");
            c.Add(DiagnosticDescriptors.NonzeroGradientAtZero, $"∇K(0) ≠ 0: {name}(0) = {Format(atZero)} (Assumption 1.1)");
        }
        else if (!double.IsNaN(atZero))
        {
            c.Verdict("∇K(0) = 0", Outcome.Proven, $"{name}(0) = 0");
        }
        c.Lipschitz(Reals, kinks, $"∂{name}/∂{x}", x, c.Derived.First);
        c.Constants(Reals, c.Derived.First);
    }

    private static void AnalyzeLoss(Context c)
    {
        var name = c.Name;
        var x = c.Variable;
        var kinks = c.Smoothness(Reals);
        var convexity = c.Convexity(Reals, kinks, "ℓ convex");
        if (convexity.Outcome == Outcome.Refuted && !c.Discontinuous)
        {
            c.Add(DiagnosticDescriptors.LossAssumption, $"The loss {name} is not convex, so neither Theorem 1 nor Theorem 2 applies: {convexity.Text}");
        }
        else if (convexity.Outcome == Outcome.Undecided)
        {
            c.Add(DiagnosticDescriptors.ConvexityUndecided, $"Convexity of the loss {name} is undecided: {convexity.Text}");
        }
        if (convexity.Outcome == Outcome.Refuted)
        {
            c.Constants(Reals, c.Derived.Second);
            return;
        }
        var (inf, sup) = c.Constants(Reals, c.Derived.Second);
        if (inf > 0)
        {
            c.Verdict("ℓ strongly convex", Outcome.Proven, $"μ = inf ℓ″ ≥ {Format(inf)} by interval arithmetic");
        }
        else if (c.Vanishing(c.Derived.Second) is { } vanishing)
        {
            var value = c.Value(c.Derived.Second, vanishing);
            c.Verdict("ℓ strongly convex", Outcome.Refuted, $"inf ℓ″ = 0: {name}″({Format(vanishing)}) = {Format(value)}");
            c.Add(DiagnosticDescriptors.LossAssumption,
                $"The loss {name} is not strongly convex: μ = inf ℓ″ = 0 ({name}″({Format(vanishing)}) = {Format(value)}), so the linear rate (6) and η* of Remark 1 are lost (Assumption 1.5)");
        }
        else
        {
            c.Verdict("ℓ strongly convex", Outcome.Undecided, "no positive lower bound of ℓ″ was proven");
        }
        if (double.IsInfinity(sup) && c.Unbounded(c.Derived.Second, Reals, kinks) is { } blowUp)
        {
            var value = c.Value(c.Derived.Second, blowUp);
            c.Verdict("ℓ′ Lipschitz", Outcome.Refuted, $"{name}″({Format(blowUp)}) = {Format(value)}");
            c.Add(DiagnosticDescriptors.LossAssumption,
                $"ℓ′ of the loss {name} is not Lipschitz: {name}″ is unbounded ({name}″({Format(blowUp)}) = {Format(value)}), so M = ∞ and Assumption 1.5 fails");
        }
        else if (!double.IsInfinity(sup))
        {
            c.Verdict("ℓ′ Lipschitz", Outcome.Proven, $"M = sup ℓ″ ≤ {Format(sup)}");
        }
    }

    internal static string Format(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "∞";
        }
        if (double.IsNegativeInfinity(value))
        {
            return "-∞";
        }
        var text = value.ToString("G4", CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    /// <summary>Convexity's result, with the text a message quotes.</summary>
    internal sealed record ConvexityResult(Outcome Outcome, string Text, ConvexityWitness? Witness);

    /// <summary>The state of one formula's analysis.</summary>
    private sealed class Context
    {
        private readonly List<VerdictInfo> _verdicts = new();
        private readonly List<Finding> _findings = new();
        private Outcome _convexity = Outcome.Undecided;
        private ConvexityWitness? _witness;
        private double _upper = double.NaN;
        private double _lower = double.NaN;

        private readonly CancellationToken _cancellationToken;

        public Context(DerivedFormula derived, Bindings bindings, CancellationToken cancellationToken)
        {
            Derived = derived;
            Bindings = bindings;
            _cancellationToken = cancellationToken;
            Spec = derived.Formula.Form == PotentialForm.Isotropic && derived.Formula.Role == FormulaRole.Potential
                ? new IsotropicScale(Build.Divide(derived.First, new Symbol(derived.Formula.VariableName, SymbolRole.Variable)))
                : new IsotropicScale(derived.First);
            HyperparametersKnown = AllBound(derived.Formula.Body, bindings);
        }

        public DerivedFormula Derived { get; }

        public FormulaModel Formula => Derived.Formula;

        public Bindings Bindings { get; }

        /// <summary>A fresh budget for each proof, so one hard search does not starve the next.</summary>
        public Budget Budget => Budget.ForProof(_cancellationToken);

        public Budget BoundBudget => Budget.ForBound(_cancellationToken);

        public IsotropicScale Spec { get; }

        public bool HyperparametersKnown { get; }

        public string Name => Formula.Name;

        /// <summary>A jump was found: convexity is then refuted by DSLOPT010 already, not reported twice.</summary>
        public bool Discontinuous { get; private set; }

        public string Variable => Formula.VariableName;

        public double Value(Expr expr, double x) => PointEvaluator.Evaluate(expr, x, Bindings);

        public void Verdict(string claim, Outcome outcome, string reason) => _verdicts.Add(new VerdictInfo(claim, outcome, reason));

        public void Add(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, string message, FindingSite? site = null)
            => _findings.Add(new Finding(descriptor, message, site ?? FindingSite.Body));

        public FormulaReport Report()
            => new(_verdicts.ToEquatableArray(), _findings.ToEquatableArray(), _convexity, _witness, _upper, _lower);

        /// <summary>Continuity (DSLOPT010) and differentiability (DSLOPT002) at every point where a construct switches.</summary>
        public List<NonSmoothPoint> Smoothness(Interval domain)
        {
            var points = NonSmoothPoints.Find(Formula.Body, Derived.First, domain, Bindings);
            var smooth = true;
            var reported = new HashSet<double>();
            foreach (var point in points)
            {
                // One finding per point: |z|^1.5 switches in both |·| and the power at z = 0.
                if (point.IsDifferentiable || !reported.Add(point.At))
                {
                    continue;
                }
                // On s ≥ 0 the point s = 0 is the domain's edge, not a kink of K(Z) = h(‖Z‖) (h′(0) = 0 is checked apart).
                if (domain.Lo == 0 && point.At == 0)
                {
                    continue;
                }
                var at = $"{Variable} = {Format(point.At)}";
                var site = new FindingSite(point.Construct);
                if (!point.IsContinuous)
                {
                    smooth = false;
                    Discontinuous = true;
                    var descriptor = point.Construct is Conditional ? DiagnosticDescriptors.Discontinuous : DiagnosticDescriptors.NotDifferentiable;
                    Add(descriptor,
                        $"{Name} jumps at {at}, {point.Description}: {Name}({Format(point.At)}−) and {Name}({Format(point.At)}+) differ by {Format(point.Jump)}", site);
                }
                else if (!point.IsDifferentiable)
                {
                    smooth = false;
                    Add(DiagnosticDescriptors.NotDifferentiable,
                        $"{Name} is not differentiable at {at}, {point.Description}: one-sided slopes {Format(point.LeftSlope)} and {Format(point.RightSlope)}", site);
                }
            }
            Verdict(Formula.Role == FormulaRole.Loss ? "ℓ differentiable" : "K differentiable", smooth ? Outcome.Proven : Outcome.Refuted,
                smooth ? $"one-sided slopes agree at the {points.Count} point(s) where a construct switches" : "see DSLOPT002/DSLOPT010");
            return points;
        }

        /// <summary>Composition rules; else interval branch and bound on the second derivative plus kink checks; else a counterexample search.</summary>
        public ConvexityResult Convexity(Interval domain, List<NonSmoothPoint> kinks, string claim)
        {
            var result = DecideConvexity(domain, kinks);
            _convexity = result.Outcome;
            _witness = result.Witness;
            Verdict(claim, result.Outcome, result.Text);
            return result;
        }

        private ConvexityResult DecideConvexity(Interval domain, List<NonSmoothPoint> kinks)
        {
            var relevant = kinks.Where(k => !(domain.Lo == 0 && k.At == 0)).ToList();
            foreach (var jump in relevant.Where(k => !k.IsContinuous))
            {
                // A convex function on an open interval is continuous: a jump refutes it, and a midpoint beside it shows it.
                if (MidpointWitness(jump.At, domain) is { } w)
                {
                    return Refuted(w);
                }
            }
            // A kink where the slope drops, or a jump, refutes convexity outright.
            foreach (var kink in relevant)
            {
                if (kink.IsContinuous && kink.RightSlope < kink.LeftSlope - 1e-6 * Math.Max(1, Math.Abs(kink.LeftSlope)))
                {
                    if (MidpointWitness(kink.At, domain) is { } w)
                    {
                        return Refuted(w);
                    }
                }
            }
            var shape = Curvature.Of(Formula.Body, domain, Bindings);
            if (shape is Shape.Convex or Shape.Affine or Shape.Constant)
            {
                return new ConvexityResult(Outcome.Proven, "composition rules", null);
            }
            var kinksFine = relevant.All(k => k.IsContinuous && (k.IsDifferentiable || k.RightSlope >= k.LeftSlope));
            var proof = SignProver.Prove(Derived.Second, domain, Bindings, strict: false, Budget);
            if (proof.Outcome == Outcome.Proven && kinksFine)
            {
                var over = domain.Lo == 0 ? $"{Variable} ≥ 0" : "ℝ";
                return new ConvexityResult(Outcome.Proven, $"interval arithmetic on {Name}″ ≥ 0 over {over} ({proof.Boxes} boxes)", null);
            }
            if (proof.Outcome == Outcome.Refuted && MidpointWitness(proof.Witness, domain) is { } witness)
            {
                return Refuted(witness);
            }
            // Counterexample search on the grid, in case the second derivative misses a kink.
            foreach (var x in SearchGrid(domain))
            {
                if (MidpointWitness(x, domain) is { } found)
                {
                    return Refuted(found);
                }
            }
            var stuck = proof.Stuck is { } box ? $" stopped at {Variable} ∈ [{Format(box.Lo)}, {Format(box.Hi)}]" : string.Empty;
            return new ConvexityResult(Outcome.Undecided,
                $"composition rules did not apply; interval arithmetic on {Name}″ (as derived and as N/D){stuck} after {proof.Boxes} boxes; no midpoint-convexity violation found on a grid of {SearchGrid(domain).Count()} points", null);
        }

        private ConvexityResult Refuted(ConvexityWitness w)
        {
            var mid = 0.5 * (w.A + w.B);
            var f = Formula.Body;
            var (left, right) = Distinct(Value(f, mid), 0.5 * (Value(f, w.A) + Value(f, w.B)));
            var text = $"{Name}({Format(mid)}) = {left} > ({Name}({Format(w.A)}) + {Name}({Format(w.B)}))/2 = {right}";
            return new ConvexityResult(Outcome.Refuted, text, w);
        }

        /// <summary>Two values printed with as many digits as it takes to show that they differ.</summary>
        private static (string, string) Distinct(double a, double b)
        {
            foreach (var format in new[] { "G4", "G7", "G10", "G13", "R" })
            {
                var (x, y) = (a.ToString(format, CultureInfo.InvariantCulture), b.ToString(format, CultureInfo.InvariantCulture));
                if (x != y)
                {
                    return (x, y);
                }
            }
            return (Format(a), Format(b));
        }

        /// <summary>A pair (a, b) around x with f((a+b)/2) &gt; (f(a) + f(b))/2 beyond rounding, preferring round numbers.</summary>
        public ConvexityWitness? MidpointWitness(double x, Interval domain)
        {
            var f = Formula.Body;
            ConvexityWitness? best = null;
            var bestGap = 0.0;
            var scale = Math.Max(1, Math.Abs(x));
            foreach (var center in new[] { Round(x), x })
            {
                foreach (var (h, skew) in Offsets)
                {
                    var step = h * scale;
                    // Symmetric pairs probe curvature; skewed ones put the midpoint beside a jump.
                    var a = center - step * (1 - skew);
                    var b = center + step * (1 + skew);
                    if (a < domain.Lo || b > domain.Hi)
                    {
                        continue;
                    }
                    var fa = Value(f, a);
                    var fb = Value(f, b);
                    var fm = Value(f, 0.5 * (a + b));
                    var gap = fm - 0.5 * (fa + fb);
                    var tolerance = 1e-10 * (Math.Abs(fa) + Math.Abs(fb) + Math.Abs(fm)) + 1e-300;
                    if (gap > tolerance && gap / tolerance > bestGap)
                    {
                        bestGap = gap / tolerance;
                        best = new ConvexityWitness(a, b);
                    }
                }
                if (best is not null)
                {
                    return best;
                }
            }
            return best;
        }

        private static readonly (double H, double Skew)[] Offsets =
            new[] { 1.0, 0.5, 0.25, 0.1, 0.05, 0.01, 1e-3, 1e-4 }.SelectMany(h => new[] { (h, 0.0), (h, 0.5), (h, -0.5) }).ToArray();

        /// <summary>g1 &lt; g2 with d(g1) &gt; d(g2) near x.</summary>
        public (double, double)? MonotonicityWitness(double x)
        {
            var scale = Math.Max(1, Math.Abs(x));
            foreach (var h in new[] { 0.5, 0.1, 0.01, 1e-3, 1e-4 })
            {
                var a = x - h * scale;
                var b = x + h * scale;
                var fa = Value(Formula.Body, a);
                var fb = Value(Formula.Body, b);
                if (fa - fb > 1e-10 * (Math.Abs(fa) + Math.Abs(fb)) + 1e-300)
                {
                    return (a, b);
                }
            }
            return null;
        }

        /// <summary>A point where f is below f(0), if the grid shows one.</summary>
        public double? BelowZero(Interval domain)
        {
            var f0 = Value(Formula.Body, 0);
            foreach (var x in SearchGrid(domain))
            {
                var v = Value(Formula.Body, x);
                if (v < f0 - 1e-9 * Math.Max(1, Math.Abs(f0)))
                {
                    return x;
                }
            }
            return null;
        }

        /// <summary>DSLOPT007 when the derivative of ∇K blows up (sup = ∞ shown by growth toward a point or infinity).</summary>
        public void Lipschitz(Interval domain, List<NonSmoothPoint> kinks, string curvatureName, string variable, Expr? curvature = null,
            double extraBound = double.NegativeInfinity, string? extraName = null)
        {
            curvature ??= Derived.Second;
            if (kinks.FirstOrDefault(k => !k.IsDifferentiable && !(domain.Lo == 0 && k.At == 0)) is { } kink)
            {
                // A kink makes ∇K jump: no Lipschitz constant (DSLOPT002 already says where).
                Verdict("∇K Lipschitz", Outcome.Refuted, $"{(kink.IsContinuous ? "∇K" : "K")} jumps at {variable} = {Format(kink.At)}");
                return;
            }
            var (bound, _, _) = Extremum.Supremum(curvature, domain, Bindings, BoundBudget);
            var (lowBound, _, _) = Extremum.Supremum(Build.Negate(curvature), domain, Bindings, BoundBudget);
            var magnitude = Math.Max(bound, lowBound);
            if (!double.IsInfinity(magnitude) && double.IsPositiveInfinity(extraBound))
            {
                // Isotropic: L_K = max(sup h″, sup h′(s)/s); the second was not bounded.
                Verdict("∇K Lipschitz", Outcome.Undecided, $"sup |{curvatureName}| ≤ {Format(magnitude)}, but no finite bound of {extraName} was proven");
                return;
            }
            if (!double.IsInfinity(magnitude))
            {
                var text = extraName is null
                    ? $"L_K ≤ {Format(magnitude)}"
                    : $"L_K = max(sup {curvatureName}, sup {extraName}) ≤ {Format(Math.Max(magnitude, extraBound))}";
                Verdict("∇K Lipschitz", Outcome.Proven, text);
                return;
            }
            if (Unbounded(curvature, domain, kinks) is { } x)
            {
                var value = Value(curvature, x);
                var where = Math.Abs(x) >= 1e5 ? $"as |{variable}| → ∞" : $"near {variable} = {Format(NearestCenter(x, kinks))}";
                Verdict("∇K Lipschitz", Outcome.Refuted, $"{curvatureName}({Format(x)}) = {Format(value)}");
                Add(DiagnosticDescriptors.GradientNotLipschitz,
                    $"∇K is not Lipschitz: {curvatureName} is unbounded {where} ({curvatureName}({Format(x)}) = {Format(value)}), so L_K = ∞ (Assumption 1.6)");
            }
            else
            {
                Verdict("∇K Lipschitz", Outcome.Undecided, "no finite bound of the curvature was proven");
            }
        }

        /// <summary>Sound bounds of the curvature: records inf (m_K or μ) and sup (L_K or M).</summary>
        public (double Inf, double Sup) Constants(Interval domain, Expr curvature, double extraUpper = double.NegativeInfinity)
        {
            var (upper, _, _) = Extremum.Supremum(curvature, domain, Bindings, BoundBudget);
            var (negLower, _, _) = Extremum.Supremum(Build.Negate(curvature), domain, Bindings, BoundBudget);
            var lower = -negLower;
            if (_convexity == Outcome.Proven)
            {
                // φ″ ≥ 0 was proven: an unbounded enclosure below still means m_K ≥ 0.
                lower = Math.Max(lower, 0);
            }
            _upper = Math.Max(upper, extraUpper);
            _lower = lower;
            return (lower, upper);
        }

        /// <summary>A point where the curvature is numerically zero though it is positive elsewhere (μ = 0).</summary>
        public double? Vanishing(Expr curvature)
        {
            var typical = new[] { 0.0, 1, -1, 10, -10 }.Select(x => Math.Abs(Value(curvature, x))).Where(v => !double.IsNaN(v)).DefaultIfEmpty(0).Max();
            if (Value(curvature, 0) == 0 && typical > 0)
            {
                return 0;
            }
            foreach (var sign in new[] { 1.0, -1.0 })
            {
                for (var k = 1; k <= 8; k++)
                {
                    var x = sign * Math.Pow(10, k);
                    var v = Value(curvature, x);
                    if (!double.IsNaN(v) && Math.Abs(v) <= 1e-6 * Math.Max(typical, 1e-300))
                    {
                        return x;
                    }
                }
            }
            return null;
        }

        /// <summary>A point showing f grows without bound toward a switching point or toward ±∞.</summary>
        public double? Unbounded(Expr f, Interval domain, List<NonSmoothPoint> kinks)
        {
            var centers = new List<double> { 0 };
            centers.AddRange(kinks.Select(k => k.At));
            foreach (var c in centers)
            {
                foreach (var side in new[] { 1.0, -1.0 })
                {
                    var near = c + side * 1e-4 * Math.Max(1, Math.Abs(c));
                    var nearer = c + side * 1e-12 * Math.Max(1, Math.Abs(c));
                    if (near < domain.Lo || nearer < domain.Lo || near > domain.Hi)
                    {
                        continue;
                    }
                    if (Grows(f, near, nearer))
                    {
                        return nearer;
                    }
                }
            }
            foreach (var sign in new[] { 1.0, -1.0 })
            {
                var far = sign * 1e2;
                var farther = sign * 1e6;
                if (farther >= domain.Lo && Grows(f, far, farther))
                {
                    return farther;
                }
            }
            return null;
        }

        private static double NearestCenter(double x, List<NonSmoothPoint> kinks)
        {
            var best = 0.0;
            foreach (var kink in kinks)
            {
                if (Math.Abs(kink.At - x) < Math.Abs(best - x))
                {
                    best = kink.At;
                }
            }
            return best;
        }

        private bool Grows(Expr f, double from, double to)
        {
            var a = Math.Abs(Value(f, from));
            var b = Math.Abs(Value(f, to));
            return !double.IsNaN(b) && (double.IsInfinity(b) || b > 100 * Math.Max(a, 1e-300) && b > 1);
        }

        private static IEnumerable<double> SearchGrid(Interval domain)
        {
            foreach (var k in new[] { -3, -2, -1, 0, 1, 2, 3 })
            {
                foreach (var m in new[] { 1.0, 2.0, 5.0 })
                {
                    var x = m * Math.Pow(10, k);
                    if (x >= domain.Lo && x <= domain.Hi)
                    {
                        yield return x;
                    }
                    if (-x >= domain.Lo && -x <= domain.Hi)
                    {
                        yield return -x;
                    }
                }
            }
            if (domain.Contains(0))
            {
                yield return 0;
            }
        }

        private static double Round(double x)
        {
            if (x == 0 || double.IsInfinity(x) || double.IsNaN(x))
            {
                return x;
            }
            var magnitude = Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(x))));
            return Math.Round(x / magnitude * 2) / 2 * magnitude;
        }

        private static bool AllBound(Expr expr, Bindings bindings) => expr switch
        {
            Symbol { Kind: SymbolRole.Hyperparameter } s => bindings.TryHyperparameter(s.Name, out _),
            Negate n => AllBound(n.Operand, bindings),
            Binary b => AllBound(b.Left, bindings) && AllBound(b.Right, bindings),
            Call c => c.Arguments.All(a => AllBound(a, bindings)),
            Conditional c => AllBound(c.WhenTrue, bindings) && AllBound(c.WhenFalse, bindings) && AllBound(c.Test, bindings),
            _ => true,
        };

        private static bool AllBound(Condition condition, Bindings bindings) => condition switch
        {
            Comparison c => AllBound(c.Left, bindings) && AllBound(c.Right, bindings),
            Logical l => AllBound(l.Left, bindings) && AllBound(l.Right, bindings),
            Not n => AllBound(n.Operand, bindings),
            _ => true,
        };
    }

    /// <summary>h′(s)/s for isotropic potentials (the coefficient of G in ∇K(G)), φ′ otherwise.</summary>
    private sealed record IsotropicScale(Expr Update);
}

using System;

namespace DslOptim;

/// <summary>Which bound of eq. (19) set η_t: the growth cap (1 + η0^d)^{t/2} η0 or 1/K_t (1/K̄_t for ρ̄).</summary>
public enum StepSizeBound
{
    /// <summary>No step chosen yet, or a rule without bounds.</summary>
    None,

    /// <summary>The cap (1 + η0^d)^{t/2} η0 was the smaller.</summary>
    Cap,

    /// <summary>1/K_t was the smallest.</summary>
    InverseSmoothness,

    /// <summary>1/K̄_t was the smallest (eq. (19) with h = ρ̄ only).</summary>
    InverseBoundedSmoothness,
}

/// <summary>
/// How a two-layer GD step chooses η_t from its certificate (local-PL paper §3.2): a constant η0, eq. (19) with
/// h = ρ or h = ρ̄, or backtracking (Alg. 1). Pass one to the generated <c>Step(TwoLayerProblem&lt;T&gt;, …, stepSize)</c>.
/// Rules keep what they last chose (e.g. <see cref="AdaptiveStepSize.LastBound"/>), so use one instance per run.
/// </summary>
public abstract class TwoLayerStepSize
{
    /// <summary>Chooses η_t ≥ 0 for the step whose certificate (without η) is <paramref name="certificate"/>.</summary>
    /// <typeparam name="TProbe">The trial-loss probe of the step (for line searches).</typeparam>
    /// <param name="certificate">The step's certificate: L(t), ‖∇L(t)‖, σ(𝒯_t), σ_max(W(t)) and the loss constants.</param>
    /// <param name="probe">Computes L(W1 − η∇W1, W2 − η∇W2) without moving the weights.</param>
    /// <returns>η_t, finite and ≥ 0.</returns>
    public abstract double Choose<TProbe>(in TwoLayerCertificate certificate, ref TProbe probe)
        where TProbe : struct, ILineSearchProbe;

    /// <summary>A constant η_t = η0.</summary>
    /// <param name="eta0">η0, finite and &gt; 0.</param>
    /// <returns>The rule.</returns>
    public static TwoLayerStepSize Constant(double eta0) => new ConstantStepSize(eta0);

    /// <summary>Eq. (19) with h = ρ: η_t = min((1 + η0^d)^{t/2} η0, 1/K_t), 1/K_t the root of η K_t(η) = 1.</summary>
    /// <param name="eta0">η0, finite and &gt; 0 (Theorem 3.2 asks η0 ≤ η_max).</param>
    /// <param name="d">The exponent d of Theorem E.1's cap (1 + η0^d)^{t/2} η0; 2 gives eq. (15).</param>
    /// <returns>The rule.</returns>
    public static AdaptiveStepSize Adaptive(double eta0, double d = 2.0) => new(eta0, d, null);

    /// <summary>Eq. (19) with h = ρ̄: η_t = min((1 + η0^d)^{t/2} η0, 1/K_t, 1/K̄_t), the minimizer of ρ̄(η, t) = 1 − 2μ̄η + μ̄K̄_tη²
    /// under (18)'s constraint η ≤ min(cap, 1/K_t) (<see cref="TwoLayerStepSizes.Equation19"/>). With Table 2's constants at hand,
    /// <c>TwoLayerRateBound.AdaptiveBarRule()</c> builds this rule with its K̄_t, η0 and d.</summary>
    /// <param name="eta0">η0, finite and &gt; 0.</param>
    /// <param name="boundedSmoothness">t ↦ K̄_t of Theorem 3.2 at the paper's iterate t = 0, 1, … (from the theory's Table 2 constants).</param>
    /// <param name="d">The exponent d of the cap; 2 gives eq. (15).</param>
    /// <returns>The rule.</returns>
    /// <remarks>The paper prints the same expression, min(cap, 1/K_t), for both choices of h in (19); but ρ̄ is a quadratic
    /// in η with vertex 1/K̄_t, so (18)'s argmin over η ≤ min(cap, 1/K_t) is min(cap, 1/K_t, 1/K̄_t). Under Theorem 3.2
    /// K_t ≤ K̄_t and the 1/K_t term never binds; it is kept so that η_t satisfies (15) even when K̄_t comes from
    /// constants that do not bound K_t (η0 above η_max, other data).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="boundedSmoothness"/> is null.</exception>
    public static AdaptiveStepSize AdaptiveBar(double eta0, Func<long, double> boundedSmoothness, double d = 2.0)
        => new(eta0, d, boundedSmoothness ?? throw new ArgumentNullException(nameof(boundedSmoothness)));

    /// <summary>Backtracking line search (Alg. 1 with the Armijo test of <see cref="BacktrackingLineSearch"/>).</summary>
    /// <param name="options">η_bt, τ, γ and the bound on reductions.</param>
    /// <returns>The rule.</returns>
    public static BacktrackingStepSize Backtracking(BacktrackingOptions options) => new(options);

    internal static double CheckEta0(double eta0)
    {
        if (!(eta0 > 0.0) || !double.IsFinite(eta0))
        {
            throw new ArgumentOutOfRangeException(nameof(eta0), eta0, "η0 must be finite and positive.");
        }

        return eta0;
    }
}

/// <summary>η_t = η0 at every step.</summary>
internal sealed class ConstantStepSize(double eta0) : TwoLayerStepSize
{
    private readonly double _eta0 = CheckEta0(eta0);

    public override double Choose<TProbe>(in TwoLayerCertificate certificate, ref TProbe probe) => _eta0;
}

/// <summary>Eq. (19): η_t = min((1 + η0^d)^{t/2} η0, 1/K_t) (h = ρ) or min(…, 1/K_t, 1/K̄_t) (h = ρ̄), by <see cref="TwoLayerStepSizes.Equation19"/>.</summary>
public sealed class AdaptiveStepSize : TwoLayerStepSize
{
    private readonly Func<long, double>? _boundedSmoothness;

    internal AdaptiveStepSize(double eta0, double d, Func<long, double>? boundedSmoothness)
    {
        Eta0 = CheckEta0(eta0);
        if (!(d > 0.0) || !double.IsFinite(d))
        {
            throw new ArgumentOutOfRangeException(nameof(d), d, "d must be finite and positive.");
        }

        D = d;
        _boundedSmoothness = boundedSmoothness;
    }

    /// <summary>η0.</summary>
    public double Eta0 { get; }

    /// <summary>The cap's exponent d.</summary>
    public double D { get; }

    /// <summary>Which bound set the last η_t.</summary>
    public StepSizeBound LastBound { get; private set; }

    /// <summary>The cap at the last step.</summary>
    public double LastCap { get; private set; } = double.NaN;

    /// <summary>1/K_t (the root of η·K_t(η) = 1) at the last step.</summary>
    public double LastInverseSmoothness { get; private set; } = double.NaN;

    /// <summary>1/K̄_t at the last step (h = ρ̄); +∞ for h = ρ.</summary>
    public double LastInverseBoundedSmoothness { get; private set; } = double.NaN;

    /// <summary>Whether this is the h = ρ̄ rule (it reads K̄_t).</summary>
    public bool UsesBoundedSmoothness => _boundedSmoothness is not null;

    /// <inheritdoc />
    public override double Choose<TProbe>(in TwoLayerCertificate certificate, ref TProbe probe)
    {
        long t = Math.Max(0, certificate.Step - 1); // the paper's iterate index
        double cap = TwoLayerStepSizes.Cap(Eta0, t, D);
        double inverseKt = certificate.InverseLocalSmoothness();
        double inverseKBar = _boundedSmoothness is null ? double.PositiveInfinity : 1.0 / _boundedSmoothness(t);
        LastCap = cap;
        LastInverseSmoothness = inverseKt;
        LastInverseBoundedSmoothness = inverseKBar;
        double eta = TwoLayerStepSizes.Equation19(cap, inverseKt, inverseKBar);
        LastBound = eta == cap ? StepSizeBound.Cap : eta == inverseKt ? StepSizeBound.InverseSmoothness : StepSizeBound.InverseBoundedSmoothness;
        return eta;
    }
}

/// <summary>Backtracking (Alg. 1): the trial losses come from the two-layer model's closed form, without a pass over the weights.</summary>
public sealed class BacktrackingStepSize : TwoLayerStepSize
{
    internal BacktrackingStepSize(BacktrackingOptions options)
    {
        options.Validate();
        Options = options;
    }

    /// <summary>η_bt, τ, γ and the bound.</summary>
    public BacktrackingOptions Options { get; }

    /// <summary>The last search's outcome.</summary>
    public BacktrackingResult LastResult { get; private set; }

    /// <summary>All reductions over the rule's life (trial losses = steps + reductions).</summary>
    public long TotalReductions { get; private set; }

    /// <inheritdoc />
    /// <remarks>When the test does not pass within the bound, the step does not move (η_t = 0) and
    /// <see cref="LastResult"/>.Accepted is false.</remarks>
    public override double Choose<TProbe>(in TwoLayerCertificate certificate, ref TProbe probe)
    {
        double norm = certificate.GradientNorm;
        BacktrackingResult result = BacktrackingLineSearch.Search(ref probe, certificate.Loss, norm * norm, Options);
        LastResult = result;
        TotalReductions += result.Reductions;
        return result.Accepted ? result.StepSize : 0.0;
    }
}

/// <summary>The scalar pieces of eq. (15) and (19).</summary>
public static class TwoLayerStepSizes
{
    /// <summary>The growth cap (1 + η0^d)^{t/2} η0 of eq. (15) (d = 2) and of Theorem E.1's proof for general d.</summary>
    /// <param name="eta0">η0 &gt; 0.</param>
    /// <param name="t">The paper's iterate index t ≥ 0 (the DslOptim step t uses t − 1).</param>
    /// <param name="d">The exponent d &gt; 0.</param>
    /// <returns>The cap.</returns>
    /// <remarks>(89) prints the exponent as 1/d; the proof of Theorem E.1 uses η_k ≤ (1 + η0^d)^{k/2} η0 (so that
    /// η_k² ≤ (1 + η0^d)^k η0² and Δ = (1 + η0^d) ρ̄(η0, 0) appears), which is also (15)'s t/2 at d = 2: this form is used.</remarks>
    public static double Cap(double eta0, long t, double d = 2.0) => Math.Exp(0.5 * t * Math.Log(1.0 + Math.Pow(eta0, d))) * eta0;

    /// <summary>
    /// Eq. (19), the one place it is written: the argmin of h(η, t) over η ≤ min(cap_t, 1/K_t) (18). For h = ρ the paper's
    /// closed form is η_t = min(cap_t, 1/K_t) (pass <paramref name="inverseBoundedSmoothness"/> = +∞); for h = ρ̄, a
    /// quadratic in η with vertex 1/K̄_t, it is η_t = min(cap_t, 1/K_t, 1/K̄_t) — the printed (19) repeats the h = ρ
    /// expression for h = ρ̄ (docs/two-layer-theory.md, point 5). Used by <see cref="AdaptiveStepSize"/> and by
    /// <c>TwoLayerRateBound.Equation19Rho/RhoBar</c>.
    /// </summary>
    /// <param name="cap">cap_t = (1 + η0^d)^{t/2} η0 (<see cref="Cap"/>).</param>
    /// <param name="inverseSmoothness">1/K_t, the positive root of η·K_t(η) = 1.</param>
    /// <param name="inverseBoundedSmoothness">1/K̄_t for h = ρ̄, +∞ for h = ρ.</param>
    /// <returns>η_t.</returns>
    public static double Equation19(double cap, double inverseSmoothness, double inverseBoundedSmoothness = double.PositiveInfinity)
        => Math.Min(cap, Math.Min(inverseSmoothness, inverseBoundedSmoothness));

    /// <summary>
    /// The unique positive root of c η³ + b η² + a η = 1 for a, b, c ≥ 0 (not all 0): Newton's method from
    /// min(1/a, b^{−1/2}, c^{−1/3}), where the left side is ≥ 1; the function is increasing and convex on η &gt; 0, so
    /// the iterates decrease monotonically to the root. +∞ when a = b = c = 0.
    /// </summary>
    /// <param name="a">The linear coefficient.</param>
    /// <param name="b">The quadratic coefficient.</param>
    /// <param name="c">The cubic coefficient.</param>
    /// <returns>The root.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A coefficient is negative or not finite.</exception>
    public static double PositiveRootOfCubic(double a, double b, double c)
    {
        if (!(a >= 0.0 && b >= 0.0 && c >= 0.0) || !double.IsFinite(a + b + c))
        {
            throw new ArgumentOutOfRangeException(nameof(a), $"The coefficients must be finite and non-negative: a = {a}, b = {b}, c = {c}.");
        }

        double x = double.PositiveInfinity;
        if (a > 0.0)
        {
            x = 1.0 / a;
        }

        if (b > 0.0)
        {
            x = Math.Min(x, 1.0 / Math.Sqrt(b));
        }

        if (c > 0.0)
        {
            x = Math.Min(x, 1.0 / Math.Cbrt(c));
        }

        if (double.IsPositiveInfinity(x))
        {
            return x;
        }

        for (int i = 0; i < 200; i++)
        {
            double f = (x * (a + (x * (b + (x * c))))) - 1.0;
            double slope = a + (x * ((2.0 * b) + (3.0 * c * x)));
            double next = x - (f / slope);
            if (!(next < x) || next <= 0.0)
            {
                break; // monotone from above: no further decrease means convergence to rounding
            }

            x = next;
        }

        return x;
    }
}

using System;

namespace DslOptim.TwoLayer.Theory;

/// <summary>
/// Theorem E.1's bounds for a chosen η₀ ∈ (0, η_max] (from <see cref="TwoLayerStepSizeLimit.RateAt"/>): μ̄, K̄_t,
/// ρ̄(η, t), Δ, the step-size cap of (15)/(89), and the loss bounds (17) and (20) along a run.
/// <list type="bullet">
/// <item>μ̄ = μ[α₁ + 2α₂(1 − exp(η₀^c))] ≤ μ_t;</item>
/// <item>K̄_t = √(2KL(0)·ρ̄(η₀, 0)^t) + 6K²β₂L(0)η₀²Δ^t + K·exp(η₀^c)·α₂·[1 + 3√(2KL(0)Δ^t)·η₀] ≥ K_t;</item>
/// <item>ρ̄(η, t) = 1 − 2μ̄η + μ̄K̄_tη², Δ = (1 + η₀^d)·ρ̄(η₀, 0);</item>
/// <item>the step sizes allowed: η₀ ≤ η_t ≤ min((1 + η₀^d)^{t/2}·η₀, 1/K_t).</item>
/// </list>
/// </summary>
/// <remarks>
/// The printed (89) caps η_t by (1 + η₀^d)^{1/d}·η₀; the proof ((103) and (114)) uses η_k ≤ (1 + η₀^d)^{k/2}·η₀,
/// which is what makes η_k²·ρ̄(η₀, 0)^k ≤ η₀²·Δ^k, and (15) (d = 2) reads (1 + η₀²)^{t/2}·η₀. <see cref="StepCap"/>
/// is therefore (1 + η₀^d)^{t/2}·η₀. The printed (20) multiplies h(η_k, k) from k = 1; chaining
/// L(k+1) ≤ h(η_k, k)·L(k) from k = 0 gives L(t) ≤ L(0)·∏_{k=0}^{t−1} h(η_k, k), which <see cref="Bound20(double, ReadOnlySpan{double}, Span{double})"/> computes.
/// </remarks>
public sealed class TwoLayerRateBound
{
    private readonly double _sqrt2KL0;
    private readonly double _expEtaC;

    internal TwoLayerRateBound(TwoLayerStepSizeLimit limit, double eta0)
    {
        Limit = limit;
        Eta0 = eta0;
        _sqrt2KL0 = Math.Sqrt(2.0 * limit.K * limit.InitialLoss);
        _expEtaC = Math.Exp(Math.Pow(eta0, limit.C));
        MuBar = limit.MuBar(eta0);
        KBar0 = limit.KBar0(eta0);
        RhoBar0 = limit.RhoBar0(eta0);
        Delta = limit.Delta(eta0);
    }

    /// <summary>The η_max computation this bound belongs to (μ, K, L(0), α₁, α₂, β₂, c, d).</summary>
    public TwoLayerStepSizeLimit Limit { get; }

    /// <summary>η₀.</summary>
    public double Eta0 { get; }

    /// <summary>μ̄ = μ[α₁ + 2α₂(1 − exp(η₀^c))], the lower bound on μ_t (Lemma E.1).</summary>
    public double MuBar { get; }

    /// <summary>K̄₀ (K̄_t at t = 0).</summary>
    public double KBar0 { get; }

    /// <summary>ρ̄(η₀, 0), the rate of (17).</summary>
    public double RhoBar0 { get; }

    /// <summary>Δ = (1 + η₀^d)·ρ̄(η₀, 0).</summary>
    public double Delta { get; }

    /// <summary>K̄_t, the upper bound on the local smoothness K_t along the run (Lemma E.1, (114)).</summary>
    /// <param name="t">The iteration, t ≥ 0.</param>
    public double KBar(long t)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(t);
        var l = Limit;
        double deltaT = Math.Pow(Delta, t);
        return _sqrt2KL0 * Math.Sqrt(Math.Pow(RhoBar0, t))
            + 6.0 * l.K * l.K * l.Beta2 * l.InitialLoss * Eta0 * Eta0 * deltaT
            + l.K * _expEtaC * l.Alpha2 * (1.0 + 3.0 * _sqrt2KL0 * Math.Sqrt(deltaT) * Eta0);
    }

    /// <summary>ρ̄(η, t) = 1 − 2μ̄η + μ̄K̄_tη².</summary>
    /// <param name="eta">The step size η_t.</param>
    /// <param name="t">The iteration, t ≥ 0.</param>
    public double RhoBar(double eta, long t) => 1.0 - MuBar * eta * (2.0 - KBar(t) * eta);

    /// <summary>The cap (1 + η₀^d)^{t/2}·η₀ of (15)/(89) (see remarks for the exponent).</summary>
    /// <param name="t">The iteration, t ≥ 0.</param>
    public double StepCap(long t)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(t);
        return TwoLayerStepSizes.Cap(Eta0, t, Limit.D);
    }

    /// <summary>
    /// Eq. (19) with h = ρ: η_t = min((1 + η₀^d)^{t/2}·η₀, 1/K_t), where 1/K_t is the positive root of
    /// η·K_t(η) = 1 (K_t (12) depends on η_t itself), supplied by the caller's per-step certificate.
    /// </summary>
    /// <param name="t">The iteration, t ≥ 0.</param>
    /// <param name="inverseKt">1/K_t &gt; 0.</param>
    public double Equation19Rho(long t, double inverseKt)
    {
        ValidateInverse(inverseKt);
        return TwoLayerStepSizes.Equation19(StepCap(t), inverseKt);
    }

    /// <summary>
    /// Eq. (19) with h = ρ̄: the argmin of ρ̄(η, t) (a quadratic in η with vertex 1/K̄_t) under (18)'s constraint,
    /// η_t = min((1 + η₀^d)^{t/2}·η₀, 1/K_t, 1/K̄_t). (The printed (19) repeats the h = ρ expression;
    /// docs/two-layer-theory.md.)
    /// </summary>
    /// <param name="t">The iteration, t ≥ 0.</param>
    /// <param name="inverseKt">1/K_t &gt; 0, the positive root of η·K_t(η) = 1.</param>
    public double Equation19RhoBar(long t, double inverseKt)
    {
        ValidateInverse(inverseKt);
        return TwoLayerStepSizes.Equation19(StepCap(t), inverseKt, 1.0 / KBar(t));
    }

    /// <summary>
    /// The runtime rule for eq. (19) with h = ρ at this η₀ and d: pass it to the generated
    /// <c>Step(TwoLayerProblem, …, stepSize)</c>; it reads 1/K_t from each step's certificate.
    /// </summary>
    /// <returns>A new rule (rules keep per-run state: one per run).</returns>
    public AdaptiveStepSize AdaptiveRule() => TwoLayerStepSize.Adaptive(Eta0, Limit.D);

    /// <summary>
    /// The runtime rule for eq. (19) with h = ρ̄ at this η₀ and d, reading <see cref="KBar"/> at the paper's iterate
    /// t (the generated step t passes t − 1): η_t = min(cap_t, 1/K_t, 1/K̄_t), as <see cref="Equation19RhoBar"/>.
    /// </summary>
    /// <returns>A new rule (one per run).</returns>
    public AdaptiveStepSize AdaptiveBarRule() => TwoLayerStepSize.AdaptiveBar(Eta0, KBar, Limit.D);

    private static void ValidateInverse(double inverseKt)
    {
        if (!(inverseKt > 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(inverseKt), inverseKt, "1/K_t must be positive (the positive root of η·K_t(η) = 1).");
        }
    }

    /// <summary>Bound (17) on L(t): L(0)·ρ̄(η₀, 0)^t.</summary>
    /// <param name="t">The iteration, t ≥ 0.</param>
    public double Bound17(long t)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(t);
        return Limit.InitialLoss * Math.Pow(RhoBar0, t);
    }

    /// <summary>Bound (17) for t = 0 … bounds.Length − 1: bounds[t] = L(0)·ρ̄(η₀, 0)^t.</summary>
    /// <param name="bounds">Receives the bounds.</param>
    public void Bound17(Span<double> bounds)
    {
        for (int t = 0; t < bounds.Length; t++)
        {
            bounds[t] = Bound17(t);
        }
    }

    /// <summary>
    /// Bound (20) along a run: bounds[0] = L(0), bounds[t + 1] = bounds[t]·h(η_t, t), so bounds[t] =
    /// L(0)·∏_{k=0}^{t−1} h(η_k, k) bounds L(t); h is ρ (10) or ρ̄ per step, as the run chose its step sizes.
    /// </summary>
    /// <param name="initialLoss">L(0) ≥ 0.</param>
    /// <param name="factors">h(η_k, k) for k = 0 … T − 1, each finite and ≥ 0.</param>
    /// <param name="bounds">Receives T + 1 bounds.</param>
    /// <exception cref="ArgumentException">bounds.Length ≠ factors.Length + 1, L(0) or a factor is negative or not finite.</exception>
    public static void Bound20(double initialLoss, ReadOnlySpan<double> factors, Span<double> bounds)
    {
        if (bounds.Length != factors.Length + 1)
        {
            throw new ArgumentException($"bounds must hold factors.Length + 1 = {factors.Length + 1} values (L(0) … L(T)) but holds {bounds.Length}.", nameof(bounds));
        }
        ValidateFactors(initialLoss, factors);
        double b = initialLoss;
        bounds[0] = b;
        for (int k = 0; k < factors.Length; k++)
        {
            b *= factors[k];
            bounds[k + 1] = b;
        }
    }

    /// <summary>Bound (20) on L(T): L(0)·∏_{k=0}^{T−1} h(η_k, k).</summary>
    /// <param name="initialLoss">L(0) ≥ 0.</param>
    /// <param name="factors">h(η_k, k) for k = 0 … T − 1, each finite and ≥ 0.</param>
    /// <exception cref="ArgumentException">L(0) or a factor is negative or not finite.</exception>
    public static double Bound20(double initialLoss, ReadOnlySpan<double> factors)
    {
        ValidateFactors(initialLoss, factors);
        double b = initialLoss;
        foreach (double f in factors)
        {
            b *= f;
        }
        return b;
    }

    private static void ValidateFactors(double initialLoss, ReadOnlySpan<double> factors)
    {
        if (!(initialLoss >= 0.0) || !double.IsFinite(initialLoss))
        {
            throw new ArgumentException($"L(0) = {initialLoss:R} must be finite and non-negative.", nameof(initialLoss));
        }
        for (int k = 0; k < factors.Length; k++)
        {
            if (!(factors[k] >= 0.0) || !double.IsFinite(factors[k]))
            {
                throw new ArgumentException($"h(η_{k}, {k}) = {factors[k]:R}: a per-step factor must be finite and non-negative.", nameof(factors));
            }
        }
    }
}

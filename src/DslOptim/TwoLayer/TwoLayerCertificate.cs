using System;
using System.Globalization;

namespace DslOptim;

/// <summary>
/// The curvature bounds of a declared separable loss ℓ(r), as the theory checker proved them (generated
/// <c>Info.Constants</c>: μ = inf ℓ″ and M = sup ℓ″), and the loss's name for messages.
/// </summary>
/// <param name="Name">The loss member's name, e.g. <c>Squared</c>.</param>
/// <param name="MinimumCurvature">inf ℓ″ (NaN when not established; ≤ 0 when ℓ is not strongly convex).</param>
/// <param name="MaximumCurvature">sup ℓ″ (NaN when not established, +∞ when ℓ′ is not Lipschitz).</param>
public readonly record struct LossCurvature(string Name, double MinimumCurvature, double MaximumCurvature);

/// <summary>
/// The local-PL certificate of one two-layer GD step (local-PL paper, Theorem 3.1), at the weights the step started
/// from — the paper's iterate t = <see cref="Step"/> − 1 — computed from the small Gram matrices without a pass over
/// the weights.
/// </summary>
/// <remarks>
/// <para>Lemma A.2 (29): σ²_min(𝒯_t) = σ²_min(W1) + σ²_min(W2) and σ²_max(𝒯_t) = σ²_max(W1) + σ²_max(W2), where
/// σ²(W1) are the eigenvalues of W1W1ᵀ (n×n) and σ²(W2) those of W2W2ᵀ (m×m) (extreme ones only: Householder
/// tridiagonalization and bisection). They are the
/// extreme eigenvalues of 𝒯*𝒯(U) = U W2W2ᵀ + W1W1ᵀU on ℝ^{n×m} (30); when h &lt; n (or h &lt; m) the smallest is 0.</para>
/// <para>The constants of ℓ(W) = Σ ℓ((XW − Y)_ij) (Assumption 2.1): μ = inf ℓ″ · σ²_min(X) and K = sup ℓ″ · σ²_max(X).
/// Whatever needs μ (<see cref="Mu"/>, <see cref="LocalPl"/>, <see cref="Rho"/>) throws
/// <see cref="InvalidOperationException"/> naming the loss when the theory checker did not prove μ &gt; 0 (DSLOPT006),
/// or when σ_min(X) = 0; whatever needs K throws when K is not finite.</para>
/// </remarks>
public readonly struct TwoLayerCertificate
{
    internal TwoLayerCertificate(
        long step, double loss, double gradientNorm,
        double sigmaMinSquaredW1, double sigmaMaxSquaredW1, double sigmaMinSquaredW2, double sigmaMaxSquaredW2,
        double sigmaMaxW, in LossCurvature curvature, double xSigmaMinSquared, double xSigmaMaxSquared, double stepSize)
    {
        Step = step;
        Loss = loss;
        GradientNorm = gradientNorm;
        SigmaMinSquaredW1 = sigmaMinSquaredW1;
        SigmaMaxSquaredW1 = sigmaMaxSquaredW1;
        SigmaMinSquaredW2 = sigmaMinSquaredW2;
        SigmaMaxSquaredW2 = sigmaMaxSquaredW2;
        SigmaMaxW = sigmaMaxW;
        Curvature = curvature;
        XSigmaMinSquared = xSigmaMinSquared;
        XSigmaMaxSquared = xSigmaMaxSquared;
        StepSize = stepSize;
    }

    /// <summary>The DslOptim step index t ≥ 1 of the step that used this certificate (the paper's iterate is t − 1); 0 for <see cref="TwoLayerModel.Certify{T, TLoss}"/>.</summary>
    public long Step { get; }

    /// <summary>L(t) = Σ_ij ℓ((X W1 W2ᵀ − Y)_ij), accumulated in double.</summary>
    public double Loss { get; }

    /// <summary>‖∇L(t)‖_F = (‖∇ℓ W2‖² + ‖∇ℓᵀ W1‖²)^{1/2} (38), from ⟨G, W1W1ᵀG + G W2W2ᵀ⟩.</summary>
    public double GradientNorm { get; }

    /// <summary>σ²_min(W1) = λ_min(W1 W1ᵀ).</summary>
    public double SigmaMinSquaredW1 { get; }

    /// <summary>σ²_max(W1) = λ_max(W1 W1ᵀ).</summary>
    public double SigmaMaxSquaredW1 { get; }

    /// <summary>σ²_min(W2) = λ_min(W2 W2ᵀ).</summary>
    public double SigmaMinSquaredW2 { get; }

    /// <summary>σ²_max(W2) = λ_max(W2 W2ᵀ).</summary>
    public double SigmaMaxSquaredW2 { get; }

    /// <summary>σ²_min(𝒯_t) = σ²_min(W1) + σ²_min(W2), Lemma A.2 (29).</summary>
    public double SigmaMinSquaredT => SigmaMinSquaredW1 + SigmaMinSquaredW2;

    /// <summary>σ²_max(𝒯_t) = σ²_max(W1) + σ²_max(W2), Lemma A.2 (29).</summary>
    public double SigmaMaxSquaredT => SigmaMaxSquaredW1 + SigmaMaxSquaredW2;

    /// <summary>κ(𝒯_t) = σ_max(𝒯_t)/σ_min(𝒯_t) (∞ when σ_min = 0).</summary>
    public double ConditionNumberT => Math.Sqrt(SigmaMaxSquaredT / SigmaMinSquaredT);

    /// <summary>σ_max(W(t)), W = W1 W2ᵀ.</summary>
    public double SigmaMaxW { get; }

    /// <summary>The loss's curvature bounds the constants come from.</summary>
    public LossCurvature Curvature { get; }

    /// <summary>σ²_min(X).</summary>
    public double XSigmaMinSquared { get; }

    /// <summary>σ²_max(X).</summary>
    public double XSigmaMaxSquared { get; }

    /// <summary>η_t the step used (NaN for a certificate not attached to a step).</summary>
    public double StepSize { get; }

    /// <summary>μ of ℓ(W): inf ℓ″ · σ²_min(X).</summary>
    /// <exception cref="InvalidOperationException">The loss has no proven μ &gt; 0 (DSLOPT006), or σ_min(X) = 0.</exception>
    public double Mu
    {
        get
        {
            double mu = Curvature.MinimumCurvature * XSigmaMinSquared;
            if (!(mu > 0.0) || double.IsPositiveInfinity(mu))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The local PL constant needs μ > 0, but the loss '{Curvature.Name}' has inf ℓ″ = {Curvature.MinimumCurvature} (the theory checker did not prove it strongly convex: see DSLOPT006) and σ²_min(X) = {XSigmaMinSquared}, so μ = {mu}."));
            }

            return mu;
        }
    }

    /// <summary>K of ℓ(W): sup ℓ″ · σ²_max(X).</summary>
    /// <exception cref="InvalidOperationException">The loss's sup ℓ″ is not established or infinite (DSLOPT006).</exception>
    public double K
    {
        get
        {
            double k = Curvature.MaximumCurvature * XSigmaMaxSquared;
            if (!double.IsFinite(k) || k < 0.0)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The local smoothness constant needs a finite K, but the loss '{Curvature.Name}' has sup ℓ″ = {Curvature.MaximumCurvature} (ℓ′ not proven Lipschitz: see DSLOPT006)."));
            }

            return k;
        }
    }

    /// <summary>μ_t = μ · σ²_min(𝒯_t), eq. (11).</summary>
    public double LocalPl => Mu * SigmaMinSquaredT;

    /// <summary>K_t at η_t = <see cref="StepSize"/>, eq. (12).</summary>
    public double LocalSmoothnessAtStep => LocalSmoothness(StepSize);

    /// <summary>ρ(η_t, t) at η_t = <see cref="StepSize"/>, eq. (10): Theorem 3.1 promises L(t+1) ≤ ρ·L(t) when η_t K_t &lt; 2.</summary>
    public double RhoAtStep => Rho(StepSize);

    /// <summary>
    /// K_t(η) of eq. (12): K σ²_max(𝒯) + √(2K L) + 6K² σ_max(W) L η² + 3K σ²_max(𝒯) √(2K L) η.
    /// </summary>
    /// <param name="eta">The step size η ≥ 0.</param>
    /// <returns>K_t(η).</returns>
    public double LocalSmoothness(double eta)
    {
        var (a, b, c) = SmoothnessCoefficients();
        return a + (eta * (b + (eta * c)));
    }

    /// <summary>ρ(η, t) = 1 − 2μ_t η + μ_t K_t(η) η², eq. (10).</summary>
    /// <param name="eta">The step size η.</param>
    /// <returns>ρ(η, t).</returns>
    public double Rho(double eta)
    {
        double mu = LocalPl;
        return 1.0 - (2.0 * mu * eta) + (mu * LocalSmoothness(eta) * eta * eta);
    }

    /// <summary>
    /// 1/K_t in eq. (15) and (19): since K_t depends on η_t itself, the unique positive root of η·K_t(η) = 1, the
    /// cubic c η³ + b η² + a η − 1 = 0 with a, b, c ≥ 0 (increasing and convex on η &gt; 0), by Newton's method from an
    /// upper bound, which converges monotonically from above; +∞ when K_t ≡ 0.
    /// </summary>
    /// <returns>The root η* with η*·K_t(η*) = 1.</returns>
    public double InverseLocalSmoothness()
    {
        var (a, b, c) = SmoothnessCoefficients();
        return TwoLayerStepSizes.PositiveRootOfCubic(a, b, c);
    }

    /// <summary>K_t(η) = a + b η + c η².</summary>
    internal (double A, double B, double C) SmoothnessCoefficients()
    {
        double k = K;
        double root = Math.Sqrt(2.0 * k * Loss);
        double a = (k * SigmaMaxSquaredT) + root;
        double b = 3.0 * k * SigmaMaxSquaredT * root;
        double c = 6.0 * k * k * SigmaMaxW * Loss;
        return (a, b, c);
    }

    /// <summary>A one-line summary.</summary>
    /// <returns>L, ‖∇L‖, σ²(𝒯), η.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"t = {Step}: L = {Loss:G6}, ‖∇L‖ = {GradientNorm:G6}, σ²(𝒯) ∈ [{SigmaMinSquaredT:G6}, {SigmaMaxSquaredT:G6}], σ_max(W) = {SigmaMaxW:G6}, η = {StepSize:G6}");
}

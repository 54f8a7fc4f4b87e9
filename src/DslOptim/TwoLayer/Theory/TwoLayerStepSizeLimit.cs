using System;

namespace DslOptim.TwoLayer.Theory;

/// <summary>Which of Theorem E.1's three limits is η_max.</summary>
public enum TwoLayerStepSizeLimitKind
{
    /// <summary>η₀⁽¹⁾, the root of (87): η₀·K̄₀(η₀) = 1.</summary>
    Equation87,

    /// <summary>η₀⁽²⁾, the smallest positive root of (88).</summary>
    Equation88,

    /// <summary>[log(1 + α₁/2α₂)]^{1/c}, where μ̄ reaches 0.</summary>
    PositiveMuBar,
}

/// <summary>
/// η_max of Theorem E.1 (the local-PL paper's Appendix E) for parameters 0 &lt; c &lt; 1 and d &gt; 1
/// (Theorem 3.2 is c = ½, d = 2; the paper's experiments use c = 0.5, d = 1.01):
/// η_max = min(η₀⁽¹⁾, η₀⁽²⁾, [log(1 + α₁/2α₂)]^{1/c}), with
/// <list type="bullet">
/// <item>η₀⁽¹⁾ the unique positive root of (87): η·K̄₀(η) = 1, K̄₀(η) = √(2KL(0)) + 6K²β₂L(0)η² + K·exp(η^c)·α₂·[1 + 3√(2KL(0))·η];</item>
/// <item>η₀⁽²⁾ the smallest positive root of (88): 4KL(0)η² = (1 − exp(−η^c))·(1 − Δ(η)), Δ(η) = (1 + η^d)·ρ̄(η, 0),
/// ρ̄(η, 0) = 1 − 2μ̄η + μ̄K̄₀η², μ̄(η) = μ[α₁ + 2α₂(1 − exp(η^c))].</item>
/// </list>
/// See docs/two-layer-theory.md for the derivation and for where this differs from the printed statement.
/// </summary>
/// <remarks>
/// <para><b>exp(η^c), not exp(√η), in K̄.</b> The printed K̄_t and (87) have exp(√η₀) while μ̄ has exp(η₀^c). The
/// proof bounds σ²_max(𝒯_t) ≤ α₂·exp(η₀^c) (induction hypothesis A₄) and K_t by that bound (114), so the form
/// consistent with the proof is exp(η₀^c) everywhere; for c = ½ the two coincide.</para>
/// <para><b>(88) always has a positive root when α₁ &gt; 0, below η₃ = [log(1 + α₁/2α₂)]^{1/c}.</b> Let
/// f(η) = (1 − e^{−η^c})(1 − Δ(η)) − 4KL(0)η². Near 0, 1 − Δ = 2μα₁η − η^d + O(η²) with d &gt; 1, so
/// f ≈ 2μα₁η^{1+c} − 4KL(0)η² &gt; 0 (1 + c &lt; 2). At η₃, μ̄ = 0, so ρ̄ = 1, Δ = 1 + η₃^d and
/// f(η₃) = −(1 − e^{−η₃^c})η₃^d − 4KL(0)η₃² &lt; 0. So the footnote's "no positive root, η₀⁽²⁾ = ∞" cannot occur,
/// η₀⁽²⁾ &lt; η₃ always, and the third limit never binds (it is still reported). The smallest root is found by
/// scanning f on a geometric grid of ratio 2^{1/16} from η₃·2⁻²⁰⁰ up to η₃ (f(η₃) &lt; 0 is known exactly), then
/// refining the first sign change to adjacent doubles; a dip of f below 0 narrower than the grid spacing between
/// two positive samples would be missed.</para>
/// <para>Both roots are computed in double with cancellation-free forms (eˣ − 1 by Kahan's method,
/// 1 − Δ = μ̄η(2 − K̄₀η) − η^d·ρ̄), to adjacent doubles by false position with bisection safeguards.</para>
/// </remarks>
public sealed class TwoLayerStepSizeLimit
{
    private readonly double _sqrt2KL0;

    private TwoLayerStepSizeLimit(double mu, double k, double initialLoss, double alpha1, double alpha2, double beta2, double c, double d)
    {
        Mu = mu;
        K = k;
        InitialLoss = initialLoss;
        Alpha1 = alpha1;
        Alpha2 = alpha2;
        Beta2 = beta2;
        C = c;
        D = d;
        _sqrt2KL0 = Math.Sqrt(2.0 * k * initialLoss);

        // (87): g(η) = η·K̄₀(η) − 1 increases from −1; since K̄₀(η) ≥ √(2KL(0)) + Kα₂, its root is at most 1/(√(2KL(0)) + Kα₂).
        double hi = 1.0 / (_sqrt2KL0 + k * alpha2);
        double gHi = Equation87(hi);
        while (!(gHi >= 0.0))
        {
            hi *= 2.0; // only if rounding left g(hi) a hair below 0
            gHi = Equation87(hi);
        }
        Eta1 = ScalarMath.Refine(Equation87, 0.0, hi, -1.0, gHi);

        Eta3 = Math.Pow(Math.Log(1.0 + alpha1 / (2.0 * alpha2)), 1.0 / c);
        Eta2 = SmallestRoot88();

        EtaMax = Math.Min(Eta1, Math.Min(Eta2, Eta3));
        Binding = EtaMax == Eta1 ? TwoLayerStepSizeLimitKind.Equation87
            : EtaMax == Eta2 ? TwoLayerStepSizeLimitKind.Equation88 : TwoLayerStepSizeLimitKind.PositiveMuBar;
        Residual87 = Equation87(Eta1);
        var (lhs, rhs, scale) = Equation88Sides(Eta2);
        Residual88 = (rhs - lhs) / scale;
    }

    /// <summary>μ of ℓ.</summary>
    public double Mu { get; }

    /// <summary>K of ℓ.</summary>
    public double K { get; }

    /// <summary>L(0).</summary>
    public double InitialLoss { get; }

    /// <summary>α₁ of Table 2.</summary>
    public double Alpha1 { get; }

    /// <summary>α₂ of Table 2.</summary>
    public double Alpha2 { get; }

    /// <summary>β₂ of Table 2.</summary>
    public double Beta2 { get; }

    /// <summary>The parameter c ∈ (0, 1) of Theorem E.1 (exp(η₀^c) bounds the growth of σ²_max(𝒯_t)).</summary>
    public double C { get; }

    /// <summary>The parameter d &gt; 1 of Theorem E.1 (the step-size cap (1 + η₀^d)^{t/2}·η₀).</summary>
    public double D { get; }

    /// <summary>η₀⁽¹⁾: the unique positive root of (87).</summary>
    public double Eta1 { get; }

    /// <summary>η₀⁽²⁾: the smallest positive root of (88) (always finite and below <see cref="Eta3"/> when α₁ &gt; 0; see remarks).</summary>
    public double Eta2 { get; }

    /// <summary>η₃ = [log(1 + α₁/(2α₂))]^{1/c}: μ̄ &gt; 0 exactly for η₀ &lt; η₃.</summary>
    public double Eta3 { get; }

    /// <summary>η_max = min(η₀⁽¹⁾, η₀⁽²⁾, η₃).</summary>
    public double EtaMax { get; }

    /// <summary>Which limit is η_max.</summary>
    public TwoLayerStepSizeLimitKind Binding { get; }

    /// <summary>(87)'s residual at <see cref="Eta1"/>: η·K̄₀(η) − 1, relative to the right side 1.</summary>
    public double Residual87 { get; }

    /// <summary>
    /// (88)'s residual at <see cref="Eta2"/>, (right − left) relative to the sum of the absolute values of the terms
    /// of both sides (see <see cref="Equation88Sides"/>): what double evaluation can certify. Relative to
    /// max(|left|, |right|) instead, the residual is ill-conditioned when η₀⁽²⁾ is close to η₃ (μ̄ ≈ 0 and 1 − Δ a
    /// small difference); docs/two-layer-theory.md.
    /// </summary>
    public double Residual88 { get; }

    /// <summary>Theorem E.1's η_max for the constants of Table 2.</summary>
    /// <param name="constants">Table 2 (μ, K, L(0), α₁, α₂, β₂ are used).</param>
    /// <param name="c">c ∈ (0, 1); Theorem 3.2 and the paper's experiments use ½.</param>
    /// <param name="d">d &gt; 1; Theorem 3.2 uses 2, the paper's experiments 1.01.</param>
    /// <exception cref="ArgumentException">c or d is out of range, or α₁ ≤ 0 (the theorem does not apply).</exception>
    public static TwoLayerStepSizeLimit Compute(TwoLayerConstants constants, double c = 0.5, double d = 2.0)
    {
        ArgumentNullException.ThrowIfNull(constants);
        return Compute(constants.Mu, constants.K, constants.InitialLoss, constants.Alpha1, constants.Alpha2, constants.Beta2, c, d);
    }

    /// <summary>Theorem E.1's η_max from the scalars it depends on.</summary>
    /// <param name="mu">μ &gt; 0 of ℓ.</param>
    /// <param name="k">K ≥ μ of ℓ.</param>
    /// <param name="initialLoss">L(0) ≥ 0.</param>
    /// <param name="alpha1">α₁ &gt; 0.</param>
    /// <param name="alpha2">α₂ ≥ α₁.</param>
    /// <param name="beta2">β₂ ≥ 0.</param>
    /// <param name="c">c ∈ (0, 1).</param>
    /// <param name="d">d &gt; 1.</param>
    /// <exception cref="ArgumentException">A value is not finite or out of range; α₁ ≤ 0 (the theorem does not apply).</exception>
    public static TwoLayerStepSizeLimit Compute(double mu, double k, double initialLoss, double alpha1, double alpha2, double beta2, double c, double d)
    {
        TwoLayerConstants.ValidateScalars(mu, k, initialLoss);
        if (!(c > 0.0 && c < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(c), c, "Theorem E.1 needs 0 < c < 1.");
        }
        if (!(d > 1.0) || !double.IsFinite(d))
        {
            throw new ArgumentOutOfRangeException(nameof(d), d, "Theorem E.1 needs a finite d > 1.");
        }
        if (!(alpha1 > 0.0) || !double.IsFinite(alpha1))
        {
            throw new ArgumentException($"α₁ = {alpha1:R}: Theorem 3.2/E.1 assumes α₁ > 0 (sufficient imbalance or margin; Lemma 3.1: h ≥ n + m with a continuous random initialization).", nameof(alpha1));
        }
        if (!(alpha2 >= alpha1) || !double.IsFinite(alpha2))
        {
            throw new ArgumentException($"α₂ = {alpha2:R} with α₁ = {alpha1:R}: α₂ must be finite and at least α₁ (α₁ ≤ σ²_min(𝒯₀) ≤ σ²_max(𝒯₀) ≤ α₂).", nameof(alpha2));
        }
        if (!(beta2 >= 0.0) || !double.IsFinite(beta2))
        {
            throw new ArgumentException($"β₂ = {beta2:R}: β₂ must be finite and non-negative.", nameof(beta2));
        }
        return new TwoLayerStepSizeLimit(mu, k, initialLoss, alpha1, alpha2, beta2, c, d);
    }

    /// <summary>μ̄(η₀) = μ[α₁ + 2α₂(1 − exp(η₀^c))].</summary>
    public double MuBar(double eta0) => Mu * (Alpha1 - 2.0 * Alpha2 * ScalarMath.ExpM1(Math.Pow(eta0, C)));

    /// <summary>K̄₀(η₀) = √(2KL(0)) + 6K²β₂L(0)η₀² + K·exp(η₀^c)·α₂·[1 + 3√(2KL(0))·η₀] (K̄_t at t = 0).</summary>
    public double KBar0(double eta0)
        => _sqrt2KL0 + 6.0 * K * K * Beta2 * InitialLoss * eta0 * eta0
           + K * Math.Exp(Math.Pow(eta0, C)) * Alpha2 * (1.0 + 3.0 * _sqrt2KL0 * eta0);

    /// <summary>ρ̄(η₀, 0) = 1 − 2μ̄η₀ + μ̄K̄₀η₀².</summary>
    public double RhoBar0(double eta0) => 1.0 - MuBar(eta0) * eta0 * (2.0 - KBar0(eta0) * eta0);

    /// <summary>Δ(η₀) = (1 + η₀^d)·ρ̄(η₀, 0).</summary>
    public double Delta(double eta0) => (1.0 + Math.Pow(eta0, D)) * RhoBar0(eta0);

    /// <summary>(87) as η·K̄₀(η) − 1.</summary>
    public double Equation87(double eta) => eta * KBar0(eta) - 1.0;

    /// <summary>
    /// (88)'s two sides, 4KL(0)η² and (1 − exp(−η^c))·(1 − Δ(η)) with 1 − Δ evaluated as μ̄η(2 − K̄₀η) − η^d·ρ̄,
    /// and the scale of their terms, 4KL(0)η² + (1 − e^{−η^c})·[μ(α₁ + 2α₂(e^{η^c} − 1))·η·(2 + K̄₀η) + η^d·|ρ̄|].
    /// </summary>
    public (double Left, double Right, double Scale) Equation88Sides(double eta)
    {
        double left = 4.0 * K * InitialLoss * eta * eta;
        double ec = Math.Pow(eta, C);
        double em1 = ScalarMath.ExpM1(ec);
        double kBar = KBar0(eta);
        double q = Mu * (Alpha1 - 2.0 * Alpha2 * em1) * eta * (2.0 - kBar * eta); // 1 − ρ̄
        double ed = Math.Pow(eta, D);
        double oneMinusDelta = q - ed * (1.0 - q);
        double factor = -ScalarMath.ExpM1(-ec);
        double right = factor * oneMinusDelta;
        double scale = left + factor * (Mu * (Alpha1 + 2.0 * Alpha2 * em1) * eta * (2.0 + kBar * eta) + ed * Math.Abs(1.0 - q));
        return (left, right, scale);
    }

    /// <summary>(88) as right − left (positive near 0).</summary>
    public double Equation88(double eta)
    {
        var (left, right, _) = Equation88Sides(eta);
        return right - left;
    }

    /// <summary>Theorem E.1's rate bounds for a chosen η₀ ∈ (0, η_max].</summary>
    /// <param name="eta0">η₀, 0 &lt; η₀ ≤ <see cref="EtaMax"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">η₀ is not in (0, η_max].</exception>
    public TwoLayerRateBound RateAt(double eta0)
    {
        if (!(eta0 > 0.0 && eta0 <= EtaMax))
        {
            throw new ArgumentOutOfRangeException(nameof(eta0), eta0, $"Theorem E.1 needs 0 < η₀ ≤ η_max = {EtaMax:R} (c = {C:R}, d = {D:R}).");
        }
        return new TwoLayerRateBound(this, eta0);
    }

    private double SmallestRoot88()
    {
        // f(η₃) < 0 exactly (μ̄(η₃) = 0): use the closed form rather than the rounded evaluation.
        double e3 = Eta3;
        double f3 = ScalarMath.ExpM1(-Math.Pow(e3, C)) * Math.Pow(e3, D) - 4.0 * K * InitialLoss * e3 * e3;
        const int PerOctave = 16;
        const int Octaves = 200;
        double ratio = Math.Pow(2.0, 1.0 / PerOctave);
        double lo = e3 * Math.Pow(2.0, -Octaves);
        double fLo = Equation88(lo);
        while (!(fLo > 0.0))
        {
            // Not positive at the bottom of the grid: the first root is lower still; walk down (or give up at the
            // bottom of the normal range: η_max is then 0 in double).
            double lower = lo / 65536.0;
            if (lower < 1e-300)
            {
                return 0.0;
            }
            double fLower = Equation88(lower);
            if (fLower > 0.0)
            {
                return ScalarMath.Refine(Equation88, lower, lo, fLower, fLo);
            }
            lo = lower;
            fLo = fLower;
        }
        for (int j = -Octaves * PerOctave + 1; j <= 0; j++)
        {
            double hi = j == 0 ? e3 : e3 * Math.Pow(ratio, j);
            double fHi = j == 0 ? f3 : Equation88(hi);
            if (!(fHi > 0.0))
            {
                return ScalarMath.Refine(Equation88, lo, hi, fLo, fHi);
            }
            lo = hi;
            fLo = fHi;
        }
        return e3; // unreachable: f(η₃) < 0
    }
}

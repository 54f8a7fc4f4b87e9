using System;
using System.Globalization;

namespace DslOptim.Certificates;

/// <summary>
/// The four constants of bound (6) of the dual-space preconditioning paper (Theorem 2): L_K, the Lipschitz
/// constant of ∇K (Assumption 1.6); m_K, the strong-convexity constant of K on the ball of Assumption 1.7;
/// μ and M, the strong convexity and smoothness of the loss (Assumption 1.5). As in
/// <see cref="AnalysisConstants"/>, <see cref="double.NaN"/> means unknown and <see cref="double.PositiveInfinity"/>
/// means infinite (no Lipschitz constant). Values are not validated: a negative m_K or μ (a potential or loss
/// that is not convex) is legitimate input that makes the corresponding assumption fail.
/// </summary>
/// <param name="LK">L_K: ∇K is L_K-Lipschitz (Assumption 1.6).</param>
/// <param name="MK">m_K: K is m_K-strongly convex on the ball of Assumption 1.7.</param>
/// <param name="Mu">μ: the loss is μ-strongly convex (Assumption 1.5).</param>
/// <param name="M">M: the loss's gradient is M-Lipschitz (Assumption 1.5).</param>
public sealed record CertificateConstants(double LK, double MK, double Mu, double M)
{
    /// <summary>Nothing known: every constant is <see cref="double.NaN"/>.</summary>
    public static CertificateConstants Unknown { get; } = new(double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>
    /// Takes L_K and m_K from the potential's analysis (<see cref="AnalysisConstants.GradientLipschitz"/>,
    /// <see cref="AnalysisConstants.MinimumCurvature"/>) and μ and M from the loss's
    /// (<see cref="AnalysisConstants.LossStrongConvexity"/>, <see cref="AnalysisConstants.LossSmoothness"/>).
    /// The two may come from different optimizers, e.g. <c>Adam.Info.Constants</c> and <c>ClippedGd.Info.Constants</c>.
    /// </summary>
    /// <param name="potential">The constants of the optimizer that declares the potential K.</param>
    /// <param name="loss">The constants of the optimizer that declares the loss ℓ.</param>
    /// <returns>The certificate's constants.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static CertificateConstants FromAnalysis(AnalysisConstants potential, AnalysisConstants loss)
    {
        ArgumentNullException.ThrowIfNull(potential);
        ArgumentNullException.ThrowIfNull(loss);
        return new CertificateConstants(potential.GradientLipschitz, potential.MinimumCurvature, loss.LossStrongConvexity, loss.LossSmoothness);
    }

    /// <summary>All four constants from one optimizer's analysis (it declares both K and ℓ).</summary>
    /// <param name="constants">The optimizer's <c>Info.Constants</c>.</param>
    /// <returns>The certificate's constants.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="constants"/> is null.</exception>
    public static CertificateConstants FromAnalysis(AnalysisConstants constants) => FromAnalysis(constants, constants);

    /// <summary>
    /// Replaces m_K. The analysis reports a global m_K = inf φ″, which is 0 for potentials such as Adam's;
    /// Assumption 1.7 only needs strong convexity on the ball the gradients stay in, so a caller who knows that
    /// ball may supply the local constant (see <see cref="AdamLocalMinimumCurvature"/>).
    /// </summary>
    /// <param name="minimumCurvature">The local m_K.</param>
    /// <returns>A copy with <see cref="MK"/> replaced.</returns>
    public CertificateConstants WithMinimumCurvature(double minimumCurvature) => this with { MK = minimumCurvature };

    /// <summary>
    /// The local m_K of the paper's Adam example (§II.A.3): φ(z) = |z| − ε log(ε + |z|) has φ″(z) = ε/(ε + |z|)²,
    /// whose minimum over |z| ≤ g is ε/(ε + g)², with g = max |∇L(W₀)_jj′|.
    /// </summary>
    /// <param name="epsilon">Adam's ε; finite and positive.</param>
    /// <param name="maxAbsInitialGradient">g = max over entries of |∇L(W₀)|; finite and non-negative.</param>
    /// <returns>ε / (ε + g)².</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static double AdamLocalMinimumCurvature(double epsilon, double maxAbsInitialGradient)
    {
        if (!(epsilon > 0.0) || !double.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be finite and positive.");
        }
        if (!(maxAbsInitialGradient >= 0.0) || !double.IsFinite(maxAbsInitialGradient))
        {
            throw new ArgumentOutOfRangeException(nameof(maxAbsInitialGradient), maxAbsInitialGradient, "The largest initial gradient magnitude must be finite and non-negative.");
        }
        var denominator = epsilon + maxAbsInitialGradient;
        return epsilon / (denominator * denominator);
    }

    /// <summary>The constants in the paper's notation, e.g. <c>L_K = 1, m_K = 0.5, μ = 1, M = 1</c>; NaN shows as <c>unknown</c>.</summary>
    /// <returns>One line, invariant culture.</returns>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture,
            $"L_K = {CertificateFormat.Number(LK)}, m_K = {CertificateFormat.Number(MK)}, μ = {CertificateFormat.Number(Mu)}, M = {CertificateFormat.Number(M)}");
}

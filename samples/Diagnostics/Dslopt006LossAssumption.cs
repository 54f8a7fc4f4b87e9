using System;
using DslOptim;

namespace DiagnosticsGallery;

/// <summary>
/// DSLOPT006, loss outside Assumption 1.5. Plain GD (φ(z) = z²/2, nothing to report) on the log-cosh loss
/// ℓ(r) = log cosh r: convex, minimal at r = 0, ℓ′ = tanh is 1-Lipschitz (M = 1), but ℓ″(r) = 1/cosh²(r) → 0
/// as |r| → ∞, so μ = inf ℓ″ = 0. Convergence (Theorem 1) is untouched; the linear rate (6) and the step
/// size η* of Remark 1, which need μ &gt; 0, are lost.
/// </summary>
/// <remarks>
/// The logistic loss log(1 + e^(−r)) has μ = 0 as well, but on a residual it also has no minimizer
/// (ℓ′ &lt; 0 everywhere), which no diagnostic names; log-cosh shows μ = 0 and nothing else.
/// Expected, on the loss:
///   warning DSLOPT006: The loss LogCosh is not strongly convex: μ = inf ℓ″ = 0 (LogCosh″(10) = 8.245E-09),
///   so the linear rate (6) and η* of Remark 1 are lost (Assumption 1.5)
/// </remarks>
[Optimizer]
public partial struct LogCoshLossGd
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => 0.5 * z * z;

    [Loss] public static double LogCosh(double r) => Math.Log(Math.Cosh(r));

    [Schedule] public double LearningRate(long t) => 0.1;
}

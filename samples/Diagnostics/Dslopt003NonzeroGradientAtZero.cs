using DslOptim;

namespace DiagnosticsGallery;

/// <summary>
/// DSLOPT003, ∇K(0) ≠ 0. φ(z) = (z − 1)²/2 is convex and smooth with ∇K 1-Lipschitz, but it is minimal at
/// z = 1: ∇K(0) = φ′(0) = −1. The update keeps moving where the gradient of the loss is 0, so the
/// iteration cannot rest on an interpolating point (Assumption 1.1).
/// </summary>
/// <remarks>
/// Expected:
///   warning DSLOPT003: ∇K(0) ≠ 0: Phi′(0) = -1; Assumption 1.1 needs ∇K = 0 where K is minimal, or the
///   iteration cannot rest on an interpolating point
/// </remarks>
[Optimizer]
public partial struct ShiftedQuadratic
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => 0.5 * (z - 1) * (z - 1);

    [Schedule] public double LearningRate(long t) => 0.1;
}

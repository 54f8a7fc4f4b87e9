using DslOptim;

namespace DiagnosticsGallery;

/// <summary>
/// No diagnostic: gradient clipping (§II.A.2) on the squared loss, the control of the gallery.
/// h(s) = s²/2 for s ≤ ε, εs − ε²/2 beyond: continuous and C¹ at s = ε (value ε²/2, slope ε on both sides;
/// only h″ jumps, from 1 to 0, which is allowed), convex, h′(0) = 0, h′(s) = min(s, ε) &gt; 0 for s &gt; 0, and
/// L_K = max(sup h″, sup h′(s)/s) = 1. ℓ(r) = r²/2 has μ = M = 1.
/// </summary>
/// <remarks>
/// Expected: no diagnostic; Info lists K convex, ∇K(0) = 0 and Theorem 2's conditions as proven, with
/// L_K = 1 and μ = M = 1.
/// </remarks>
[Optimizer]
public partial struct ClippedGd
{
    public double Eps { get; init; } = 1.0;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s <= Eps ? 0.5 * s * s : Eps * s - 0.5 * Eps * Eps;

    [Loss] public static double Squared(double r) => 0.5 * r * r;

    [Schedule] public double LearningRate(long t) => 0.1;
}

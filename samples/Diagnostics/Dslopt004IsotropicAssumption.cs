using DslOptim;

namespace DiagnosticsGallery;

/// <summary>
/// DSLOPT004, isotropic potential outside Theorem 2. A dead zone: h(s) = 0 for s ≤ ε and (s − ε)²/2 beyond,
/// so ∇K(G) = max(0, 1 − ε/‖G‖_F)·G. h is convex and C¹, h′(0) = 0 and ∇K is 1-Lipschitz, but h′(s) = 0 on
/// (0, ε]: ∇K(G) is not a positive multiple of G, the update stops as soon as ‖∇L(W)‖_F ≤ ε, and the
/// implicit bias of Theorem 2 (min ‖W − W₀‖_F s.t. XW = Y) is lost.
/// </summary>
/// <remarks>
/// The other way to break Theorem 2, h′(0) ≠ 0 (e.g. h(s) = s + s²/2, or normalized GD without ε, h(s) = s),
/// is DSLOPT004 too; such an h also has h′(s)/s → ∞ as s → 0, so Info shows L_K = ∞ as well. The dead zone
/// breaks Theorem 2 with everything else in order (L_K = 1). The analysis uses Eps = 0.5, the declared default.
/// Expected, with a witness s in (0, 0.5]:
///   warning DSLOPT004: h′(s) ≤ 0 at s = 0.25: H′(0.25) = 0, so ∇K(G) = h′(‖G‖)/‖G‖·G is not a positive
///   multiple of G and Theorem 2's implicit bias is lost
/// </remarks>
[Optimizer]
public partial struct DeadZoneGd
{
    public double Eps { get; init; } = 0.5;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s <= Eps ? 0.0 : 0.5 * (s - Eps) * (s - Eps);

    [Schedule] public double LearningRate(long t) => 0.1;
}

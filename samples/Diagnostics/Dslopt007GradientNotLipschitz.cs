using System;
using DslOptim;

namespace DiagnosticsGallery;

/// <summary>
/// DSLOPT007, ∇K not Lipschitz. φ(z) = |z|^1.5 is convex, differentiable (φ′(z) = 1.5·sign(z)·|z|^0.5 is
/// continuous, 0 at 0) and minimal at 0, but φ″(z) = 0.75·|z|^−0.5 is unbounded near z = 0: L_K = ∞, and
/// the bound (6) and η* (Remark 1), which contain L_K, prove no step size.
/// </summary>
/// <remarks>
/// |z| appears, but φ has no kink: the one-sided derivatives at 0 are both 0, so there is no DSLOPT002.
/// Expected:
///   warning DSLOPT007: ∇K is not Lipschitz: Phi″ is unbounded near z = 0 (Phi″(1E-12) = 7.5E+05), so
///   L_K = ∞ (Assumption 1.6)
/// </remarks>
[Optimizer]
public partial struct ThreeHalvesPower
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Pow(Math.Abs(z), 1.5);

    [Schedule] public double LearningRate(long t) => 0.1;
}

using System;
using DslOptim;

namespace DiagnosticsGallery;

/// <summary>
/// DSLOPT001, potential not convex. The Cauchy (Lorentzian) potential of robust statistics,
/// φ(z) = log(1 + z²): φ″(z) = 2(1 − z²)/(1 + z²)² is negative for |z| &gt; 1.
/// </summary>
/// <remarks>
/// Everything else holds, so this is the only diagnostic: φ is smooth, φ′(0) = 0, φ ≥ φ(0) = 0, and
/// φ″ ∈ [−1/4, 2], so ∇K is 2-Lipschitz. (The double well z⁴ − z² is not convex either, but it is also
/// minimal away from 0 (DSLOPT003) and φ″ = 12z² − 2 is unbounded (DSLOPT007).)
/// Expected (the witness is the analyzer's choice; by hand, φ(2) = 1.61 &gt; (φ(1) + φ(3))/2 = 1.50):
///   warning DSLOPT001: Phi is not convex, so K(Z) = Σ Phi(z_ij) is not (Assumption 1.1):
///   Phi(-15) = 5.421 &gt; (Phi(-31) + Phi(1))/2 = 3.781
/// </remarks>
[Optimizer]
public partial struct CauchyPotential
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Log(1 + z * z);

    [Schedule] public double LearningRate(long t) => 0.1;
}

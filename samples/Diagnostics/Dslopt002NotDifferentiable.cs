using System;
using DslOptim;

namespace DiagnosticsGallery;

/// <summary>
/// DSLOPT002, not differentiable at a point. φ(z) = |z| + z²/2 is convex, but |z| has a kink at z = 0:
/// the one-sided derivatives of φ there are −1 and +1, so ∇K(0) is not defined.
/// </summary>
/// <remarks>
/// Expected, on <c>Math.Abs(z)</c>:
///   warning DSLOPT002: Phi is not differentiable at z = 0, |z| (Math.Abs): one-sided slopes -1 and 1
/// The code fix (light bulb in the IDE) smooths |z| into √(z² + δ²) and declares δ:
///   public double Delta { get; init; } = 1e-3;
///   public double Phi(double z) => Math.Sqrt(z * z + Delta * Delta) + 0.5 * z * z;
/// </remarks>
[Optimizer]
public partial struct AbsPlusQuadratic
{
    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Abs(z) + 0.5 * z * z;

    [Schedule] public double LearningRate(long t) => 0.1;
}

using System;
using DslOptim;

namespace Quickstart;

// The three examples of the dual-space preconditioning paper, §II.A, written as the paper writes them.
// The generator derives ∇K from each potential and emits the fused Step kernels.

/// <summary>Normalized GD (§II.A.1): K(Z) = ‖Z‖_F − ε log(ε + ‖Z‖_F), so ∇K(G) = G/(ε + ‖G‖_F).</summary>
[Optimizer]
public partial struct NormalizedGd
{
    public double Eps { get; init; } = 0.5;
    public double Eta { get; init; } = 0.5;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s - Eps * Math.Log(Eps + s);

    [Loss] public static double Squared(double r) => 0.5 * r * r;

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>Gradient clipping (§II.A.2): h(s) = s²/2 for s ≤ ε, εs − ε²/2 beyond; ∇K(G) = min(ε/‖G‖_F, 1)·G.</summary>
[Optimizer]
public partial struct ClippedGd
{
    public double Eps { get; init; } = 1.0;
    public double Eta { get; init; } = 0.5;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s <= Eps ? 0.5 * s * s : Eps * s - 0.5 * Eps * Eps;

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>Adam without momentum (§II.A.3, eq. 7): φ(z) = |z| − ε log(ε + |z|), ∇K(G)_ij = g_ij/(ε + |g_ij|).</summary>
[Optimizer]
public partial struct AdamWithoutMomentum
{
    public double Eps { get; init; } = 0.5;
    public double Eta { get; init; } = 0.25;

    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Abs(z) - Eps * Math.Log(Eps + Math.Abs(z));

    [Schedule] public double LearningRate(long t) => Eta;
}

using System;

namespace DslOptim.Benchmarks;

// Two of the paper's potentials (§II.A), declared as in samples/Quickstart/Optimizers.cs; the generator
// (referenced as an analyzer) emits their Step kernels, which the step benchmarks time.

/// <summary>Adam without momentum (§II.A.3, eq. 7): elementwise, ∇K(G)_ij = g_ij/(ε + |g_ij|).</summary>
[Optimizer]
public partial struct AdamWithoutMomentum
{
    public double Eps { get; init; } = 0.5;
    public double Eta { get; init; } = 1e-3;

    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Abs(z) - Eps * Math.Log(Eps + Math.Abs(z));

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>Gradient clipping (§II.A.2): isotropic, ∇K(G) = min(ε/‖G‖_F, 1)·G.</summary>
[Optimizer]
public partial struct ClippedGd
{
    public double Eps { get; init; } = 1.0;
    public double Eta { get; init; } = 1e-3;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s <= Eps ? 0.5 * s * s : Eps * s - 0.5 * Eps * Eps;

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>
/// Normalized GD (§II.A.1) with the squared loss ℓ(r) = r²/2: the [Loss] makes the generator emit the fused full step
/// Step(problem, w, workspace, t) that LinearModelBenchmarks times. ∇K(G) = G/(ε + ‖G‖_F) has norm below 1, so with
/// η = 1e-9 each step moves W by less than 1e-9 and repeated steps never blow up.
/// </summary>
[Optimizer]
public partial struct LinearNormalizedGd
{
    public double Eps { get; init; } = 0.5;
    public double Eta { get; init; } = 1e-9;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s - Eps * Math.Log(Eps + s);

    [Loss] public static double Squared(double r) => 0.5 * r * r;

    [Schedule] public double LearningRate(long t) => Eta;
}

using System;
using DslOptim;

namespace Zoo;

// The dual-space preconditioning paper's three examples (§II.A), W ← W − η ∇K(∇L(W)), declared as the paper
// writes them. They keep no state: ∇K reads the current gradient only. The zoo's values of ε and η are set in
// Methods.cs; the defaults here are the paper's.

/// <summary>Normalized GD (§II.A.1): K(Z) = ‖Z‖ − ε log(ε + ‖Z‖), so ∇K(G) = G/(ε + ‖G‖).</summary>
[Optimizer]
public partial struct NormalizedGd
{
    public double Eps { get; init; } = 0.5;
    public double Eta { get; init; } = 0.5;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s - Eps * Math.Log(Eps + s);

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>Gradient clipping (§II.A.2): h(s) = s²/2 for s ≤ ε, εs − ε²/2 beyond; ∇K(G) = min(ε/‖G‖, 1)·G.</summary>
[Optimizer]
public partial struct ClippedGd
{
    public double Eps { get; init; } = 1.0;
    public double Eta { get; init; } = 0.5;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s <= Eps ? 0.5 * s * s : Eps * s - 0.5 * Eps * Eps;

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>Adam without momentum (§II.A.3, eq. 7): φ(z) = |z| − ε log(ε + |z|), ∇K(G)_i = g_i/(ε + |g_i|).</summary>
[Optimizer]
public partial struct AdamWithoutMomentum
{
    public double Eps { get; init; } = 0.5;
    public double Eta { get; init; } = 0.25;

    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Abs(z) - Eps * Math.Log(Eps + Math.Abs(z));

    [Schedule] public double LearningRate(long t) => Eta;
}

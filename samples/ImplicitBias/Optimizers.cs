using System;
using DslOptim;

namespace ImplicitBias;

// The optimizers of the experiment, written as the dual-space preconditioning paper writes them (§II.A, §IV).
// Each declares the squared loss ℓ(r) = r²/2, so its Info.Constants carry μ = M = 1 (Assumption 1.5) next to
// L_K; the certificates read them from there. The declared defaults of ε are the values the experiment uses for
// Theorem 2, because the analysis (and so Info.Constants) is done for the declared defaults. η is set per run.

/// <summary>Plain gradient descent as a dual-space method: K(Z) = ½‖Z‖²_F, so ∇K(G) = G (L_K = m_K = 1).</summary>
[Optimizer]
public partial struct PlainGd
{
    public double Eta { get; init; } = 0.1;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => 0.5 * s * s;

    [Loss] public static double Squared(double r) => 0.5 * r * r;

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>Normalized GD (§II.A.1): K(Z) = ‖Z‖_F − ε log(ε + ‖Z‖_F), so ∇K(G) = G/(ε + ‖G‖_F).</summary>
[Optimizer]
public partial struct NormalizedGd
{
    public double Eps { get; init; } = 0.5;
    public double Eta { get; init; } = 0.05;

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
    public double Eta { get; init; } = 0.1;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s <= Eps ? 0.5 * s * s : Eps * s - 0.5 * Eps * Eps;

    [Loss] public static double Squared(double r) => 0.5 * r * r;

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>
/// Adam without momentum (§II.A.3, eq. 10): φ(z) = |z| − ε log(ε + |z|) per entry, so ∇K(G)_ij = g_ij/(ε + |g_ij|).
/// Not isotropic: Theorem 2's first part does not apply and the limit depends on ε and η (Fig. 1, Fig. 2).
/// </summary>
[Optimizer]
public partial struct AdamWithoutMomentum
{
    public double Eps { get; init; } = 0.5;
    public double Eta { get; init; } = 0.005;

    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Abs(z) - Eps * Math.Log(Eps + Math.Abs(z));

    [Loss] public static double Squared(double r) => 0.5 * r * r;

    [Schedule] public double LearningRate(long t) => Eta;
}

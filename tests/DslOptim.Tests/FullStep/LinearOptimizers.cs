using System;
using DslOptim;

namespace DslOptim.Tests.FullStep;

// The paper's three potentials with the squared loss of §IV, and a preconditioner with a non-quadratic loss,
// so that the generated full step Step(problem, w, workspace, t) exists for each kernel shape.

[Optimizer]
public partial struct LinearNormalizedGd
{
    public double Eps { get; init; } = 0.5;
    public double Eta { get; init; } = 0.5;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s - Eps * Math.Log(Eps + s);

    [Loss] public static double Squared(double r) => 0.5 * r * r;

    [Schedule] public double LearningRate(long t) => Eta;
}

[Optimizer]
public partial struct LinearClippedGd
{
    public double Eps { get; init; } = 1.0;
    public double Eta { get; init; } = 1.0;

    [Potential(PotentialKind.Isotropic)]
    public double H(double s) => s <= Eps ? 0.5 * s * s : Eps * s - 0.5 * Eps * Eps;

    [Loss] public static double Squared(double r) => 0.5 * r * r;

    [Schedule] public double LearningRate(long t) => Eta;
}

[Optimizer]
public partial struct LinearAdamWithoutMomentum
{
    public double Eps { get; init; } = 0.5;
    public double Eta { get; init; } = 0.2;

    [Potential(PotentialKind.Elementwise)]
    public double Phi(double z) => Math.Abs(z) - Eps * Math.Log(Eps + Math.Abs(z));

    [Loss] public static double Squared(double r) => 0.5 * r * r;

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>A preconditioner with a pseudo-Huber loss whose width is a hyperparameter (an instance loss).</summary>
[Optimizer]
public partial struct LinearSoftSign
{
    public double Delta { get; init; } = 0.3;
    public double Width { get; init; } = 0.7;
    public double Lr { get; init; } = 0.05;

    [Preconditioner] public double Direction(double g) => g / Math.Sqrt(g * g + Delta * Delta);

    [Loss] public double PseudoHuber(double r) => Width * Width * (Math.Sqrt(1 + r * r / (Width * Width)) - 1);

    [Schedule] public double LearningRate(long t) => Lr / Math.Sqrt(t);
}

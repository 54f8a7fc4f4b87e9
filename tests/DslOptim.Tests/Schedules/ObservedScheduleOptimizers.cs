using System;
using DslOptim;

namespace DslOptim.Tests.Schedules;

/// <summary>
/// Gradient descent with Polyak's step size η_t = c·(L(w_{t−1}) − L*)/‖∇L(w_{t−1})‖², a schedule of the previous
/// step's observed loss and gradient norm (bound by name).
/// </summary>
[Optimizer]
public partial struct PolyakGd
{
    public double MinLoss { get; init; } = 0.0;
    public double Scale { get; init; } = 1.0;

    [Preconditioner] public double Direction(double g) => g;
    [Loss] public static double Squared(double r) => 0.5 * r * r;
    [Schedule] public double Polyak(double loss, double gradientNorm)
        => gradientNorm > 0 ? Scale * (loss - MinLoss) / (gradientNorm * gradientNorm) : 0.0;
}

/// <summary>Heavy ball whose step shrinks with the weights' norm: a stateful optimizer whose schedule reads t and the whole ObservedQuantities.</summary>
[Optimizer]
public partial struct ObservedHeavyBall
{
    public double Lr { get; init; } = 0.1;
    public double Momentum { get; init; } = 0.9;

    [State] public double B(double g, double b) => Momentum * b + g;
    [Preconditioner] public double Direction(double b) => b;
    [Schedule] public double Eta(long t, in ObservedQuantities observed) => Lr / (1 + observed.WeightNorm) / Math.Sqrt(t);
}

using System;
using DslOptim;

namespace DslOptim.Tests.State;

/// <summary>DESIGN.md's Adam (notes §4, Fig. 1 with ε outside the square root as in torch).</summary>
[Optimizer]
public partial struct Adam
{
    public double Lr { get; init; } = 1e-3;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Eps { get; init; } = 1e-8;

    [State] public double M(double g, double m) => Beta1 * m + (1 - Beta1) * g;
    [State] public double V(double g, double v) => Beta2 * v + (1 - Beta2) * g * g;
    [Preconditioner]
    public double Direction(double m, double v, long t)
        => m / (1 - Math.Pow(Beta1, t)) / (Math.Sqrt(v / (1 - Math.Pow(Beta2, t))) + Eps);
    [Schedule] public double LearningRate(long t) => Lr;
}

/// <summary>AdamW: decoupled weight decay written as an [Update] (notes §4.4): w ← w − lr·(d + λw).</summary>
[Optimizer]
public partial struct AdamW
{
    public double Lr { get; init; } = 1e-2;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Eps { get; init; } = 1e-8;
    public double WeightDecay { get; init; } = 0.01;

    [State] public double M(double g, double m) => Beta1 * m + (1 - Beta1) * g;
    [State] public double V(double g, double v) => Beta2 * v + (1 - Beta2) * g * g;
    [Preconditioner]
    public double Direction(double m, double v, long t)
        => m / (1 - Math.Pow(Beta1, t)) / (Math.Sqrt(v / (1 - Math.Pow(Beta2, t))) + Eps);
    [Update] public double Decoupled(double w, double d, double lr) => w - lr * (d + WeightDecay * w);
    [Schedule] public double LearningRate(long t) => Lr / Math.Sqrt(t);
}

/// <summary>Polyak heavy ball in torch's form: b_t = μ b_{t−1} + g, w ← w − lr·b_t.</summary>
[Optimizer]
public partial struct HeavyBall
{
    public double Lr { get; init; } = 0.05;
    public double Momentum { get; init; } = 0.9;

    [State] public double B(double g, double b) => Momentum * b + g;
    [Preconditioner] public double Direction(double b) => b;
    [Schedule] public double LearningRate(long t) => Lr;
}

/// <summary>
/// A scalar state (NAdam's running product of μ_t, notes §4.3) beside a per-element state, an initial value,
/// and a state that reads an earlier state's new value and a later state's previous value.
/// </summary>
[Optimizer]
public partial struct ScalarAndOrder
{
    public double Lr { get; init; } = 0.1;
    public double Beta { get; init; } = 0.8;

    [State(Initial = 1.0)] public double Product(double product, long t) => product * (Beta + 0.1 / t);
    [State] public double A(double g, double a, double c) => Beta * a + g + 0.5 * c;
    [State(Initial = 2.0)] public double C(double a, double c) => 0.5 * c + a;
    [Preconditioner] public double Direction(double a, double c, double product) => (a + 0.25 * c) * product;
    [Schedule] public double LearningRate(long t) => Lr;
}

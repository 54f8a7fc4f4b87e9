using System;
using System.Collections.Generic;
using System.Linq;
using DslOptim.Optimizers;

namespace Zoo;

/// <summary>One optimizer step on double weights: w ← step(w, g) at step t = 1, 2, ….</summary>
public delegate void StepFunction(Span<double> w, ReadOnlySpan<double> g, long t);

/// <summary>A fresh optimizer with its state: the step, and the state object (null for a stateless optimizer).</summary>
public sealed record Instance(StepFunction Step, object? State);

/// <summary>An optimizer of the zoo with the hyperparameters it runs with here.</summary>
/// <param name="Name">The row's name.</param>
/// <param name="Hyperparameters">The values it runs with, as the table prints them.</param>
/// <param name="Adaptive">It scales the step per coordinate or by the gradient's size (not plain or momentum SGD).</param>
/// <param name="Create">A fresh optimizer and state for <c>d</c> parameters.</param>
public sealed record Method(string Name, string Hyperparameters, bool Adaptive, Func<int, Instance> Create)
{
    /// <summary>The starting point for <c>d</c> parameters: w = 0, except for the constrained methods (a point of their set).</summary>
    public Func<int, double[]> Start { get; init; } = d => new double[d];

    /// <summary>
    /// State bytes per parameter, counted from the optimizer's <c>State&lt;double&gt;</c>: the generated state exposes
    /// one <c>Span&lt;T&gt;</c> buffer of length d per per-element state, so this is their number × sizeof(double).
    /// Scalar states (NAdam's Π_t) are one value per optimizer, not per parameter, and are not counted.
    /// </summary>
    public int StateBytesPerParameter(int d)
    {
        var state = Create(d).State;
        if (state is null)
        {
            return 0;
        }
        var buffers = state.GetType().GetProperties().Count(p => p.PropertyType == typeof(Span<double>));
        return buffers * sizeof(double);
    }
}

/// <summary>
/// The zoo: every ready optimizer of <c>DslOptim.Optimizers</c> and the paper's three stateless dual-space optimizers
/// (DualSpaceOptimizers.cs), each with hyperparameters tuned on this problem (seed 1, 500 steps): η — and ε for the
/// dual-space three — from a 1–2–5 grid, the lowest final loss (ties within 1e-6 going to the fewest steps to the
/// target) among the values whose next larger η still reaches the target; everything else at the declared defaults.
/// </summary>
public static class Methods
{
    public static IReadOnlyList<Method> All { get; } = new Method[]
    {
        Stateless("SGD", "η=10", adaptive: false, new Sgd { Lr = 10 }.Step),
        Stateful("SGD momentum", "η=5, μ=0.9", adaptive: false, d =>
        {
            var opt = new SgdMomentum { Lr = 5, Momentum = 0.9 };
            var state = opt.CreateState<double>(d);
            return new Instance((w, g, t) => opt.Step(w, g, state, t), state);
        }),
        Stateful("SGD Nesterov", "η=5, μ=0.9", adaptive: false, d =>
        {
            var opt = new SgdNesterov { Lr = 5, Momentum = 0.9 };
            var state = opt.CreateState<double>(d);
            return new Instance((w, g, t) => opt.Step(w, g, state, t), state);
        }),
        Stateful("AdaGrad", "η=1, ε=1e-10", adaptive: true, d =>
        {
            var opt = new AdaGrad { Lr = 1 };
            var state = opt.CreateState<double>(d);
            return new Instance((w, g, t) => opt.Step(w, g, state, t), state);
        }),
        Stateful("RMSprop", "η=0.01, α=0.99, ε=1e-8", adaptive: true, d =>
        {
            var opt = new RmsProp { Lr = 0.01 };
            var state = opt.CreateState<double>(d);
            return new Instance((w, g, t) => opt.Step(w, g, state, t), state);
        }),
        Stateful("RMSprop momentum", "η=0.005, α=0.99, μ=0.9", adaptive: true, d =>
        {
            var opt = new RmsPropMomentum { Lr = 0.005 };
            var state = opt.CreateState<double>(d);
            return new Instance((w, g, t) => opt.Step(w, g, state, t), state);
        }),
        Stateful("RMSprop centered", "η=0.01, α=0.99, ε=1e-8", adaptive: true, d =>
        {
            var opt = new RmsPropCentered { Lr = 0.01 };
            var state = opt.CreateState<double>(d);
            return new Instance((w, g, t) => opt.Step(w, g, state, t), state);
        }),
        Stateful("Adam", "η=0.1, β=(0.9, 0.999), ε=1e-8", adaptive: true, d =>
        {
            var opt = new Adam { Lr = 0.1 };
            var state = opt.CreateState<double>(d);
            return new Instance((w, g, t) => opt.Step(w, g, state, t), state);
        }),
        Stateful("AdamW", "η=0.2, β=(0.9, 0.999), λ=1e-2", adaptive: true, d =>
        {
            var opt = new AdamW { Lr = 0.2 };
            var state = opt.CreateState<double>(d);
            return new Instance((w, g, t) => opt.Step(w, g, state, t), state);
        }),
        Stateful("AMSGrad", "η=0.1, β=(0.9, 0.999), ε=1e-8", adaptive: true, d =>
        {
            var opt = new AmsGrad { Lr = 0.1 };
            var state = opt.CreateState<double>(d);
            return new Instance((w, g, t) => opt.Step(w, g, state, t), state);
        }),
        Stateful("NAdam", "η=0.02, β=(0.9, 0.999), ψ=4e-3", adaptive: true, d =>
        {
            var opt = new NAdam { Lr = 0.02 };
            var state = opt.CreateState<double>(d);
            return new Instance((w, g, t) => opt.Step(w, g, state, t), state);
        }),
        Stateful("Lion", "η=0.02, β=(0.9, 0.99)", adaptive: true, d =>
        {
            var opt = new Lion { Lr = 0.02 };
            var state = opt.CreateState<double>(d);
            return new Instance((w, g, t) => opt.Step(w, g, state, t), state);
        }),
        Stateful("AdamW (Fig. 1)", "η=0.2, β=(0.9, 0.999), ε=1e-8 in √, λ=1e-2", adaptive: true, d =>
        {
            var opt = new AdamFig1 { Lr = 0.2 };
            var state = opt.CreateState<double>(d);
            return new Instance((w, g, t) => opt.Step(w, g, state, t), state);
        }),
        Stateful("Adam-atan2", "η=0.1, β=(0.9, 0.999), a=b=1", adaptive: true, d =>
        {
            var opt = new AdamAtan2 { Lr = 0.1 };
            var state = opt.CreateState<double>(d);
            return new Instance((w, g, t) => opt.Step(w, g, state, t), state);
        }),
        // The constrained two start on their sets (w = 0 is on neither) and minimize L there, so they stop above L*
        // unless the set holds the minimizer: the simplex does not (its best loss is 0.62), the sphere of radius 10 nearly does.
        Stateless("Exponentiated gradient", "η=5, w₀=1/d", adaptive: false, new ExponentiatedGradient { Lr = 5 }.Step) with { Start = d => Filled(d, 1.0 / d) },
        Stateless("Sphere SGD", "η=10, r=10, w₀=r/√d", adaptive: false, new SphereSgd { Lr = 10, Radius = 10 }.Step) with { Start = d => Filled(d, 10 / Math.Sqrt(d)) },
        Stateless("Normalized GD", "η=5, ε=0.5", adaptive: true, new NormalizedGd { Eta = 5, Eps = 0.5 }.Step),
        Stateless("Gradient clipping", "η=10, ε=0.1", adaptive: true, new ClippedGd { Eta = 10, Eps = 0.1 }.Step),
        Stateless("Adam w/o momentum", "η=5, ε=0.5", adaptive: true, new AdamWithoutMomentum { Eta = 5, Eps = 0.5 }.Step),
    };

    private static double[] Filled(int d, double value)
    {
        var w = new double[d];
        Array.Fill(w, value);
        return w;
    }

    private static Method Stateless(string name, string hyperparameters, bool adaptive, StepFunction step)
        => new(name, hyperparameters, adaptive, _ => new Instance(step, null));

    private static Method Stateful(string name, string hyperparameters, bool adaptive, Func<int, Instance> create)
        => new(name, hyperparameters, adaptive, create);
}

using System.Collections.Generic;
using Sched = DslOptim.Schedules;

namespace DslOptim.Tests.Schedules;

/// <summary>One schedule of every kind the runtime has, built-in and composite, for the tests that hold for all.</summary>
public static class ScheduleCatalog
{
    public static IReadOnlyList<(string Name, LearningRateSchedule Schedule)> Schedules { get; } =
    [
        ("constant", Sched.Constant(0.1)),
        ("step", Sched.Step(0.1, 100, 0.5)),
        ("exponential", Sched.Exponential(0.1, 0.995)),
        ("linear warmup", Sched.LinearWarmup(0.1, 250)),
        ("cosine", Sched.Cosine(0.1, 999, 0.001)),
        ("cosine with warmup", Sched.Cosine(0.1, 999, 1e-4, warmupSteps: 100)),
        ("warmup-stable-decay", Sched.WarmupStableDecay(0.1, 100, 500, 400, 1e-3)),
        ("inverse square root", Sched.InverseSquareRoot(0.1, 100)),
        ("polynomial", Sched.Polynomial(0.1, 800, 2.0, 1e-4)),
        ("then", Sched.LinearWarmup(0.1, 50, 0.25).Then(Sched.Exponential(0.1, 0.99), 50).Then(Sched.Step(0.1, 150, 0.3), 400)),
        ("scaled", Sched.Cosine(1.0, 999).Scaled(0.1)),
        ("product", Sched.Product(Sched.LinearWarmup(1.0, 100, 0.1), Sched.Exponential(0.1, 0.997))),
        ("adaptive", new PolyakSchedule(0.1)),
        ("adaptive inside composites", Sched.Constant(0.01).Then(new PolyakSchedule(0.1).Scaled(0.5), 10).Times(Sched.LinearWarmup(1.0, 5))),
    ];

    public static IEnumerable<object[]> All()
    {
        foreach (var (name, schedule) in Schedules)
        {
            yield return [name, schedule];
        }
    }
}

/// <summary>
/// A schedule that reads observed quantities, as an adaptive step size does: the Polyak step
/// η_t = min(cap, L(w_{t−1}) / ‖∇L(w_{t−1})‖²) (optimal value 0 assumed), and the cap when they are unknown.
/// </summary>
public sealed class PolyakSchedule : LearningRateSchedule
{
    public PolyakSchedule(double cap) => Cap = cap;

    public double Cap { get; }

    public override double At(long t) => At(t, ObservedQuantities.Unknown);

    public override double At(long t, in ObservedQuantities observed)
    {
        CheckStep(t);
        if (!observed.HasLoss || !observed.HasGradientNorm || observed.GradientNorm == 0)
        {
            return Cap;
        }
        double step = observed.Loss / (observed.GradientNorm * observed.GradientNorm);
        return step < Cap ? step : Cap;
    }
}

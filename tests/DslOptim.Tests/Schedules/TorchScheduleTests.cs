using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DslOptim.Tests.Infrastructure;
using DslOptim.Tests.ReferenceData;
using Xunit;
using Sched = DslOptim.Schedules;

namespace DslOptim.Tests.Schedules;

/// <summary>
/// Every schedule torch also has equals torch.optim.lr_scheduler's learning rates (reference/schedules.csv) for 1,000
/// optimizer steps: At(t) against torch's value after t − 1 scheduler steps.
/// </summary>
public sealed class TorchScheduleTests
{
    /// <summary>
    /// Relative, not the house rule's max(1, |expected|): learning rates are far below 1, where that rule turns absolute
    /// and would accept almost anything. torch's recurrences and these closed forms agree to about 1e-14.
    /// </summary>
    private const double Relative = 1e-12;

    /// <summary>The C# twin of each configuration of reference/torch_reference.py's SCHEDULES; keep the two in step.</summary>
    private static readonly Dictionary<string, LearningRateSchedule> Twins = new(StringComparer.Ordinal)
    {
        ["constant"] = Sched.Constant(0.1),
        ["step"] = Sched.Step(0.1, stepSize: 100, gamma: 0.5),
        ["exponential"] = Sched.Exponential(0.1, gamma: 0.995),
        ["linear_warmup"] = Sched.LinearWarmup(0.1, warmupSteps: 250, startFactor: 0.1),
        ["cosine"] = Sched.Cosine(0.1, totalSteps: 999, floor: 0.001),
        ["cosine_zero_floor"] = Sched.Cosine(0.5, totalSteps: 1000),
        ["cosine_warmup"] = Sched.Cosine(0.1, totalSteps: 999, floor: 1e-4, warmupSteps: 100, warmupStartFactor: 0.01),
        ["cosine_hold"] = Sched.Cosine(0.1, totalSteps: 600, floor: 0.002),
        ["polynomial"] = Sched.Polynomial(0.1, totalSteps: 800, power: 2.0),
        ["polynomial_sqrt"] = Sched.Polynomial(0.3, totalSteps: 1000, power: 0.5),
        ["sequential3"] = Sched.LinearWarmup(0.1, 50, 0.25).Then(Sched.Exponential(0.1, 0.99), 50).Then(Sched.Step(0.1, 150, 0.3), 400),
        ["product"] = Sched.Product(Sched.LinearWarmup(1.0, 100, 0.1), Sched.Exponential(0.1, 0.997)),
    };

    public static IEnumerable<object[]> Names() => Twins.Keys.Order(StringComparer.Ordinal).Select(name => new object[] { name });

    [Fact]
    public void EveryTorchConfigurationHasATwinAndEveryTwinAReference()
    {
        var torch = TorchReference.LoadSchedules().Keys.Order(StringComparer.Ordinal);
        Assert.Equal(torch, Twins.Keys.Order(StringComparer.Ordinal));
        Assert.All(TorchReference.LoadSchedules().Values, values => Assert.Equal(1000, values.Length));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EqualsTorchFor1000Steps(string name)
    {
        double[] torch = TorchReference.LoadSchedules()[name];
        LearningRateSchedule schedule = Twins[name];
        var report = new Tolerance.Report($"{name} = {schedule} against torch");
        for (int t = 1; t <= torch.Length; t++)
        {
            double expected = torch[t - 1];
            double actual = schedule.At(t);
            report.CheckThat(RelativelyClose(actual, expected), string.Create(CultureInfo.InvariantCulture,
                $"t = {t}: torch {expected:R}, DslOptim {actual:R}, relative difference {Math.Abs(actual - expected) / Math.Abs(expected):R}"));
            report.CheckThat(schedule.At(t, ObservedQuantities.Unknown).Equals(actual),
                string.Create(CultureInfo.InvariantCulture, $"t = {t}: At(t, observed) differs from At(t)"));
        }
        report.Assert();
    }

    /// <summary>|a − e| ≤ 1e-12·|e|; a zero is matched only by a zero.</summary>
    private static bool RelativelyClose(double actual, double expected)
        => double.IsFinite(actual) && Math.Abs(actual - expected) <= Relative * Math.Abs(expected);
}

using System;
using System.Globalization;
using DslOptim.Tests.Infrastructure;
using Xunit;
using Sched = DslOptim.Schedules;

namespace DslOptim.Tests.Schedules;

/// <summary>
/// The schedules torch lacks (warmup–stable–decay, inverse square root), the parts where DslOptim departs from or
/// extends torch (the cosine's hold at its floor, the polynomial's floor, the default warmup start), and the
/// compositions' boundaries, each against a closed form written here from the documentation.
/// </summary>
public sealed class ClosedFormScheduleTests
{
    private const double Relative = 1e-14;

    [Theory]
    [InlineData(0.1, 10, 20, 30, 0.001)]
    [InlineData(3e-4, 1, 0, 1, 0.0)]
    [InlineData(1.0, 0, 5, 7, 0.25)]
    [InlineData(2e-3, 100, 400, 500, 2e-5)]
    public void WarmupStableDecayFollowsItsDefinition(double lr, long warmup, long stable, long decay, double floor)
    {
        var schedule = Sched.WarmupStableDecay(lr, warmup, stable, decay, floor);
        long end = warmup + stable + decay;
        var report = new Tolerance.Report($"{schedule}");
        for (long t = 1; t <= end + 50; t++)
        {
            double expected;
            if (t <= warmup)
            {
                expected = lr * t / warmup;
            }
            else if (t <= warmup + stable)
            {
                expected = lr;
            }
            else if (t <= end)
            {
                double u = t - warmup - stable;
                expected = lr - (lr - floor) * u / decay;
            }
            else
            {
                expected = floor;
            }
            Check(report, schedule.At(t), expected, t);
        }
        report.Assert();

        // The phases end on their targets exactly.
        if (warmup > 0)
        {
            Assert.Equal(lr, schedule.At(warmup));
        }
        if (stable > 0)
        {
            Assert.Equal(lr, schedule.At(warmup + 1));
            Assert.Equal(lr, schedule.At(warmup + stable));
        }
        Assert.Equal(floor, schedule.At(end));
        Assert.Equal(floor, schedule.At(end + 1));
        Assert.Equal(floor, schedule.At(long.MaxValue));
        AssertNonIncreasingAfter(schedule, warmup, end + 10);
    }

    [Fact]
    public void WarmupStableDecayPhasesHaveTheirLengths()
    {
        var schedule = Sched.WarmupStableDecay(0.5, warmup: 4, stable: 3, decay: 2, floor: 0.1);
        double[] expected = [0.125, 0.25, 0.375, 0.5, 0.5, 0.5, 0.5, 0.3, 0.1, 0.1];
        for (int t = 1; t <= expected.Length; t++)
        {
            Assert.True(Tolerance.Close(schedule.At(t), expected[t - 1], Relative), $"t = {t}: {schedule.At(t):R}");
        }
    }

    [Theory]
    [InlineData(0.01, 1)]
    [InlineData(0.01, 4000)]
    [InlineData(1.0, 7)]
    public void InverseSquareRootFollowsItsDefinition(double lr, long warmup)
    {
        var schedule = Sched.InverseSquareRoot(lr, warmup);
        var report = new Tolerance.Report($"{schedule}");
        foreach (long t in Steps(warmup * 3 + 1000))
        {
            double expected = lr * Math.Min(1.0, Math.Sqrt(warmup / (double)t));
            Check(report, schedule.At(t), expected, t);
        }
        report.Assert();
        Assert.Equal(lr, schedule.At(warmup));
        Assert.Equal(lr, schedule.At(1));
        Assert.True(Tolerance.Close(schedule.At(4 * warmup), lr / 2, Relative));
        AssertNonIncreasingAfter(schedule, 0, warmup + 2000);
    }

    [Fact]
    public void InverseSquareRootWithOneWarmupStepIsLrOverRootT()
    {
        var schedule = Sched.InverseSquareRoot(0.3, 1);
        foreach (long t in Steps(100_000))
        {
            Assert.True(Tolerance.Close(schedule.At(t), 0.3 / Math.Sqrt(t), Relative), $"t = {t}");
        }
    }

    [Fact]
    public void CosineStartsAtLrAndHoldsItsFloorAfterTotalSteps()
    {
        var schedule = Sched.Cosine(0.1, totalSteps: 500, floor: 0.003);
        Assert.Equal(0.1, schedule.At(1));
        Assert.True(Tolerance.Close(schedule.At(251), 0.5 * (0.1 + 0.003), Relative)); // half way: cos(π/2) = 0
        Assert.Equal(0.003, schedule.At(501));
        Assert.Equal(0.003, schedule.At(502));
        Assert.Equal(0.003, schedule.At(1001)); // torch's CosineAnnealingLR would be back at lr here
        Assert.Equal(0.003, schedule.At(long.MaxValue));
        AssertNonIncreasingAfter(schedule, 0, 2000);
    }

    [Fact]
    public void CosineWithWarmupRampsThenRestartsTheCosineAtItsPeak()
    {
        const double lr = 0.2, floor = 0.01;
        const long w = 10, total = 110;
        var schedule = Sched.Cosine(lr, total, floor, warmupSteps: w, warmupStartFactor: 0.5);
        for (long t = 1; t <= w; t++)
        {
            Assert.True(Tolerance.Close(schedule.At(t), lr * (0.5 + 0.5 * (t - 1) / w), Relative), $"t = {t}");
        }
        Assert.Equal(lr, schedule.At(w + 1)); // the cosine's own step 1: no plateau, lr exactly once
        Assert.True(schedule.At(w + 2) < lr);
        for (long t = w + 1; t <= total + 20; t++)
        {
            double s = Math.Min(t - w - 1, total - w);
            double expected = floor + (lr - floor) * 0.5 * (1 + Math.Cos(Math.PI * s / (total - w)));
            Assert.True(Tolerance.Close(schedule.At(t), expected, Relative), $"t = {t}");
        }
        Assert.Equal(floor, schedule.At(total + 1));
    }

    [Fact]
    public void DefaultWarmupStartMakesAnExactlyLinearRampWithNoZeroStep()
    {
        const long w = 9;
        var warmup = Sched.LinearWarmup(0.4, w);
        var cosine = Sched.Cosine(0.4, 100, 0.0, warmupSteps: w);
        for (long t = 1; t <= w + 1; t++)
        {
            double expected = 0.4 * t / (w + 1);
            Assert.True(Tolerance.Close(warmup.At(t), expected, Relative), $"LinearWarmup, t = {t}");
            Assert.True(Tolerance.Close(cosine.At(t), expected, Relative), $"Cosine, t = {t}");
        }
        Assert.Equal(0.4, warmup.At(w + 1));
        Assert.Equal(0.4, warmup.At(w + 1000));
    }

    [Fact]
    public void PolynomialWithAFloorDecaysToItAndStays()
    {
        var schedule = Sched.Polynomial(0.1, totalSteps: 300, power: 3.0, floor: 0.004);
        var report = new Tolerance.Report($"{schedule}");
        for (long t = 1; t <= 400; t++)
        {
            double s = Math.Min(300, t - 1);
            Check(report, schedule.At(t), 0.004 + (0.1 - 0.004) * Math.Pow(1 - s / 300, 3), t);
        }
        report.Assert();
        Assert.Equal(0.1, schedule.At(1));
        Assert.Equal(0.004, schedule.At(301));
        Assert.Equal(0.004, schedule.At(long.MaxValue));
    }

    [Fact]
    public void StepAndExponentialAreTheirPowers()
    {
        var step = Sched.Step(1.0, stepSize: 3, gamma: 0.5);
        double[] expected = [1, 1, 1, 0.5, 0.5, 0.5, 0.25];
        for (int t = 1; t <= expected.Length; t++)
        {
            Assert.Equal(expected[t - 1], step.At(t));
        }
        var growth = Sched.Exponential(1e-6, 1.1); // a learning-rate range test grows
        Assert.True(Tolerance.Close(growth.At(11), 1e-6 * Math.Pow(1.1, 10), Relative));
        Assert.Equal(0.25, Sched.Constant(0.25).At(long.MaxValue));
    }

    [Fact]
    public void ThenSwitchesAfterTheMilestoneAndRestartsTheSecondSchedule()
    {
        var first = Sched.Constant(1.0);
        var second = Sched.Exponential(0.5, 0.9);
        var schedule = first.Then(second, 5);
        Assert.Equal(1.0, schedule.At(5));
        Assert.Equal(0.5, schedule.At(6)); // second.At(1)
        Assert.Equal(second.At(10), schedule.At(15));

        // Milestones of chained calls are absolute, as SequentialLR's.
        var three = Sched.Constant(1).Then(Sched.Constant(2), 3).Then(Sched.Step(3, 2, 0.1), 7);
        double[] expected = [1, 1, 1, 2, 2, 2, 2, 3, 3, 0.3, 0.3, 0.03];
        for (int t = 1; t <= expected.Length; t++)
        {
            Assert.True(Tolerance.Close(three.At(t), expected[t - 1], Relative), $"t = {t}: {three.At(t):R}");
        }
        Assert.Equal(schedule.At(9), Sched.Then(first, second, 5).At(9));
    }

    [Fact]
    public void ScaledAndTimesMultiply()
    {
        var cosine = Sched.Cosine(0.1, 100, 0.01);
        var warmup = Sched.LinearWarmup(1.0, 10, 0.2);
        var scaled = cosine.Scaled(0.5);
        var product = warmup.Times(cosine);
        foreach (long t in Steps(150))
        {
            Assert.Equal(0.5 * cosine.At(t), scaled.At(t));
            Assert.Equal(warmup.At(t) * cosine.At(t), product.At(t));
            Assert.Equal(product.At(t), Sched.Product(warmup, cosine).At(t));
        }
        Assert.Equal(0.0, cosine.Scaled(0).At(3));
    }

    [Fact]
    public void ToStringNamesTheScheduleAndItsArgumentsInvariantly()
    {
        var schedule = Sched.Cosine(0.1, 999, 1e-4, warmupSteps: 100, warmupStartFactor: 0.01);
        Assert.Equal(
            "Then(LinearWarmup(lr: 0.1, warmupSteps: 100, startFactor: 0.01), Cosine(lr: 0.1, totalSteps: 899, floor: 0.0001), milestone: 100)",
            schedule.ToString());
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Contains("0.5", Sched.Constant(0.5).ToString(), StringComparison.Ordinal);
        }
        catch (CultureNotFoundException)
        {
            // Invariant globalization mode: every culture is the invariant one anyway.
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    /// <summary>1 … 200, then a sparse walk up to <paramref name="last"/>.</summary>
    private static System.Collections.Generic.IEnumerable<long> Steps(long last)
    {
        for (long t = 1; t <= Math.Min(200, last); t++)
        {
            yield return t;
        }
        for (long t = 211; t <= last; t += 37)
        {
            yield return t;
        }
    }

    private static void Check(Tolerance.Report report, double actual, double expected, long t)
        => report.CheckThat(Math.Abs(actual - expected) <= Relative * Math.Abs(expected) || actual == expected,
            string.Create(CultureInfo.InvariantCulture, $"t = {t}: expected {expected:R}, actual {actual:R}"));

    private static void AssertNonIncreasingAfter(LearningRateSchedule schedule, long from, long to)
    {
        for (long t = from + 1; t < to; t++)
        {
            Assert.True(schedule.At(t + 1) <= schedule.At(t), $"{schedule} rises from t = {t} to {t + 1}");
        }
    }
}

using System;
using System.Collections.Generic;
using Xunit;
using Sched = DslOptim.Schedules;

namespace DslOptim.Tests.Schedules;

/// <summary>Bad arguments fail when the schedule is created, naming the argument and what it must be.</summary>
public sealed class ScheduleValidationTests
{
    public static IEnumerable<object[]> Invalid()
    {
        // factory, the parameter it must name, a phrase of the message
        object[] Case(Func<LearningRateSchedule> make, string parameter, string phrase) => [make, parameter, phrase];

        foreach (double lr in new[] { -1e-3, double.NaN, double.PositiveInfinity })
        {
            yield return Case(() => Sched.Constant(lr), "lr", "finite and non-negative");
            yield return Case(() => Sched.Step(lr, 10, 0.5), "lr", "finite and non-negative");
            yield return Case(() => Sched.Exponential(lr, 0.9), "lr", "finite and non-negative");
            yield return Case(() => Sched.LinearWarmup(lr, 10, 0.1), "lr", "finite and non-negative");
            yield return Case(() => Sched.Cosine(lr, 10), "lr", "finite and non-negative");
            yield return Case(() => Sched.WarmupStableDecay(lr, 1, 1, 1), "lr", "finite and non-negative");
            yield return Case(() => Sched.InverseSquareRoot(lr, 10), "lr", "finite and non-negative");
            yield return Case(() => Sched.Polynomial(lr, 10), "lr", "finite and non-negative");
            yield return Case(() => Sched.Constant(1).Scaled(lr), "factor", "finite and non-negative");
        }

        yield return Case(() => Sched.Step(0.1, 0, 0.5), "stepSize", "at least 1");
        yield return Case(() => Sched.Step(0.1, 10, 0), "gamma", "finite and positive");
        yield return Case(() => Sched.Step(0.1, 10, double.NaN), "gamma", "finite and positive");
        yield return Case(() => Sched.Exponential(0.1, -0.5), "gamma", "finite and positive");
        yield return Case(() => Sched.Exponential(0.1, double.PositiveInfinity), "gamma", "finite and positive");

        yield return Case(() => Sched.LinearWarmup(0.1, 0, 0.1), "warmupSteps", "at least 1");
        yield return Case(() => Sched.LinearWarmup(0.1, 10, 1.5), "startFactor", "[0, 1]");
        yield return Case(() => Sched.LinearWarmup(0.1, 10, -0.1), "startFactor", "[0, 1]");
        yield return Case(() => Sched.LinearWarmup(0.1, 10, double.NaN), "startFactor", "[0, 1]");

        yield return Case(() => Sched.Cosine(0.1, 0), "totalSteps", "at least 1");
        yield return Case(() => Sched.Cosine(0.1, 10, floor: 0.2), "floor", "[0, lr]");
        yield return Case(() => Sched.Cosine(0.1, 10, floor: -0.01), "floor", "[0, lr]");
        yield return Case(() => Sched.Cosine(0.1, 10, floor: double.NaN), "floor", "[0, lr]");
        yield return Case(() => Sched.Cosine(0.1, 10, warmupSteps: -1), "warmupSteps", "at least 0");
        yield return Case(() => Sched.Cosine(0.1, 10, warmupSteps: 10), "warmupSteps", "shorter than totalSteps");
        yield return Case(() => Sched.Cosine(0.1, 10, warmupSteps: 2, warmupStartFactor: 2), "warmupStartFactor", "[0, 1]");
        yield return Case(() => Sched.Cosine(0.1, 10, warmupStartFactor: 0.5), "warmupStartFactor", "warmupSteps is 0");

        yield return Case(() => Sched.WarmupStableDecay(0.1, -1, 1, 1), "warmup", "at least 0");
        yield return Case(() => Sched.WarmupStableDecay(0.1, 1, -1, 1), "stable", "at least 0");
        yield return Case(() => Sched.WarmupStableDecay(0.1, 1, 1, 0), "decay", "at least 1");
        yield return Case(() => Sched.WarmupStableDecay(0.1, 1, 1, 1, floor: 1), "floor", "[0, lr]");
        yield return Case(() => Sched.WarmupStableDecay(0.1, long.MaxValue, 1, 1), "decay", "overflows");

        yield return Case(() => Sched.InverseSquareRoot(0.1, 0), "warmupSteps", "at least 1");

        yield return Case(() => Sched.Polynomial(0.1, 0), "totalSteps", "at least 1");
        yield return Case(() => Sched.Polynomial(0.1, 10, power: 0), "power", "finite and positive");
        yield return Case(() => Sched.Polynomial(0.1, 10, power: double.NaN), "power", "finite and positive");
        yield return Case(() => Sched.Polynomial(0.1, 10, floor: 0.5), "floor", "[0, lr]");

        yield return Case(() => Sched.Constant(1).Then(Sched.Constant(2), 0), "milestone", "at least 1");
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void RejectsOutOfRangeArguments(Func<LearningRateSchedule> make, string parameter, string phrase)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(make);
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(phrase, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptsTheEdgesOfEachRange()
    {
        Assert.Equal(0.0, Sched.Constant(0).At(1));
        Assert.Equal(0.0, Sched.LinearWarmup(0.1, 1, 0.0).At(1));
        Assert.Equal(0.1, Sched.LinearWarmup(0.1, 1, 1.0).At(1));
        Assert.Equal(0.1, Sched.Cosine(0.1, 1, floor: 0.1).At(2));
        Assert.Equal(0.1, Sched.Cosine(0.1, 2, warmupSteps: 1, warmupStartFactor: 1).At(1));
        Assert.Equal(0.1, Sched.WarmupStableDecay(0.1, 0, 0, 1, floor: 0.1).At(1));
        Assert.Equal(0.1, Sched.Constant(0.1).Then(Sched.Constant(0.2), 1).At(1));
    }

    [Fact]
    public void RejectsNullParts()
    {
        var some = Sched.Constant(0.1);
        Assert.Equal("first", Assert.Throws<ArgumentNullException>(() => Sched.Then(null!, some, 1)).ParamName);
        Assert.Equal("second", Assert.Throws<ArgumentNullException>(() => Sched.Then(some, null!, 1)).ParamName);
        Assert.Equal("second", Assert.Throws<ArgumentNullException>(() => some.Then(null!, 1)).ParamName);
        Assert.Equal("schedule", Assert.Throws<ArgumentNullException>(() => Sched.Scaled(null!, 1)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentNullException>(() => Sched.Product(null!, some)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentNullException>(() => some.Times(null!)).ParamName);
    }

    public static IEnumerable<object[]> All() => ScheduleCatalog.All();

    [Theory]
    [MemberData(nameof(All))]
    public void StepsStartAtOne(string name, LearningRateSchedule schedule)
    {
        foreach (long t in new[] { 0L, -1L, long.MinValue })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => schedule.At(t));
            Assert.Equal("t", error.ParamName);
            Assert.Contains("starts at 1", error.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentOutOfRangeException>(() => schedule.At(t, ObservedQuantities.Unknown));
        }
        Assert.True(double.IsFinite(schedule.At(1)) && schedule.At(1) >= 0, name);
    }
}

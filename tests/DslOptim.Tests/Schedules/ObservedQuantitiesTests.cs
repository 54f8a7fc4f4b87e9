using Xunit;
using Sched = DslOptim.Schedules;

namespace DslOptim.Tests.Schedules;

/// <summary>A schedule may read what the caller observed; built-in schedules ignore it and composites pass it on.</summary>
public sealed class ObservedQuantitiesTests
{
    private static readonly ObservedQuantities Seen = new(Loss: 0.02, GradientNorm: 2.0, WeightNorm: 3.0);

    [Fact]
    public void UnknownIsNaNAndDefaultIsZero()
    {
        var unknown = ObservedQuantities.Unknown;
        Assert.True(double.IsNaN(unknown.Loss) && double.IsNaN(unknown.GradientNorm) && double.IsNaN(unknown.WeightNorm));
        Assert.False(unknown.HasLoss || unknown.HasGradientNorm || unknown.HasWeightNorm);
        Assert.Equal(ObservedQuantities.Unknown, unknown);

        Assert.True(Seen.HasLoss && Seen.HasGradientNorm && Seen.HasWeightNorm);
        Assert.Equal(3.0, Seen.WeightNorm);
        Assert.Equal(new ObservedQuantities(0, 0, 0), default);
        Assert.Equal(Seen with { Loss = double.NaN }, new ObservedQuantities(double.NaN, 2.0, 3.0));
    }

    [Fact]
    public void BuiltInSchedulesIgnoreObservations()
    {
        foreach (var (name, schedule) in ScheduleCatalog.Schedules)
        {
            if (name.StartsWith("adaptive", System.StringComparison.Ordinal))
            {
                continue;
            }
            for (long t = 1; t <= 1200; t += 7)
            {
                Assert.Equal(schedule.At(t), schedule.At(t, in Seen));
            }
        }
    }

    [Fact]
    public void AnAdaptiveScheduleReadsThem()
    {
        var polyak = new PolyakSchedule(cap: 1.0);
        Assert.Equal(0.02 / 4.0, polyak.At(3, in Seen));
        Assert.Equal(1.0, polyak.At(3));
        Assert.Equal(1.0, polyak.At(3, ObservedQuantities.Unknown));
        Assert.Equal(1.0, polyak.At(3, Seen with { GradientNorm = double.NaN }));
    }

    [Fact]
    public void CompositesPassThemToTheirParts()
    {
        var polyak = new PolyakSchedule(cap: 1.0);
        var then = Sched.Constant(0.5).Then(polyak, 10);
        Assert.Equal(0.5, then.At(10, in Seen));
        Assert.Equal(0.005, then.At(11, in Seen));
        Assert.Equal(1.0, then.At(11));

        Assert.Equal(0.0025, polyak.Scaled(0.5).At(1, in Seen));
        Assert.Equal(0.005 * 0.005, polyak.Times(polyak).At(1, in Seen));
        Assert.Equal(0.005 * 0.25, Sched.Product(Sched.Constant(0.25), polyak).At(1, in Seen));
    }
}

using System;
using Xunit;

namespace DslOptim.Tests.Schedules;

/// <summary>At allocates nothing, for every kind of schedule and both overloads.</summary>
public sealed class ScheduleAllocationTests
{
    [Fact]
    public void AtDoesNotAllocate()
    {
        var schedules = ScheduleCatalog.Schedules;
        var observed = new ObservedQuantities(0.3, 1.5, 4.0);
        double sink = 0;

        long allocated = Allocation.OverCollectionFreeWindow(i => sink += Run(i % 3000), calls: 3000, warmUp: 3000);
        Assert.Equal(0, allocated);
        Assert.True(double.IsFinite(sink));

        double Run(int i)
        {
            double total = 0;
            for (int k = 0; k < schedules.Count; k++)
            {
                var schedule = schedules[k].Schedule;
                total += schedule.At(i + 1) + schedule.At(i + 1, in observed) + schedule.At(1 + 997L * i);
            }
            return total;
        }
    }
}

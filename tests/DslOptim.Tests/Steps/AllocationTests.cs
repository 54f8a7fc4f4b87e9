using System;
using System.Collections.Generic;
using System.Numerics;
using Xunit;

namespace DslOptim.Tests.Steps;

/// <summary>The generated Step allocates nothing on the managed heap: the per-step constants live in a struct.</summary>
public sealed class AllocationTests
{
    private const int Calls = 1000;

    public static IEnumerable<object[]> Optimizers => StepSubject.Names;

    /// <summary>Allocated bytes over <see cref="Calls"/> steps after warm-up (which lets the JIT tier up).</summary>
    private static long AllocatedOverSteps<T>(StepFunction<T> step, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (w64, g64) = StepData.Draw(length, Regime.Small, seed: length);
        var w = StepData.Convert<T>(w64);
        var g = StepData.Convert<T>(g64);
        var allocated = Allocation.OverCollectionFreeWindow(i => step(w, g, i + 1), Calls, warmUp: 200);
        Assert.All(w, x => Assert.True(T.IsFinite(x)));
        return allocated;
    }

    private static void Check<T>(StepSubject subject)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var length in new[] { 0, 3, 1031, 40_000 })
        {
            // The delegate is created outside the measured region; invoking it allocates nothing by itself.
            var step = subject.Step<T>();
            var allocated = AllocatedOverSteps(step, length);
            Assert.True(allocated == 0, $"{subject.Name}.Step({typeof(T).Name}) allocated {allocated} bytes over {Calls} calls at length {length}");
        }
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void DoubleStepDoesNotAllocate(string optimizer) => Check<double>(StepSubject.All[optimizer]);

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void FloatStepDoesNotAllocate(string optimizer) => Check<float>(StepSubject.All[optimizer]);

    [Fact]
    public void TheMeasurementDetectsAnAllocation()
    {
        // The same measurement around a step that allocates must report it, so a 0 above means something.
        StepFunction<double> allocating = (w, g, t) => GC.KeepAlive(new double[w.Length + 1]);
        // (at least one call's array: a window may be shortened when other tests collect)
        Assert.True(AllocatedOverSteps(allocating, 3) >= 4 * sizeof(double));
    }
}

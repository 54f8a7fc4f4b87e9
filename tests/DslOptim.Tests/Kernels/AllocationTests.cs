using System;
using DslOptim.Kernels;
using Xunit;

namespace DslOptim.Tests.Kernels;

/// <summary>The kernels allocate nothing per call.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void ApplyAndReductionsDoNotAllocate()
    {
        double[] w = ElementwiseKernelTests.Sample<double>(10_007, 1);
        double[] g = ElementwiseKernelTests.Sample<double>(10_007, 2);
        float[] wf = ElementwiseKernelTests.Sample<float>(40_009, 3);
        float[] gf = ElementwiseKernelTests.Sample<float>(40_009, 4);
        var scaled = new ScaledSubtract<double>(1e-9);
        var scaledF = new ScaledSubtract<float>(1e-9f);
        double sink = 0;

        long allocated = Allocation.OverCollectionFreeWindow(_ => sink += Run(), calls: 1000, warmUp: 3000);
        Assert.Equal(0, allocated);
        Assert.True(double.IsFinite(sink));

        double Run()
        {
            ElementwiseKernel.Apply(w, g, scaled);
            ElementwiseKernel.Apply(wf.AsSpan(1), gf.AsSpan(1), scaledF);
            ElementwiseKernel.Apply(w.AsSpan(0, 5), g.AsSpan(0, 5), new DecayBySquare<double>());
            return Reduction.SumOfSquares<double>(w) + Reduction.FrobeniusNorm<float>(wf.AsSpan(3)) + Reduction.SumOfSquares<float>(gf.AsSpan(0, 17));
        }
    }
}

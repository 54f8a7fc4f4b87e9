using System;
using DslOptim.Kernels;
using DslOptim.Tests.LinearModel;
using Xunit;

namespace DslOptim.Tests.Kernels;

/// <summary>
/// The parallel elementwise, stateful and reduction passes allocate nothing per call after warm-up, on the calling
/// thread and on the helper threads, measured over windows of calls with no garbage collection in them (see
/// tests/DslOptim.Tests/LinearModel/AllocationTests.cs for why a window with a collection cannot be trusted).
/// </summary>
[Collection(WorkersCollection.Name)]
public sealed class ParallelAllocationTests
{
    private const int WarmUp = 50;
    private const int Calls = 100;
    private const int N = (8 * ParallelPasses.ChunkLength) + 1001;

    [Fact]
    public void ParallelPassesDoNotAllocateOnTwoThreads()
    {
        double[] w = ParallelKernelTests.QuarterGrid<double>(N, 1), g = ParallelKernelTests.QuarterGrid<double>(N, 2);
        double[] m = new double[N], v = new double[N], x = new double[N], s = new double[N];
        float[] wf = ParallelKernelTests.QuarterGrid<float>(N, 3), gf = ParallelKernelTests.QuarterGrid<float>(N, 4);
        double sink = 0;
        var (caller, helpers, shared) = Allocation.OverCollectionFreeWindowsWithHelpers(_ => sink += Run(), Calls, WarmUp, untilShared: true);
        Assert.Equal(0, caller);
        Assert.Equal(0, helpers);
        Assert.True(shared, "the helper threads never ran a chunk in a measured window: the calls were not parallel");
        Assert.True(double.IsFinite(sink));

        double Run()
        {
            // Every value stays bounded (scale 2^-20; halving states) or grows by a few units per call (x).
            var scaled = new ScaledSubtract<double>(1.0 / (1 << 20));
            var scaledF = new ScaledSubtract<float>(1f / (1 << 20));
            var momentum = new MomentumUpdate<double>(1.0 / (1 << 20));
            var adamLike = default(StatePathProbe2<double>);
            ElementwiseKernel.Apply(w, g, in scaled, threads: 2);
            ElementwiseKernel.Apply(wf, gf, in scaledF, threads: 2);
            StatefulKernel.Apply(w, g, m, default, default, default, in momentum, threads: 2);
            StatefulKernel.Apply(x, g, v, s, default, default, in adamLike, threads: 2);
            return Reduction.SumOfSquares<double>(w, threads: 2) + Reduction.SumOfSquares<float>(gf, threads: 2);
        }
    }
}

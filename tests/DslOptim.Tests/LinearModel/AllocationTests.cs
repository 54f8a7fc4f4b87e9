using System;
using System.Diagnostics;
using DslOptim.Kernels;
using Xunit;
using Model = DslOptim.Kernels.LinearModel;

namespace DslOptim.Tests.LinearModel;

/// <summary>No allocation per call after warm-up, on the calling thread and on the helper threads.</summary>
/// <remarks>
/// Measured over windows of calls with no garbage collection in them: a collection that another thread triggers (test
/// classes run in parallel) can retire this thread's allocation context and make
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> jump by the unused rest of it (up to ~8 KB) without anything
/// being allocated. A window with no collection is exact, so a real allocation still fails the test.
/// </remarks>
[Collection(WorkersCollection.Name)]
public sealed class AllocationTests
{
    private const int WarmUp = 300;
    private const int Calls = 300;

    /// <summary>How long windows are retried until one has no garbage collection (and, on two threads, a helper took part).</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    [Fact]
    public void GradientDoesNotAllocateOnOneThread()
    {
        var (problem, w) = LinearData.Problem<double>(1000, 60, 3, seed: 1);
        var (problemF, wF) = LinearData.Problem<float>(130, 67, 1, seed: 2);
        var workspace = new LinearWorkspace<double>(problem, threads: 1);
        var workspaceF = new LinearWorkspace<float>(problemF, threads: 1);
        double sink = 0;
        for (int i = 0; i < WarmUp; i++)
        {
            sink += Run();
        }

        var elapsed = Stopwatch.StartNew();
        bool measured = false;
        while (!measured && elapsed.Elapsed < Budget)
        {
            int collections = GC.CollectionCount(0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Calls; i++)
            {
                sink += Run();
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            measured = GC.CollectionCount(0) == collections;
            if (measured)
            {
                Assert.Equal(0, allocated);
            }
        }

        Assert.True(measured, $"every window of {Calls} calls had a garbage collection in it for {Budget.TotalSeconds} s");
        Assert.True(double.IsFinite(sink));

        double Run() =>
            Model.Gradient(problem, w, workspace, default(SquaredLoss<double>)).Loss
            + Model.Gradient(problem, w, workspace, new PseudoHuberLoss<double>(0.5)).GradientSquaredNorm // two loss types on one workspace
            + Model.Gradient(problemF, wF, workspaceF, default(SquaredLoss<float>)).Loss;
    }

    [Fact]
    public void GradientAndProductsDoNotAllocateOnTwoThreads()
    {
        // The calling thread is measured directly; the helpers measure themselves around each job they join, and their
        // work and allocation are counted for this thread's calls only (other test classes use the helpers too).
        var (problem, w) = LinearData.Problem<double>(1000, 300, 3, seed: 3);
        var workspace = new LinearWorkspace<double>(problem, threads: 2);
        double[] a = LinearData.Uniform(1000 * 300, 4), b = LinearData.Uniform(300 * 3, 5), bt = LinearData.Uniform(1000 * 3, 6);
        var c = new double[1000 * 3];
        var ct = new double[300 * 3];
        double sink = 0;
        for (int i = 0; i < WarmUp; i++)
        {
            sink += Run();
        }

        // Windows are repeated until one had no collection and a helper ran part of its calls: whether a helper joins
        // a given call is up to the scheduler (see DeterminismTests.SharingBudget).
        var elapsed = Stopwatch.StartNew();
        bool measured = false, shared = false;
        while (!(measured && shared) && elapsed.Elapsed < Budget)
        {
            int collections = GC.CollectionCount(0);
            long helperItems = ChunkWorkers.HelperItemsForCurrentThread;
            long helperBytes = ChunkWorkers.HelperAllocatedBytesForCurrentThread;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Calls; i++)
            {
                sink += Run();
            }

            long caller = GC.GetAllocatedBytesForCurrentThread() - before;
            long helpers = ChunkWorkers.HelperAllocatedBytesForCurrentThread - helperBytes;
            bool sharedNow = ChunkWorkers.HelperItemsForCurrentThread > helperItems;
            if (GC.CollectionCount(0) == collections)
            {
                Assert.Equal(0, caller);
                Assert.Equal(0, helpers);
                measured = true;
                shared |= sharedNow;
            }
        }

        Assert.True(measured, $"every window of {Calls} calls had a garbage collection in it for {Budget.TotalSeconds} s");
        Assert.True(shared, "the helper threads never ran an item in a measured window: the calls were not parallel");
        Assert.True(double.IsFinite(sink));

        double Run()
        {
            var (loss, norm) = Model.Gradient(problem, w, workspace, default(SquaredLoss<double>));
            Model.Multiply<double>(a, 1000, 300, b, 3, c, threads: 2);
            Model.MultiplyTransposed<double>(a, 1000, 300, bt, 3, ct, threads: 2);
            return loss + norm + c[0] + ct[0];
        }
    }
}

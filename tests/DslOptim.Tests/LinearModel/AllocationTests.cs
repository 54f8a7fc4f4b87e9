using System;
using DslOptim.Kernels;
using Xunit;
using Model = DslOptim.Kernels.LinearModel;

namespace DslOptim.Tests.LinearModel;

/// <summary>No allocation per call after warm-up, on the calling thread and on the helper threads.</summary>
[Collection(WorkersCollection.Name)]
public sealed class AllocationTests
{
    private const int WarmUp = 300;
    private const int Calls = 300;

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

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++)
        {
            sink += Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(double.IsFinite(sink));

        double Run() =>
            Model.Gradient(problem, w, workspace, default(SquaredLoss<double>)).Loss
            + Model.Gradient(problem, w, workspace, new PseudoHuberLoss<double>(0.5)).GradientSquaredNorm // two loss types on one workspace
            + Model.Gradient(problemF, wF, workspaceF, default(SquaredLoss<float>)).Loss;
    }

    [Fact]
    public void GradientAndProductsDoNotAllocateOnTwoThreads()
    {
        // The calling thread is measured directly; the helpers measure themselves around each job they join.
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

        // Helper work and allocation are counted for this thread's calls only (other test classes use the helpers
        // too). Beyond the fixed calls, calls continue until a helper has run part of one: whether one joins a given
        // call is up to the scheduler (see DeterminismTests.SharingBudget).
        long helperItems = ChunkWorkers.HelperItemsForCurrentThread;
        long helperBytes = ChunkWorkers.HelperAllocatedBytesForCurrentThread;
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls || (ChunkWorkers.HelperItemsForCurrentThread == helperItems && elapsed.Elapsed < DeterminismTests.SharingBudget); i++)
        {
            sink += Run();
        }

        long caller = GC.GetAllocatedBytesForCurrentThread() - before;
        long helpers = ChunkWorkers.HelperAllocatedBytesForCurrentThread - helperBytes;
        Assert.True(ChunkWorkers.HelperItemsForCurrentThread > helperItems, "the helper threads never ran an item: the calls were not parallel");
        Assert.Equal(0, caller);
        Assert.Equal(0, helpers);
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

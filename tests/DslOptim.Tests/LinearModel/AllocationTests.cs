using System;
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

    [Fact]
    public void GradientDoesNotAllocateOnOneThread()
    {
        var (problem, w) = LinearData.Problem<double>(1000, 60, 3, seed: 1);
        var (problemF, wF) = LinearData.Problem<float>(130, 67, 1, seed: 2);
        var workspace = new LinearWorkspace<double>(problem, threads: 1);
        var workspaceF = new LinearWorkspace<float>(problemF, threads: 1);
        double sink = 0;
        Assert.Equal(0, Allocation.OverCollectionFreeWindow(_ => sink += Run(), Calls, WarmUp));
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

        // Windows are repeated until a helper ran part of their calls: whether a helper joins a given call is up to the
        // scheduler (see DeterminismTests.SharingBudget).
        var (caller, helpers, shared) = Allocation.OverCollectionFreeWindowsWithHelpers(_ => sink += Run(), Calls, WarmUp, untilShared: true);
        Assert.Equal(0, caller);
        Assert.Equal(0, helpers);
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

using System;
using System.Diagnostics;
using DslOptim.Kernels;
using DslOptim.Tests.LinearModel;
using Xunit;
using static DslOptim.Tests.Parameters.ParameterSetData;
using ReadyAdam = DslOptim.Optimizers.Adam;

namespace DslOptim.Tests.Parameters;

/// <summary>
/// ParameterSet steps on the process-wide helpers: bitwise the same on 1 and 2 threads (with proof that a helper ran
/// items), and no allocation per step on the caller or the helpers. In the workers collection, so that the helper
/// counters are this class's alone; <see cref="Parallelism.MaxThreads"/> is restored after each test.
/// </summary>
[Collection(WorkersCollection.Name)]
public sealed class ParameterSetThreadingTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    [Fact]
    public void Adam_and_clipping_are_bitwise_the_same_on_one_and_two_threads()
    {
        var (w1, g1) = Random<double>(100, 10_000, seed: 11);
        var w2 = Clone(w1);
        var g2 = Clone(g1);
        var set1 = Set(w1, g1);
        var set2 = Set(w2, g2);
        var adam = new ReadyAdam { Lr = 1e-2 };
        var clip = new TorchClippedSgd { MaxNorm = 50, Lr = 0.01 };
        var s1 = adam.CreateState(set1);
        var s2 = adam.CreateState(set2);
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            long helpersBefore = ChunkWorkers.HelperItemsForCurrentThread;
            for (long t = 1; t <= 5; t++)
            {
                NextGradients(g1, t);
                adam.Step(set1, s1, t);
                clip.Step(set1, t);
            }

            Assert.Equal(helpersBefore, ChunkWorkers.HelperItemsForCurrentThread);

            Parallelism.MaxThreads = 2;
            for (long t = 1; t <= 5; t++)
            {
                NextGradients(g2, t);
                adam.Step(set2, s2, t);
                clip.Step(set2, t);
            }

            AssertBitwiseEqual(w1, w2);
            Assert.True(s1.M.SequenceEqual(s2.M));
            Assert.True(s1.V.SequenceEqual(s2.V));
            Assert.Equal(set1.GradientNorm(), set2.GradientNorm());

            // Proof that two threads really shared the work: repeat the two-thread steps (which leave w1 and w2 equal
            // only if they agree) until a helper ran an item of this thread's calls.
            var elapsed = Stopwatch.StartNew();
            long before = ChunkWorkers.HelperItemsForCurrentThread;
            long tNext = 6;
            while (ChunkWorkers.HelperItemsForCurrentThread == before && elapsed.Elapsed < Budget)
            {
                NextGradients(g2, tNext);
                NextGradients(g1, tNext);
                Parallelism.MaxThreads = 2;
                adam.Step(set2, s2, tNext);
                clip.Step(set2, tNext);
                Parallelism.MaxThreads = 1;
                adam.Step(set1, s1, tNext);
                clip.Step(set1, tNext);
                tNext++;
            }

            Assert.True(ChunkWorkers.HelperItemsForCurrentThread > before, "no helper thread ran an item of a two-thread step");
            AssertBitwiseEqual(w1, w2);
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void Set_steps_do_not_allocate_on_the_caller_or_the_helpers()
    {
        var (w, g) = Random<double>(100, 10_000, seed: 12);
        var (wf, gf) = Random<float>(100, 10_000, seed: 13);
        var set = Set(w, g);
        var setF = Set(wf, gf);
        var adam = new ReadyAdam { Lr = 1e-4 };
        var clip = new TorchClippedSgd { MaxNorm = 50, Lr = 1e-4 };
        var soft = new SoftSignDecay { Lr = 1e-4 };
        var state = adam.CreateState(set);
        var stateF = adam.CreateState(setF);
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 2;
            long t = 1;
            // Warm-up past tiered compilation's promotion (30 calls), so no JIT work lands in a measured window.
            var (caller, helpers, shared) = Allocation.OverCollectionFreeWindowsWithHelpers(_ => Run(), calls: 20, warmUp: 60, untilShared: true);
            Assert.Equal(0, caller);
            Assert.Equal(0, helpers);
            Assert.True(shared, "the helper threads never ran an item in a measured window: the steps were not parallel");
            Assert.True(double.IsFinite(w[0][0]) && float.IsFinite(wf[0][0]));

            void Run()
            {
                adam.Step(set, state, t);
                clip.Step(set, t);
                soft.Step(set, t);
                adam.Step(setF, stateF, t);
                clip.Step(setF, t);
                t++;
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }
}

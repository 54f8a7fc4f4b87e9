using System;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using DslOptim.Kernels;
using DslOptim.Tests.LinearModel;
using Xunit;
using static DslOptim.Tests.Parameters.ParameterSetData;

namespace DslOptim.Tests.Parameters;

/// <summary>
/// The set's norm pass reads the set as one vector (the tensors end to end) in <see cref="Reduction"/>'s chunks: its
/// norm, and so a global-norm clipping step, is bitwise that of one tensor holding the same values, on 1 and 2 threads,
/// with no allocation. In the workers collection: these sets run on the process-wide helpers.
/// </summary>
[Collection(WorkersCollection.Name)]
public sealed class ParameterSetNormTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    [Fact]
    public void Global_norm_is_bitwise_the_norm_of_the_gradients_laid_end_to_end_double() => NormIsConcatenatedNorm<double>(seed: 21);

    [Fact]
    public void Global_norm_is_bitwise_the_norm_of_the_gradients_laid_end_to_end_float() => NormIsConcatenatedNorm<float>(seed: 22);

    [Fact]
    public void Clipping_many_tensors_is_bitwise_clipping_one_tensor_of_their_concatenation_double() => ClipIsConcatenatedClip<double>(seed: 23);

    [Fact]
    public void Clipping_many_tensors_is_bitwise_clipping_one_tensor_of_their_concatenation_float() => ClipIsConcatenatedClip<float>(seed: 24);

    [Fact]
    public void Norms_and_clipping_of_many_small_tensors_are_bitwise_the_same_on_one_and_two_threads()
    {
        var (w1, g1) = Mixed<double>(3_000, maxLength: 200, seed: 25);
        var w2 = Clone(w1);
        var g2 = Clone(g1);
        var set1 = Set(w1, g1);
        var set2 = Set(w2, g2);
        Assert.True(set1.Length >= 4 * ParameterSet<double>.SliceLength, "the set must span several chunks");
        var clip = new TorchClippedSgd { MaxNorm = 5, Lr = 0.1 };
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            long helpersBefore = ChunkWorkers.HelperItemsForCurrentThread;
            double norm1 = set1.GradientNorm();
            clip.Step(set1, 1);
            Assert.Equal(helpersBefore, ChunkWorkers.HelperItemsForCurrentThread);

            Parallelism.MaxThreads = 2;
            Assert.Equal(BitConverter.DoubleToInt64Bits(norm1), BitConverter.DoubleToInt64Bits(set2.GradientNorm()));
            clip.Step(set2, 1);
            AssertBitwiseEqual(w1, w2);

            // Proof that the helpers shared the norm pass: repeat (norms must agree every time) until one ran an item.
            var elapsed = Stopwatch.StartNew();
            long before = ChunkWorkers.HelperItemsForCurrentThread;
            while (ChunkWorkers.HelperItemsForCurrentThread == before && elapsed.Elapsed < Budget)
            {
                Parallelism.MaxThreads = 2;
                double two = set2.WeightNorm();
                Parallelism.MaxThreads = 1;
                Assert.Equal(BitConverter.DoubleToInt64Bits(set1.WeightNorm()), BitConverter.DoubleToInt64Bits(two));
            }

            Assert.True(ChunkWorkers.HelperItemsForCurrentThread > before, "no helper thread ran a chunk of a two-thread norm");
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void Norms_and_clipping_of_many_small_tensors_do_not_allocate_on_the_caller_or_the_helpers()
    {
        var (w, g) = Mixed<double>(3_000, maxLength: 200, seed: 26);
        var (wf, gf) = Mixed<float>(3_000, maxLength: 200, seed: 27);
        var set = Set(w, g);
        var setF = Set(wf, gf);
        var clip = new TorchClippedSgd { MaxNorm = 5, Lr = 1e-4 };
        double sink = 0;
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 2;
            var (caller, helpers, shared) = Allocation.OverCollectionFreeWindowsWithHelpers(
                t =>
                {
                    sink += set.GradientNorm() + setF.WeightNorm();
                    clip.Step(set, t + 1);
                    clip.Step(setF, t + 1);
                },
                calls: 20,
                warmUp: 60,
                untilShared: true);
            Assert.Equal(0, caller);
            Assert.Equal(0, helpers);
            Assert.True(shared, "the helper threads never ran an item in a measured window: the norms were not parallel");
            Assert.True(double.IsFinite(sink));
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    private static void NormIsConcatenatedNorm<T>(int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (w, g) = Mixed<T>(400, maxLength: 20_000, seed);
        var set = Set(w, g);
        T[] gAll = Flatten(g).ToArray();
        T[] wAll = Flatten(w).ToArray();
        Assert.True(gAll.Length > 10 * ParameterSet<T>.SliceLength, "the set must span many chunks");
        var one = new ParameterSet<T>();
        one.Add(wAll, gAll);

        long expected = BitConverter.DoubleToInt64Bits(Reduction.FrobeniusNorm<T>(gAll));
        Assert.Equal(expected, BitConverter.DoubleToInt64Bits(set.GradientNorm()));
        Assert.Equal(expected, BitConverter.DoubleToInt64Bits(one.GradientNorm()));
        Assert.Equal(BitConverter.DoubleToInt64Bits(Reduction.FrobeniusNorm<T>(wAll)), BitConverter.DoubleToInt64Bits(set.WeightNorm()));

        // And the value itself, against a plain double loop (relative error bound of Reduction's remarks).
        double direct = Math.Sqrt(gAll.Sum(x => double.CreateTruncating(x) * double.CreateTruncating(x)));
        Assert.Equal(direct, set.GradientNorm(), direct * 1e-13);
    }

    private static void ClipIsConcatenatedClip<T>(int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (w, g) = Mixed<T>(400, maxLength: 20_000, seed);
        var set = Set(w, g);
        T[] wAll = Flatten(w).ToArray();
        T[] gAll = new T[wAll.Length];
        var one = new ParameterSet<T>();
        one.Add(wAll, gAll);
        var clip = new TorchClippedSgd { MaxNorm = 1.0, Lr = 0.5 };
        for (long t = 1; t <= 3; t++)
        {
            NextGradients(g, t);
            Flatten(g).ToArray().CopyTo(gAll, 0);
            Assert.True(set.GradientNorm() > 10 * clip.MaxNorm, "the clip must be active");
            Step(clip, set, t);
            Step(clip, one, t);
        }

        T[] moved = Flatten(w).ToArray();
        for (int i = 0; i < wAll.Length; i++)
        {
            if (!moved[i].Equals(wAll[i]))
            {
                throw new Xunit.Sdk.XunitException($"element {i}: the set gave {moved[i]}, the one tensor {wAll[i]}");
            }
        }
    }

    /// <summary>The generated Step overload for T (float or double).</summary>
    private static void Step<T>(TorchClippedSgd clip, ParameterSet<T> set, long t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (set is ParameterSet<double> doubles)
        {
            clip.Step(doubles, t);
        }
        else
        {
            clip.Step((ParameterSet<float>)(object)set, t);
        }
    }

    /// <summary>
    /// <paramref name="count"/> tensors of log-uniform lengths in [1, <paramref name="maxLength"/>], as a model's biases,
    /// norms and matrices, every tenth one empty.
    /// </summary>
    private static (T[][] W, T[][] G) Mixed<T>(int count, int maxLength, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var w = new T[count][];
        var g = new T[count][];
        for (int i = 0; i < count; i++)
        {
            int n = i % 10 == 9 ? 0 : (int)Math.Round(Math.Pow(maxLength, random.NextDouble()));
            w[i] = new T[n];
            g[i] = new T[n];
            for (int j = 0; j < n; j++)
            {
                w[i][j] = T.CreateTruncating((random.NextDouble() * 2) - 1);
                g[i][j] = T.CreateTruncating(((random.NextDouble() * 2) - 1) * Math.Pow(10, (random.NextDouble() * 4) - 2));
            }
        }

        return (w, g);
    }
}

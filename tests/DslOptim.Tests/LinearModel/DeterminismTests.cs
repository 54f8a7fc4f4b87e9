using System;
using System.Numerics;
using DslOptim.Kernels;
using Xunit;
using Model = DslOptim.Kernels.LinearModel;

namespace DslOptim.Tests.LinearModel;

/// <summary>Results are bitwise the same for every thread count and every number of slots (waves).</summary>
[Collection(WorkersCollection.Name)]
public sealed class DeterminismTests
{
    /// <summary>
    /// How long two-thread calls are repeated until a helper thread has verifiably run part of one. Not a fixed number
    /// of attempts: a call takes tens of µs, and whether a helper joins one is up to the scheduler and the other callers
    /// (while another test class's job holds the helpers, calls run inline; a woken helper may wait milliseconds for a
    /// core). With all cores free this ends after a few calls.
    /// </summary>
    internal static readonly TimeSpan SharingBudget = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(1000, 300, 3)]
    [InlineData(1000, 300, 1)]
    [InlineData(1003, 301, 16)]
    [InlineData(1003, 301, 40)]
    [InlineData(1003, 301, 10)]
    public void GradientIsBitwiseIdenticalOnOneAndTwoThreads(int n, int d, int k)
    {
        CheckGradient<double, PseudoHuberLoss<double>>(n, d, k, new PseudoHuberLoss<double>(0.5));
        CheckGradient<float, SquaredLoss<float>>(n, d, k, default);
    }

    /// <summary>
    /// The two-thread gradient equals the one-thread gradient bit for bit on every call, repeated until a helper thread
    /// has run part of one of this thread's calls (counted per calling thread: other threads' jobs do not count).
    /// </summary>
    internal static void CheckGradient<T, TLoss>(int n, int d, int k, TLoss loss)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, ILossOperator<T>
    {
        var (problem, w) = LinearData.Problem<T>(n, d, k, seed: n + d + k);
        Assert.True(Model.ChunkCount(n) >= 16, "the case must have many chunks");
        var one = new LinearWorkspace<T>(problem, threads: 1);
        var expected = Model.Gradient(problem, w, one, loss);

        var two = new LinearWorkspace<T>(problem, threads: 2);
        bool shared = false;
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (int attempt = 0; !shared && (attempt == 0 || elapsed.Elapsed < SharingBudget); attempt++)
        {
            two.Gradient.Fill(T.NaN);
            long before = ChunkWorkers.HelperItemsForCurrentThread;
            var actual = Model.Gradient(problem, w, two, loss);
            shared = ChunkWorkers.HelperItemsForCurrentThread > before;
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Loss), BitConverter.DoubleToInt64Bits(actual.Loss));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.GradientSquaredNorm), BitConverter.DoubleToInt64Bits(actual.GradientSquaredNorm));
            Assert.True(LinearData.BitwiseEqual<T>(one.Gradient, two.Gradient), $"{typeof(T).Name} gradient differs (attempt {attempt})");
        }

        Assert.True(shared, $"no two-thread call had a helper thread run a chunk in {SharingBudget.TotalSeconds} s");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(5, 2)]
    [InlineData(3, 2, 16)]
    [InlineData(1, 1, 40)]
    public void GradientIsBitwiseIdenticalWhateverTheNumberOfSlots(int slots, int threads, int k = 3)
    {
        // 1000 rows = 16 chunks: with 1, 3 or 5 slots the chunks run in 16, 6 or 4 waves.
        var (problem, w) = LinearData.Problem<double>(1000, 90, k, seed: 4);
        var reference = new LinearWorkspace<double>(problem, threads: 1);
        Assert.Equal(16, reference.Slots);
        var expected = Model.Gradient(problem, w, reference, new PseudoHuberLoss<double>(1.5));

        var waves = new LinearWorkspace<double>(problem, threads, slots);
        Assert.Equal(slots, waves.Slots);
        var actual = Model.Gradient(problem, w, waves, new PseudoHuberLoss<double>(1.5));
        Assert.Equal(expected, actual);
        Assert.True(LinearData.BitwiseEqual<double>(reference.Gradient, waves.Gradient));
    }

    [Theory]
    [InlineData(1000, 300, 3)]
    [InlineData(1000, 300, 1)]
    [InlineData(200, 700, 600)]
    public void ProductsAreBitwiseIdenticalOnOneAndTwoThreads(int rows, int inner, int cols)
    {
        double[] a = LinearData.Uniform(rows * inner, 1);
        double[] b = LinearData.Uniform(inner * cols, 2);
        double[] bt = LinearData.Uniform(rows * cols, 3);
        var c1 = new double[rows * cols];
        var c2 = new double[rows * cols];
        var t1 = new double[inner * cols];
        var t2 = new double[inner * cols];
        Model.Multiply<double>(a, rows, inner, b, cols, c1, threads: 1);
        Model.MultiplyTransposed<double>(a, rows, inner, bt, cols, t1, threads: 1);

        bool shared = false;
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (int attempt = 0; !shared && (attempt == 0 || elapsed.Elapsed < SharingBudget); attempt++)
        {
            c2.AsSpan().Fill(double.NaN);
            t2.AsSpan().Fill(double.NaN);
            long before = ChunkWorkers.HelperItemsForCurrentThread;
            Model.Multiply<double>(a, rows, inner, b, cols, c2, threads: 2);
            Model.MultiplyTransposed<double>(a, rows, inner, bt, cols, t2, threads: 2);
            shared = ChunkWorkers.HelperItemsForCurrentThread > before;
            Assert.True(LinearData.BitwiseEqual<double>(c1, c2), $"A·B differs (attempt {attempt})");
            Assert.True(LinearData.BitwiseEqual<double>(t1, t2), $"Aᵀ·B differs (attempt {attempt})");
        }

        Assert.True(shared, $"no two-thread call had a helper thread run an item in {SharingBudget.TotalSeconds} s");
    }

    [Fact]
    public void ConcurrentCallersOnSeparateWorkspacesGetTheSingleThreadedResults()
    {
        // The helpers run one job at a time; a caller that finds them busy runs inline. Either way: the same bits.
        var (problem, w) = LinearData.Problem<double>(1000, 120, 3, seed: 6);
        var (problemF, wF) = LinearData.Problem<float>(900, 70, 32, seed: 7);
        var one = new LinearWorkspace<double>(problem, threads: 1);
        var oneF = new LinearWorkspace<float>(problemF, threads: 1);
        var expected = Model.Gradient(problem, w, one, default(SquaredLoss<double>));
        var expectedF = Model.Gradient(problemF, wF, oneF, new PseudoHuberLoss<float>(0.3));

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var first = new System.Threading.Thread(() =>
        {
            var workspace = new LinearWorkspace<double>(problem, threads: 2);
            for (int i = 0; i < 100; i++)
            {
                var actual = Model.Gradient(problem, w, workspace, default(SquaredLoss<double>));
                if (actual != expected || !LinearData.BitwiseEqual<double>(one.Gradient, workspace.Gradient))
                {
                    failures.Enqueue($"double call {i}");
                }
            }
        });
        var second = new System.Threading.Thread(() =>
        {
            var workspace = new LinearWorkspace<float>(problemF, threads: 2);
            for (int i = 0; i < 100; i++)
            {
                var actual = Model.Gradient(problemF, wF, workspace, new PseudoHuberLoss<float>(0.3));
                if (actual != expectedF || !LinearData.BitwiseEqual<float>(oneF.Gradient, workspace.Gradient))
                {
                    failures.Enqueue($"float call {i}");
                }
            }
        });
        first.Start();
        second.Start();
        first.Join();
        second.Join();
        Assert.Empty(failures);
    }

    [Fact]
    public void AnExceptionFromTheLossReachesTheCallerAndTheHelpersRecover()
    {
        var (problem, w) = LinearData.Problem<double>(1000, 100, 3, seed: 2);
        var workspace = new LinearWorkspace<double>(problem, threads: 2);
        var remaining = new ThrowingLoss.StrongBox { Value = 1000 }; // 3000 residuals: throws partway through
        var error = Assert.Throws<InvalidOperationException>(() => Model.Gradient(problem, w, workspace, new ThrowingLoss(remaining)));
        Assert.Equal("thrown by the test loss", error.Message);

        var one = new LinearWorkspace<double>(problem, threads: 1);
        var expected = Model.Gradient(problem, w, one, default(SquaredLoss<double>));
        var actual = Model.Gradient(problem, w, workspace, default(SquaredLoss<double>));
        Assert.Equal(expected, actual);
        Assert.True(LinearData.BitwiseEqual<double>(one.Gradient, workspace.Gradient));
    }
}

using System;
using System.Diagnostics;
using DslOptim.Kernels;
using DslOptim.Tests.LinearModel;
using Xunit;

namespace DslOptim.Tests.TwoLayer;

/// <summary>Bitwise the same on 1 and 2 threads; no allocation per step (GC-window pattern of the linear-model tests).</summary>
[Collection(WorkersCollection.Name)]
public sealed class TwoLayerDeterminismTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(10, 10, 4096 + 37, 10, TwoLayerWorkspace<double>.DefaultRefreshInterval)]
    [InlineData(5, 3, 20000, 8, 2)] // refresh steps (exact products in the pass) between closed-form ones
    [InlineData(16, 9, 3000, 20, 3)]
    public void StepsAreBitwiseIdenticalOnOneAndTwoThreads(int n, int m, int h, int s, int refreshInterval)
    {
        var random = new Random(h);
        double[] x = TwoLayerData.Gaussian(s * n, random), y = TwoLayerData.Gaussian(s * m, random);
        double[] init1 = TwoLayerData.Gaussian(n * h, random, 1.0 / Math.Sqrt(h)), init2 = TwoLayerData.Gaussian(m * h, random, 1.0 / Math.Sqrt(h));
        var problem = new TwoLayerProblem<double>(x, s, n, y, m);
        var one = new TwoLayerWorkspace<double>(problem, h, threads: 1, refreshInterval);
        Assert.True(one.Items > 2);
        double[] a1 = (double[])init1.Clone(), a2 = (double[])init2.Clone();
        var optimizer = new TwoLayerSquaredGd { Eta = 0.01 };
        var expected = new TwoLayerCertificate[5];
        for (int t = 1; t <= 5; t++)
        {
            expected[t - 1] = optimizer.Step(problem, a1, a2, one, t);
        }

        bool shared = false;
        var elapsed = Stopwatch.StartNew();
        for (int attempt = 0; !shared && (attempt == 0 || elapsed.Elapsed < Budget); attempt++)
        {
            var two = new TwoLayerWorkspace<double>(problem, h, threads: 2, refreshInterval);
            double[] b1 = (double[])init1.Clone(), b2 = (double[])init2.Clone();
            long before = ChunkWorkers.HelperItemsForCurrentThread;
            for (int t = 1; t <= 5; t++)
            {
                TwoLayerCertificate actual = optimizer.Step(problem, b1, b2, two, t);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected[t - 1].Loss), BitConverter.DoubleToInt64Bits(actual.Loss));
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected[t - 1].GradientNorm), BitConverter.DoubleToInt64Bits(actual.GradientNorm));
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected[t - 1].SigmaMinSquaredT), BitConverter.DoubleToInt64Bits(actual.SigmaMinSquaredT));
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected[t - 1].SigmaMaxW), BitConverter.DoubleToInt64Bits(actual.SigmaMaxW));
            }

            shared = ChunkWorkers.HelperItemsForCurrentThread > before;
            Assert.True(LinearData.BitwiseEqual<double>(a1, b1), $"W1 differs (attempt {attempt})");
            Assert.True(LinearData.BitwiseEqual<double>(a2, b2), $"W2 differs (attempt {attempt})");
            Assert.True(LinearData.BitwiseEqual<double>(one.WeightProduct, two.WeightProduct), "W1W2ᵀ differs");
            Assert.True(LinearData.BitwiseEqual<double>(one.FirstGram, two.FirstGram), "W1W1ᵀ differs");
            Assert.True(LinearData.BitwiseEqual<double>(one.SecondGram, two.SecondGram), "W2W2ᵀ differs");
        }

        Assert.True(shared, $"no two-thread step had a helper thread run an item in {Budget.TotalSeconds} s");
    }

    [Fact]
    public void FloatStepsAreBitwiseIdenticalOnOneAndTwoThreads()
    {
        const int n = 7, m = 5, h = 9000, s = 7;
        var random = new Random(3);
        float[] x = TwoLayerData.Cast<float>(TwoLayerData.Gaussian(s * n, random)), y = TwoLayerData.Cast<float>(TwoLayerData.Gaussian(s * m, random));
        float[] init1 = TwoLayerData.Cast<float>(TwoLayerData.Gaussian(n * h, random, 0.01)), init2 = TwoLayerData.Cast<float>(TwoLayerData.Gaussian(m * h, random, 0.01));
        var problem = new TwoLayerProblem<float>(x, s, n, y, m);
        float[] a1 = (float[])init1.Clone(), a2 = (float[])init2.Clone(), b1 = (float[])init1.Clone(), b2 = (float[])init2.Clone();
        var one = new TwoLayerWorkspace<float>(problem, h, threads: 1);
        var two = new TwoLayerWorkspace<float>(problem, h, threads: 2);
        var optimizer = new TwoLayerSquaredGd { Eta = 0.01 };
        for (int t = 1; t <= 4; t++)
        {
            var c1 = optimizer.Step(problem, a1, a2, one, t);
            var c2 = optimizer.Step(problem, b1, b2, two, t);
            Assert.Equal(BitConverter.DoubleToInt64Bits(c1.Loss), BitConverter.DoubleToInt64Bits(c2.Loss));
        }

        Assert.True(LinearData.BitwiseEqual<float>(a1, b1));
        Assert.True(LinearData.BitwiseEqual<float>(a2, b2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void StepsDoNotAllocate(int threads)
    {
        const int n = 10, m = 10, h = 4096, s = 10;
        var random = new Random(threads);
        double[] x = TwoLayerData.Orthogonal(n, random), y = TwoLayerData.Gaussian(s * m, random);
        double[] w1 = TwoLayerData.Gaussian(n * h, random, 1.0 / Math.Sqrt(h)), w2 = TwoLayerData.Gaussian(m * h, random, 1.0 / Math.Sqrt(h));
        var problem = new TwoLayerProblem<double>(x, s, n, y, m);
        var workspace = new TwoLayerWorkspace<double>(problem, h, threads);
        float[] f1 = TwoLayerData.Cast<float>(w1), f2 = TwoLayerData.Cast<float>(w2);
        var problemF = new TwoLayerProblem<float>(TwoLayerData.Cast<float>(x), s, n, TwoLayerData.Cast<float>(y), m);
        var workspaceF = new TwoLayerWorkspace<float>(problemF, h, threads);
        var optimizer = new TwoLayerSquaredGd { Eta = 1e-4 };
        AdaptiveStepSize adaptive = TwoLayerStepSize.Adaptive(1e-4);
        BacktrackingStepSize backtracking = TwoLayerStepSize.Backtracking(new BacktrackingOptions(1e-3, 0.5, 0.5, 20));
        long t = 0;
        double sink = 0;
        var (caller, helpers, shared) = Allocation.OverCollectionFreeWindowsWithHelpers(_ => sink += Run(), calls: 50, warmUp: 50, untilShared: threads > 1);
        Assert.Equal(0, caller);
        Assert.Equal(0, helpers);
        Assert.True(threads == 1 || shared, "the helper threads never ran an item in a measured window");
        Assert.True(double.IsFinite(sink));

        double Run()
        {
            t++;
            return optimizer.Step(problem, w1, w2, workspace, t).Loss
                + optimizer.Step(problem, w1, w2, workspace, t, adaptive).RhoAtStep
                + optimizer.Step(problem, w1, w2, workspace, t, backtracking).StepSize
                + optimizer.Step(problemF, f1, f2, workspaceF, t).Loss
                + optimizer.Certify(problem, w1, w2, workspace).GradientNorm;
        }
    }
}

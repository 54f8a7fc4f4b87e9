using System;
using Xunit;

namespace DslOptim.Tests.TwoLayer;

/// <summary>
/// The products W1W2ᵀ, W1W1ᵀ, W2W2ᵀ the workspace carries between steps — in closed form on most steps, formed in the
/// pass every <see cref="TwoLayerWorkspace{T}.RefreshInterval"/>-th step — against explicit products of the weights.
/// </summary>
public sealed class TwoLayerProductsTests
{
    [Theory]
    [InlineData(5, 3, 300, 4, 4)]
    [InlineData(4, 7, 129, 6, 3)]
    [InlineData(10, 10, 1000, 10, 16)]
    [InlineData(1, 1, 65, 2, 5)]
    public void ClosedFormProductsMatchExplicitProductsOnRefreshAndOtherSteps(int n, int m, int h, int s, int interval)
    {
        var random = new Random((n * 100) + m + h);
        double[] x = TwoLayerData.Gaussian(s * n, random), y = TwoLayerData.Gaussian(s * m, random, 2.0);
        double[] w1 = TwoLayerData.Gaussian(n * h, random, 1.0 / Math.Sqrt(h)), w2 = TwoLayerData.Gaussian(m * h, random, 1.0 / Math.Sqrt(h));
        var problem = new TwoLayerProblem<double>(x, s, n, y, m);
        var workspace = new TwoLayerWorkspace<double>(problem, h, threads: 1, refreshInterval: interval);
        Assert.Equal(interval, workspace.RefreshInterval);

        // η = ½·1/K_0 (stable), large enough that the second-order terms (E Pᵀ E, E B Eᵀ, Eᵀ A E) are far above the tolerance.
        double eta = 0.5 * new TwoLayerSquaredGd().Certify(problem, w1, w2, workspace).InverseLocalSmoothness();
        var optimizer = new TwoLayerSquaredGd { Eta = eta };
        int refreshes = 0, closedForm = 0;
        double largestSecondOrder = 0.0;
        for (long t = 1; t <= (2 * interval) + 3; t++)
        {
            double[] p0 = Product(w1, n, w2, m, h), a0 = Product(w1, n, w1, n, h), b0 = Product(w2, m, w2, m, h);
            optimizer.Step(problem, w1, w2, workspace, t);

            // Which steps refresh: every interval-th step since the products were formed (the first step's extra pass).
            int expectedCount = (int)(t % interval);
            Assert.Equal(expectedCount, workspace.StepsSinceRefresh);
            if (expectedCount == 0)
            {
                refreshes++;
            }
            else
            {
                closedForm++;
            }

            double[] p = Product(w1, n, w2, m, h), a = Product(w1, n, w1, n, h), b = Product(w2, m, w2, m, h);
            double scale = Math.Max(TwoLayerData.MaxAbs(a), TwoLayerData.MaxAbs(b));
            Assert.True(TwoLayerData.MaxDifference(workspace.WeightProduct, p) <= 1e-12 * scale, $"t = {t}: W1W2ᵀ differs by {TwoLayerData.MaxDifference(workspace.WeightProduct, p):E3}");
            Assert.True(TwoLayerData.MaxDifference(workspace.FirstGram, a) <= 1e-12 * scale, $"t = {t}: W1W1ᵀ differs by {TwoLayerData.MaxDifference(workspace.FirstGram, a):E3}");
            Assert.True(TwoLayerData.MaxDifference(workspace.SecondGram, b) <= 1e-12 * scale, $"t = {t}: W2W2ᵀ differs by {TwoLayerData.MaxDifference(workspace.SecondGram, b):E3}");
            AssertSymmetric(workspace.FirstGram, n);
            AssertSymmetric(workspace.SecondGram, m);

            // The step moved the products, and dropping the η² terms would miss by far more than the tolerance: the
            // first-order part alone (P + AE + EB etc., E = −η∇ℓ from the weight change) is compared here.
            double[] e = StepMatrix(workspace, eta, n, m);
            double[] firstOrderP = Add(p0, Add(Multiply(a0, n, n, e, m), Multiply(e, n, m, b0, m)));
            if (expectedCount != 0)
            {
                largestSecondOrder = Math.Max(largestSecondOrder, TwoLayerData.MaxDifference(firstOrderP, p) / scale);
            }
        }

        Assert.True(refreshes >= 2 && closedForm >= 2 * (interval - 1));
        Assert.True(largestSecondOrder > 1e-8, $"the second-order term is only {largestSecondOrder:E3} of the products");
    }

    [Fact]
    public void RefreshIntervalOneFormsTheProductsAtEveryStepAndInvalidateRestartsTheCount()
    {
        const int n = 4, m = 3, h = 200, s = 4;
        var random = new Random(9);
        double[] x = TwoLayerData.Gaussian(s * n, random), y = TwoLayerData.Gaussian(s * m, random);
        double[] w1 = TwoLayerData.Gaussian(n * h, random, 0.1), w2 = TwoLayerData.Gaussian(m * h, random, 0.1);
        var problem = new TwoLayerProblem<double>(x, s, n, y, m);
        var every = new TwoLayerWorkspace<double>(problem, h, threads: 1, refreshInterval: 1);
        var optimizer = new TwoLayerSquaredGd { Eta = 0.1 };
        for (long t = 1; t <= 3; t++)
        {
            optimizer.Step(problem, w1, w2, every, t);
            Assert.Equal(0, every.StepsSinceRefresh);
        }

        var workspace = new TwoLayerWorkspace<double>(problem, h, threads: 1);
        Assert.Equal(TwoLayerWorkspace<double>.DefaultRefreshInterval, workspace.RefreshInterval);
        optimizer.Step(problem, w1, w2, workspace, 1);
        optimizer.Step(problem, w1, w2, workspace, 2);
        Assert.Equal(2, workspace.StepsSinceRefresh);

        // Weights changed outside Step: Invalidate makes the next step form the products exactly, and the count restarts.
        for (int i = 0; i < w1.Length; i++)
        {
            w1[i] *= 0.5;
        }

        workspace.Invalidate();
        optimizer.Step(problem, w1, w2, workspace, 3);
        Assert.Equal(1, workspace.StepsSinceRefresh);
        double[] a = Product(w1, n, w1, n, h);
        Assert.True(TwoLayerData.MaxDifference(workspace.FirstGram, a) <= 1e-13 * TwoLayerData.MaxAbs(a));

        Assert.Throws<ArgumentOutOfRangeException>(() => new TwoLayerWorkspace<double>(problem, h, threads: 1, refreshInterval: 0));
    }

    [Fact]
    public void FloatClosedFormStaysWithinFloatRoundingOfTheWeights()
    {
        // float weights: each step rounds every weight (relative 2⁻²⁴ ≈ 6e-8), which the closed form (in double, from
        // the E the pass applied) does not see; over 15 closed-form steps that bounds the drift near 15·2·6e-8 ≈ 2e-6 of
        // the products' scale, and the pass's own float dot products round at √h·6e-8. 1e-5 covers both.
        const int n = 6, m = 4, h = 777, s = 6;
        var random = new Random(21);
        double[] x = TwoLayerData.Gaussian(s * n, random), y = TwoLayerData.Gaussian(s * m, random);
        float[] w1 = TwoLayerData.Cast<float>(TwoLayerData.Gaussian(n * h, random, 1.0 / Math.Sqrt(h)));
        float[] w2 = TwoLayerData.Cast<float>(TwoLayerData.Gaussian(m * h, random, 1.0 / Math.Sqrt(h)));
        var problem = new TwoLayerProblem<float>(TwoLayerData.Cast<float>(x), s, n, TwoLayerData.Cast<float>(y), m);
        var workspace = new TwoLayerWorkspace<float>(problem, h, threads: 1);
        var optimizer = new TwoLayerSquaredGd { Eta = 0.05 };
        for (long t = 1; t <= 15; t++)
        {
            optimizer.Step(problem, w1, w2, workspace, t);
            double[] d1 = TwoLayerData.ToDouble<float>(w1), d2 = TwoLayerData.ToDouble<float>(w2);
            double[] p = Product(d1, n, d2, m, h), a = Product(d1, n, d1, n, h), b = Product(d2, m, d2, m, h);
            double scale = Math.Max(TwoLayerData.MaxAbs(a), TwoLayerData.MaxAbs(b));
            Assert.True(TwoLayerData.MaxDifference(workspace.WeightProduct, p) <= 1e-5 * scale);
            Assert.True(TwoLayerData.MaxDifference(workspace.FirstGram, a) <= 1e-5 * scale);
            Assert.True(TwoLayerData.MaxDifference(workspace.SecondGram, b) <= 1e-5 * scale);
        }

        Assert.Equal(15, workspace.StepsSinceRefresh);
    }

    /// <summary>U Vᵀ for row-major U (u×h) and V (v×h).</summary>
    private static double[] Product(double[] u, int rowsU, double[] v, int rowsV, int h)
        => TwoLayerData.Multiply(u, rowsU, h, TwoLayerData.Transpose(v, rowsV, h), rowsV);

    private static double[] Multiply(double[] a, int rows, int inner, double[] b, int cols) => TwoLayerData.Multiply(a, rows, inner, b, cols);

    private static double[] Add(double[] a, double[] b)
    {
        var c = new double[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            c[i] = a[i] + b[i];
        }

        return c;
    }

    /// <summary>E = −η∇ℓ(W) at the step's start, from the workspace's gradient of ℓ (checked against finite differences elsewhere).</summary>
    private static double[] StepMatrix(TwoLayerWorkspace<double> workspace, double eta, int n, int m)
    {
        var e = new double[n * m];
        ReadOnlySpan<double> g = workspace.LossGradientAtStart;
        for (int i = 0; i < e.Length; i++)
        {
            e[i] = -eta * g[i];
        }

        return e;
    }

    private static void AssertSymmetric(ReadOnlySpan<double> a, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < i; k++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(a[(k * n) + i]), BitConverter.DoubleToInt64Bits(a[(i * n) + k]));
            }
        }
    }
}

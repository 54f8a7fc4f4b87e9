using System;
using System.Collections.Generic;
using System.Numerics;
using DslOptim.Tests.Infrastructure;
using Xunit;
using Model = DslOptim.Kernels.LinearModel;

namespace DslOptim.Tests.LinearModel;

/// <summary>LinearModel.Gradient against the naive composed reference and against finite differences.</summary>
[Collection(WorkersCollection.Name)]
public sealed class GradientTests
{
    /// <summary>(n, d): from 1×1 up, none a multiple of every vector width, with and without a partial last chunk.</summary>
    public static IEnumerable<object[]> Shapes()
    {
        int[][] shapes =
        [
            [1, 1], [3, 5], [7, 13], [65, 130], [130, 67], [4, 8], [64, 33], [129, 17], [2, 200], [200, 3],
        ];
        foreach (int[] s in shapes)
        {
            // k = 8 and 16: exactly one vector of 8 or 16 lanes (AVX2 float; AVX-512 double and float), the products form.
            foreach (int k in new[] { 1, 3, 8, 16 })
            {
                yield return [s[0], s[1], k];
            }
        }

        // Wide outputs: the chunk-product form in float too, with ragged column panels.
        yield return [130, 67, 33];
        yield return [7, 13, 40];
        yield return [65, 300, 24];

        // Ragged k between two and four vectors (9, 10, 12 with 4 doubles or 8 floats per vector, 20 with 8 doubles or
        // 16 floats): the row-tile form of GradientUsesChunkProducts, several column pairs and an odd last column, d
        // not a multiple of any width.
        yield return [70, 261, 9];
        yield return [133, 130, 10];
        yield return [66, 75, 12];
        yield return [9, 203, 20];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesTheComposedReference(int n, int d, int k)
    {
        var report = new Tolerance.Report($"Gradient n={n} d={d} k={k}");
        foreach (int threads in new[] { 1, 2 })
        {
            Check<double, SquaredLoss<double>, SquaredLoss<double>>(n, d, k, threads, default, default, "squared", report);
            Check<double, PseudoHuberLoss<double>, PseudoHuberLoss<double>>(n, d, k, threads, new(0.7), new(0.7), "pseudo-Huber", report);
            Check<float, SquaredLoss<float>, SquaredLoss<double>>(n, d, k, threads, default, default, "squared", report);
            Check<float, PseudoHuberLoss<float>, PseudoHuberLoss<double>>(n, d, k, threads, new(0.7), new(0.7), "pseudo-Huber", report);
        }

        report.Assert();
    }

    private static void Check<T, TLoss, TReference>(
        int n, int d, int k, int threads, TLoss loss, TReference reference, string lossName, Tolerance.Report report)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, global::DslOptim.Kernels.ILossOperator<T>
        where TReference : struct, global::DslOptim.Kernels.ILossOperator<double>
    {
        var (problem, w) = LinearData.Problem<T>(n, d, k, seed: (n * 1000) + (d * 10) + k);
        var workspace = new LinearWorkspace<T>(problem, threads);
        var (value, squaredNorm) = Model.Gradient(problem, w, workspace, loss);

        double[] x = LinearData.ToDouble<T>(problem.X), y = LinearData.ToDouble<T>(problem.Y), w64 = LinearData.ToDouble<T>(w);
        var expected = LinearData.ReferenceGradient(x, n, d, y, k, w64, reference);
        double tol = LinearData.Tolerance<T>();
        string where = $"{typeof(T).Name} {lossName} threads={threads}";
        report.Check(value, expected.Loss, tol, where + " loss");
        report.Check(Math.Sqrt(squaredNorm), expected.Norm, tol, where + " ‖G‖");
        ReadOnlySpan<T> g = workspace.Gradient;
        report.CheckThat(g.Length == d * k, where + $" gradient length {g.Length}");
        for (int e = 0; e < expected.G.Length; e++)
        {
            report.Check(double.CreateTruncating(g[e]), expected.G[e], tol, where + $" G[{e / k},{e % k}]");
        }
    }

    [Fact]
    public void AgreesWithCentralFiniteDifferencesOfItsLoss()
    {
        const int n = 5, d = 7, k = 3;
        var (problem, w) = LinearData.Problem<double>(n, d, k, seed: 11);
        var loss = new PseudoHuberLoss<double>(0.5);
        var workspace = new LinearWorkspace<double>(problem, 1);
        Model.Gradient(problem, w, workspace, loss);
        double[] g = workspace.Gradient.ToArray();
        var probe = new LinearWorkspace<double>(problem, 1);
        var report = new Tolerance.Report("central differences");
        const double h = 1e-5;
        for (int e = 0; e < w.Length; e++)
        {
            double saved = w[e];
            w[e] = saved + h;
            double plus = Model.Gradient(problem, w, probe, loss).Loss;
            w[e] = saved - h;
            double minus = Model.Gradient(problem, w, probe, loss).Loss;
            w[e] = saved;
            report.Check(g[e], (plus - minus) / (2 * h), 1e-8, $"∂L/∂W[{e / k},{e % k}]");
        }

        Assert.Contains(g, v => Math.Abs(v) > 1e-3); // a non-trivial gradient was compared
        report.Assert();
    }

    [Fact]
    public void TheSquaredLossGradientIsTheClosedFormXTransposeResidualOverN()
    {
        // For ℓ = r²/2, G = Xᵀ(XW − Y)/n, L = ‖XW − Y‖²_F/(2n): checked with the library's own products.
        const int n = 90, d = 41, k = 3;
        var (problem, w) = LinearData.Problem<double>(n, d, k, seed: 5);
        var workspace = new LinearWorkspace<double>(problem, 1);
        var (value, squaredNorm) = Model.Gradient(problem, w, workspace, default(SquaredLoss<double>));

        var r = new double[n * k];
        Model.Multiply<double>(problem.X, n, d, w, k, r, threads: 1);
        double half = 0;
        for (int e = 0; e < r.Length; e++)
        {
            r[e] -= problem.Y[e];
            half += 0.5 * r[e] * r[e];
        }

        var g = new double[d * k];
        Model.MultiplyTransposed<double>(problem.X, n, d, r, k, g, threads: 1);
        var report = new Tolerance.Report("closed form");
        double squares = 0;
        for (int e = 0; e < g.Length; e++)
        {
            g[e] /= n;
            squares += g[e] * g[e];
            report.Check(workspace.Gradient[e], g[e], 1e-13, $"G[{e}]");
        }

        report.Check(value, half / n, 1e-13, "loss");
        report.Check(squaredNorm, squares, 1e-13, "‖G‖²");
        report.Assert();
    }

    [Fact]
    public void WeightsMayBeTheWorkspaceGradientItself()
    {
        var (problem, w) = LinearData.Problem<double>(70, 19, 3, seed: 3);
        var fresh = new LinearWorkspace<double>(problem, 1);
        var expected = Model.Gradient(problem, w, fresh, default(SquaredLoss<double>));

        var aliased = new LinearWorkspace<double>(problem, 1);
        w.CopyTo(aliased.Gradient);
        var actual = Model.Gradient(problem, aliased.Gradient, aliased, default(SquaredLoss<double>));

        Assert.Equal(expected, actual);
        Assert.True(LinearData.BitwiseEqual<double>(fresh.Gradient, aliased.Gradient));
    }

    [Fact]
    public void AWorkspaceServesProblemsWithOtherRowCounts()
    {
        var (large, _) = LinearData.Problem<float>(1000, 23, 3, seed: 8);
        var (small, w) = LinearData.Problem<float>(37, 23, 3, seed: 9);
        var shared = new LinearWorkspace<float>(large, 2);
        Assert.True(shared.Fits(small));
        var first = Model.Gradient(large, LinearData.Convert<float>(LinearData.Uniform(69, 1, 0.2)), shared, default(SquaredLoss<float>));
        var reused = Model.Gradient(small, w, shared, default(SquaredLoss<float>));

        var own = new LinearWorkspace<float>(small, 1);
        var expected = Model.Gradient(small, w, own, default(SquaredLoss<float>));
        Assert.True(double.IsFinite(first.Loss));
        Assert.Equal(expected, reused);
        Assert.True(LinearData.BitwiseEqual<float>(own.Gradient, shared.Gradient));
    }

    [Fact]
    public void ResultsStayCorrectOverRepeatedCallsWithChangingWeights()
    {
        // The buffers are reused from call to call: a stale partial or running sum would show here.
        const int n = 300, d = 50, k = 3;
        var (problem, w) = LinearData.Problem<double>(n, d, k, seed: 21);
        var workspace = new LinearWorkspace<double>(problem, 2);
        double[] x = LinearData.ToDouble<double>(problem.X), y = LinearData.ToDouble<double>(problem.Y);
        var report = new Tolerance.Report("repeated calls");
        for (int step = 0; step < 5; step++)
        {
            var (value, squaredNorm) = Model.Gradient(problem, w, workspace, default(SquaredLoss<double>));
            var expected = LinearData.ReferenceGradient(x, n, d, y, k, w, default(SquaredLoss<double>));
            report.Check(value, expected.Loss, 1e-12, $"step {step} loss");
            report.Check(Math.Sqrt(squaredNorm), expected.Norm, 1e-12, $"step {step} ‖G‖");
            for (int e = 0; e < w.Length; e++)
            {
                report.Check(workspace.Gradient[e], expected.G[e], 1e-12, $"step {step} G[{e}]");
                w[e] -= 0.5 * workspace.Gradient[e];
            }
        }

        report.Assert();
    }
}

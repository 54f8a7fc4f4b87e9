using System;
using System.Numerics;
using DslOptim.Kernels;
using DslOptim.Tests.Infrastructure;
using Xunit;
using Model = DslOptim.Kernels.LinearModel;

namespace DslOptim.Tests.LinearModel;

/// <summary>
/// The k = 1 gradient (rows four at a time: four dot products, then the rank-4 update; the last n mod 4 rows of a chunk
/// one at a time): ragged row counts (no 4-row group, one group, several, rows left over, partial last chunks) against
/// the plain double reference; bitwise 1 against 2 threads; no allocation on one or two threads.
/// </summary>
[Collection(WorkersCollection.Name)]
public sealed class SingleOutputGradientTests
{
    /// <summary>
    /// n = 1, 2, 3 (no 4-row group: rows one at a time), 4 (one group), 5 and 7 (one group and rows left over), 8, 9,
    /// 12 (two groups, two and a row, three groups), 63, 64, 65 (15 groups and 3 rows, a full chunk of 16 groups, a
    /// one-row last chunk), 67, 131, 190 (ragged last chunks): k = 1 against the plain double reference, 1 and 2 threads.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(12)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(67)]
    [InlineData(131)]
    [InlineData(190)]
    public void RaggedRowCountsMatchThePlainReference(int n)
    {
        var report = new Tolerance.Report($"k = 1, n = {n}");
        foreach (int d in new[] { 1, 6, 37, 300 })
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Check<double, PseudoHuberLoss<double>, PseudoHuberLoss<double>>(n, d, threads, new(0.6), new(0.6), report);
                Check<double, SquaredLoss<double>, SquaredLoss<double>>(n, d, threads, default, default, report);
                Check<float, PseudoHuberLoss<float>, PseudoHuberLoss<double>>(n, d, threads, new(0.6), new(0.6), report);
            }
        }

        report.Assert();
    }

    private static void Check<T, TLoss, TReference>(int n, int d, int threads, TLoss loss, TReference reference, Tolerance.Report report)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, ILossOperator<T>
        where TReference : struct, ILossOperator<double>
    {
        var (problem, w) = LinearData.Problem<T>(n, d, 1, seed: (n * 100) + d);
        var workspace = new LinearWorkspace<T>(problem, threads);
        workspace.Gradient.Fill(T.NaN);
        var (value, squaredNorm) = Model.Gradient(problem, w, workspace, loss);

        double[] x = LinearData.ToDouble<T>(problem.X), y = LinearData.ToDouble<T>(problem.Y), w64 = LinearData.ToDouble<T>(w);
        var expected = LinearData.ReferenceGradient(x, n, d, y, 1, w64, reference);
        double tol = LinearData.Tolerance<T>();
        string where = $"{typeof(T).Name} {typeof(TLoss).Name} d={d} threads={threads}";
        report.Check(value, expected.Loss, tol, where + " loss");
        report.Check(Math.Sqrt(squaredNorm), expected.Norm, tol, where + " ‖G‖");
        for (int p = 0; p < d; p++)
        {
            report.Check(double.CreateTruncating(workspace.Gradient[p]), expected.G[p], tol, where + $" G[{p}]");
        }
    }

    /// <summary>
    /// k = 1, many chunks, bitwise the same on 1 and 2 threads: chunks of 16 groups of four rows; with n = 1021 the last
    /// chunk has 15 groups and one row, with n = 1027 three rows and no group; d ragged against every width.
    /// </summary>
    [Theory]
    [InlineData(1021, 517)]
    [InlineData(1027, 259)]
    [InlineData(1024, 64)]
    public void IsBitwiseIdenticalOnOneAndTwoThreads(int n, int d)
    {
        DeterminismTests.CheckGradient<double, PseudoHuberLoss<double>>(n, d, 1, new PseudoHuberLoss<double>(0.5));
        DeterminismTests.CheckGradient<float, PseudoHuberLoss<float>>(n, d, 1, new PseudoHuberLoss<float>(0.5));
    }

    [Fact]
    public void DoesNotAllocateOnOneOrTwoThreads()
    {
        var (problem, w) = LinearData.Problem<double>(1021, 300, 1, seed: 31);
        var (problemF, wF) = LinearData.Problem<float>(1027, 301, 1, seed: 32);
        var one = new LinearWorkspace<double>(problem, threads: 1);
        var two = new LinearWorkspace<double>(problem, threads: 2);
        var twoF = new LinearWorkspace<float>(problemF, threads: 2);
        double sink = 0;
        var (caller, helpers, shared) = Allocation.OverCollectionFreeWindowsWithHelpers(_ => sink += Run(), calls: 100, warmUp: 100, untilShared: true);
        Assert.Equal(0, caller);
        Assert.Equal(0, helpers);
        Assert.True(shared, "the helper threads never ran an item in a measured window: the calls were not parallel");
        Assert.True(double.IsFinite(sink));

        double Run() =>
            Model.Gradient(problem, w, one, default(SquaredLoss<double>)).Loss
            + Model.Gradient(problem, w, two, new PseudoHuberLoss<double>(0.5)).GradientSquaredNorm
            + Model.Gradient(problemF, wF, twoF, default(SquaredLoss<float>)).Loss;
    }
}

using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using DslOptim.Kernels;
using DslOptim.Tests.Infrastructure;
using Xunit;
using Model = DslOptim.Kernels.LinearModel;

namespace DslOptim.Tests.LinearModel;

/// <summary>
/// The software-pipelined k = 1 gradient (RowKernels.DotUpdate4x1: the next group's dot products and the previous
/// group's rank-4 update in one pass): the kernel against the separate dot and update kernels, bit for bit, at every
/// vector width the machine runs; the gradient for ragged row counts (prologue only, prologue and epilogue, several
/// pipelined groups, rows left over) against the plain double reference; bitwise 1 against 2 threads; no allocation.
/// </summary>
[Collection(WorkersCollection.Name)]
public sealed class SingleOutputPipelineTests
{
    /// <summary>Row lengths: below one vector, around one and two vectors of every width, and long ragged rows.</summary>
    private static readonly int[] Lengths = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 63, 64, 65, 100, 517];

    [Fact]
    public void ThePipelinedKernelEqualsTheDotsThenTheUpdateBitForBit()
    {
        var report = new Tolerance.Report("DotUpdate4x1 against Dot4x1 + Update4x1");
        foreach (int d in Lengths)
        {
            CheckKernel<double, Vector128<double>, Simd128<double>>(d, report);
            CheckKernel<float, Vector128<float>, Simd128<float>>(d, report);
            if (Vector256.IsHardwareAccelerated)
            {
                CheckKernel<double, Vector256<double>, Simd256<double>>(d, report);
                CheckKernel<float, Vector256<float>, Simd256<float>>(d, report);
            }

            if (Vector512.IsHardwareAccelerated)
            {
                CheckKernel<double, Vector512<double>, Simd512<double>>(d, report);
                CheckKernel<float, Vector512<float>, Simd512<float>>(d, report);
            }
        }

        Assert.True(report.Checked >= Lengths.Length * 4 * 2, "every length and type was checked");
        report.Assert();
    }

    /// <summary>
    /// Eight rows of length d (the previous group, then the next, in one array with stride d + 3 so the rows are not
    /// aligned alike), w, the previous group's coefficients s and a nonzero g: the fused kernel (with r a separate
    /// buffer and with r = s, as the gradient calls it) against Dot4x1 of the next rows and Update4x1 of the previous.
    /// </summary>
    private static unsafe void CheckKernel<T, TV, TS>(int d, Tolerance.Report report)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        int stride = d + 3;
        T[] rows = LinearData.Convert<T>(LinearData.Uniform(8 * stride, seed: d));
        T[] w = LinearData.Convert<T>(LinearData.Uniform(d, seed: d + 1));
        T[] g0 = LinearData.Convert<T>(LinearData.Uniform(d, seed: d + 2, scale: 3.0));
        T[] s0 = LinearData.Convert<T>(LinearData.Uniform(4, seed: d + 3, scale: 0.25));
        T[] gExpected = (T[])g0.Clone(), gSeparate = (T[])g0.Clone(), gAliased = (T[])g0.Clone();
        var rExpected = new T[4];
        var rSeparate = new T[4];
        T[] sAliased = (T[])s0.Clone();
        fixed (T* x = rows)
        fixed (T* a = w)
        fixed (T* s = s0)
        fixed (T* ge = gExpected)
        fixed (T* gs = gSeparate)
        fixed (T* ga = gAliased)
        fixed (T* re = rExpected)
        fixed (T* rs = rSeparate)
        fixed (T* sa = sAliased)
        {
            T* prev = x, next = x + (4 * stride);
            RowKernels.Dot4x1<T, TV, TS>(next, stride, a, d, re, 1);
            RowKernels.Update4x1<T, TV, TS>(prev, stride, s, 1, ge, d);
            RowKernels.DotUpdate4x1<T, TV, TS>(next, prev, stride, a, s, gs, d, rs);
            RowKernels.DotUpdate4x1<T, TV, TS>(next, prev, stride, a, sa, ga, d, sa);
        }

        string where = $"{typeof(T).Name} {typeof(TV).Name} d={d}";
        report.CheckThat(LinearData.BitwiseEqual<T>(rExpected, rSeparate), where + ": dot products differ");
        report.CheckThat(LinearData.BitwiseEqual<T>(rExpected, sAliased), where + ": dot products differ when r = s");
        report.CheckThat(LinearData.BitwiseEqual<T>(gExpected, gSeparate), where + ": update differs");
        report.CheckThat(LinearData.BitwiseEqual<T>(gExpected, gAliased), where + ": update differs when r = s");
        report.CheckThat(!LinearData.BitwiseEqual<T>(g0, gSeparate), where + ": the update changed nothing");
    }

    /// <summary>
    /// n = 1, 2, 3 (no 4-row group: rows one at a time), 4 (prologue and epilogue only), 5 and 7 (one group and rows
    /// left over), 8, 9, 12 (one and two pipelined steps), 63, 64, 65 (a full chunk of 16 groups, 15 groups and 3 rows,
    /// a one-row last chunk), 67, 131, 190 (ragged last chunks): k = 1 against the plain double reference, 1 and 2 threads.
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
    /// k = 1, many chunks, bitwise the same on 1 and 2 threads: chunks of 16 pipelined groups; with n = 1021 the last
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

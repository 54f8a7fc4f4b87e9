using System;
using System.Collections.Generic;
using System.Numerics;
using Xunit;
using Model = DslOptim.Kernels.LinearModel;

namespace DslOptim.Tests.LinearModel;

/// <summary>Multiply and MultiplyTransposed against triple loops.</summary>
[Collection(WorkersCollection.Name)]
public sealed class MultiplyTests
{
    private static readonly int[] Rows = [1, 3, 4, 5, 17, 64, 67];
    private static readonly int[] Inner = [1, 2, 7, 16, 33, 257];
    private static readonly int[] Cols = [1, 2, 3, 5, 8, 9, 16, 17, 33, 40];

    public static IEnumerable<object[]> Threads() => [[1], [2]];

    [Theory]
    [MemberData(nameof(Threads))]
    public void ProductsMatchTripleLoopsOnEveryShape(int threads)
    {
        int checkedShapes = 0;
        foreach (int rows in Rows)
        {
            foreach (int inner in Inner)
            {
                foreach (int cols in Cols)
                {
                    CheckBoth<double>(rows, inner, cols, threads);
                    CheckBoth<float>(rows, inner, cols, threads);
                    checkedShapes++;
                }
            }
        }

        Assert.Equal(Rows.Length * Inner.Length * Cols.Length, checkedShapes);
    }

    [Theory]
    [InlineData(130, 600, 1030)] // several row chunks, reduce blocks and column blocks
    [InlineData(1031, 517, 1)] // GEMV over many chunks; transposed GEMV over several output blocks
    [InlineData(9, 1100, 2)]
    public void LargeProductsMatchTripleLoops(int rows, int inner, int cols)
    {
        CheckBoth<double>(rows, inner, cols, threads: 2);
        CheckBoth<float>(rows, inner, cols, threads: 2);
    }

    [Fact]
    public void AnElementDoesNotDependOnTheTileItFallsIn()
    {
        // The GEMM computes each element as one multiply-add chain in index order: dropping the first rows of A
        // (which moves every row to another tile position) or the first columns of B (another panel width)
        // must reproduce the remaining elements bit for bit.
        const int rows = 23, inner = 300, cols = 37;
        double[] a = LinearData.Uniform(rows * inner, 1);
        double[] b = LinearData.Uniform(inner * cols, 2);
        var c = new double[rows * cols];
        Model.Multiply<double>(a, rows, inner, b, cols, c, threads: 1);

        const int skipRows = 3;
        var cRows = new double[(rows - skipRows) * cols];
        Model.Multiply<double>(a.AsSpan(skipRows * inner), rows - skipRows, inner, b, cols, cRows, threads: 1);
        Assert.True(LinearData.BitwiseEqual<double>(c.AsSpan(skipRows * cols), cRows));

        const int skipCols = 5, narrow = cols - skipCols;
        var bNarrow = new double[inner * narrow];
        for (int p = 0; p < inner; p++)
        {
            b.AsSpan((p * cols) + skipCols, narrow).CopyTo(bNarrow.AsSpan(p * narrow));
        }

        var cNarrow = new double[rows * narrow];
        Model.Multiply<double>(a, rows, inner, bNarrow, narrow, cNarrow, threads: 1);
        for (int i = 0; i < rows; i++)
        {
            Assert.True(LinearData.BitwiseEqual<double>(c.AsSpan((i * cols) + skipCols, narrow), cNarrow.AsSpan(i * narrow, narrow)), $"row {i}");
        }
    }

    private static void CheckBoth<T>(int rows, int inner, int cols, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int seed = (rows * 7919) + (inner * 31) + cols;
        T[] a = LinearData.Convert<T>(LinearData.Uniform(rows * inner, seed));
        T[] b = LinearData.Convert<T>(LinearData.Uniform(inner * cols, seed + 1));
        T[] bt = LinearData.Convert<T>(LinearData.Uniform(rows * cols, seed + 2));
        double[] a64 = LinearData.ToDouble<T>(a);
        double tol = LinearData.Tolerance<T>();

        var c = new T[rows * cols];
        c.AsSpan().Fill(T.NaN); // every element must be written
        Model.Multiply<T>(a, rows, inner, b, cols, c, threads);
        var (expected, scale) = LinearData.ReferenceMultiply(a64, rows, inner, LinearData.ToDouble<T>(b), cols);
        Compare(c, expected, scale, tol, $"{typeof(T).Name} A·B {rows}×{inner}·{inner}×{cols} threads={threads}");

        var ct = new T[inner * cols];
        ct.AsSpan().Fill(T.NaN);
        Model.MultiplyTransposed<T>(a, rows, inner, bt, cols, ct, threads);
        var (expectedT, scaleT) = LinearData.ReferenceMultiplyTransposed(a64, rows, inner, LinearData.ToDouble<T>(bt), cols);
        Compare(ct, expectedT, scaleT, tol, $"{typeof(T).Name} Aᵀ·B ({rows}×{inner})ᵀ·{rows}×{cols} threads={threads}");
    }

    /// <summary>|c − c_ref| ≤ tol·max(1, Σ_p |a_ip b_pj|): relative to the size of the terms, the product's condition.</summary>
    private static void Compare<T>(T[] actual, double[] expected, double[] scale, double tol, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int e = 0; e < expected.Length; e++)
        {
            double value = double.CreateTruncating(actual[e]);
            double allowed = tol * Math.Max(1.0, scale[e]);
            if (!(Math.Abs(value - expected[e]) <= allowed))
            {
                Assert.Fail($"{what}: element {e}: expected {expected[e]:R}, actual {value:R}, allowed {allowed:R}");
            }
        }
    }
}

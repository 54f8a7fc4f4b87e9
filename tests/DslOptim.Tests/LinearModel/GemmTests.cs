using System;
using System.Numerics;
using DslOptim.Kernels;
using Xunit;

namespace DslOptim.Tests.LinearModel;

/// <summary>
/// The one family of register-tiled micro-kernels (<see cref="Gemm"/>, used by the linear model and the two-layer pass)
/// against its contract, element by element and bit for bit: every element of O is ONE multiply-add chain over
/// p = 0, 1, …, reduce − 1 starting from S's element (or +0), whatever tile (6, 4, 2 or 1 rows × 2 vectors; 8, 4 or 1
/// rows × 1 vector; scalar columns), reduction block or start (separate S, in place, zero) it falls in. The reference
/// below is that chain written as a plain loop; the bitwise determinism of both callers rests on it.
/// </summary>
public sealed unsafe class GemmTests
{
    private static readonly int[] Rows = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 64];
    private static readonly int[] Cols = [1, 3, 4, 7, 8, 9, 16, 17, 31, 33, 64];
    private static readonly int[] Reduce = [1, 2, 10, 64, 300]; // 300: two reduction blocks (256 + 44)

    [Fact]
    public void ProductIsOneChainPerElementFromASeparateStart()
    {
        int cases = CheckAllShapes<double>(inPlace: false) + CheckAllShapes<float>(inPlace: false);
        Assert.Equal(2 * 2 * Rows.Length * Cols.Length * Reduce.Length, cases);
    }

    [Fact]
    public void ProductIsOneChainPerElementInPlace()
    {
        int cases = CheckAllShapes<double>(inPlace: true) + CheckAllShapes<float>(inPlace: true);
        Assert.Equal(2 * 2 * Rows.Length * Cols.Length * Reduce.Length, cases);
    }

    [Theory]
    [InlineData(0, 23, 0, 37, 300)]
    [InlineData(5, 18, 3, 29, 10)]
    [InlineData(6, 7, 1, 2, 513)] // three reduction blocks, one row, one scalar column
    public void BlockIsOneChainPerElementFromZeroAndLeavesTheRestAlone(int i0, int i1, int j0, int j1, int reduce)
    {
        const int rows = 24, cols = 40;
        double[] a = Values(rows * reduce, 1);
        double[] b = Values(reduce * cols, 2);
        var c = new double[rows * cols];
        c.AsSpan().Fill(double.NaN);
        fixed (double* pa = a)
        fixed (double* pb = b)
        fixed (double* pc = c)
        {
            Gemm.Block(pa, reduce, 1, pb, cols, pc, cols, i0, i1, j0, j1, reduce);
        }

        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                double actual = c[(i * cols) + j];
                if (i < i0 || i >= i1 || j < j0 || j >= j1)
                {
                    Assert.True(double.IsNaN(actual), $"({i}, {j}) outside the block was written");
                    continue;
                }

                double expected = Chain(0.0, a, i * reduce, 1, b, j, cols, reduce);
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"({i}, {j}): expected {expected:R}, actual {actual:R}");
            }
        }
    }

    /// <summary>
    /// O = S + A·B for A as the two-layer pass passes E (rows × reduce, row-major: aRow = reduce, aRed = 1) and Eᵀ
    /// (aRow = 1, aRed = rows), B and S and O with row strides wider than cols; O's padding must stay untouched.
    /// </summary>
    private static int CheckAllShapes<T>(bool inPlace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cases = 0;
        foreach (int rows in Rows)
        {
            foreach (int cols in Cols)
            {
                foreach (int reduce in Reduce)
                {
                    foreach (bool transposed in new[] { false, true })
                    {
                        Check<T>(rows, cols, reduce, transposed, inPlace);
                        cases++;
                    }
                }
            }
        }

        return cases;
    }

    private static void Check<T>(int rows, int cols, int reduce, bool transposed, bool inPlace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int seed = (rows * 7919) + (cols * 131) + reduce + (transposed ? 17 : 0);
        int ldb = cols + 3, lds = cols + 5, ldo = inPlace ? lds : cols + 2;
        T[] a = Convert<T>(Values(rows * reduce, seed));
        T[] b = Convert<T>(Values(reduce * ldb, seed + 1));
        T[] s = Convert<T>(Values(rows * lds, seed + 2));
        T[] start = (T[])s.Clone();
        T[] o = inPlace ? s : new T[rows * ldo];
        if (!inPlace)
        {
            o.AsSpan().Fill(T.NaN);
        }

        nint aRow = transposed ? 1 : reduce, aRed = transposed ? rows : 1;
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* ps = s)
        fixed (T* po = o)
        {
            Gemm.Product(pa, aRow, aRed, pb, ldb, ps, lds, po, ldo, rows, cols, reduce);
        }

        string what = $"{typeof(T).Name} rows={rows} cols={cols} reduce={reduce} transposed={transposed} inPlace={inPlace}";
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < ldo; j++)
            {
                T actual = o[(i * ldo) + j];
                if (j >= cols)
                {
                    // Padding: untouched (NaN, or in place the start value).
                    T untouched = inPlace ? start[(i * lds) + j] : T.NaN;
                    Assert.True(Bits(untouched) == Bits(actual), $"{what}: padding ({i}, {j}) was written");
                    continue;
                }

                T expected = Chain(start[(i * lds) + j], a, (int)(i * aRow), (int)aRed, b, j, ldb, reduce);
                if (Bits(expected) != Bits(actual))
                {
                    Assert.Fail($"{what}: ({i}, {j}) expected {expected}, actual {actual}");
                }
            }
        }
    }

    /// <summary>The contract: r = start; r = a_p·b_p + r for p = 0, 1, …, reduce − 1, fused when the kernels fuse.</summary>
    private static T Chain<T>(T start, T[] a, int aOffset, int aRed, T[] b, int bOffset, int ldb, int reduce)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T r = start;
        for (int p = 0; p < reduce; p++)
        {
            T x = a[aOffset + (p * aRed)], y = b[bOffset + (p * ldb)];
            r = Simd.UseFma ? T.FusedMultiplyAdd(x, y, r) : (x * y) + r;
        }

        return r;
    }

    private static long Bits<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(double) ? BitConverter.DoubleToInt64Bits(double.CreateTruncating(value)) : BitConverter.SingleToInt32Bits(float.CreateTruncating(value));

    private static double[] Values(int length, int seed) => LinearData.Uniform(length, seed);

    private static T[] Convert<T>(double[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
        => LinearData.Convert<T>(values);
}

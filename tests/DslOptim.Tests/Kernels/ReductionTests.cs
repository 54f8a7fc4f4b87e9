using System;
using System.Numerics;
using DslOptim.Kernels;
using Xunit;

namespace DslOptim.Tests.Kernels;

/// <summary>
/// <see cref="Reduction"/> against plain double loops written here: accuracy, and determinism by construction —
/// the same bits whatever the span's address, the vector width, or the way chunks are combined.
/// </summary>
public sealed class ReductionTests
{
    private const int L = Reduction.ChunkLength;

    [Fact]
    public void SmallExactCases()
    {
        Assert.Equal(0.0, Reduction.SumOfSquares(ReadOnlySpan<double>.Empty));
        Assert.Equal(0L, BitConverter.DoubleToInt64Bits(Reduction.FrobeniusNorm(ReadOnlySpan<float>.Empty)));
        Assert.Equal(25.0, Reduction.SumOfSquares<double>(new[] { 3.0, -4.0 }));
        Assert.Equal(5.0, Reduction.FrobeniusNorm<double>(new[] { 3.0, -4.0 }));
        Assert.Equal(13.0, Reduction.FrobeniusNorm<float>(new[] { 5f, 12f }));
        Assert.Equal(169.0, Reduction.SumOfSquares<float>(new[] { -5f, 12f }));
    }

    [Fact]
    public void NaNAndInfinityPropagate()
    {
        double[] x = ElementwiseKernelTests.Sample<double>(1000, 5);
        x[700] = double.NaN;
        Assert.True(double.IsNaN(Reduction.SumOfSquares<double>(x)));
        x[700] = double.NegativeInfinity;
        Assert.Equal(double.PositiveInfinity, Reduction.FrobeniusNorm<double>(x));
        float[] xf = ElementwiseKernelTests.Sample<float>(L + 5, 6);
        xf[L + 2] = float.NaN;
        Assert.True(double.IsNaN(Reduction.SumOfSquares<float>(xf)));
    }

    [Fact]
    public void DoubleMatchesScalarLoopForManyLengthsAndOffsets()
    {
        double[] data = ElementwiseKernelTests.Sample<double>(2_000_000, 11);
        foreach (int n in Lengths())
        {
            for (int offset = 0; offset < 8; offset++)
            {
                ReadOnlySpan<double> x = data.AsSpan(offset, n);
                AssertRelative(ReferenceSum(x), Reduction.SumOfSquares(x), 1e-13, n, offset);
                Assert.Equal(Math.Sqrt(Reduction.SumOfSquares(x)), Reduction.FrobeniusNorm(x));
            }
        }
    }

    [Fact]
    public void SingleMatchesDoubleScalarLoopForManyLengthsAndOffsets()
    {
        float[] data = ElementwiseKernelTests.Sample<float>(2_000_000, 12);
        foreach (int n in Lengths())
        {
            for (int offset = 0; offset < 8; offset++)
            {
                ReadOnlySpan<float> x = data.AsSpan(offset, n);
                AssertRelative(ReferenceSum(x), Reduction.SumOfSquares(x), 1e-12, n, offset);
            }
        }
    }

    [Fact]
    public void FloatInputIsAccumulatedInDouble()
    {
        // 1,000,003 copies of 0.1f: the double reference is n·(0.1f)² to within n·2^-53; a float accumulator would
        // be off by far more than 1e-12 (it stalls once the sum dwarfs each square).
        var x = new float[1_000_003];
        Array.Fill(x, 0.1f);
        double square = (double)0.1f * 0.1f;
        AssertRelative(x.Length * square, Reduction.SumOfSquares<float>(x), 1e-12, x.Length, 0);
        float floatSum = 0;
        foreach (float v in x)
        {
            floatSum += v * v;
        }

        Assert.True(Math.Abs(floatSum - (x.Length * square)) > 1e-6 * (x.Length * square), "the float baseline should be visibly wrong");
    }

    [Fact]
    public void ResultDoesNotDependOnTheAddressOfTheData()
    {
        // No alignment peel: the same values at eight different alignments give the same bits.
        foreach (int n in new[] { 31, 32, 33, 1000, L - 1, L, L + 1, (2 * L) + 17, 1_000_003 })
        {
            double[] values = ElementwiseKernelTests.Sample<double>(n, n);
            float[] valuesF = ElementwiseKernelTests.Sample<float>(n, n);
            double first = 0, firstF = 0;
            for (int offset = 0; offset < 8; offset++)
            {
                var shifted = new double[n + offset];
                values.CopyTo(shifted, offset);
                var shiftedF = new float[n + offset];
                valuesF.CopyTo(shiftedF, offset);
                double s = Reduction.SumOfSquares<double>(shifted.AsSpan(offset));
                double sF = Reduction.SumOfSquares<float>(shiftedF.AsSpan(offset));
                if (offset == 0)
                {
                    (first, firstF) = (s, sF);
                }

                Assert.Equal(BitConverter.DoubleToInt64Bits(first), BitConverter.DoubleToInt64Bits(s));
                Assert.Equal(BitConverter.DoubleToInt64Bits(firstF), BitConverter.DoubleToInt64Bits(sF));
            }
        }
    }

    [Fact]
    public void ChunksCombineInOrderExactly()
    {
        // What a parallel version will do: compute every chunk on its own (here: from a fresh copy of just that
        // chunk, at another address) and add the partial sums in chunk order. The bits must equal SumOfSquares.
        foreach (int n in new[] { 0, 1, L - 1, L, L + 1, (3 * L) + 5, 1_000_003 })
        {
            double[] x = ElementwiseKernelTests.Sample<double>(n, 100 + n);
            Assert.Equal((n + L - 1) / L, Reduction.ChunkCount(n));
            double total = 0;
            for (int c = 0; c < Reduction.ChunkCount(n); c++)
            {
                int start = c * L;
                double[] chunk = x.AsSpan(start, Math.Min(L, n - start)).ToArray();
                double alone = Reduction.SumOfSquares<double>(chunk);
                Assert.Equal(BitConverter.DoubleToInt64Bits(alone), BitConverter.DoubleToInt64Bits(Reduction.SumOfSquaresChunk<double>(x, c)));
                total += alone;
            }

            Assert.Equal(BitConverter.DoubleToInt64Bits(total), BitConverter.DoubleToInt64Bits(Reduction.SumOfSquares<double>(x)));
        }
    }

    [Fact]
    public void EveryWidthGivesTheSameBitsAsTheCanonicalOrder()
    {
        // The canonical order, written here as a plain loop: element j of a chunk into lane j mod 32, lanes folded
        // by k += k+16, k+8, k+4, k+2, k+1. Every width's block routine must reproduce it bit for bit.
        for (int n = 0; n <= 300; n++)
        {
            CheckCanonical<double>(ElementwiseKernelTests.Sample<double>(n, 1000 + n));
            CheckCanonical<float>(ElementwiseKernelTests.Sample<float>(n, 2000 + n));
        }

        CheckCanonical<double>(ElementwiseKernelTests.Sample<double>(L, 1));
        CheckCanonical<float>(ElementwiseKernelTests.Sample<float>(L - 3, 2));
    }

    // ---------------------------------------------------------------- helpers

    private static void CheckCanonical<T>(T[] chunk)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lane = new double[32];
        for (int j = 0; j < chunk.Length; j++)
        {
            double v = double.CreateTruncating(chunk[j]);
            lane[j % 32] += v * v;
        }

        for (int width = 16; width >= 1; width /= 2)
        {
            for (int k = 0; k < width; k++)
            {
                lane[k] += lane[k + width];
            }
        }

        long expected = BitConverter.DoubleToInt64Bits(lane[0]);
        Assert.Equal(expected, BitConverter.DoubleToInt64Bits(Reduction.Block512<T>(chunk)));
        Assert.Equal(expected, BitConverter.DoubleToInt64Bits(Reduction.Block256<T>(chunk)));
        Assert.Equal(expected, BitConverter.DoubleToInt64Bits(Reduction.Block128<T>(chunk)));
        Assert.Equal(expected, BitConverter.DoubleToInt64Bits(Reduction.BlockScalar<T>(chunk)));
        Assert.Equal(expected, BitConverter.DoubleToInt64Bits(Reduction.SumOfSquares<T>(chunk)));
    }

    private static int[] Lengths()
    {
        var lengths = new System.Collections.Generic.List<int>();
        for (int n = 0; n <= 300; n++)
        {
            lengths.Add(n);
        }

        lengths.AddRange(new[] { L - 1, L, L + 1, (2 * L) - 1, 2 * L, (2 * L) + 1, 1_000_003 });
        return lengths.ToArray();
    }

    private static double ReferenceSum<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (T t in x)
        {
            double v = double.CreateTruncating(t);
            sum += v * v;
        }

        return sum;
    }

    private static void AssertRelative(double expected, double actual, double relative, int n, int offset)
    {
        bool ok = expected == 0 ? actual == 0 : Math.Abs(actual - expected) <= relative * Math.Abs(expected);
        Assert.True(ok, VectorMathTests.Invariant($"n = {n}, offset = {offset}: expected {expected:R}, got {actual:R}"));
    }
}

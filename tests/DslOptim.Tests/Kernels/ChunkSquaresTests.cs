using System;
using System.Collections.Generic;
using System.Numerics;
using DslOptim.Kernels;
using Xunit;

namespace DslOptim.Tests.Kernels;

/// <summary>
/// <see cref="Reduction.ChunkSquares{T}"/>: a chunk whose elements arrive in pieces from separate memory sums to the
/// same bits as the chunk in one piece — checked against the canonical order written out here as a plain loop (lane
/// j mod 32, zero-padded last block, fold k += k+16, k+8, k+4, k+2, k+1), not against the library.
/// </summary>
public sealed class ChunkSquaresTests
{
    private const int L = Reduction.ChunkLength;

    public static TheoryData<int> Lengths => new() { 0, 1, 5, 31, 32, 33, 63, 64, 65, 100, 1000, 4097, L - 1, L };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Pieces_sum_to_the_bits_of_the_canonical_order_double(int length) => PiecesMatch<double>(length, seed: length);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Pieces_sum_to_the_bits_of_the_canonical_order_float(int length) => PiecesMatch<float>(length, seed: length + 1);

    [Fact]
    public void The_check_can_fail_summing_each_piece_apart_gives_other_bits()
    {
        // What the parameter set did before: each piece folded on its own, the folds added. For many small pieces of
        // values of mixed magnitudes that order rounds differently, so the bitwise comparisons above have teeth.
        var random = new Random(5);
        int differing = 0;
        for (int trial = 0; trial < 20; trial++)
        {
            double[] x = Values<double>(L, random);
            var pieces = Cut(x.Length, random, maxPiece: 200);
            double perPiece = 0.0;
            foreach (var (start, length) in pieces)
            {
                perPiece += Reduction.SumOfSquaresBlock<double>(x.AsSpan(start, length));
            }

            if (BitConverter.DoubleToInt64Bits(perPiece) != BitConverter.DoubleToInt64Bits(Canonical<double>(x)))
            {
                differing++;
            }
        }

        Assert.True(differing > 0, "per-piece sums equalled the canonical order in all 20 trials");
    }

    [Fact]
    public void Special_values_propagate_through_pieces()
    {
        var chunk = default(Reduction.ChunkSquares<double>);
        chunk.Add(new[] { 1.0, 2.0, 3.0 });
        chunk.Add(new[] { double.NaN });
        chunk.Add(new[] { 4.0 });
        Assert.True(double.IsNaN(chunk.Finish()));

        var infinite = default(Reduction.ChunkSquares<float>);
        infinite.Add(new float[40]);
        infinite.Add(new[] { float.NegativeInfinity, 1f });
        Assert.Equal(double.PositiveInfinity, infinite.Finish());

        Assert.Equal(0L, BitConverter.DoubleToInt64Bits(default(Reduction.ChunkSquares<double>).Finish()));
        var exact = default(Reduction.ChunkSquares<float>);
        exact.Add(new[] { 3f });
        exact.Add(ReadOnlySpan<float>.Empty);
        exact.Add(new[] { -4f, 12f });
        Assert.Equal(169.0, exact.Finish());
    }

    private static void PiecesMatch<T>(int length, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        T[] x = Values<T>(length, random);
        long expected = BitConverter.DoubleToInt64Bits(Canonical<T>(x));
        Assert.Equal(expected, BitConverter.DoubleToInt64Bits(Reduction.SumOfSquaresBlock<T>(x)));

        // Several cuts: pieces of 1 … 3 elements (every block straddles), up to 40 (blocks straddle and pieces also hold
        // whole blocks), up to 5,000, plus empty pieces; each piece copied to its own array, as separate tensors are.
        foreach (int maxPiece in new[] { 3, 40, 5_000 })
        {
            var chunk = default(Reduction.ChunkSquares<T>);
            foreach (var (start, count) in Cut(length, random, maxPiece))
            {
                chunk.Add(x.AsSpan(start, count).ToArray());
                if (random.Next(4) == 0)
                {
                    chunk.Add(ReadOnlySpan<T>.Empty);
                }
            }

            Assert.Equal(expected, BitConverter.DoubleToInt64Bits(chunk.Finish()));
        }
    }

    /// <summary>The canonical order of Reduction's remarks, as a plain loop over doubles.</summary>
    private static double Canonical<T>(T[] x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lane = new double[32];
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            lane[i % 32] += v * v;
        }

        // The last partial block is zero-padded: +0 added to a lane changes nothing, so nothing to do for it here.
        for (int width = 16; width >= 1; width /= 2)
        {
            for (int k = 0; k < width; k++)
            {
                lane[k] += lane[k + width];
            }
        }

        return lane[0];
    }

    /// <summary>Values of mixed magnitudes (1e-3 … 1e3), so that the order of additions shows in the bits.</summary>
    private static T[] Values<T>(int length, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = new T[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = T.CreateTruncating(((random.NextDouble() * 2) - 1) * Math.Pow(10, (random.NextDouble() * 6) - 3));
        }

        return x;
    }

    /// <summary>A random cut of [0, length) into consecutive pieces of 1 … maxPiece elements.</summary>
    private static List<(int Start, int Length)> Cut(int length, Random random, int maxPiece)
    {
        var pieces = new List<(int, int)>();
        for (int start = 0; start < length;)
        {
            int count = Math.Min(length - start, random.Next(1, maxPiece + 1));
            pieces.Add((start, count));
            start += count;
        }

        return pieces;
    }
}

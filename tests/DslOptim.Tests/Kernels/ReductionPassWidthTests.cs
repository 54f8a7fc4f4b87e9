using System;
using System.Linq;
using System.Numerics;
using System.Runtime.Intrinsics;
using DslOptim.Kernels;
using Xunit;

namespace DslOptim.Tests.Kernels;

/// <summary>
/// <see cref="ReductionPass"/>'s chunk at every width — Vector512, Vector256, Vector128 and scalar, whichever the
/// machine accelerates (the BCL emulates the others) — gives bitwise the same partial sums: the canonical 8-lane
/// order does not depend on the width, and the padded lanes of the last block add nothing.
/// </summary>
public sealed class ReductionPassWidthTests
{
    /// <summary>w·g, w², g − 0.5 and 1: plain IEEE arithmetic, so each lane's term is the same at every width.</summary>
    private readonly struct Terms : IReductionTerms<double>
    {
        public static int Count => 4;

        public void Invoke(double w, double g, out double r0, out double r1, out double r2, out double r3)
            => (r0, r1, r2, r3) = (w * g, w * w, g - 0.5, 1.0);

        public void Invoke(Vector128<double> w, Vector128<double> g, out Vector128<double> r0, out Vector128<double> r1, out Vector128<double> r2, out Vector128<double> r3)
            => (r0, r1, r2, r3) = (w * g, w * w, g - Vector128.Create(0.5), Vector128<double>.One);

        public void Invoke(Vector256<double> w, Vector256<double> g, out Vector256<double> r0, out Vector256<double> r1, out Vector256<double> r2, out Vector256<double> r3)
            => (r0, r1, r2, r3) = (w * g, w * w, g - Vector256.Create(0.5), Vector256<double>.One);

        public void Invoke(Vector512<double> w, Vector512<double> g, out Vector512<double> r0, out Vector512<double> r1, out Vector512<double> r2, out Vector512<double> r3)
            => (r0, r1, r2, r3) = (w * g, w * w, g - Vector512.Create(0.5), Vector512<double>.One);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(63)]
    [InlineData(1000)]
    [InlineData(16384)]
    public void Every_width_gives_the_same_bits(int length)
    {
        Check<double>(length);
        Check<float>(length);
    }

    private static void Check<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(length);
        var w = Enumerable.Range(0, length).Select(_ => T.CreateTruncating(random.NextDouble() - 0.3)).ToArray();
        var g = Enumerable.Range(0, length).Select(_ => T.CreateTruncating(3 * random.NextDouble())).ToArray();
        var terms = new Terms();
        var scalar = new double[4];
        ReductionPass.BlockScalar<T, Terms>(w, g, ref terms, scalar);

        // The count is exact: the padded lanes were masked away.
        Assert.Equal(length, scalar[3]);
        foreach (var width in new[] { 128, 256, 512 })
        {
            var partial = new double[4];
            switch (width)
            {
                case 128:
                    ReductionPass.Block128<T, Terms>(w, g, ref terms, partial);
                    break;
                case 256:
                    ReductionPass.Block256<T, Terms>(w, g, ref terms, partial);
                    break;
                default:
                    ReductionPass.Block512<T, Terms>(w, g, ref terms, partial);
                    break;
            }
            for (var k = 0; k < 4; k++)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(scalar[k]) == BitConverter.DoubleToInt64Bits(partial[k]),
                    $"{typeof(T).Name}, length {length}, {width}-bit, reduction {k}: {partial[k]:R} against scalar {scalar[k]:R}");
            }
        }

        // And the sums are the sums: against a plain double loop, to rounding.
        var dot = 0.0;
        for (var i = 0; i < length; i++)
        {
            dot += double.CreateTruncating(w[i]) * double.CreateTruncating(g[i]);
        }
        Assert.Equal(dot, scalar[0], 1e-12 * Math.Max(1, Math.Abs(dot)) * Math.Max(1, length));
    }
}

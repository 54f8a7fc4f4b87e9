using System;
using Xunit;

namespace DslOptim.Tests.Kernels;

/// <summary>Distance in units in the last place, and the grids of test inputs shared by the kernel tests.</summary>
internal static class Ulp
{
    /// <summary>
    /// Number of representable doubles between a and b (0 when equal; +0 and −0 count as equal). Both NaN → 0;
    /// exactly one NaN → <see cref="long.MaxValue"/>. Infinities are the ends of the ordering, so a finite
    /// value against ∞ is a huge distance.
    /// </summary>
    public static long Distance(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return double.IsNaN(a) && double.IsNaN(b) ? 0 : long.MaxValue;
        }

        long ka = OrderedKey(BitConverter.DoubleToInt64Bits(a));
        long kb = OrderedKey(BitConverter.DoubleToInt64Bits(b));
        return Math.Abs(ka - kb);
    }

    /// <inheritdoc cref="Distance(double, double)"/>
    public static long Distance(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b))
        {
            return float.IsNaN(a) && float.IsNaN(b) ? 0 : long.MaxValue;
        }

        long ka = OrderedKey(BitConverter.SingleToInt32Bits(a));
        long kb = OrderedKey(BitConverter.SingleToInt32Bits(b));
        return Math.Abs(ka - kb);
    }

    // Maps the sign-magnitude bit pattern to a monotone integer: negatives mirror below zero, −0 ↦ 0.
    private static long OrderedKey(long bits) => bits >= 0 ? bits : long.MinValue - bits;

    private static long OrderedKey(int bits) => bits >= 0 ? bits : (long)int.MinValue - bits;
}

/// <summary>The ulp helper itself, checked on values whose distance is known by construction.</summary>
public sealed class UlpTests
{
    [Fact]
    public void DistanceCountsRepresentableValues()
    {
        Assert.Equal(0, Ulp.Distance(1.0, 1.0));
        Assert.Equal(1, Ulp.Distance(1.0, Math.BitIncrement(1.0)));
        Assert.Equal(2, Ulp.Distance(Math.BitDecrement(0.0), Math.BitIncrement(0.0)));
        Assert.Equal(0, Ulp.Distance(0.0, -0.0));
        Assert.Equal(0, Ulp.Distance(double.NaN, double.NaN));
        Assert.Equal(long.MaxValue, Ulp.Distance(double.NaN, 1.0));
        Assert.Equal(1, Ulp.Distance(double.MaxValue, double.PositiveInfinity));
        Assert.Equal(3, Ulp.Distance(1f, MathF.BitIncrement(MathF.BitIncrement(MathF.BitIncrement(1f)))));
        Assert.Equal(2, Ulp.Distance(-float.Epsilon, float.Epsilon));
    }
}

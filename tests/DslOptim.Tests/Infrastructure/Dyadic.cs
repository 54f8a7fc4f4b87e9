using System;
using System.Numerics;
using Xunit;

namespace DslOptim.Tests.Infrastructure;

/// <summary>
/// An exact binary number m·2^e: every finite double is one, and sums, differences and products of them are exact, so
/// a test can state the error of a computed value against a closed form without another floating-point formula.
/// </summary>
public readonly record struct Dyadic(BigInteger M, int E)
{
    /// <summary>The exact value of a finite double (the test fails on ±∞ and NaN).</summary>
    public static Dyadic Of(double value)
    {
        Assert.True(double.IsFinite(value));
        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & ((1L << 52) - 1);
        var m = exponent == 0 ? new BigInteger(mantissa) : new BigInteger(mantissa | (1L << 52));
        return new Dyadic(bits < 0 ? -m : m, (exponent == 0 ? 1 : exponent) - 1075);
    }

    public static Dyadic operator +(Dyadic a, Dyadic b)
    {
        var e = Math.Min(a.E, b.E);
        return new Dyadic((a.M << (a.E - e)) + (b.M << (b.E - e)), e);
    }

    public static Dyadic operator -(Dyadic a, Dyadic b) => a + new Dyadic(-b.M, b.E);

    public static Dyadic operator *(Dyadic a, Dyadic b) => new(a.M * b.M, a.E + b.E);

    /// <summary>|a|/|b| to double precision (b ≠ 0).</summary>
    public static double Ratio(Dyadic a, Dyadic b)
    {
        // Each operand cut to its top 200 bits (relative change < 2⁻¹⁹⁹), so the quotient has about 256 bits and fits a
        // double whatever the operands' lengths: a sum with 0 = 0·2⁻¹⁰⁷⁴ carries a thousand trailing zero bits.
        var (am, ae) = Top(BigInteger.Abs(a.M), a.E);
        var (bm, be) = Top(BigInteger.Abs(b.M), b.E);
        var quotient = (am << 256) / bm;
        return Math.ScaleB((double)quotient, ae - be - 256);
    }

    private static (BigInteger M, int E) Top(BigInteger m, int e)
    {
        var drop = (int)Math.Max(0, m.GetBitLength() - 200);
        return (m >> drop, e + drop);
    }
}

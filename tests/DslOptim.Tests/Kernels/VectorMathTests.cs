using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.Intrinsics;
using DslOptim.Kernels;
using Xunit;
using Xunit.Abstractions;

namespace DslOptim.Tests.Kernels;

/// <summary>The unary functions of <see cref="VectorMath"/> that are compared against System.Math.</summary>
public enum UnaryFunction
{
    Abs,
    Sqrt,
    Exp,
    Log,
    Tanh,
    Sinh,
    Cosh,
    Atan,
}

/// <summary>
/// <see cref="VectorMath"/> against <see cref="Math"/> (double) and <see cref="MathF"/> (float), lane by lane, at every
/// vector width, on deterministic grids. Special inputs (±0, ±∞, NaN) must give exactly the reference result (the
/// sign of a zero included); other inputs must be within the documented number of ulps.
/// </summary>
public sealed class VectorMathTests
{
    private readonly ITestOutputHelper _output;

    public VectorMathTests(ITestOutputHelper output) => _output = output;

    /// <summary>Widths in bits. All three run everywhere (the BCL emulates unaccelerated widths in software).</summary>
    public static readonly int[] Widths = { 128, 256, 512 };

    public static TheoryData<UnaryFunction, int> UnaryCases()
    {
        var data = new TheoryData<UnaryFunction, int>();
        foreach (UnaryFunction f in Enum.GetValues<UnaryFunction>())
        {
            foreach (int width in Widths)
            {
                data.Add(f, width);
            }
        }

        return data;
    }

    public static TheoryData<int> WidthCases() => new() { 128, 256, 512 };

    /// <summary>The documented accuracy, in ulps against Math (double) — the numbers in VectorMath's XML docs.</summary>
    private static long DoubleBound(UnaryFunction f) => f switch
    {
        UnaryFunction.Abs or UnaryFunction.Sqrt => 0,
        UnaryFunction.Exp => 2,
        UnaryFunction.Log => 3,
        UnaryFunction.Tanh => 3,
        UnaryFunction.Sinh => 4,
        UnaryFunction.Cosh => 2,
        UnaryFunction.Atan => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(f)),
    };

    /// <summary>The documented accuracy, in ulps against MathF (float).</summary>
    private static long SingleBound(UnaryFunction f) => f switch
    {
        UnaryFunction.Abs or UnaryFunction.Sqrt => 0,
        UnaryFunction.Exp or UnaryFunction.Log => 1,
        UnaryFunction.Tanh or UnaryFunction.Sinh or UnaryFunction.Cosh => 2,
        UnaryFunction.Atan => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(f)),
    };

    private static double Reference(UnaryFunction f, double x) => f switch
    {
        UnaryFunction.Abs => Math.Abs(x),
        UnaryFunction.Sqrt => Math.Sqrt(x),
        UnaryFunction.Exp => Math.Exp(x),
        UnaryFunction.Log => Math.Log(x),
        UnaryFunction.Tanh => Math.Tanh(x),
        UnaryFunction.Sinh => Math.Sinh(x),
        UnaryFunction.Cosh => Math.Cosh(x),
        UnaryFunction.Atan => Math.Atan(x),
        _ => throw new ArgumentOutOfRangeException(nameof(f)),
    };

    private static float Reference(UnaryFunction f, float x) => f switch
    {
        UnaryFunction.Abs => MathF.Abs(x),
        UnaryFunction.Sqrt => MathF.Sqrt(x),
        UnaryFunction.Exp => MathF.Exp(x),
        UnaryFunction.Log => MathF.Log(x),
        UnaryFunction.Tanh => MathF.Tanh(x),
        UnaryFunction.Sinh => MathF.Sinh(x),
        UnaryFunction.Cosh => MathF.Cosh(x),
        UnaryFunction.Atan => MathF.Atan(x),
        _ => throw new ArgumentOutOfRangeException(nameof(f)),
    };

    /// <summary>Range of the uniform samples and the points where the implementations switch formulas.</summary>
    private static (double Range, double[] Thresholds) Domain(UnaryFunction f) => f switch
    {
        UnaryFunction.Exp => (750, new[] { 709.782712893384, 745.1332191019411, 88.72283935546875, 103.97207641601562, 87.33654022216797 }),
        UnaryFunction.Log => (1e6, new[] { 1.0, 1.4142135623730951, 0.7071067811865476, 2.0 }),
        UnaryFunction.Tanh => (30, new[] { 0.55, 19.06154746539849, 22.0, 9.010913848876953 }),
        UnaryFunction.Sinh or UnaryFunction.Cosh => (720, new[] { 1.0, 709.0, 709.782712893384, 710.4758600739439, 89.41598510742188 }),
        UnaryFunction.Atan => (20, new[] { 0.25, 0.75, 1.0, 4.0 / 3.0, 4.0, 1.2676506002282294E+30 }),
        _ => (1e6, Array.Empty<double>()),
    };

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void DoubleMatchesMath(UnaryFunction f, int width)
    {
        (double range, double[] thresholds) = Domain(f);
        double[] xs = Grid.Doubles(range, 40_000, thresholds);
        double[] actual = Evaluate(f, width, xs);
        var failures = new List<string>();
        long worst = 0;
        double worstAt = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double expected = Reference(f, xs[i]);
            long ulps = Ulp.Distance(actual[i], expected);
            bool special = xs[i] == 0 || !double.IsFinite(xs[i]);
            bool ok = special
                ? BitConverter.DoubleToInt64Bits(actual[i]) == BitConverter.DoubleToInt64Bits(expected)
                  || (double.IsNaN(actual[i]) && double.IsNaN(expected))
                : ulps <= DoubleBound(f) && SameZeroSign(actual[i], expected);
            if (!ok && failures.Count < 10)
            {
                failures.Add(Invariant($"{f}({xs[i]:R}) = {actual[i]:R}, Math gives {expected:R} ({ulps} ulp)"));
            }

            if (!special && ulps > worst && ulps != long.MaxValue)
            {
                (worst, worstAt) = (ulps, xs[i]);
            }
        }

        _output.WriteLine(Invariant($"{f} double, {width}-bit: {xs.Length} inputs, worst {worst} ulp at {worstAt:R}"));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void SingleMatchesMathF(UnaryFunction f, int width)
    {
        (double range, double[] thresholds) = Domain(f);
        float[] xs = Grid.Singles(Math.Min(range, 1e30), 40_000, thresholds);
        float[] actual = Evaluate(f, width, xs);
        var failures = new List<string>();
        long worst = 0;
        float worstAt = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            float expected = Reference(f, xs[i]);
            long ulps = Ulp.Distance(actual[i], expected);
            bool special = xs[i] == 0 || !float.IsFinite(xs[i]);
            bool ok = special
                ? BitConverter.SingleToInt32Bits(actual[i]) == BitConverter.SingleToInt32Bits(expected)
                  || (float.IsNaN(actual[i]) && float.IsNaN(expected))
                : ulps <= SingleBound(f) && SameZeroSign(actual[i], expected);
            if (!ok && failures.Count < 10)
            {
                failures.Add(Invariant($"{f}({xs[i]:R}f) = {actual[i]:R}, MathF gives {expected:R} ({ulps} ulp)"));
            }

            if (!special && ulps > worst && ulps != long.MaxValue)
            {
                (worst, worstAt) = (ulps, xs[i]);
            }
        }

        _output.WriteLine(Invariant($"{f} float, {width}-bit: {xs.Length} inputs, worst {worst} ulp at {worstAt:R}"));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [MemberData(nameof(WidthCases))]
    public void MaxAndMinMatchMathIncludingNaNAndSignedZeros(int width)
    {
        // Every ordered pair of the specials (NaN and ±0 in both positions), plus seeded random pairs.
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (double a in Grid.Specials)
        {
            foreach (double b in Grid.Specials)
            {
                xs.Add(a);
                ys.Add(b);
            }
        }

        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            xs.Add((random.NextDouble() - 0.5) * 10);
            ys.Add((random.NextDouble() - 0.5) * 10);
        }

        double[] max = EvaluateBinary(width, xs.ToArray(), ys.ToArray(), isMax: true);
        double[] min = EvaluateBinary(width, xs.ToArray(), ys.ToArray(), isMax: false);
        float[] maxF = EvaluateBinary(width, ToSingle(xs), ToSingle(ys), isMax: true);
        float[] minF = EvaluateBinary(width, ToSingle(xs), ToSingle(ys), isMax: false);
        for (int i = 0; i < xs.Count; i++)
        {
            AssertSameDouble(Math.Max(xs[i], ys[i]), max[i], Invariant($"Max({xs[i]:R}, {ys[i]:R})"));
            AssertSameDouble(Math.Min(xs[i], ys[i]), min[i], Invariant($"Min({xs[i]:R}, {ys[i]:R})"));
            float xf = (float)xs[i], yf = (float)ys[i];
            AssertSameSingle(MathF.Max(xf, yf), maxF[i], Invariant($"Max({xf:R}f, {yf:R}f)"));
            AssertSameSingle(MathF.Min(xf, yf), minF[i], Invariant($"Min({xf:R}f, {yf:R}f)"));
        }

        // The two cases where IEEE 754:2019 semantics differ from the hardware's maxpd/minpd, spelled out.
        Assert.True(double.IsNaN(max[xs.IndexOf(double.NaN)]));
        Assert.Equal(0L, BitConverter.DoubleToInt64Bits(Math.Max(0.0, -0.0)));
    }

    [Theory]
    [MemberData(nameof(WidthCases))]
    public void SignIsMinusOneZeroOrOneAndZeroForNaN(int width)
    {
        double[] xs = Grid.Doubles(10, 1000);
        double[] actual = EvaluateSign(width, xs);
        float[] xf = Grid.Singles(10, 1000);
        float[] actualF = EvaluateSign(width, xf);
        for (int i = 0; i < xs.Length; i++)
        {
            // Math.Sign throws on NaN; VectorMath.Sign documents 0 there.
            double expected = double.IsNaN(xs[i]) ? 0.0 : Math.Sign(xs[i]);
            AssertSameDouble(expected, actual[i], Invariant($"Sign({xs[i]:R})"));
            AssertSameDouble(actual[i], ScalarMath.Sign(xs[i]), Invariant($"ScalarMath.Sign({xs[i]:R})"));
        }

        for (int i = 0; i < xf.Length; i++)
        {
            float expected = float.IsNaN(xf[i]) ? 0f : MathF.Sign(xf[i]);
            AssertSameSingle(expected, actualF[i], Invariant($"Sign({xf[i]:R}f)"));
            AssertSameSingle(actualF[i], ScalarMath.Sign(xf[i]), Invariant($"ScalarMath.Sign({xf[i]:R}f)"));
        }
    }

    [Fact]
    public void ScalarSignOfZerosAndNaNIsPositiveZero()
    {
        Assert.Equal(0L, BitConverter.DoubleToInt64Bits(ScalarMath.Sign(-0.0)));
        Assert.Equal(0L, BitConverter.DoubleToInt64Bits(ScalarMath.Sign(double.NaN)));
        Assert.Equal(-1.0, ScalarMath.Sign(double.NegativeInfinity));
        Assert.Equal(1f, ScalarMath.Sign(float.Epsilon));
        Assert.Equal(-1f, ScalarMath.Sign(-float.Epsilon));
        Assert.Equal(Half.One, ScalarMath.Sign((Half)3));
    }

    [Fact]
    public void HyperbolicFunctionsSaturateWithoutNaN()
    {
        var big = Vector512.Create(1e3, -1e3, 710.0, -710.0, 800.0, double.PositiveInfinity, double.NegativeInfinity, 30.0);
        Vector512<double> tanh = VectorMath.Tanh(big);
        Vector512<double> sinh = VectorMath.Sinh(big);
        Vector512<double> cosh = VectorMath.Cosh(big);
        for (int i = 0; i < Vector512<double>.Count; i++)
        {
            Assert.Equal(Math.Tanh(big[i]), tanh[i]);
            Assert.Equal(Math.Sign(big[i]), tanh[i]);
            Assert.True(Ulp.Distance(Math.Sinh(big[i]), sinh[i]) <= DoubleBound(UnaryFunction.Sinh), Invariant($"Sinh({big[i]:R})"));
            Assert.True(Ulp.Distance(Math.Cosh(big[i]), cosh[i]) <= DoubleBound(UnaryFunction.Cosh), Invariant($"Cosh({big[i]:R})"));
        }

        // 710 is past e^x's overflow (709.78) but not sinh's/cosh's (710.48): finite.
        Assert.True(double.IsFinite(sinh[2]) && double.IsFinite(cosh[2]));
        Assert.Equal(double.PositiveInfinity, sinh[4]);
        Assert.Equal(double.NegativeInfinity, sinh[6]);
    }

    [Fact]
    public void UnsupportedElementTypesThrow()
    {
        Assert.Throws<NotSupportedException>(() => VectorMath.Exp(default(Vector128<Half>)));
        Assert.Throws<NotSupportedException>(() => VectorMath.Tanh(default(Vector256<Half>)));
        Assert.Throws<NotSupportedException>(() => VectorMath.Abs(default(Vector512<Half>)));
        Assert.Throws<NotSupportedException>(() => VectorMath.Pow(default(Vector512<Half>), default(Vector512<Half>)));
    }

    // ---------------------------------------------------------------- helpers

    internal static T[] Evaluate<T>(UnaryFunction f, int width, T[] xs)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        return Lanes.Map(width, xs, v128 => f switch
        {
            UnaryFunction.Abs => VectorMath.Abs(v128),
            UnaryFunction.Sqrt => VectorMath.Sqrt(v128),
            UnaryFunction.Exp => VectorMath.Exp(v128),
            UnaryFunction.Log => VectorMath.Log(v128),
            UnaryFunction.Tanh => VectorMath.Tanh(v128),
            UnaryFunction.Sinh => VectorMath.Sinh(v128),
            UnaryFunction.Cosh => VectorMath.Cosh(v128),
            UnaryFunction.Atan => VectorMath.Atan(v128),
            _ => throw new ArgumentOutOfRangeException(nameof(f)),
        }, v256 => f switch
        {
            UnaryFunction.Abs => VectorMath.Abs(v256),
            UnaryFunction.Sqrt => VectorMath.Sqrt(v256),
            UnaryFunction.Exp => VectorMath.Exp(v256),
            UnaryFunction.Log => VectorMath.Log(v256),
            UnaryFunction.Tanh => VectorMath.Tanh(v256),
            UnaryFunction.Sinh => VectorMath.Sinh(v256),
            UnaryFunction.Cosh => VectorMath.Cosh(v256),
            UnaryFunction.Atan => VectorMath.Atan(v256),
            _ => throw new ArgumentOutOfRangeException(nameof(f)),
        }, v512 => f switch
        {
            UnaryFunction.Abs => VectorMath.Abs(v512),
            UnaryFunction.Sqrt => VectorMath.Sqrt(v512),
            UnaryFunction.Exp => VectorMath.Exp(v512),
            UnaryFunction.Log => VectorMath.Log(v512),
            UnaryFunction.Tanh => VectorMath.Tanh(v512),
            UnaryFunction.Sinh => VectorMath.Sinh(v512),
            UnaryFunction.Cosh => VectorMath.Cosh(v512),
            UnaryFunction.Atan => VectorMath.Atan(v512),
            _ => throw new ArgumentOutOfRangeException(nameof(f)),
        });
    }

    private static T[] EvaluateSign<T>(int width, T[] xs)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => Lanes.Map(width, xs, VectorMath.Sign, VectorMath.Sign, VectorMath.Sign);

    private static T[] EvaluateBinary<T>(int width, T[] xs, T[] ys, bool isMax)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => isMax
            ? Lanes.Map2(width, xs, ys, VectorMath.Max, VectorMath.Max, VectorMath.Max)
            : Lanes.Map2(width, xs, ys, VectorMath.Min, VectorMath.Min, VectorMath.Min);

    private static float[] ToSingle(List<double> values) => values.ConvertAll(v => (float)v).ToArray();

    private static bool SameZeroSign(double actual, double expected)
        => actual != 0 || expected != 0 || double.IsNegative(actual) == double.IsNegative(expected);

    private static bool SameZeroSign(float actual, float expected)
        => actual != 0 || expected != 0 || float.IsNegative(actual) == float.IsNegative(expected);

    internal static void AssertSameDouble(double expected, double actual, string what)
    {
        bool same = BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual)
                    || (double.IsNaN(expected) && double.IsNaN(actual));
        Assert.True(same, Invariant($"{what}: expected {expected:R}, got {actual:R}"));
    }

    internal static void AssertSameSingle(float expected, float actual, string what)
    {
        bool same = BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual)
                    || (float.IsNaN(expected) && float.IsNaN(actual));
        Assert.True(same, Invariant($"{what}: expected {expected:R}, got {actual:R}"));
    }

    internal static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Runs a vector function over an array, one vector of the given width at a time (padding with ones).</summary>
internal static class Lanes
{
    public static T[] Map<T>(
        int width, T[] xs,
        Func<Vector128<T>, Vector128<T>> f128, Func<Vector256<T>, Vector256<T>> f256, Func<Vector512<T>, Vector512<T>> f512)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => Map2(width, xs, xs, (a, _) => f128(a), (a, _) => f256(a), (a, _) => f512(a));

    public static T[] Map2<T>(
        int width, T[] xs, T[] ys,
        Func<Vector128<T>, Vector128<T>, Vector128<T>> f128,
        Func<Vector256<T>, Vector256<T>, Vector256<T>> f256,
        Func<Vector512<T>, Vector512<T>, Vector512<T>> f512)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int lanes = width / 8 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        int padded = (xs.Length + lanes - 1) / lanes * lanes;
        var x = new T[padded];
        var y = new T[padded];
        Array.Fill(x, T.One);
        Array.Fill(y, T.One);
        xs.CopyTo(x, 0);
        ys.CopyTo(y, 0);
        var result = new T[padded];
        for (int i = 0; i < padded; i += lanes)
        {
            switch (width)
            {
                case 128:
                    f128(Vector128.Create<T>(x.AsSpan(i)), Vector128.Create<T>(y.AsSpan(i))).CopyTo(result, i);
                    break;
                case 256:
                    f256(Vector256.Create<T>(x.AsSpan(i)), Vector256.Create<T>(y.AsSpan(i))).CopyTo(result, i);
                    break;
                case 512:
                    f512(Vector512.Create<T>(x.AsSpan(i)), Vector512.Create<T>(y.AsSpan(i))).CopyTo(result, i);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(width));
            }
        }

        return result.AsSpan(0, xs.Length).ToArray();
    }
}

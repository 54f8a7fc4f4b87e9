using System;
using System.Collections.Generic;
using DslOptim.Kernels;
using Xunit;
using Xunit.Abstractions;
using static DslOptim.Tests.Kernels.VectorMathTests;

namespace DslOptim.Tests.Kernels;

/// <summary><see cref="VectorMath.Pow{T}(System.Runtime.Intrinsics.Vector128{T}, System.Runtime.Intrinsics.Vector128{T})"/> against Math.Pow / MathF.Pow.</summary>
public sealed class VectorMathPowTests
{
    // The documented accuracy: double within 3 ulp of Math.Pow, float within 1 ulp of MathF.Pow.
    private const long DoubleBound = 3;
    private const long SingleBound = 1;

    private static readonly double[] Specials =
    {
        0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 1.5, -1.5, 7.25, -7.25, 1e-300, -1e-300, 1e300, -1e300,
        double.Epsilon, -double.Epsilon, 1 + Math.Pow(2, -52), 1 - Math.Pow(2, -53), 9007199254740992.0, 9007199254740994.0,
        -9007199254740994.0, 9007199254740993e3, 1e20, -1e20, double.MaxValue,
        double.PositiveInfinity, double.NegativeInfinity, double.NaN,
    };

    private readonly ITestOutputHelper _output;

    public VectorMathPowTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [MemberData(nameof(WidthCases), MemberType = typeof(VectorMathTests))]
    public void EveryPairOfSpecialValuesMatchesMathPow(int width)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (double x in Specials)
        {
            foreach (double y in Specials)
            {
                xs.Add(x);
                ys.Add(y);
            }
        }

        double[] actual = Lanes.Map2(width, xs.ToArray(), ys.ToArray(), VectorMath.Pow, VectorMath.Pow, VectorMath.Pow);
        var failures = new List<string>();
        for (int i = 0; i < xs.Count; i++)
        {
            double expected = Math.Pow(xs[i], ys[i]);

            // Results that are 0, ±∞, NaN or ±1 — the special cases — must be exact, signs of zeros included.
            bool exact = expected == 0 || double.IsInfinity(expected) || double.IsNaN(expected) || Math.Abs(expected) == 1;
            bool ok = exact
                ? BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual[i]) || (double.IsNaN(expected) && double.IsNaN(actual[i]))
                : Ulp.Distance(actual[i], expected) <= DoubleBound;
            if (!ok)
            {
                failures.Add(Invariant($"Pow({xs[i]:R}, {ys[i]:R}) = {actual[i]:R}, Math.Pow gives {expected:R}"));
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void NamedSpecialCases()
    {
        // Each case is Math.Pow's documented (C99 Annex F) result, written out.
        (double X, double Y, double Expected)[] cases =
        {
            (-2, 3, -8), (-2, 2, 4), (-2, -1, -0.5), (-8, 1.0 / 3, double.NaN), (-1.5, 0.5, double.NaN),
            (double.NaN, 0, 1), (double.NaN, -0.0, 1), (0, 0, 1), (double.PositiveInfinity, 0, 1),
            (1, double.NaN, 1), (1, double.PositiveInfinity, 1), (-1, double.PositiveInfinity, 1), (-1, double.NegativeInfinity, 1),
            (-1, double.NaN, double.NaN), (double.NaN, 1, double.NaN), (2, double.NaN, double.NaN),
            (0, 2, 0), (0, 3, 0), (-0.0, 3, -0.0), (-0.0, 2, 0), (0, -2, double.PositiveInfinity),
            (-0.0, -3, double.NegativeInfinity), (-0.0, -2, double.PositiveInfinity), (-0.0, 0.5, 0), (-0.0, -0.5, double.PositiveInfinity),
            (double.NegativeInfinity, 3, double.NegativeInfinity), (double.NegativeInfinity, 2, double.PositiveInfinity),
            (double.NegativeInfinity, -3, -0.0), (double.NegativeInfinity, 0.5, double.PositiveInfinity),
            (0.5, double.PositiveInfinity, 0), (0.5, double.NegativeInfinity, double.PositiveInfinity),
            (2, double.PositiveInfinity, double.PositiveInfinity), (-2, double.NegativeInfinity, 0),
            (2, 10, 1024), (10, -2, 0.01), (4, 0.5, 2), (2, 1024, double.PositiveInfinity), (2, -1075, 0),
        };

        var xs = new double[cases.Length];
        var ys = new double[cases.Length];
        for (int i = 0; i < cases.Length; i++)
        {
            (xs[i], ys[i]) = (cases[i].X, cases[i].Y);

            // The list itself is checked against the runtime's Math.Pow, so it cannot drift from the reference.
            AssertSameDouble(cases[i].Expected, Math.Pow(xs[i], ys[i]), Invariant($"Math.Pow({xs[i]:R}, {ys[i]:R})"));
        }

        foreach (int width in VectorMathTests.Widths)
        {
            double[] actual = Lanes.Map2(width, xs, ys, VectorMath.Pow, VectorMath.Pow, VectorMath.Pow);
            float[] actualF = Lanes.Map2(width, Array.ConvertAll(xs, v => (float)v), Array.ConvertAll(ys, v => (float)v), VectorMath.Pow, VectorMath.Pow, VectorMath.Pow);
            for (int i = 0; i < cases.Length; i++)
            {
                AssertSameDouble(cases[i].Expected, actual[i], Invariant($"{width}-bit Pow({xs[i]:R}, {ys[i]:R})"));
                float xf = (float)xs[i], yf = (float)ys[i];
                AssertSameSingle(MathF.Pow(xf, yf), actualF[i], Invariant($"{width}-bit Pow({xf:R}f, {yf:R}f)"));
            }
        }
    }

    public static TheoryData<int, double, double, double, double> RangeCases()
    {
        var data = new TheoryData<int, double, double, double, double>();
        foreach (int width in VectorMathTests.Widths)
        {
            data.Add(width, 0, 2, -10, 10);
            data.Add(width, 0, 100, -3, 3);
            data.Add(width, 0.5, 2, -1000, 1000);
            data.Add(width, 1e-3, 1e3, -50, 50);
            data.Add(width, 0.9, 1.1, -5000, 5000);
            data.Add(width, 1e-300, 1e-100, -2, 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RangeCases))]
    public void RandomPairsMatchMathPow(int width, double xLow, double xHigh, double yLow, double yHigh)
    {
        // Seeded pairs; a quarter of the exponents rounded to integers, half of those with a negative base.
        var random = new Random(HashCode.Combine(xLow, yHigh) & 0xFFFF);
        const int Count = 20_000;
        var xs = new double[Count];
        var ys = new double[Count];
        for (int i = 0; i < Count; i++)
        {
            xs[i] = xLow + (random.NextDouble() * (xHigh - xLow));
            ys[i] = yLow + (random.NextDouble() * (yHigh - yLow));
            if (i % 4 == 0)
            {
                ys[i] = Math.Round(ys[i]);
                if (i % 8 == 0)
                {
                    xs[i] = -xs[i];
                }
            }
        }

        double[] actual = Lanes.Map2(width, xs, ys, VectorMath.Pow, VectorMath.Pow, VectorMath.Pow);
        float[] xf = Array.ConvertAll(xs, v => (float)v);
        float[] yf = Array.ConvertAll(ys, v => (float)v);
        float[] actualF = Lanes.Map2(width, xf, yf, VectorMath.Pow, VectorMath.Pow, VectorMath.Pow);
        var failures = new List<string>();
        long worst = 0, worstF = 0;
        for (int i = 0; i < Count; i++)
        {
            double expected = Math.Pow(xs[i], ys[i]);
            long ulps = Ulp.Distance(actual[i], expected);
            worst = Math.Max(worst, ulps);
            if (ulps > DoubleBound && failures.Count < 10)
            {
                failures.Add(Invariant($"Pow({xs[i]:R}, {ys[i]:R}) = {actual[i]:R}, Math.Pow gives {expected:R} ({ulps} ulp)"));
            }

            float expectedF = MathF.Pow(xf[i], yf[i]);
            long ulpsF = Ulp.Distance(actualF[i], expectedF);
            worstF = Math.Max(worstF, ulpsF);
            if (ulpsF > SingleBound && failures.Count < 10)
            {
                failures.Add(Invariant($"Pow({xf[i]:R}f, {yf[i]:R}f) = {actualF[i]:R}, MathF.Pow gives {expectedF:R} ({ulpsF} ulp)"));
            }
        }

        _output.WriteLine(Invariant($"x in [{xLow}, {xHigh}], y in [{yLow}, {yHigh}], {width}-bit: worst {worst} ulp (double), {worstF} ulp (float)"));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}

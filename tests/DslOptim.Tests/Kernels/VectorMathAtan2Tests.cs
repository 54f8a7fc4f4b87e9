using System;
using System.Collections.Generic;
using DslOptim.Kernels;
using Xunit;
using Xunit.Abstractions;
using static DslOptim.Tests.Kernels.VectorMathTests;

namespace DslOptim.Tests.Kernels;

/// <summary><see cref="VectorMath.Atan2{T}(System.Runtime.Intrinsics.Vector128{T}, System.Runtime.Intrinsics.Vector128{T})"/> against Math.Atan2 / MathF.Atan2.</summary>
public sealed class VectorMathAtan2Tests
{
    // The documented accuracy: double within 2 ulp of Math.Atan2, float within 1 ulp of MathF.Atan2.
    private const long DoubleBound = 2;
    private const long SingleBound = 1;

    private static readonly double[] Specials =
    {
        0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -7.25, 1e-300, -1e-300, 1e300, -1e300, double.Epsilon, -double.Epsilon,
        double.MaxValue, -double.MaxValue, 1 + Math.Pow(2, -52), 0.25, 4.0, 0.75, 4.0 / 3.0,
        double.PositiveInfinity, double.NegativeInfinity, double.NaN,
    };

    private readonly ITestOutputHelper _output;

    public VectorMathAtan2Tests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void NamedSpecialCases()
    {
        // Each case is C99 Annex F's atan2, written out (π/4 and 3π/4 as the nearest doubles).
        double pi = Math.PI, half = Math.PI / 2, quarter = Math.PI / 4, threeQuarters = 3 * Math.PI / 4;
        (double Y, double X, double Expected)[] cases =
        {
            (0.0, 0.0, 0.0), (-0.0, 0.0, -0.0), (0.0, -0.0, pi), (-0.0, -0.0, -pi), (0.0, -1, pi), (-0.0, -1, -pi),
            (0.0, 1, 0.0), (-0.0, 1, -0.0), (1, 0.0, half), (1, -0.0, half), (-1, 0.0, -half), (-1, -0.0, -half),
            (double.PositiveInfinity, double.PositiveInfinity, quarter), (double.NegativeInfinity, double.PositiveInfinity, -quarter),
            (double.PositiveInfinity, double.NegativeInfinity, threeQuarters), (double.NegativeInfinity, double.NegativeInfinity, -threeQuarters),
            (double.PositiveInfinity, 5, half), (double.NegativeInfinity, -5, -half), (5, double.PositiveInfinity, 0.0),
            (-5, double.PositiveInfinity, -0.0), (5, double.NegativeInfinity, pi), (-5, double.NegativeInfinity, -pi),
            (double.NaN, 1, double.NaN), (1, double.NaN, double.NaN), (double.PositiveInfinity, double.NaN, double.NaN),
            (double.NaN, double.NegativeInfinity, double.NaN), (1, 1, quarter), (-1, -1, -threeQuarters),
        };

        var ys = new double[cases.Length];
        var xs = new double[cases.Length];
        for (int i = 0; i < cases.Length; i++)
        {
            (ys[i], xs[i]) = (cases[i].Y, cases[i].X);

            // The list itself is checked against the runtime's Math.Atan2, so it cannot drift from the reference.
            AssertSameDouble(cases[i].Expected, Math.Atan2(ys[i], xs[i]), Invariant($"Math.Atan2({ys[i]:R}, {xs[i]:R})"));
        }

        foreach (int width in Widths)
        {
            double[] actual = Lanes.Map2(width, ys, xs, VectorMath.Atan2, VectorMath.Atan2, VectorMath.Atan2);
            float[] actualF = Lanes.Map2(width, Array.ConvertAll(ys, v => (float)v), Array.ConvertAll(xs, v => (float)v), VectorMath.Atan2, VectorMath.Atan2, VectorMath.Atan2);
            for (int i = 0; i < cases.Length; i++)
            {
                AssertSameDouble(cases[i].Expected, actual[i], Invariant($"{width}-bit Atan2({ys[i]:R}, {xs[i]:R})"));
                float yf = (float)ys[i], xf = (float)xs[i];
                AssertSameSingle(MathF.Atan2(yf, xf), actualF[i], Invariant($"{width}-bit Atan2({yf:R}f, {xf:R}f)"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(WidthCases), MemberType = typeof(VectorMathTests))]
    public void EveryPairOfSpecialValuesMatchesMathAtan2(int width)
    {
        var ys = new List<double>();
        var xs = new List<double>();
        foreach (double y in Specials)
        {
            foreach (double x in Specials)
            {
                ys.Add(y);
                xs.Add(x);
            }
        }

        double[] actual = Lanes.Map2(width, ys.ToArray(), xs.ToArray(), VectorMath.Atan2, VectorMath.Atan2, VectorMath.Atan2);
        var failures = new List<string>();
        for (int i = 0; i < ys.Count; i++)
        {
            double expected = Math.Atan2(ys[i], xs[i]);

            // Zeros (with their signs) and NaN are exact; everything else within the bound.
            bool exact = expected == 0 || double.IsNaN(expected);
            bool ok = exact
                ? BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual[i]) || (double.IsNaN(expected) && double.IsNaN(actual[i]))
                : Ulp.Distance(actual[i], expected) <= DoubleBound;
            if (!ok)
            {
                failures.Add(Invariant($"Atan2({ys[i]:R}, {xs[i]:R}) = {actual[i]:R}, Math.Atan2 gives {expected:R}"));
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    public static TheoryData<int, double> RatioCases()
    {
        var data = new TheoryData<int, double>();
        foreach (int width in Widths)
        {
            // Log-uniform ratios |y/x| within 10^±span, every quadrant.
            data.Add(width, 2);
            data.Add(width, 20);
            data.Add(width, 300);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RatioCases))]
    public void RandomPointsInEveryQuadrantMatchMathAtan2(int width, double span)
    {
        var random = new Random(width * 1000 + (int)span);
        const int Count = 40_000;
        var ys = new double[Count];
        var xs = new double[Count];
        for (int i = 0; i < Count; i++)
        {
            double radius = Math.Pow(10, (random.NextDouble() * 8) - 4);
            double ratio = Math.Pow(10, ((random.NextDouble() * 2) - 1) * span);
            double x = radius / Math.Sqrt(1 + (ratio * ratio));
            double y = x * ratio;
            if (double.IsInfinity(y) || x == 0)
            {
                (x, y) = (radius * 1e-300, radius);
            }

            xs[i] = (i & 1) == 0 ? x : -x;
            ys[i] = (i & 2) == 0 ? y : -y;
        }

        double[] actual = Lanes.Map2(width, ys, xs, VectorMath.Atan2, VectorMath.Atan2, VectorMath.Atan2);
        long worst = 0;
        for (int i = 0; i < Count; i++)
        {
            long ulps = Ulp.Distance(actual[i], Math.Atan2(ys[i], xs[i]));
            Assert.True(ulps <= DoubleBound, Invariant($"Atan2({ys[i]:R}, {xs[i]:R}) = {actual[i]:R}, Math.Atan2 gives {Math.Atan2(ys[i], xs[i]):R} ({ulps} ulp)"));
            worst = Math.Max(worst, ulps);
        }

        float[] ysF = Array.ConvertAll(ys, v => (float)v);
        float[] xsF = Array.ConvertAll(xs, v => (float)v);
        float[] actualF = Lanes.Map2(width, ysF, xsF, VectorMath.Atan2, VectorMath.Atan2, VectorMath.Atan2);
        long worstF = 0;
        for (int i = 0; i < Count; i++)
        {
            long ulps = Ulp.Distance(actualF[i], MathF.Atan2(ysF[i], xsF[i]));
            Assert.True(ulps <= SingleBound, Invariant($"Atan2({ysF[i]:R}f, {xsF[i]:R}f) = {actualF[i]:R}, MathF.Atan2 gives {MathF.Atan2(ysF[i], xsF[i]):R} ({ulps} ulp)"));
            worstF = Math.Max(worstF, ulps);
        }

        _output.WriteLine(Invariant($"Atan2 {width}-bit, ratios within 1e±{span}: worst {worst} ulp (double), {worstF} ulp (float)"));
    }
}

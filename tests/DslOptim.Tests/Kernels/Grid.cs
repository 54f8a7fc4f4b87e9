using System;
using System.Collections.Generic;
using System.Linq;

namespace DslOptim.Tests.Kernels;

/// <summary>Deterministic input grids: special values, a logarithmic sweep, seeded uniform samples, thresholds.</summary>
internal static class Grid
{
    /// <summary>The values every function is tested on: zeros, subnormals, tiny, ±1, large, extremes, ±∞, NaN.</summary>
    public static readonly double[] Specials =
    {
        0.0, -0.0, double.Epsilon, -double.Epsilon, 1e-310, -1e-310, 2.2250738585072014E-308, 1e-300, -1e-300,
        1e-20, -1e-20, 1e-10, -1e-10, 1e-8, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 3.0, 10.0, -10.0, 1e10, -1e10,
        1e300, -1e300, double.MaxValue, double.MinValue, double.PositiveInfinity, double.NegativeInfinity, double.NaN,
    };

    /// <summary>Float counterparts of <see cref="Specials"/>.</summary>
    public static readonly float[] SpecialsSingle =
    {
        0f, -0f, float.Epsilon, -float.Epsilon, 1e-40f, -1e-40f, 1.17549435E-38f, 1e-30f, -1e-30f, 1e-10f, -1e-10f,
        1e-4f, 0.5f, -0.5f, 1f, -1f, 2f, -2f, 3f, 10f, -10f, 1e10f, -1e10f, 1e30f, -1e30f, float.MaxValue,
        float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN,
    };

    /// <summary>
    /// Specials, ±10^e for e from −30 to 30 in steps of 0.01, <paramref name="samples"/> seeded uniform values (half in
    /// [−range, range], half in [−4, 4]), and each of <paramref name="thresholds"/> (and its negative) with its 4 neighbours on each side.
    /// </summary>
    public static double[] Doubles(double range, int samples, params double[] thresholds)
    {
        var values = new List<double>(Specials);
        for (int e = -3000; e <= 3000; e++)
        {
            double v = Math.Pow(10, e / 100.0);
            values.Add(v);
            values.Add(-v);
        }

        var random = new Random(20240601);
        for (int i = 0; i < samples; i++)
        {
            // Alternately over the whole range and over [−4, 4], where the reductions switch formulas.
            values.Add(((2 * random.NextDouble()) - 1) * (i % 2 == 0 ? range : 4.0));
        }

        foreach (double t in thresholds)
        {
            foreach (double s in new[] { t, -t })
            {
                double v = s;
                for (int k = 0; k < 4; k++)
                {
                    v = Math.BitDecrement(v);
                }

                for (int k = 0; k < 9; k++, v = Math.BitIncrement(v))
                {
                    values.Add(v);
                }
            }
        }

        return values.ToArray();
    }

    /// <summary>Float version of <see cref="Doubles"/>: the double grid rounded to float, plus the float specials.</summary>
    public static float[] Singles(double range, int samples, params double[] thresholds)
    {
        var values = new List<float>(SpecialsSingle);
        values.AddRange(Doubles(range, samples).Select(v => (float)v));
        foreach (double t in thresholds)
        {
            foreach (float s in new[] { (float)t, -(float)t })
            {
                float v = s;
                for (int k = 0; k < 4; k++)
                {
                    v = MathF.BitDecrement(v);
                }

                for (int k = 0; k < 9; k++, v = MathF.BitIncrement(v))
                {
                    values.Add(v);
                }
            }
        }

        return values.ToArray();
    }
}

using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace DslOptim.Tests.Steps;

/// <summary>How gradients are drawn.</summary>
public enum Regime
{
    /// <summary>g_i uniform in ±0.5/√n: ‖g‖ ≤ 0.5, below the clipping threshold ε = 1.</summary>
    Small,

    /// <summary>|g_i| uniform in [1.5, 3] with a random sign: ‖g‖ ≥ 1.5, above the clipping threshold.</summary>
    Large,

    /// <summary>g_i uniform in [−3, 3] with exact zeros (every 17th) and tiny entries ±1e−4 (every 23rd).</summary>
    Mixed,
}

/// <summary>Deterministic inputs (new Random(seed)) and the bit patterns guarding a span's neighbours.</summary>
public static class StepData
{
    /// <summary>Step indices cycled through by the tests, including large ones for the bias correction.</summary>
    public static readonly long[] StepIndices = { 1, 2, 3, 50, 1_000_000 };

    public static (double[] W, double[] G) Draw(int length, Regime regime, int seed)
    {
        var random = new Random(seed);
        var w = new double[length];
        var g = new double[length];
        var scale = 0.5 / Math.Sqrt(Math.Max(length, 1));
        for (var i = 0; i < length; i++)
        {
            w[i] = 4.0 * random.NextDouble() - 2.0;
            g[i] = regime switch
            {
                Regime.Small => scale * (2.0 * random.NextDouble() - 1.0),
                Regime.Large => (random.Next(2) == 0 ? -1.0 : 1.0) * (1.5 + 1.5 * random.NextDouble()),
                _ => i % 17 == 5 ? 0.0 : i % 23 == 7 ? (random.Next(2) == 0 ? -1e-4 : 1e-4) : 6.0 * random.NextDouble() - 3.0,
            };
        }
        return (w, g);
    }

    public static T[] Convert<T>(double[] values)
        where T : IFloatingPointIeee754<T>
    {
        var result = new T[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = T.CreateTruncating(values[i]);
        }
        return result;
    }

    public static double[] ToDouble<T>(ReadOnlySpan<T> values)
        where T : IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateTruncating(values[i]);
        }
        return result;
    }

    /// <summary>Two canary values: a NaN with a payload (which any arithmetic would quiet or replace) and 12345.678.</summary>
    public static T[] Canaries<T>()
    {
        if (typeof(T) == typeof(double))
        {
            return (T[])(object)new[] { BitConverter.Int64BitsToDouble(unchecked((long)0x7FF4_DEAD_BEEF_CAFEUL)), 12345.678 };
        }
        return (T[])(object)new[] { BitConverter.Int32BitsToSingle(0x7FA0_BEEF), 12345.678f };
    }

    public static bool BitwiseEqual<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged
        => MemoryMarshal.AsBytes(a).SequenceEqual(MemoryMarshal.AsBytes(b));

    /// <summary>Relative tolerance of a step against the double reference: 1e-13 in double, 1e-6 in float.</summary>
    public static double ToleranceOf<T>() => typeof(T) == typeof(double) ? 1e-13 : 1e-6;
}

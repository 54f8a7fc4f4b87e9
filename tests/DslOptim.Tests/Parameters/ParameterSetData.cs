using System;
using System.Collections.Generic;
using System.Numerics;

namespace DslOptim.Tests.Parameters;

/// <summary>Tensors for the parameter-set tests.</summary>
internal static class ParameterSetData
{
    /// <summary>reference/torch_parameter_set.py's lengths: a 31-bit LCG, 100 lengths in 1 … 10,000.</summary>
    public static int[] ReferenceLengths()
    {
        var lengths = new int[100];
        long state = 12345;
        for (int i = 0; i < lengths.Length; i++)
        {
            state = ((1103515245L * state) + 12345) % 2147483648L;
            lengths[i] = 1 + (int)((state >> 8) % 10_000);
        }

        return lengths;
    }

    /// <summary>reference/torch_parameter_set.py's tensor i: exact binary fractions, the same doubles as the script's.</summary>
    public static (double[] W, double[] G) ReferenceTensor(int i, int n)
    {
        var w = new double[n];
        var g = new double[n];
        for (long j = 0; j < n; j++)
        {
            g[j] = (((((i + 1) * 7919L) + (j * 104729L)) % 65536) / 65536.0 - 0.5) * (1 + (i % 4));
            w[j] = (((((i + 3) * 31L) + (j * 17L)) % 1024) / 1024.0) - 0.5;
        }

        return (w, g);
    }

    /// <summary><paramref name="count"/> tensors of random lengths in [1, <paramref name="maxLength"/>] with random w and g.</summary>
    public static (T[][] W, T[][] G) Random<T>(int count, int maxLength, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var w = new T[count][];
        var g = new T[count][];
        for (int i = 0; i < count; i++)
        {
            int n = random.Next(1, maxLength + 1);
            w[i] = new T[n];
            g[i] = new T[n];
            for (int j = 0; j < n; j++)
            {
                w[i][j] = T.CreateTruncating((random.NextDouble() * 2) - 1);
                g[i][j] = T.CreateTruncating(((random.NextDouble() * 2) - 1) * (1 + (i % 3)));
            }
        }

        return (w, g);
    }

    /// <summary>Fresh gradients for step <paramref name="t"/>, written into the registered gradient arrays.</summary>
    public static void NextGradients<T>(T[][] g, long t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < g.Length; i++)
        {
            for (int j = 0; j < g[i].Length; j++)
            {
                g[i][j] = T.CreateTruncating(Math.Sin((0.37 * t) + (0.011 * j) + i) * (1 + (i % 3)));
            }
        }
    }

    public static T[][] Clone<T>(T[][] arrays)
    {
        var copy = new T[arrays.Length][];
        for (int i = 0; i < arrays.Length; i++)
        {
            copy[i] = (T[])arrays[i].Clone();
        }

        return copy;
    }

    public static ParameterSet<T> Set<T>(T[][] w, T[][] g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var set = new ParameterSet<T>();
        for (int i = 0; i < w.Length; i++)
        {
            set.Add(w[i], g[i]);
        }

        return set;
    }

    public static void AssertBitwiseEqual<T>(T[][] expected, T[][] actual)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < expected.Length; i++)
        {
            for (int j = 0; j < expected[i].Length; j++)
            {
                if (!expected[i][j].Equals(actual[i][j]) && !(T.IsNaN(expected[i][j]) && T.IsNaN(actual[i][j])))
                {
                    throw new Xunit.Sdk.XunitException($"tensor {i} element {j}: expected {expected[i][j]}, got {actual[i][j]}");
                }
            }
        }
    }

    public static IEnumerable<T> Flatten<T>(T[][] arrays)
    {
        foreach (var array in arrays)
        {
            foreach (var value in array)
            {
                yield return value;
            }
        }
    }
}

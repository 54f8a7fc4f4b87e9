using System;
using System.Numerics;
using DslOptim.Kernels;

namespace DslOptim.Tests.LinearModel;

/// <summary>Seeded test data and the naive composed references, all in double with plain loops.</summary>
internal static class LinearData
{
    /// <summary>Uniform values in [−scale, scale), reproducible from the seed.</summary>
    public static double[] Uniform(int length, int seed, double scale = 1.0)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = scale * ((2.0 * random.NextDouble()) - 1.0);
        }

        return values;
    }

    public static T[] Convert<T>(double[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = T.CreateTruncating(values[i]);
        }

        return result;
    }

    public static double[] ToDouble<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateTruncating(values[i]);
        }

        return result;
    }

    /// <summary>A problem with X, Y uniform in [−1, 1) and W uniform with scale 1/√d (so residuals are O(1)).</summary>
    public static (LinearProblem<T> Problem, T[] W) Problem<T>(int n, int d, int k, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Convert<T>(Uniform(n * d, seed));
        var y = Convert<T>(Uniform(n * k, seed + 1));
        var w = Convert<T>(Uniform(d * k, seed + 2, 1.0 / Math.Sqrt(d)));
        return (new LinearProblem<T>(x, n, d, y, k), w);
    }

    /// <summary>
    /// The composed reference: R = XW − Y by explicit triple loops, L = (1/n) Σ ℓ(R), S = ℓ′(R)/n, G = XᵀS by triple
    /// loops, ‖G‖_F; all in double from the (exactly widened) values of the problem.
    /// </summary>
    public static (double Loss, double[] G, double Norm) ReferenceGradient<TLoss>(
        double[] x, int n, int d, double[] y, int k, double[] w, TLoss loss)
        where TLoss : struct, ILossOperator<double>
    {
        var r = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double sum = 0.0;
                for (int p = 0; p < d; p++)
                {
                    sum += x[(i * d) + p] * w[(p * k) + j];
                }

                r[(i * k) + j] = sum - y[(i * k) + j];
            }
        }

        double total = 0.0;
        var s = new double[n * k];
        for (int e = 0; e < r.Length; e++)
        {
            total += loss.Value(r[e]);
            s[e] = loss.Derivative(r[e]) / n;
        }

        var g = new double[d * k];
        for (int p = 0; p < d; p++)
        {
            for (int j = 0; j < k; j++)
            {
                double sum = 0.0;
                for (int i = 0; i < n; i++)
                {
                    sum += x[(i * d) + p] * s[(i * k) + j];
                }

                g[(p * k) + j] = sum;
            }
        }

        double squares = 0.0;
        foreach (double v in g)
        {
            squares += v * v;
        }

        return (total / n, g, Math.Sqrt(squares));
    }

    /// <summary>C = A·B by triple loops, and Σ_p |A_ip|·|B_pj| per element (the scale of its rounding error).</summary>
    public static (double[] C, double[] Scale) ReferenceMultiply(double[] a, int rows, int inner, double[] b, int cols)
    {
        var c = new double[rows * cols];
        var scale = new double[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                double sum = 0.0, abs = 0.0;
                for (int p = 0; p < inner; p++)
                {
                    double term = a[(i * inner) + p] * b[(p * cols) + j];
                    sum += term;
                    abs += Math.Abs(term);
                }

                c[(i * cols) + j] = sum;
                scale[(i * cols) + j] = abs;
            }
        }

        return (c, scale);
    }

    /// <summary>C = Aᵀ·B by triple loops (A rows×inner, B rows×cols), and the per-element error scale.</summary>
    public static (double[] C, double[] Scale) ReferenceMultiplyTransposed(double[] a, int rows, int inner, double[] b, int cols)
    {
        var c = new double[inner * cols];
        var scale = new double[inner * cols];
        for (int p = 0; p < inner; p++)
        {
            for (int j = 0; j < cols; j++)
            {
                double sum = 0.0, abs = 0.0;
                for (int i = 0; i < rows; i++)
                {
                    double term = a[(i * inner) + p] * b[(i * cols) + j];
                    sum += term;
                    abs += Math.Abs(term);
                }

                c[(p * cols) + j] = sum;
                scale[(p * cols) + j] = abs;
            }
        }

        return (c, scale);
    }

    /// <summary>Whether two spans hold the same bit patterns.</summary>
    public static bool BitwiseEqual<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.AsBytes(a).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b));

    /// <summary>Machine tolerance of the tests: 1e-12 relative in double, 1e-5 in float.</summary>
    public static double Tolerance<T>() => typeof(T) == typeof(double) ? 1e-12 : 1e-5;
}

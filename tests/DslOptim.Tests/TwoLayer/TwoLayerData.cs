using System;
using System.Numerics;

namespace DslOptim.Tests.TwoLayer;

/// <summary>Random two-layer problems and a composed reference (explicit dense products, double) for the tests.</summary>
internal static class TwoLayerData
{
    /// <summary>Standard normal values (Box–Muller) from a seeded generator.</summary>
    public static double[] Gaussian(int count, Random random, double scale = 1.0)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            double u = 1.0 - random.NextDouble(), v = random.NextDouble();
            values[i] = scale * Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
        }

        return values;
    }

    /// <summary>A random orthogonal n×n matrix (Gram–Schmidt on a Gaussian one) with its columns scaled by <paramref name="scales"/>.</summary>
    public static double[] Orthogonal(int n, Random random, double[]? scales = null)
    {
        double[] q = Gaussian(n * n, random);
        for (int j = 0; j < n; j++)
        {
            for (int k = 0; k < j; k++)
            {
                double dot = 0.0;
                for (int i = 0; i < n; i++)
                {
                    dot += q[(i * n) + j] * q[(i * n) + k];
                }

                for (int i = 0; i < n; i++)
                {
                    q[(i * n) + j] -= dot * q[(i * n) + k];
                }
            }

            double norm = 0.0;
            for (int i = 0; i < n; i++)
            {
                norm += q[(i * n) + j] * q[(i * n) + j];
            }

            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++)
            {
                q[(i * n) + j] /= norm;
            }
        }

        if (scales is not null)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    q[(i * n) + j] *= scales[j];
                }
            }
        }

        return q;
    }

    public static T[] Cast<T>(double[] values)
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

    /// <summary>C = A·B (a×b times b×c).</summary>
    public static double[] Multiply(double[] a, int rows, int inner, double[] b, int cols)
    {
        var c = new double[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                double sum = 0.0;
                for (int p = 0; p < inner; p++)
                {
                    sum += a[(i * inner) + p] * b[(p * cols) + j];
                }

                c[(i * cols) + j] = sum;
            }
        }

        return c;
    }

    /// <summary>Aᵀ (rows×cols → cols×rows).</summary>
    public static double[] Transpose(double[] a, int rows, int cols)
    {
        var t = new double[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                t[(j * rows) + i] = a[(i * cols) + j];
            }
        }

        return t;
    }

    /// <summary>The composed reference: L, ∇W1 = G W2 and ∇W2 = Gᵀ W1 with G = Xᵀ ℓ′(X W1 W2ᵀ − Y), all by explicit products.</summary>
    public static (double Loss, double[] Grad1, double[] Grad2) Reference(
        double[] x, int s, int n, double[] y, int m, double[] w1, double[] w2, int h, Func<double, double> loss, Func<double, double> derivative)
    {
        double[] w = Multiply(w1, n, h, Transpose(w2, m, h), m);
        double[] r = Multiply(x, s, n, w, m);
        double value = 0.0;
        var score = new double[s * m];
        for (int e = 0; e < r.Length; e++)
        {
            double residual = r[e] - y[e];
            value += loss(residual);
            score[e] = derivative(residual);
        }

        double[] g = Multiply(Transpose(x, s, n), n, s, score, m);
        double[] grad1 = Multiply(g, n, m, w2, h);
        double[] grad2 = Multiply(Transpose(g, n, m), m, n, w1, h);
        return (value, grad1, grad2);
    }

    public static double MaxAbs(ReadOnlySpan<double> values)
    {
        double max = 0.0;
        foreach (double v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    public static double MaxDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double max = 0.0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }

    /// <summary>Eigenvalues of a symmetric matrix by the textbook cyclic Jacobi method (test-local, independent of the library's solver).</summary>
    public static double[] JacobiEigenvalues(double[] matrix, int n)
    {
        var a = (double[])matrix.Clone();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0.0, total = 0.0;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    total += a[(i * n) + j] * a[(i * n) + j];
                    if (i != j)
                    {
                        off += a[(i * n) + j] * a[(i * n) + j];
                    }
                }
            }

            if (off <= 1e-32 * total)
            {
                break;
            }

            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[(p * n) + q];
                    if (apq == 0.0)
                    {
                        continue;
                    }

                    double theta = (a[(q * n) + q] - a[(p * n) + p]) / (2.0 * apq);
                    double tan = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1.0));
                    double c = 1.0 / Math.Sqrt((tan * tan) + 1.0), sn = tan * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[(k * n) + p], akq = a[(k * n) + q];
                        a[(k * n) + p] = (c * akp) - (sn * akq);
                        a[(k * n) + q] = (sn * akp) + (c * akq);
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[(p * n) + k], aqk = a[(q * n) + k];
                        a[(p * n) + k] = (c * apk) - (sn * aqk);
                        a[(q * n) + k] = (sn * apk) + (c * aqk);
                    }
                }
            }
        }

        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = a[(i * n) + i];
        }

        Array.Sort(values);
        return values;
    }
}

using System;

namespace TwoLayer;

/// <summary>Random data of §4 and Appendix G, from a seeded <see cref="Random"/> (Box–Muller normals).</summary>
public sealed class Draw
{
    private readonly Random _random;
    private double _spare = double.NaN;

    public Draw(int seed) => _random = new Random(seed);

    /// <summary>A standard normal sample.</summary>
    public double Normal()
    {
        if (!double.IsNaN(_spare))
        {
            var s = _spare;
            _spare = double.NaN;
            return s;
        }
        double u = 1.0 - _random.NextDouble(), v = _random.NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u));
        _spare = r * Math.Sin(2 * Math.PI * v);
        return r * Math.Cos(2 * Math.PI * v);
    }

    public double Uniform(double low, double high) => low + ((high - low) * _random.NextDouble());

    /// <summary>length i.i.d. N(0, std²) entries.</summary>
    public double[] Gaussian(int length, double std)
    {
        var a = new double[length];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = std * Normal();
        }
        return a;
    }

    /// <summary>A Haar-random orthogonal n×n matrix (row-major): Gram–Schmidt (twice) of a Gaussian matrix's columns.</summary>
    public double[] Orthogonal(int n)
    {
        var q = Gaussian(n * n, 1.0);
        for (int j = 0; j < n; j++)
        {
            for (int pass = 0; pass < 2; pass++)
            {
                for (int k = 0; k < j; k++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++)
                    {
                        dot += q[(i * n) + k] * q[(i * n) + j];
                    }
                    for (int i = 0; i < n; i++)
                    {
                        q[(i * n) + j] -= dot * q[(i * n) + k];
                    }
                }
            }
            double norm = 0;
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
        return q;
    }
}

/// <summary>Small dense helpers (row-major).</summary>
public static class Dense
{
    /// <summary>A (r×k) · B (k×c).</summary>
    public static double[] Multiply(double[] a, int r, int k, double[] b, int c)
    {
        var p = new double[r * c];
        for (int i = 0; i < r; i++)
        {
            for (int l = 0; l < k; l++)
            {
                double x = a[(i * k) + l];
                for (int j = 0; j < c; j++)
                {
                    p[(i * c) + j] += x * b[(l * c) + j];
                }
            }
        }
        return p;
    }

    /// <summary>A (r×k) · Bᵀ with B (c×k).</summary>
    public static double[] MultiplyTransposed(double[] a, int r, int k, double[] b, int c)
    {
        var p = new double[r * c];
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j < c; j++)
            {
                double s = 0;
                for (int l = 0; l < k; l++)
                {
                    s += a[(i * k) + l] * b[(j * k) + l];
                }
                p[(i * c) + j] = s;
            }
        }
        return p;
    }
}

/// <summary>One draw of Problem 2: X (s×n), Y (s×m), W₁(0) (n×h), W₂(0) (m×h).</summary>
public sealed record Setting(double[] X, double[] Y, double[] W1, double[] W2, int S, int N, int M, int H)
{
    /// <summary>§4: X a random orthogonal n×n, W ~ N(0, initStd²), Y = X W₁(0)W₂(0)ᵀ + σ²ε, ε ~ N(0, 1).</summary>
    public static Setting Section4(Draw draw, int n, int h, double initStd, double noiseVariance)
    {
        var x = draw.Orthogonal(n);
        var w1 = draw.Gaussian(n * h, initStd);
        var w2 = draw.Gaussian(n * h, initStd);
        var y = Dense.Multiply(x, n, n, Dense.MultiplyTransposed(w1, n, h, w2, n), n);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += noiseVariance * draw.Normal();
        }
        return new Setting(x, y, w1, w2, n, n, n, h);
    }

    /// <summary>Appendix G.1: X a random orthogonal n×n, Y = XΘ + N(0, 0.1), Θ ~ N(0, 0.1), W ~ N(0, h^{−2p}).</summary>
    public static Setting AppendixG1(Draw draw, int n, int h, double p)
    {
        var x = draw.Orthogonal(n);
        var theta = draw.Gaussian(n * n, Math.Sqrt(0.1));
        var y = Dense.Multiply(x, n, n, theta, n);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += Math.Sqrt(0.1) * draw.Normal();
        }
        double std = Math.Pow(h, -p);
        return new Setting(x, y, draw.Gaussian(n * h, std), draw.Gaussian(n * h, std), n, n, n, h);
    }

    /// <summary>Appendix G.2: X = UΣV (Σ uniform in [1.8, 2.3]), W ~ N(0, 1/h), Y = X W₁W₂ᵀ + N(0, 0.1).</summary>
    public static Setting AppendixG2(Draw draw, int n, int h)
    {
        var u = draw.Orthogonal(n);
        var v = draw.Orthogonal(n);
        for (int i = 0; i < n; i++)
        {
            double sigma = draw.Uniform(1.8, 2.3);
            for (int j = 0; j < n; j++)
            {
                u[(j * n) + i] *= sigma; // U·Σ: scale column i
            }
        }
        var x = Dense.Multiply(u, n, n, v, n);
        double std = 1.0 / Math.Sqrt(h);
        var w1 = draw.Gaussian(n * h, std);
        var w2 = draw.Gaussian(n * h, std);
        var y = Dense.Multiply(x, n, n, Dense.MultiplyTransposed(w1, n, h, w2, n), n);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += Math.Sqrt(0.1) * draw.Normal();
        }
        return new Setting(x, y, w1, w2, n, n, n, h);
    }
}

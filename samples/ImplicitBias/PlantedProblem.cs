using System;

namespace ImplicitBias;

/// <summary>
/// The experiment's data, in the spirit of §IV of the paper (whose supplementary material, with the exact
/// generation, is not available): k = 1, squared loss, n &lt; d,
/// X ∈ ℝ^{n×d} with i.i.d. N(0, 1) entries, a planted w⋆ ~ N(0, I_d), labels y = X w⋆ (so XW = Y is solvable),
/// and a small initialization W0 with i.i.d. N(0, 0.01²) entries. Everything is drawn from one
/// <see cref="Random"/> seeded with the seed, in this order: X row by row, then w⋆, then W0.
/// </summary>
public sealed class PlantedProblem
{
    /// <summary>The standard deviation of the entries of W0.</summary>
    public const double InitScale = 0.01;

    private PlantedProblem(int n, int d, int seed, double[] x, double[] y, double[] planted, double[] w0)
    {
        N = n;
        D = d;
        Seed = seed;
        X = x;
        Y = y;
        Planted = planted;
        W0 = w0;
    }

    public int N { get; }

    public int D { get; }

    public int Seed { get; }

    /// <summary>X, row-major n×d.</summary>
    public double[] X { get; }

    /// <summary>y = X w⋆, length n.</summary>
    public double[] Y { get; }

    /// <summary>The planted w⋆, length d.</summary>
    public double[] Planted { get; }

    /// <summary>The initialization W0, length d.</summary>
    public double[] W0 { get; }

    public static PlantedProblem Create(int n, int d, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(d, n);
        var random = new Random(seed);
        var x = new double[(long)n * d];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = Gaussian(random);
        }
        var planted = new double[d];
        for (var j = 0; j < d; j++)
        {
            planted[j] = Gaussian(random);
        }
        var w0 = new double[d];
        for (var j = 0; j < d; j++)
        {
            w0[j] = InitScale * Gaussian(random);
        }
        var y = new double[n];
        Dense.Multiply(x, n, d, planted, y);
        return new PlantedProblem(n, d, seed, x, y, planted, w0);
    }

    /// <summary>‖Xw − y‖₂.</summary>
    public double Residual(ReadOnlySpan<double> w)
    {
        var r = new double[N];
        Dense.Multiply(X, N, D, w, r);
        var sum = 0.0;
        for (var i = 0; i < N; i++)
        {
            var e = r[i] - Y[i];
            sum += e * e;
        }
        return Math.Sqrt(sum);
    }

    // Box–Muller; 1 − U keeps the logarithm's argument in (0, 1].
    private static double Gaussian(Random random)
        => Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}

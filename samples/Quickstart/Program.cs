using System;
using System.Globalization;
using DslOptim;
using Quickstart;

// Quickstart: the paper's three potentials on one small overparameterized least-squares problem,
// L(w) = (1/n) Σ ℓ(x_iᵀw − y_i) with ℓ(r) = r²/2, X ∈ ℝ^{n×d}, n < d.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const int n = 20;
const int d = 50;
const int steps = 200;
const int seed = 7;
var problem = LeastSquares.Create(n, d, seed);

Console.WriteLine($"Least squares, n = {n}, d = {d}, ℓ(r) = r²/2; loss every 25 steps of w ← w − η_t ∇K(∇L(w)) (eq. 1).");
Console.WriteLine();

Run("Normalized GD", NormalizedGd.Info, new NormalizedGd().Step);
Run("Gradient clipping", ClippedGd.Info, new ClippedGd().Step);
Run("Adam without momentum", AdamWithoutMomentum.Info, new AdamWithoutMomentum().Step);

void Run(string title, OptimizerInfo info, StepFunction step)
{
    Console.WriteLine($"== {title} ==");
    Console.Write(info);
    var w = new double[d];
    var g = new double[d];
    Console.WriteLine($"  step {0,4}: loss {problem.Loss(w):0.0000e+00}");
    for (long t = 1; t <= steps; t++)
    {
        problem.Gradient(w, g);
        step(w, g, t);
        if (t % 25 == 0)
        {
            Console.WriteLine($"  step {t,4}: loss {problem.Loss(w):0.0000e+00}");
        }
    }
    Console.WriteLine();
}

internal delegate void StepFunction(Span<double> w, ReadOnlySpan<double> g, long t);

/// <summary>A planted least-squares problem: Gaussian X, y = X w⋆ (so an interpolating solution exists).</summary>
internal sealed class LeastSquares
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[] _residual;

    private LeastSquares(int n, int d, double[] x, double[] y)
    {
        N = n;
        D = d;
        _x = x;
        _y = y;
        _residual = new double[n];
    }

    public int N { get; }

    public int D { get; }

    public static LeastSquares Create(int n, int d, int seed)
    {
        var random = new Random(seed);
        var x = new double[n * d];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = Gaussian(random) / Math.Sqrt(d);
        }
        var planted = new double[d];
        for (var j = 0; j < d; j++)
        {
            planted[j] = Gaussian(random);
        }
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                y[i] += x[i * d + j] * planted[j];
            }
        }
        return new LeastSquares(n, d, x, y);
    }

    /// <summary>L(w) = (1/n) Σ ℓ(r_i), r = Xw − y.</summary>
    public double Loss(ReadOnlySpan<double> w)
    {
        Residual(w);
        var sum = 0.0;
        foreach (var r in _residual)
        {
            sum += 0.5 * r * r;
        }
        return sum / N;
    }

    /// <summary>∇L(w) = (1/n) Xᵀ ℓ′(r), with ℓ′ the generator's derivative of the declared loss.</summary>
    public void Gradient(ReadOnlySpan<double> w, Span<double> g)
    {
        Residual(w);
        g.Clear();
        for (var i = 0; i < N; i++)
        {
            var slope = NormalizedGd.SquaredPrime(_residual[i]) / N;
            for (var j = 0; j < D; j++)
            {
                g[j] += slope * _x[i * D + j];
            }
        }
    }

    private void Residual(ReadOnlySpan<double> w)
    {
        for (var i = 0; i < N; i++)
        {
            var dot = 0.0;
            for (var j = 0; j < D; j++)
            {
                dot += _x[i * D + j] * w[j];
            }
            _residual[i] = dot - _y[i];
        }
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}

using System;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace DslOptim.Tests.FullStep;

/// <summary>
/// Theorem 2 on a small problem (n = 8, d = 20, k = 2, squared loss): isotropic potentials converge to the
/// interpolator closest to W0, W* = W0 + X⁺(Y − XW0); Adam without momentum (elementwise) interpolates too,
/// but elsewhere.
/// </summary>
public class ImplicitBiasTests
{
    private const int N = 8;
    private const int D = 20;
    private const int K = 2;
    private readonly ITestOutputHelper _output;

    public ImplicitBiasTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Normalized_gd_reaches_the_min_norm_interpolator()
    {
        var (problem, w0, target) = Setup();
        var optimizer = new LinearNormalizedGd { Eps = 0.5, Eta = 0.5 };
        var w = Run(problem, w0, (p, x, ws, t) => optimizer.Step(p, x, ws, t));

        var distance = RelativeDistance(w, target);
        _output.WriteLine($"normalized GD: ‖W − W*‖/‖W*‖ = {distance:E3}");
        Assert.True(distance <= 1e-8, $"relative distance {distance:E3}");
    }

    [Fact]
    public void Gradient_clipping_reaches_the_min_norm_interpolator()
    {
        var (problem, w0, target) = Setup();
        var optimizer = new LinearClippedGd { Eps = 1.0, Eta = 1.0 };
        var w = Run(problem, w0, (p, x, ws, t) => optimizer.Step(p, x, ws, t));

        var distance = RelativeDistance(w, target);
        _output.WriteLine($"gradient clipping: ‖W − W*‖/‖W*‖ = {distance:E3}");
        Assert.True(distance <= 1e-8, $"relative distance {distance:E3}");
    }

    [Fact]
    public void Adam_without_momentum_interpolates_elsewhere()
    {
        var (problem, w0, target) = Setup();
        var optimizer = new LinearAdamWithoutMomentum { Eps = 0.5, Eta = 0.2 };
        var w = Run(problem, w0, (p, x, ws, t) => optimizer.Step(p, x, ws, t));

        var residual = Residual(problem, w);
        var distance = RelativeDistance(w, target);
        _output.WriteLine($"Adam without momentum: ‖XW − Y‖ = {residual:E3}, ‖W − W*‖/‖W*‖ = {distance:E3}");
        Assert.True(residual <= 1e-9, $"residual {residual:E3}");
        Assert.True(distance > 1e-4, $"Adam without momentum landed on the min-norm interpolator: distance {distance:E3}");
    }

    private delegate LinearStepResult Stepper(LinearProblem<double> problem, Span<double> w, LinearWorkspace<double> workspace, long t);

    private static double[] Run(LinearProblem<double> problem, double[] w0, Stepper step)
    {
        var w = (double[])w0.Clone();
        var workspace = new LinearWorkspace<double>(problem);
        for (long t = 1; t <= 200_000; t++)
        {
            if (step(problem, w, workspace, t).GradientNorm < 1e-14)
            {
                break;
            }
        }
        return w;
    }

    /// <summary>Gaussian X scaled by 1/√d, a planted Y, small random W0, and W* = W0 + Xᵀ(XXᵀ)⁻¹(Y − XW0) by elimination.</summary>
    private static (LinearProblem<double> Problem, double[] W0, double[] Target) Setup()
    {
        var random = new Random(2603);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var x = Enumerable.Range(0, N * D).Select(_ => Gaussian() / Math.Sqrt(D)).ToArray();
        var planted = Enumerable.Range(0, D * K).Select(_ => Gaussian()).ToArray();
        var y = new double[N * K];
        for (var i = 0; i < N; i++)
        {
            for (var j = 0; j < K; j++)
            {
                for (var p = 0; p < D; p++)
                {
                    y[i * K + j] += x[i * D + p] * planted[p * K + j];
                }
            }
        }
        var w0 = Enumerable.Range(0, D * K).Select(_ => 0.1 * Gaussian()).ToArray();
        var problem = new LinearProblem<double>(x, N, D, y, K);

        // Solve (XXᵀ) A = Y − XW0 for A (n×k), then W* = W0 + XᵀA.
        var gram = new double[N * N];
        for (var i = 0; i < N; i++)
        {
            for (var j = 0; j < N; j++)
            {
                for (var p = 0; p < D; p++)
                {
                    gram[i * N + j] += x[i * D + p] * x[j * D + p];
                }
            }
        }
        var rhs = new double[N * K];
        for (var i = 0; i < N; i++)
        {
            for (var j = 0; j < K; j++)
            {
                var xw = 0.0;
                for (var p = 0; p < D; p++)
                {
                    xw += x[i * D + p] * w0[p * K + j];
                }
                rhs[i * K + j] = y[i * K + j] - xw;
            }
        }
        var a = Solve(gram, rhs, N, K);
        var target = (double[])w0.Clone();
        for (var p = 0; p < D; p++)
        {
            for (var j = 0; j < K; j++)
            {
                for (var i = 0; i < N; i++)
                {
                    target[p * K + j] += x[i * D + p] * a[i * K + j];
                }
            }
        }
        return (problem, w0, target);
    }

    /// <summary>Gaussian elimination with partial pivoting on an n×n system with k right-hand sides.</summary>
    private static double[] Solve(double[] matrix, double[] rhs, int n, int k)
    {
        var m = (double[])matrix.Clone();
        var b = (double[])rhs.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = Enumerable.Range(col, n - col).OrderByDescending(r => Math.Abs(m[r * n + col])).First();
            for (var c = 0; c < n; c++)
            {
                (m[col * n + c], m[pivot * n + c]) = (m[pivot * n + c], m[col * n + c]);
            }
            for (var c = 0; c < k; c++)
            {
                (b[col * k + c], b[pivot * k + c]) = (b[pivot * k + c], b[col * k + c]);
            }
            for (var r = col + 1; r < n; r++)
            {
                var factor = m[r * n + col] / m[col * n + col];
                for (var c = col; c < n; c++)
                {
                    m[r * n + c] -= factor * m[col * n + c];
                }
                for (var c = 0; c < k; c++)
                {
                    b[r * k + c] -= factor * b[col * k + c];
                }
            }
        }
        var solution = new double[n * k];
        for (var r = n - 1; r >= 0; r--)
        {
            for (var c = 0; c < k; c++)
            {
                var sum = b[r * k + c];
                for (var j = r + 1; j < n; j++)
                {
                    sum -= m[r * n + j] * solution[j * k + c];
                }
                solution[r * k + c] = sum / m[r * n + r];
            }
        }
        return solution;
    }

    private static double RelativeDistance(double[] w, double[] target)
        => Math.Sqrt(w.Zip(target, (a, b) => (a - b) * (a - b)).Sum()) / Math.Sqrt(target.Sum(v => v * v));

    private static double Residual(LinearProblem<double> problem, double[] w)
    {
        var x = problem.X;
        var y = problem.Y;
        var sum = 0.0;
        for (var i = 0; i < N; i++)
        {
            for (var j = 0; j < K; j++)
            {
                var r = -y[i * K + j];
                for (var p = 0; p < D; p++)
                {
                    r += x[i * D + p] * w[p * K + j];
                }
                sum += r * r;
            }
        }
        return Math.Sqrt(sum);
    }
}

using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using DslOptim.Kernels;

namespace DslOptim.Benchmarks;

/// <summary>
/// One full step of normalized GD on the linear model L(W) = (1/n) Σ ℓ(x_iᵀW_j − Y_ij), ℓ(r) = r²/2, in double:
/// <list type="bullet">
/// <item><see cref="FusedStep"/>: the generated <c>Step(problem, w, workspace, t)</c> — G = (1/n)Xᵀℓ′(XW − Y), the loss
/// and ‖G‖_F in one pass over the rows of X, then the update;</item>
/// <item><see cref="Composed"/> (the baseline): R = XW by <see cref="LinearModel.Multiply{T}"/>, R ← ℓ′(R − Y)/n (and the
/// loss) in a loop, G = XᵀR by <see cref="LinearModel.MultiplyTransposed{T}"/>, then the generic <c>Step(w, g, t)</c>
/// (which takes ‖G‖_F itself) — two passes over X;</item>
/// <item><see cref="Floor"/> (k = 1 only): the sum of all entries of X — one streaming read of X on the same threads,
/// the least any full step has to do, and what a k = 1 step (two flops per element of X read) is bound by.</item>
/// </list>
/// Shapes (n, d, k) and thread counts (the workspace's and the products' <c>threads</c>) are parameters; each
/// (shape, threads) pair is a group with the composed reference as its baseline. X is 16 MiB for n = 512, d = 4096 (it
/// fits this machine's L3) and 128 MiB for n = 2048, d = 8192 (it does not).
/// </summary>
[Config(typeof(Config))]
[MedianColumn]
public class LinearModelBenchmarks
{
    private const long T = 1;

    private readonly LinearNormalizedGd _optimizer = new();

    private double[] _x = null!;
    private double[] _y = null!;
    private double[] _w = null!;
    private double[] _r = null!;
    private double[] _g = null!;
    private double[] _partialSums = null!;
    private LinearProblem<double> _problem = null!;
    private LinearWorkspace<double> _workspace = null!;

    /// <summary>The shapes (n, d, k) benchmarked.</summary>
    public static IEnumerable<Shape> Shapes() => [new(512, 4096, 1), new(512, 4096, 16), new(2048, 8192, 10)];

    [ParamsSource(nameof(Shapes))]
    public Shape Size { get; set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (n, d, k) = (Size.N, Size.D, Size.K);
        var random = new Random(42);
        _x = new double[(long)n * d];
        for (var i = 0; i < _x.Length; i++)
        {
            _x[i] = random.NextDouble() - 0.5;
        }
        _y = new double[n * k];
        for (var i = 0; i < _y.Length; i++)
        {
            _y[i] = random.NextDouble() - 0.5;
        }
        _w = new double[d * k];
        for (var i = 0; i < _w.Length; i++)
        {
            _w[i] = 0.01 * (random.NextDouble() - 0.5);
        }
        _r = new double[n * k];
        _g = new double[d * k];
        _partialSums = new double[Threads];
        _problem = new LinearProblem<double>(_x, n, d, _y, k);
        _workspace = new LinearWorkspace<double>(_problem, Threads);
    }

    /// <summary>The generated fused full step.</summary>
    [Benchmark]
    public double FusedStep() => _optimizer.Step(_problem, _w, _workspace, T).Loss;

    /// <summary>The composed reference: two products and a residual loop, then the generic step.</summary>
    [Benchmark(Baseline = true)]
    public double Composed()
    {
        var (n, d, k) = (Size.N, Size.D, Size.K);
        LinearModel.Multiply<double>(_x, n, d, _w, k, _r, Threads);
        var r = _r;
        var y = _y;
        var loss = 0.0;
        for (var e = 0; e < r.Length; e++)
        {
            var residual = r[e] - y[e];
            loss += LinearNormalizedGd.Squared(residual);
            r[e] = LinearNormalizedGd.SquaredPrime(residual) / n;
        }
        LinearModel.MultiplyTransposed<double>(_x, n, d, _r, k, _g, Threads);
        _optimizer.Step(_w, _g, T);
        return loss / n;
    }

    /// <summary>One streaming read of X: TensorPrimitives.Sum (Vector512 on this machine), over contiguous slices in parallel for two threads.</summary>
    [Benchmark]
    public double Floor()
    {
        if (Threads == 1)
        {
            return TensorPrimitives.Sum<double>(_x);
        }
        var slice = (_x.Length + Threads - 1) / Threads;
        Parallel.For(0, Threads, i =>
        {
            var start = i * slice;
            _partialSums[i] = TensorPrimitives.Sum<double>(_x.AsSpan(start, Math.Min(slice, _x.Length - start)));
        });
        var sum = 0.0;
        foreach (var part in _partialSums)
        {
            sum += part;
        }
        return sum;
    }

    /// <summary>A problem shape: n rows of X, d features, k outputs.</summary>
    public sealed record Shape(int N, int D, int K)
    {
        public override string ToString() => $"{N}x{D}x{K}";
    }

    /// <summary>Runs the floor for k = 1 only.</summary>
    private sealed class Config : ManualConfig
    {
        public Config() => AddFilter(new SimpleFilter(benchmark =>
            benchmark.Descriptor.WorkloadMethod.Name != nameof(Floor) || benchmark.Parameters[nameof(Size)] is Shape { K: 1 }));
    }
}

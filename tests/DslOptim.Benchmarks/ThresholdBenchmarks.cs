using System;
using BenchmarkDotNet.Attributes;
using DslOptim.Kernels;

namespace DslOptim.Benchmarks;

/// <summary>
/// Where splitting a pass across two threads starts to pay: the elementwise and sum-of-squares passes at
/// lengths around <see cref="ParallelPasses.MinParallelLength"/>, forced to 1 or 2 threads through the internal
/// overloads (the public ones run everything below the threshold on one thread). The lightest passes per byte are
/// measured (a heavier update, such as the stateful ones, pays for a split at shorter lengths): the threshold should
/// be the shortest length at which 2 threads are clearly faster for all three, on an idle machine.
/// Run alone: <c>run.sh --quick --anyCategories Threshold</c>.
/// </summary>
[BenchmarkCategory("Threshold")]
[CategoriesColumn]
[MedianColumn]
[MinColumn]
[MaxColumn]
public class ThresholdBenchmarks
{
    private double[] _w = [], _g = [];
    private float[] _wf = [], _gf = [];

    /// <summary>Elements: 2, 4, 8 and 16 chunks of 16,384.</summary>
    [Params(32_768, 65_536, 131_072, 262_144)]
    public int N { get; set; }

    /// <summary>Threads the pass may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Data in cache-friendly ranges; values do not matter to the timing.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _w = new double[N];
        _g = new double[N];
        _wf = new float[N];
        _gf = new float[N];
        for (int i = 0; i < N; i++)
        {
            _g[i] = random.NextDouble() - 0.5;
            _w[i] = random.NextDouble();
            _gf[i] = (float)_g[i];
            _wf[i] = (float)_w[i];
        }
    }

    /// <summary>w ← w − 2⁻²⁰·g, double.</summary>
    [Benchmark]
    public void ElementwiseDouble() => ElementwiseKernel.Apply(_w.AsSpan(), _g, new ScaledSubtract<double>(1.0 / (1 << 20)), Threads);

    /// <summary>w ← w − 2⁻²⁰·g, float.</summary>
    [Benchmark]
    public void ElementwiseFloat() => ElementwiseKernel.Apply(_wf.AsSpan(), _gf, new ScaledSubtract<float>(1f / (1 << 20)), Threads);

    /// <summary>Σg², float.</summary>
    [Benchmark]
    public double SumOfSquaresFloat() => Reduction.SumOfSquares<float>(_gf, Threads);
}

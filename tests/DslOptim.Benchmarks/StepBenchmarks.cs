using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace DslOptim.Benchmarks;

/// <summary>
/// Measures one generated <c>Step</c> (w ← w − η·∇K(g), in place) against a naive scalar loop of the same
/// update (the baseline of its category), for an elementwise potential (Adam without momentum: one fused
/// pass) and an isotropic one (clipping: a norm pass, then an update pass), in double and float.
/// At these sizes the kernels are memory-bound: the ratio shows what SIMD and fusion buy over the loop.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MedianColumn]
public class StepBenchmarks
{
    private const long T = 1;

    private readonly AdamWithoutMomentum adam = new();
    private readonly ClippedGd clip = new();

    private double[] wDouble = null!;
    private double[] gDouble = null!;
    private float[] wFloat = null!;
    private float[] gFloat = null!;

    [Params(1_000_000, 16_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        wDouble = new double[N];
        gDouble = new double[N];
        wFloat = new float[N];
        gFloat = new float[N];
        for (var i = 0; i < N; i++)
        {
            // g of norm ≈ √N/2 ≫ ε, so clipping takes its clipped branch; η is small, so w stays bounded.
            gDouble[i] = random.NextDouble() - 0.5;
            gFloat[i] = (float)gDouble[i];
            wDouble[i] = random.NextDouble();
            wFloat[i] = (float)wDouble[i];
        }
    }

    // Adam without momentum: w_i ← w_i − η·g_i/(ε + |g_i|).

    [Benchmark(Baseline = true), BenchmarkCategory("Adam double")]
    public void AdamNaiveDouble()
    {
        double eta = adam.Eta, eps = adam.Eps;
        var w = wDouble;
        var g = gDouble;
        for (var i = 0; i < w.Length; i++)
        {
            w[i] -= eta * g[i] / (eps + Math.Abs(g[i]));
        }
    }

    [Benchmark, BenchmarkCategory("Adam double")]
    public void AdamGeneratedDouble() => adam.Step(wDouble, gDouble, T);

    [Benchmark(Baseline = true), BenchmarkCategory("Adam float")]
    public void AdamNaiveFloat()
    {
        float eta = (float)adam.Eta, eps = (float)adam.Eps;
        var w = wFloat;
        var g = gFloat;
        for (var i = 0; i < w.Length; i++)
        {
            w[i] -= eta * g[i] / (eps + MathF.Abs(g[i]));
        }
    }

    [Benchmark, BenchmarkCategory("Adam float")]
    public void AdamGeneratedFloat() => adam.Step(wFloat, gFloat, T);

    // Clipping: s = ‖g‖ (accumulated in double), then w_i ← w_i − η·min(ε/s, 1)·g_i.

    [Benchmark(Baseline = true), BenchmarkCategory("Clip double")]
    public void ClipNaiveDouble()
    {
        var w = wDouble;
        var g = gDouble;
        double sum = 0;
        for (var i = 0; i < g.Length; i++)
        {
            sum += g[i] * g[i];
        }
        var s = Math.Sqrt(sum);
        if (s == 0)
        {
            return;
        }
        var scale = clip.Eta * (s <= clip.Eps ? 1.0 : clip.Eps / s);
        for (var i = 0; i < w.Length; i++)
        {
            w[i] -= scale * g[i];
        }
    }

    [Benchmark, BenchmarkCategory("Clip double")]
    public void ClipGeneratedDouble() => clip.Step(wDouble, gDouble, T);

    [Benchmark(Baseline = true), BenchmarkCategory("Clip float")]
    public void ClipNaiveFloat()
    {
        var w = wFloat;
        var g = gFloat;
        double sum = 0;
        for (var i = 0; i < g.Length; i++)
        {
            sum += (double)g[i] * g[i];
        }
        var s = Math.Sqrt(sum);
        if (s == 0)
        {
            return;
        }
        var scale = (float)(clip.Eta * (s <= clip.Eps ? 1.0 : clip.Eps / s));
        for (var i = 0; i < w.Length; i++)
        {
            w[i] -= scale * g[i];
        }
    }

    [Benchmark, BenchmarkCategory("Clip float")]
    public void ClipGeneratedFloat() => clip.Step(wFloat, gFloat, T);
}

using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Adam = DslOptim.Optimizers.Adam;

namespace DslOptim.Benchmarks;

/// <summary>
/// A <see cref="ParameterSet{T}"/> of 1,000 tensors of mixed sizes (log-uniform lengths 16 … 32,768, as a model's
/// biases, norms and weight matrices; with seed 7, 3,784,456 doubles in all and 384 tensors under 256 elements)
/// against one tensor of the same total length, for torch's Adam (one fused pass over w, g, m, v) and global-norm
/// clipping (a norm pass, then an update pass), on 1 and 2 threads (<see cref="Parallelism.MaxThreads"/>).
/// Target (issue #7): the set within 1.25× of the single tensor.
/// Baseline of each category: the single tensor registered as a one-tensor set, which runs the same slices and
/// threads; the plain span <c>Step</c> on that tensor is shown beside it. <c>ClipThousandSlicesSet</c> registers the
/// same 1,000 lengths as consecutive slices of that one tensor's arrays: the per-tensor work of a set with the memory
/// of one tensor, so that the gap between it and <c>ClipThousandTensorSet</c> (1,000 separate arrays, each weight
/// array next to its gradient) is the cost of the memory layout, not of the set.
/// Sized for <c>--job short</c>: <c>--filter '*ParameterSetBenchmarks*' --job short</c> takes about two minutes.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MedianColumn]
public class ParameterSetBenchmarks
{
    private const int Tensors = 1_000;

    private readonly Adam adam = new() { Lr = 1e-6 };
    private readonly ClippedGd clip = new() { Eps = 1.0, Eta = 1e-6 };

    private ParameterSet<double> many = null!;
    private ParameterSet<double> one = null!;
    private ParameterSet<double> slices = null!;
    private Adam.State<double> manyState = null!;
    private Adam.State<double> oneState = null!;
    private Adam.State<double> spanState = null!;
    private double[] w = null!;
    private double[] g = null!;
    private long t;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.MaxThreads = Threads;
        var random = new Random(7);
        var lengths = new int[Tensors];
        var total = 0;
        for (var i = 0; i < Tensors; i++)
        {
            lengths[i] = (int)Math.Round(16 * Math.Pow(2048, random.NextDouble()));
            total += lengths[i];
        }

        many = new ParameterSet<double>();
        for (var i = 0; i < Tensors; i++)
        {
            many.Add(Fill(new double[lengths[i]], random, 1.0), Fill(new double[lengths[i]], random, 0.5));
        }

        w = Fill(new double[total], random, 1.0);
        g = Fill(new double[total], random, 0.5);
        one = new ParameterSet<double>();
        one.Add(w, g);
        slices = new ParameterSet<double>();
        var at = 0;
        for (var i = 0; i < Tensors; i++)
        {
            slices.Add(w.AsMemory(at, lengths[i]), g.AsMemory(at, lengths[i]));
            at += lengths[i];
        }

        manyState = adam.CreateState(many);
        oneState = adam.CreateState(one);
        spanState = adam.CreateState<double>(total);
        t = 1;
    }

    [GlobalCleanup]
    public void Cleanup() => Parallelism.MaxThreads = 0;

    [Benchmark(Baseline = true), BenchmarkCategory("Adam")]
    public void AdamOneTensorSet() => adam.Step(one, oneState, t++);

    [Benchmark, BenchmarkCategory("Adam")]
    public void AdamThousandTensorSet() => adam.Step(many, manyState, t++);

    [Benchmark, BenchmarkCategory("Adam")]
    public void AdamOneTensorSpan() => adam.Step(w, g, spanState, t++);

    [Benchmark(Baseline = true), BenchmarkCategory("Clip")]
    public void ClipOneTensorSet() => clip.Step(one, 1);

    [Benchmark, BenchmarkCategory("Clip")]
    public void ClipThousandTensorSet() => clip.Step(many, 1);

    [Benchmark, BenchmarkCategory("Clip")]
    public void ClipOneTensorSpan() => clip.Step(w, g, 1);

    [Benchmark, BenchmarkCategory("Clip")]
    public void ClipThousandSlicesSet() => clip.Step(slices, 1);

    private static double[] Fill(double[] values, Random random, double scale)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextDouble() - 0.5) * scale;
        }

        return values;
    }
}

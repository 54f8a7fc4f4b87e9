using System;
using System.Numerics;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using DslOptim.Kernels;

namespace DslOptim.Benchmarks;

/// <summary>
/// One-pass steps that read g and read-modify-write w: an elementwise potential (Adam without momentum,
/// w ← w − η·g/(ε + |g|)) and a declared [Preconditioner] (the soft sign, w ← w − η·g/√(g² + δ²)), beside their floor
/// (w ← w + g through the same driver) and the hand-written references.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
[Config(typeof(StepConfig))]
[BenchmarkCategory("Steps", "Elementwise")]
[CategoriesColumn]
[MedianColumn]
[MinColumn]
[MaxColumn]
public class ElementwiseStepBenchmarks<T> : StepBenchmarkBase<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly AdamWithoutMomentum _adam = new();
    private readonly SoftSignGd _softSign = new();
    private readonly T[] _blockW = new T[TileLength];
    private readonly T[] _blockG = new T[TileLength];

    /// <summary>The compute floor's block: the first elements of w and g.</summary>
    protected override void AfterSetup()
    {
        W.AsSpan(0, TileLength).CopyTo(_blockW);
        G.AsSpan(0, TileLength).CopyTo(_blockG);
    }

    /// <summary>w ← w + g, through <see cref="ElementwiseKernel"/>: the access pattern's floor.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Floor")]
    public void Floor() => ElementwiseKernel.Apply(W.AsSpan(), G, default(AddFloor<T>));

    /// <summary>The generated Step of Adam without momentum.</summary>
    [Benchmark, BenchmarkCategory("Kernel")]
    public void AdamWithoutMomentumKernel()
    {
        if (typeof(T) == typeof(double))
        {
            _adam.Step(AsDouble(W), AsDouble(G), Step);
        }
        else
        {
            _adam.Step(AsFloat(W), AsFloat(G), Step);
        }
    }

    /// <summary>The generated Step of the soft-sign preconditioner.</summary>
    [Benchmark, BenchmarkCategory("Kernel")]
    public void SoftSignKernel()
    {
        if (typeof(T) == typeof(double))
        {
            _softSign.Step(AsDouble(W), AsDouble(G), Step);
        }
        else
        {
            _softSign.Step(AsFloat(W), AsFloat(G), Step);
        }
    }

    /// <summary>
    /// The soft sign's arithmetic alone, its bound on one thread: the generated Step over one <see cref="TileLength"/>-element
    /// block of w and g (32 or 64 KiB, cache-resident) N / <see cref="TileLength"/> times, so that every element of N meets
    /// the kernel's square root and division with no memory traffic (plus the per-call checks of each Step).
    /// </summary>
    [Benchmark, BenchmarkCategory("ComputeFloor")]
    public void SoftSignComputeFloor()
    {
        for (int start = 0; start < N; start += TileLength)
        {
            if (typeof(T) == typeof(double))
            {
                _softSign.Step(AsDouble(_blockW), AsDouble(_blockG), Step);
            }
            else
            {
                _softSign.Step(AsFloat(_blockW), AsFloat(_blockG), Step);
            }
        }
    }

    /// <summary>Adam without momentum as a plain loop.</summary>
    [Benchmark, BenchmarkCategory("Naive")]
    public void AdamWithoutMomentumNaive()
    {
        T eta = C(_adam.LearningRate(Step)), eps = C(_adam.Eps);
        T[] w = W, g = G;
        for (int i = 0; i < w.Length; i++)
        {
            w[i] -= eta * g[i] / (eps + T.Abs(g[i]));
        }
    }

    /// <summary>Adam without momentum composed from TensorPrimitives: four passes over full-length buffers.</summary>
    [Benchmark, BenchmarkCategory("TensorPrimitives")]
    public void AdamWithoutMomentumTensorPrimitives() =>
        AdamWithoutMomentumComposed(W, G, Buffer1, C(_adam.LearningRate(Step)), C(_adam.Eps));

    /// <summary>The same composition tile by tile, its temporaries in cache.</summary>
    [Benchmark, BenchmarkCategory("Tiled")]
    public void AdamWithoutMomentumTiled()
    {
        T eta = C(_adam.LearningRate(Step)), eps = C(_adam.Eps);
        for (int start = 0; start < N; start += TileLength)
        {
            int length = Math.Min(TileLength, N - start);
            AdamWithoutMomentumComposed(W.AsSpan(start, length), G.AsSpan(start, length), Tile1.AsSpan(0, length), eta, eps);
        }
    }

    /// <summary>The soft sign as a plain loop.</summary>
    [Benchmark, BenchmarkCategory("Naive")]
    public void SoftSignNaive()
    {
        T eta = C(_softSign.LearningRate(Step)), delta2 = C(_softSign.Delta * _softSign.Delta);
        T[] w = W, g = G;
        for (int i = 0; i < w.Length; i++)
        {
            w[i] -= eta * g[i] / T.Sqrt((g[i] * g[i]) + delta2);
        }
    }

    /// <summary>The soft sign composed from TensorPrimitives: five passes over a full-length buffer.</summary>
    [Benchmark, BenchmarkCategory("TensorPrimitives")]
    public void SoftSignTensorPrimitives() =>
        SoftSignComposed(W, G, Buffer1, C(_softSign.LearningRate(Step)), C(_softSign.Delta * _softSign.Delta));

    /// <summary>The same composition tile by tile.</summary>
    [Benchmark, BenchmarkCategory("Tiled")]
    public void SoftSignTiled()
    {
        T eta = C(_softSign.LearningRate(Step)), delta2 = C(_softSign.Delta * _softSign.Delta);
        for (int start = 0; start < N; start += TileLength)
        {
            int length = Math.Min(TileLength, N - start);
            SoftSignComposed(W.AsSpan(start, length), G.AsSpan(start, length), Tile1.AsSpan(0, length), eta, delta2);
        }
    }

    // b = |g|; b += ε; b = g / b; w = b·(−η) + w.
    private static void AdamWithoutMomentumComposed(Span<T> w, ReadOnlySpan<T> g, Span<T> b, T eta, T eps)
    {
        TensorPrimitives.Abs(g, b);
        TensorPrimitives.Add(b, eps, b);
        TensorPrimitives.Divide(g, b, b);
        TensorPrimitives.MultiplyAdd(b, -eta, w, w);
    }

    // b = g·g; b += δ²; b = √b; b = g / b; w = b·(−η) + w.
    private static void SoftSignComposed(Span<T> w, ReadOnlySpan<T> g, Span<T> b, T eta, T delta2)
    {
        TensorPrimitives.Multiply(g, g, b);
        TensorPrimitives.Add(b, delta2, b);
        TensorPrimitives.Sqrt(b, b);
        TensorPrimitives.Divide(g, b, b);
        TensorPrimitives.MultiplyAdd(b, -eta, w, w);
    }
}

using System;
using System.Numerics;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using DslOptim.Kernels;

namespace DslOptim.Benchmarks;

/// <summary>
/// Two-pass steps: s = ‖g‖_F (a read of g), then w ← w − η·h′(s)/s·g (a read of g and a read-modify-write of w), for
/// gradient clipping (h′(s)/s = min(ε/s, 1)) and normalized GD (h′(s)/s = 1/(ε + s)), beside their floor (the same
/// deterministic sum of squares, then w ← w + g, through the same drivers) and the hand-written references. There is no
/// tiled reference: the composition (TensorPrimitives.Norm, then one MultiplyAdd) has no temporaries to keep in cache.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
[Config(typeof(StepConfig))]
[BenchmarkCategory("Steps", "Isotropic")]
[CategoriesColumn]
[MedianColumn]
[MinColumn]
[MaxColumn]
public class IsotropicStepBenchmarks<T> : StepBenchmarkBase<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ClippedGd _clip = new();
    private readonly NormalizedGd _normalized = new();

    /// <summary>Σg² through <see cref="Reduction"/>, then w ← w + g through <see cref="ElementwiseKernel"/>: the two-pass floor.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Floor")]
    public double Floor()
    {
        double sum = Reduction.SumOfSquares<T>(G);
        ElementwiseKernel.Apply(W.AsSpan(), G, default(AddFloor<T>));
        return sum;
    }

    /// <summary>The generated Step of gradient clipping.</summary>
    [Benchmark, BenchmarkCategory("Kernel")]
    public void ClipKernel()
    {
        if (typeof(T) == typeof(double))
        {
            _clip.Step(AsDouble(W), AsDouble(G), Step);
        }
        else
        {
            _clip.Step(AsFloat(W), AsFloat(G), Step);
        }
    }

    /// <summary>The generated Step of normalized GD.</summary>
    [Benchmark, BenchmarkCategory("Kernel")]
    public void NormalizedKernel()
    {
        if (typeof(T) == typeof(double))
        {
            _normalized.Step(AsDouble(W), AsDouble(G), Step);
        }
        else
        {
            _normalized.Step(AsFloat(W), AsFloat(G), Step);
        }
    }

    /// <summary>Clipping as two plain loops, the sum of squares in double.</summary>
    [Benchmark, BenchmarkCategory("Naive")]
    public void ClipNaive()
    {
        T[] w = W, g = G;
        double sum = 0;
        for (int i = 0; i < g.Length; i++)
        {
            double x = double.CreateTruncating(g[i]);
            sum += x * x;
        }

        double s = Math.Sqrt(sum);
        T scale = C(_clip.LearningRate(Step) * Math.Min(_clip.Eps / s, 1.0));
        for (int i = 0; i < w.Length; i++)
        {
            w[i] -= scale * g[i];
        }
    }

    /// <summary>Clipping from TensorPrimitives: Norm, then MultiplyAdd.</summary>
    [Benchmark, BenchmarkCategory("TensorPrimitives")]
    public void ClipTensorPrimitives()
    {
        double s = double.CreateTruncating(TensorPrimitives.Norm<T>(G));
        T scale = C(_clip.LearningRate(Step) * Math.Min(_clip.Eps / s, 1.0));
        TensorPrimitives.MultiplyAdd(G, -scale, W, W);
    }

    /// <summary>Normalized GD as two plain loops.</summary>
    [Benchmark, BenchmarkCategory("Naive")]
    public void NormalizedNaive()
    {
        T[] w = W, g = G;
        double sum = 0;
        for (int i = 0; i < g.Length; i++)
        {
            double x = double.CreateTruncating(g[i]);
            sum += x * x;
        }

        T scale = C(_normalized.LearningRate(Step) / (_normalized.Eps + Math.Sqrt(sum)));
        for (int i = 0; i < w.Length; i++)
        {
            w[i] -= scale * g[i];
        }
    }

    /// <summary>Normalized GD from TensorPrimitives: Norm, then MultiplyAdd.</summary>
    [Benchmark, BenchmarkCategory("TensorPrimitives")]
    public void NormalizedTensorPrimitives()
    {
        double s = double.CreateTruncating(TensorPrimitives.Norm<T>(G));
        T scale = C(_normalized.LearningRate(Step) / (_normalized.Eps + s));
        TensorPrimitives.MultiplyAdd(G, -scale, W, W);
    }
}

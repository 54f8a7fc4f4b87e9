using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace DslOptim.Benchmarks;

/// <summary>Plain GD on L(W1, W2) = ½‖X W1 W2ᵀ − Y‖²_F (local-PL paper, eq. 22); η tiny so the weights stay put.</summary>
[Optimizer]
public partial struct TwoLayerBenchGd
{
    public double Eta { get; init; } = 1e-9;

    [Potential(PotentialKind.Elementwise)]
    public static double Phi(double z) => 0.5 * z * z;

    [Loss] public static double Squared(double r) => 0.5 * r * r;

    [Schedule] public double LearningRate(long t) => Eta;
}

/// <summary>
/// One two-layer GD step with its local-PL certificate, in double, against the least any such step must do:
/// <list type="bullet">
/// <item><see cref="StepWithCertificate"/>: the generated <c>Step(problem, w1, w2, workspace, t)</c> — residual and
/// G = Xᵀℓ′(XW − Y) from the products kept in the workspace, the certificate (extreme eigenvalues of W1W1ᵀ, W2W2ᵀ and
/// WWᵀ), then one read-modify-write pass over W1 and W2 computing ∇W1 = G W2, ∇W2 = Gᵀ W1 and the update, and the next
/// step's W1W2ᵀ, W1W1ᵀ, W2W2ᵀ in closed form — or, every 16th call (the workspace's refresh interval), as dot products
/// inside the pass; the measured mean includes those;</item>
/// <item><see cref="Floor"/> (the baseline): one read-modify-write pass over W1 and W2 (w ← c·w, TensorPrimitives, in
/// contiguous slices on the same number of threads) — the memory traffic of any step that updates every weight.</item>
/// </list>
/// Shapes (n, m, h) with s = n; W1 and W2 are 2·10·4096·8 B = 640 KiB (in L2), 10 MiB, and 2·64·16384·8 B = 16 MiB.
/// </summary>
[MedianColumn]
public class TwoLayerBenchmarks
{
    private const long T = 1;

    private readonly TwoLayerBenchGd _optimizer = new();

    private double[] _w1 = null!;
    private double[] _w2 = null!;
    private TwoLayerProblem<double> _problem = null!;
    private TwoLayerWorkspace<double> _workspace = null!;

    /// <summary>The shapes (n, m, h) benchmarked.</summary>
    public static IEnumerable<Shape> Shapes() => [new(10, 10, 4096), new(10, 10, 65536), new(64, 64, 16384)];

    [ParamsSource(nameof(Shapes))]
    public Shape Size { get; set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (n, m, h) = (Size.N, Size.M, Size.H);
        var random = new Random(42);
        double[] Fill(int count, double scale)
        {
            var values = new double[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = scale * (random.NextDouble() - 0.5);
            }
            return values;
        }

        var x = Fill(n * n, 1.0);
        var y = Fill(n * m, 1.0);
        _w1 = Fill(n * h, 1.0 / Math.Sqrt(h));
        _w2 = Fill(m * h, 1.0 / Math.Sqrt(h));
        _problem = new TwoLayerProblem<double>(x, n, n, y, m);
        _workspace = new TwoLayerWorkspace<double>(_problem, h, Threads);
        _optimizer.Step(_problem, _w1, _w2, _workspace, T); // the first step forms the products
    }

    /// <summary>The generated step with its certificate.</summary>
    [Benchmark]
    public double StepWithCertificate() => _optimizer.Step(_problem, _w1, _w2, _workspace, T).SigmaMinSquaredT;

    /// <summary>One read-modify-write pass over W1 and W2.</summary>
    [Benchmark(Baseline = true)]
    public double Floor()
    {
        const double c = 1.0 - 1e-15;
        if (Threads == 1)
        {
            TensorPrimitives.Multiply(_w1, c, _w1);
            TensorPrimitives.Multiply(_w2, c, _w2);
            return _w1[0];
        }

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i =>
        {
            Scale(_w1, i, Threads, c);
            Scale(_w2, i, Threads, c);
        });
        return _w1[0];
    }

    private static void Scale(double[] w, int part, int parts, double c)
    {
        var slice = (w.Length + parts - 1) / parts;
        var start = part * slice;
        var span = w.AsSpan(start, Math.Min(slice, w.Length - start));
        TensorPrimitives.Multiply(span, c, span);
    }

    /// <summary>A shape: n inputs, m outputs, h hidden.</summary>
    public sealed record Shape(int N, int M, int H)
    {
        public override string ToString() => $"{N}x{M}x{H}";
    }
}

using System;
using System.Collections.Generic;
using System.Numerics.Tensors;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using DslOptim.Kernels;

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
/// contiguous slices on the same number of threads) — the memory traffic of any step that updates every weight;</item>
/// <item><see cref="ComputeFloor"/>: the pass's update arithmetic without its memory traffic — see there.</item>
/// </list>
/// Shapes (n, m, h) with s = n; W1 and W2 are 2·10·4096·8 B = 640 KiB (more than the 512 KiB L2 of the development VM:
/// partly in L3), 10 MiB, and 2·64·16384·8 B = 16 MiB.
/// StepWithCertificate / ComputeFloor and ComputeFloor / Floor tell which bound binds: the update does 2·n·m
/// multiply-adds per column of h (∇W1 = ∇ℓ W2, ∇W2 = ∇ℓᵀ W1) against 2·(n + m) elements read and written.
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
    private double[] _stepMatrix = null!;
    private double[][] _blocks = null!;

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

        // The compute floor's data: E of the size and scale the step applies (η tiny), and per thread one packed
        // sub-block of W1 and W2 rows (n + m rows of the workspace's packed stride), pinned.
        _stepMatrix = Fill(n * m, 1e-9);
        _blocks = new double[Threads][];
        for (var t = 0; t < Threads; t++)
        {
            var block = GC.AllocateArray<double>((n + m) * _workspace.PackedStride, pinned: true);
            Fill(block.Length, 1.0 / Math.Sqrt(h)).CopyTo(block, 0);
            _blocks[t] = block;
        }
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

    /// <summary>
    /// The compute floor: exactly the multiply-adds of the step's update phase, through the same register-tiled kernel,
    /// on data that stays in cache. The step's items and sub-blocks are walked as the pass walks them (the workspace's
    /// item and sub-block widths, so the same column counts and the same mix of full and partial tiles); for each
    /// sub-block, W1 ← W1 + E W2 (n×m · m×cols) and W2 ← W2 + Eᵀ W1 (m×n · n×cols), 2·n·m·cols multiply-adds, are
    /// applied in place to ONE packed block per thread ((n + m) rows of the pass's packed stride: 11 KiB at
    /// n = m = 10, 24 KiB at 64) instead of to the next columns of the weights (in place, so W2's update reads the new W1:
    /// the same multiply-adds on other values; the values barely move, E being ~1e-9). Left out: the pass's copy of each
    /// sub-block into the packed buffer, the every-16th-step products over h, and the step's small-matrix work
    /// (residual, G, certificate). E (n·m doubles: 32 KiB at 64×64, so there E and the block share L1 and L2) is read
    /// from cache as in the step. Items are
    /// dealt to the threads round-robin (Parallel.For, as <see cref="Floor"/>).
    /// </summary>
    [Benchmark]
    public double ComputeFloor()
    {
        if (Threads == 1)
        {
            ComputePart(0, 1);
            return _blocks[0][0];
        }

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, part => ComputePart(part, Threads));
        return _blocks[0][0];
    }

    private unsafe void ComputePart(int part, int parts)
    {
        int n = Size.N, m = Size.M, h = Size.H;
        int itemWidth = _workspace.ItemWidth, sub = _workspace.SubWidth, ldp = _workspace.PackedStride;
        fixed (double* e = _stepMatrix)
        fixed (double* block = _blocks[part])
        {
            double* packed1 = block;
            double* packed2 = block + (n * ldp);
            for (int item = part; item < _workspace.Items; item += parts)
            {
                int width = Math.Min(h, (item + 1) * itemWidth) - (item * itemWidth);
                for (int j = 0; j < width; j += sub)
                {
                    int cols = Math.Min(sub, width - j);
                    Gemm.Product(e, m, 1, packed2, ldp, packed1, ldp, packed1, ldp, n, cols, m);
                    Gemm.Product(e, 1, m, packed1, ldp, packed2, ldp, packed2, ldp, m, cols, n);
                }
            }
        }
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

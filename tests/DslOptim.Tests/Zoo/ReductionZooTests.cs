using System;
using System.Linq;
using System.Numerics;
using DslOptim.Optimizers;
using Xunit;
using Sched = DslOptim.Schedules;

namespace DslOptim.Tests.Zoo;

/// <summary>
/// The zoo members with declared reductions — <see cref="ExponentiatedGradient"/> (notes, Appendix D, (91)) and
/// <see cref="SphereSgd"/> (§8.1.2, (72)) — and <see cref="AdamAtan2"/> (§4.1.2), against plain scalar loops written
/// from the notes' formulas (not from the generated code): every length 0…256 at offsets 0…15 in a canary-filled
/// buffer, and 1,000,003 at offset 7, five steps each, double and float; bad arguments throw before anything is
/// written; the reduction pass gives bitwise the same step on 1, 2 and 3 threads.
/// </summary>
[Collection(ParallelismCollection.Name)]
public sealed class ReductionZooTests
{
    private const double Canary = 12345.678;
    private const int Steps = 5;

    // ---------------------------------------------------------------- references, from the notes

    /// <summary>A sum accurate to about one rounding (Neumaier), so the reference's own error is negligible.</summary>
    private static double AccurateSum(int n, Func<int, double> term)
    {
        double sum = 0, compensation = 0;
        for (var i = 0; i < n; i++)
        {
            var x = term(i);
            var t = sum + x;
            compensation += Math.Abs(sum) >= Math.Abs(x) ? (sum - t) + x : (x - t) + sum;
            sum = t;
        }
        return sum + compensation;
    }

    /// <summary>(91): w_i ← w_i·e^{−η g_i} / Σ_j w_j·e^{−η g_j}, in double.</summary>
    private static void ExponentiatedGradientReference(double[] w, double[] g, double eta)
    {
        var z = AccurateSum(w.Length, j => w[j] * Math.Exp(-eta * g[j]));
        for (var i = 0; i < w.Length; i++)
        {
            w[i] = w[i] * Math.Exp(-eta * g[i]) / z;
        }
    }

    /// <summary>
    /// §8.1.2: p = g − (w·g/‖w‖²)·w, the gradient projected on the tangent space at w; u = w − η p; w ← r·u/‖u‖,
    /// the norm taken by a second pass over u (the generated step instead expands it into ‖w‖², w·g, ‖g‖²).
    /// </summary>
    private static void SphereReference(double[] w, double[] g, double eta, double radius)
    {
        var ww = AccurateSum(w.Length, i => w[i] * w[i]);
        if (!(ww > 0))
        {
            return;
        }
        var wg = AccurateSum(w.Length, i => w[i] * g[i]);
        var u = new double[w.Length];
        for (var i = 0; i < w.Length; i++)
        {
            var p = g[i] - wg / ww * w[i];
            u[i] = w[i] - eta * p;
        }
        var norm = Math.Sqrt(AccurateSum(u.Length, i => u[i] * u[i]));
        for (var i = 0; i < w.Length; i++)
        {
            w[i] = radius * u[i] / norm;
        }
    }

    /// <summary>§4.1.2: Adam's moments and bias corrections, w ← w − η·a·atan2(m̂, b·√v̂).</summary>
    private static void AdamAtan2Reference(double[] w, double[] g, double[] m, double[] v, AdamAtan2 o, long t)
    {
        var eta = o.Schedule?.At(t) ?? o.Lr;
        for (var i = 0; i < w.Length; i++)
        {
            m[i] = o.Beta1 * m[i] + (1 - o.Beta1) * g[i];
            v[i] = o.Beta2 * v[i] + (1 - o.Beta2) * g[i] * g[i];
            var mHat = m[i] / (1 - Math.Pow(o.Beta1, t));
            var vHat = v[i] / (1 - Math.Pow(o.Beta2, t));
            w[i] -= eta * o.A * Math.Atan2(mHat, o.B * Math.Sqrt(vHat));
        }
    }

    // ---------------------------------------------------------------- sweeps

    private delegate void Stateless<T>(Span<T> w, ReadOnlySpan<T> g, long t);

    private delegate void AtanStep<T>(Span<T> w, ReadOnlySpan<T> g, AdamAtan2.State<T> state, long t)
        where T : unmanaged, IFloatingPointIeee754<T>;

    private static (int Length, int Offset)[] Cases()
        => Enumerable.Range(0, 16).SelectMany(offset => Enumerable.Range(0, 257).Select(n => (n, offset))).Append((1_000_003, 7)).ToArray();

    /// <summary>
    /// |actual − expected| ≤ tolerance·max(|expected|, scale): relative, and relative to the vector's scale (its largest
    /// entry, or 1) for entries that cancel — a float step w − η·p rounds at the scale of w, not of the result.
    /// </summary>
    private static void AssertClose(double actual, double expected, double scale, double tolerance, string where)
    {
        if (!(Math.Abs(actual - expected) <= tolerance * Math.Max(Math.Abs(expected), scale)))
        {
            Assert.Fail($"{where}: {actual:R} against {expected:R}");
        }
    }

    private static void AssertCanaries<T>(T[] buffer, int offset, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            if (i < offset || i >= offset + length)
            {
                Assert.Equal(T.CreateTruncating(Canary), buffer[i]);
            }
        }
    }

    /// <summary>
    /// A stateless optimizer over every case: w starts from <paramref name="start"/>, five random gradients; the
    /// reference runs in double on the same (rounded) inputs.
    /// </summary>
    private static void SweepStateless<T>(Func<Random, int, double[]> start, Stateless<T> step, Action<double[], double[], long> reference, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (length, offset) in Cases())
        {
            var random = new Random(length * 31 + offset);
            var buffer = new T[length + offset + 5];
            Array.Fill(buffer, T.CreateTruncating(Canary));
            var w = buffer.AsSpan(offset, length);
            var initial = start(random, length);
            for (var i = 0; i < length; i++)
            {
                w[i] = T.CreateTruncating(initial[i]);
            }
            var expected = new double[length];
            for (var i = 0; i < length; i++)
            {
                expected[i] = double.CreateTruncating(w[i]);
            }
            var g = new T[length];
            var gd = new double[length];
            for (long t = 1; t <= Steps; t++)
            {
                for (var i = 0; i < length; i++)
                {
                    g[i] = T.CreateTruncating(2 * random.NextDouble() - 1);
                    gd[i] = double.CreateTruncating(g[i]);
                }
                step(w, g, t);
                reference(expected, gd, t);
            }
            var scale = expected.Length == 0 ? 0 : expected.Max(Math.Abs);
            for (var i = 0; i < length; i++)
            {
                AssertClose(double.CreateTruncating(w[i]), expected[i], scale, tolerance, $"{typeof(T).Name} w[{i}], length {length}, offset {offset}");
            }
            AssertCanaries(buffer, offset, length);
        }
    }

    /// <summary>A point of the simplex with full support: positive weights that sum to 1.</summary>
    private static double[] Simplex(Random random, int length)
    {
        var w = Enumerable.Range(0, length).Select(_ => 0.1 + random.NextDouble()).ToArray();
        var sum = w.Sum();
        return w.Select(x => x / sum).ToArray();
    }

    /// <summary>A point of the sphere of radius r.</summary>
    private static double[] Sphere(Random random, int length, double radius)
    {
        var w = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        var norm = Math.Sqrt(w.Sum(x => x * x));
        return norm == 0 ? w : w.Select(x => radius * x / norm).ToArray();
    }

    private static readonly ExponentiatedGradient[] Egs =
    {
        new(),
        new() { Lr = 2.0, Schedule = Sched.Cosine(2.0, 4, 0.5, warmupSteps: 1) },
    };

    private static readonly SphereSgd[] Spheres =
    {
        new(),
        new() { Lr = 0.5, Radius = 3.0, Schedule = Sched.Exponential(0.5, 0.7) },
    };

    private static readonly AdamAtan2[] Atan2s =
    {
        new(),
        new() { Lr = 0.01, Beta1 = 0.8, Beta2 = 0.95, A = 1.27, B = 2.0, Schedule = Sched.Cosine(0.01, 4, 1e-3, warmupSteps: 1) },
    };

    [Fact]
    public void ExponentiatedGradient_equals_the_notes_update_in_double_and_float()
    {
        foreach (var eg in Egs)
        {
            Action<double[], double[], long> reference = (w, g, t) => ExponentiatedGradientReference(w, g, eg.Schedule?.At(t) ?? eg.Lr);
            SweepStateless<double>(Simplex, (w, g, t) => eg.Step(w, g, t), reference, 1e-12);
            SweepStateless<float>(Simplex, (w, g, t) => eg.Step(w, g, t), reference, 5e-6);
        }
    }

    [Fact]
    public void SphereSgd_equals_project_step_retract_in_double_and_float()
    {
        foreach (var sphere in Spheres)
        {
            Action<double[], double[], long> reference = (w, g, t) => SphereReference(w, g, sphere.Schedule?.At(t) ?? sphere.Lr, sphere.Radius);
            SweepStateless<double>((r, n) => Sphere(r, n, sphere.Radius), (w, g, t) => sphere.Step(w, g, t), reference, 1e-11);
            SweepStateless<float>((r, n) => Sphere(r, n, sphere.Radius), (w, g, t) => sphere.Step(w, g, t), reference, 2e-5);
        }
    }

    [Fact]
    public void SphereSgd_keeps_w_on_the_sphere_off_it_too_and_leaves_zero_alone()
    {
        var sphere = new SphereSgd { Lr = 0.3, Radius = 2.0 };
        var random = new Random(5);
        var w = Enumerable.Range(0, 1000).Select(_ => 10 * (random.NextDouble() - 0.5)).ToArray();   // not on the sphere
        var g = Enumerable.Range(0, 1000).Select(_ => random.NextDouble() - 0.5).ToArray();
        sphere.Step(w, g, 1);
        Assert.Equal(2.0, Math.Sqrt(w.Sum(x => x * x)), 12);
        var zero = new double[17];
        sphere.Step(zero, g.AsSpan(0, 17), 1);
        Assert.All(zero, x => Assert.Equal(0.0, x));

        // A gradient parallel to w has no tangent component: w does not move.
        double[] v = [0.6, 0.8];
        sphere.Step(v, [3.0, 4.0], 1);
        Assert.Equal(0.6 * 2, v[0], 14);
        Assert.Equal(0.8 * 2, v[1], 14);
    }

    [Fact]
    public void ExponentiatedGradient_stays_in_the_simplex()
    {
        var eg = new ExponentiatedGradient { Lr = 0.7 };
        var random = new Random(9);
        var w = Simplex(random, 100_000);
        for (long t = 1; t <= 20; t++)
        {
            var g = Enumerable.Range(0, w.Length).Select(_ => 4 * random.NextDouble() - 2).ToArray();
            eg.Step(w, g, t);
        }
        Assert.All(w, x => Assert.True(x > 0));
        Assert.Equal(1.0, AccurateSum(w.Length, i => w[i]), 12);
    }

    [Fact]
    public void AdamAtan2_equals_the_notes_update_in_double_and_float()
    {
        foreach (var o in Atan2s)
        {
            foreach (var (length, offset) in Cases())
            {
                Run<double>(o, length, offset, 1e-12, (w, g, s, t) => o.Step(w, g, s, t));
                Run<float>(o, length, offset, 2e-5, (w, g, s, t) => o.Step(w, g, s, t));
            }
        }

        static void Run<T>(AdamAtan2 o, int length, int offset, double tolerance, AtanStep<T> step)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(length * 17 + offset);
            var buffer = new T[length + offset + 5];
            Array.Fill(buffer, T.CreateTruncating(Canary));
            var w = buffer.AsSpan(offset, length);
            for (var i = 0; i < length; i++)
            {
                w[i] = T.CreateTruncating(random.NextDouble() - 0.5);
            }
            var expected = new double[length];
            for (var i = 0; i < length; i++)
            {
                expected[i] = double.CreateTruncating(w[i]);
            }
            var m = new double[length];
            var v = new double[length];
            var state = o.CreateState<T>(length);
            var g = new T[length];
            var gd = new double[length];
            for (long t = 1; t <= Steps; t++)
            {
                // Alternating scales, and exact zeros (atan2(0, 0) = 0 at t = 1).
                var scale = t % 2 == 0 ? 0.05 : 1.0;
                for (var i = 0; i < length; i++)
                {
                    g[i] = i % 11 == 0 ? T.Zero : T.CreateTruncating(scale * (2 * random.NextDouble() - 1));
                    gd[i] = double.CreateTruncating(g[i]);
                }
                step(w, g, state, t);
                AdamAtan2Reference(expected, gd, m, v, o, t);
            }
            for (var i = 0; i < length; i++)
            {
                AssertClose(double.CreateTruncating(w[i]), expected[i], 1.0, tolerance, $"{typeof(T).Name} w[{i}], length {length}, offset {offset}");
                AssertClose(double.CreateTruncating(state.M[i]), m[i], 1.0, tolerance, $"{typeof(T).Name} m[{i}], length {length}, offset {offset}");
                AssertClose(double.CreateTruncating(state.V[i]), v[i], 1.0, tolerance, $"{typeof(T).Name} v[{i}], length {length}, offset {offset}");
            }
            AssertCanaries(buffer, offset, length);
        }
    }

    [Fact]
    public void Mismatched_lengths_and_wrong_states_throw_before_anything_is_written()
    {
        foreach (var length in new[] { 1, 8, 37, 40_000 })
        {
            var w = Enumerable.Range(0, length).Select(i => 1.0 / length + 1e-3 * (i % 3)).ToArray();
            var before = (double[])w.Clone();
            var g = Enumerable.Repeat(0.5, length).ToArray();
            var wf = w.Select(x => (float)x).ToArray();
            var beforeF = (float[])wf.Clone();
            var gf = g.Select(x => (float)x).ToArray();
            foreach (var wrong in new[] { length - 1, length + 1 })
            {
                var gWrong = new double[wrong];
                var gWrongF = new float[wrong];
                Assert.Throws<ArgumentException>(() => new ExponentiatedGradient().Step(w, gWrong, 1));
                Assert.Throws<ArgumentException>(() => new SphereSgd().Step(w, gWrong, 1));
                Assert.Throws<ArgumentException>(() => new ExponentiatedGradient().Step(wf, gWrongF, 1));
                Assert.Throws<ArgumentException>(() => new SphereSgd().Step(wf, gWrongF, 1));

                var adam = new AdamAtan2();
                var state = adam.CreateState<double>(wrong);
                state.M.Fill(0.25);
                state.V.Fill(0.25);
                Assert.Throws<ArgumentException>(() => adam.Step(w, g, state, 1));
                Assert.All(state.M.ToArray(), x => Assert.Equal(0.25, x));
                Assert.All(state.V.ToArray(), x => Assert.Equal(0.25, x));
            }
            Assert.Throws<ArgumentOutOfRangeException>(() => new SphereSgd().Step(w, g, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentiatedGradient().Step(w, g, 0));
            Assert.Throws<InvalidOperationException>(() => default(SphereSgd).Step(w, g, 1));
            Assert.Throws<InvalidOperationException>(() => default(ExponentiatedGradient).Step(w, g, 1));
            Assert.Throws<ArgumentNullException>(() => new AdamAtan2().Step(w, g, null!, 1));
            Assert.Equal(before, w);
            Assert.Equal(beforeF, wf);
        }
    }

    [Fact]
    public void The_reduction_pass_is_bitwise_the_same_on_one_two_and_three_threads()
    {
        // 2,000,003 elements: 123 chunks, so 2 and 3 threads really split them. The same buffers every time: the update
        // pass's scalar peel depends on the address of w, which must not be what differs between the runs.
        var random = new Random(3);
        var length = 2_000_003;
        var w0 = Simplex(random, length);
        var g = Enumerable.Range(0, length).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        var s0 = Sphere(random, length, 1.0);
        var gf = g.Select(x => (float)x).ToArray();
        var eg = new double[length];
        var sphere = new double[length];
        var egF = new float[length];
        var previous = Parallelism.MaxThreads;
        try
        {
            double[]? egOne = null, sphereOne = null;
            float[]? egOneF = null;
            foreach (var threads in new[] { 1, 2, 3 })
            {
                Parallelism.MaxThreads = threads;
                w0.CopyTo(eg, 0);
                s0.CopyTo(sphere, 0);
                for (var i = 0; i < length; i++)
                {
                    egF[i] = (float)w0[i];
                }
                for (long t = 1; t <= 3; t++)
                {
                    new ExponentiatedGradient { Lr = 0.5 }.Step(eg, g, t);
                    new SphereSgd { Lr = 0.5 }.Step(sphere, g, t);
                    new ExponentiatedGradient { Lr = 0.5 }.Step(egF, gf, t);
                }
                egOne ??= (double[])eg.Clone();
                sphereOne ??= (double[])sphere.Clone();
                egOneF ??= (float[])egF.Clone();
                Assert.True(egOne.AsSpan().SequenceEqual(eg), $"exponentiated gradient differs on {threads} threads");
                Assert.True(sphereOne.AsSpan().SequenceEqual(sphere), $"sphere SGD differs on {threads} threads");
                Assert.True(egOneF.AsSpan().SequenceEqual(egF), $"float exponentiated gradient differs on {threads} threads");
            }
        }
        finally
        {
            Parallelism.MaxThreads = previous == Environment.ProcessorCount ? 0 : previous;
        }
    }

    [Fact]
    public void The_pass_alone_is_bitwise_the_same_on_any_thread_count_and_at_any_address()
    {
        // The sums themselves, read back through a declaration whose update writes them: no peel is involved, so
        // copies at different offsets (different alignments) must agree bit for bit too.
        var random = new Random(4);
        var length = 1_500_001;
        var g = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        var previous = Parallelism.MaxThreads;
        try
        {
            double? first = null;
            foreach (var threads in new[] { 1, 2, 3 })
            {
                Parallelism.MaxThreads = threads;
                foreach (var offset in new[] { 0, 1, 3 })
                {
                    var w = new double[length + offset];
                    w.AsSpan(offset).Fill(-1);
                    new NormProbe().Step(w.AsSpan(offset), g, 1);   // w < 0: every entry becomes Σ t·η·(w + g)
                    first ??= w[offset];
                    Assert.Equal(BitConverter.DoubleToInt64Bits(first.Value), BitConverter.DoubleToInt64Bits(w[offset]));
                }
            }
        }
        finally
        {
            Parallelism.MaxThreads = previous == Environment.ProcessorCount ? 0 : previous;
        }
    }
}

/// <summary>
/// A step with a reduction pass allocates nothing on one thread (the pass keeps its partial sums on the stack); measured
/// over windows with no garbage collection, as in LinearModel/AllocationTests.
/// </summary>
[Collection(ParallelismCollection.Name)]
public sealed class ReductionAllocationTests
{
    [Fact]
    public void Steps_with_reductions_allocate_nothing_on_one_thread()
    {
        var length = 100_003;   // 7 chunks
        var random = new Random(1);
        var w = Enumerable.Range(0, length).Select(_ => 1.0 / length).ToArray();
        var s = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        var g = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        var wf = w.Select(x => (float)x).ToArray();
        var gf = g.Select(x => (float)x).ToArray();
        var eg = new ExponentiatedGradient { Lr = 1e-3 };
        var sphere = new SphereSgd { Lr = 1e-3 };
        var previous = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            // Warm-up past tiered compilation's promotion (30 calls), so no JIT work lands in a measured window.
            Assert.Equal(0, Allocation.OverCollectionFreeWindow(i => Run(i + 1), calls: 50, warmUp: 60));
        }
        finally
        {
            Parallelism.MaxThreads = previous == Environment.ProcessorCount ? 0 : previous;
        }

        void Run(long step)
        {
            eg.Step(w, g, step);
            sphere.Step(s, g, step);
            eg.Step(wf, gf, step);
        }
    }
}

/// <summary>
/// A long reduction pass runs its chunks on the persistent helpers and allocates nothing there or on the caller; the
/// helpers count their work and allocation per calling thread, so other test classes' calls do not blur the measurement.
/// </summary>
[Collection(ParallelismCollection.Name)]
public sealed class ReductionTwoThreadAllocationTests
{
    [Fact]
    public void Steps_with_reductions_allocate_nothing_on_two_threads()
    {
        var length = 300_007;   // 19 chunks, above the parallel threshold
        var random = new Random(2);
        var w = Enumerable.Range(0, length).Select(_ => 1.0 / length).ToArray();
        var g = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        var s = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        var eg = new ExponentiatedGradient { Lr = 1e-3 };
        var sphere = new SphereSgd { Lr = 1e-3 };
        var previous = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 2;
            var (caller, helpers, shared) = Allocation.OverCollectionFreeWindowsWithHelpers(i => Run(i + 1), calls: 30, warmUp: 60, untilShared: true);
            Assert.Equal(0, caller);
            Assert.Equal(0, helpers);
            Assert.True(shared, "no helper thread ran a chunk in a measured window: the pass was not parallel");
        }
        finally
        {
            Parallelism.MaxThreads = previous == Environment.ProcessorCount ? 0 : previous;
        }

        void Run(long step)
        {
            eg.Step(w, g, step);
            sphere.Step(s, g, step);
        }
    }
}

/// <summary>Tests that set or read <see cref="Parallelism.MaxThreads"/>, a process-wide value: they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ParallelismCollection
{
    public const string Name = "Parallelism.MaxThreads";
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DslOptim;
using DslOptim.Kernels;

// Paired interleaved rounds: old (4-row groups) vs new (8-row groups) k = 1 gradient, plus the floor (one streaming read of X).
int rounds = args.Length > 0 ? int.Parse(args[0]) : 31;
string only = args.Length > 1 ? args[1] : "";
var shapes = new[] { (2048, 8192), (512, 4096) };
if (only == "check")
{
    // Ragged n and d, 1 and 2 threads: the 8-row pass against the 4-row pass, bitwise (gradient, loss, norm).
    int cases = 0, diffs = 0;
    foreach (int n in Enumerable.Range(1, 20).Concat(new[] { 63, 64, 65, 67, 71, 131, 190, 1021, 1027 }))
    {
        foreach (int d in new[] { 1, 6, 7, 8, 15, 16, 17, 37, 300, 517 })
        {
            foreach (int threads in new[] { 1, 2 })
            {
                cases += 2;
                diffs += Case<double>.Same(n, d, threads) ? 0 : 1;
                diffs += Case<float>.Same(n, d, threads) ? 0 : 1;
            }
        }
    }
    Console.WriteLine($"bitwise check: {cases} cases, {diffs} differ");
    return;
}
Console.WriteLine($"rounds={rounds} Vector512={Vector512.IsHardwareAccelerated} Avx512F={System.Runtime.Intrinsics.X86.Avx512F.IsSupported} Vector256={Vector256.IsHardwareAccelerated} {DateTime.UtcNow:HH:mm:ss}");
Console.WriteLine("shape        T      thr  old_ms  new_ms  floor_ms  new/old(med)  [q25,q75]  old/floor new/floor  bitwise");
foreach (var (n, d) in shapes)
{
    foreach (int threads in new[] { 1, 2 })
    {
        if (only != "" && only != $"{n}x{d}") continue;
        Case<double>.Run(n, d, threads, rounds);
        Case<float>.Run(n, d, threads, rounds);
    }
}

struct Sq<T> : ILossOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Value(T r) => T.CreateTruncating(0.5) * r * r;
    public T Derivative(T r) => r;
}

sealed class Case<T> : IChunkJob where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _x = null!;
    private int _n, _d;
    private double[] _sums = null!;

    public static bool Same(int n, int d, int threads)
    {
        var random = new Random(n * 1000 + d);
        var x = new T[n * d];
        for (int i = 0; i < x.Length; i++) x[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        var y = new T[n];
        for (int i = 0; i < n; i++) y[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        var w = new T[d];
        for (int i = 0; i < d; i++) w[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        var problem = new LinearProblem<T>(x, n, d, y, 1);
        var ws = new LinearWorkspace<T>(problem, threads);
        var loss = default(Sq<T>);
        LinearModel.Rows8 = false;
        var a = LinearModel.Gradient(problem, w, ws, loss);
        var g0 = ws.Gradient.ToArray();
        LinearModel.Rows8 = true;
        var b = LinearModel.Gradient(problem, w, ws, loss);
        var g1 = ws.Gradient.ToArray();
        return a.Loss.Equals(b.Loss) && a.GradientSquaredNorm.Equals(b.GradientSquaredNorm)
            && MemoryMarshal.AsBytes(g0.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(g1.AsSpan()));
    }

    public static void Run(int n, int d, int threads, int rounds)
    {
        var c = new Case<T> { _n = n, _d = d };
        var random = new Random(42);
        var x = new T[(long)n * d];
        for (long i = 0; i < x.Length; i++) x[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        var y = new T[n];
        for (int i = 0; i < n; i++) y[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        var w = new T[d];
        for (int i = 0; i < d; i++) w[i] = T.CreateTruncating(0.01 * (random.NextDouble() - 0.5));
        c._x = x;
        c._sums = new double[LinearModel.ChunkCount(n)];
        var problem = new LinearProblem<T>(x, n, d, y, 1);
        var ws = new LinearWorkspace<T>(problem, threads);
        Parallelism.MaxThreads = threads;
        var sq = default(Sq<T>);

        // Bitwise check old vs new.
        LinearModel.Rows8 = false;
        var (l0, n0) = LinearModel.Gradient(problem, w, ws, sq);
        var g0 = ws.Gradient.ToArray();
        LinearModel.Rows8 = true;
        var (l1, n1) = LinearModel.Gradient(problem, w, ws, sq);
        var g1 = ws.Gradient.ToArray();
        bool same = l0 == l1 && n0 == n1 && MemoryMarshal.AsBytes(g0.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(g1.AsSpan()));

        int reps = 3;
        double Time(int which)
        {
            long t0 = Stopwatch.GetTimestamp();
            double sink = 0;
            for (int r = 0; r < reps; r++)
            {
                if (which == 2) { sink += c.Floor(threads); continue; }
                LinearModel.Rows8 = which == 1;
                sink += LinearModel.Gradient(problem, w, ws, sq).Loss;
            }
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / reps;
            if (double.IsNaN(sink)) Console.Write("");
            return ms;
        }

        for (int i = 0; i < 3; i++) { Time(0); Time(1); Time(2); }
        reps = Math.Max(3, (int)Math.Ceiling(40.0 / Time(0)));
        var oldMs = new List<double>(); var newMs = new List<double>(); var floorMs = new List<double>(); var ratio = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            double o, nw, f;
            if ((r & 1) == 0) { o = Time(0); nw = Time(1); f = Time(2); }
            else { f = Time(2); nw = Time(1); o = Time(0); }
            oldMs.Add(o); newMs.Add(nw); floorMs.Add(f); ratio.Add(nw / o);
        }
        LinearModel.Rows8 = true;
        static double Q(List<double> v, double q) { var s = v.OrderBy(t => t).ToArray(); return s[(int)Math.Round(q * (s.Length - 1))]; }
        var oldOverFloor = oldMs.Zip(floorMs, (a, b) => a / b).ToList();
        var newOverFloor = newMs.Zip(floorMs, (a, b) => a / b).ToList();
        Console.WriteLine($"{n}x{d}x1  {typeof(T).Name,-6} {threads}   {Q(oldMs, .5),6:F3}  {Q(newMs, .5),6:F3}  {Q(floorMs, .5),7:F3}   {Q(ratio, .5),6:F3}   [{Q(ratio, .25):F3},{Q(ratio, .75):F3}]   {Q(oldOverFloor, .5):F2}  {Q(newOverFloor, .5):F2}  {same}");
    }

    private double Floor(int threads)
    {
        ChunkWorkers.Run(this, _sums.Length, threads);
        double s = 0;
        foreach (var p in _sums) s += p;
        return s;
    }

    public void Run(int index)
    {
        int first = index * LinearModel.RowChunk;
        int rows = Math.Min(_n, first + LinearModel.RowChunk) - first;
        _sums[index] = Sum(_x.AsSpan(first * _d, rows * _d));
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Sum(ReadOnlySpan<T> values)
    {
        ref var start = ref MemoryMarshal.GetReference(values);
        if (!Vector512.IsHardwareAccelerated)
        {
            int w2 = Vector256<T>.Count, j = 0;
            Vector256<T> p = default, q = default, u = default, v = default;
            for (; j <= values.Length - (4 * w2); j += 4 * w2)
            {
                p += Vector256.LoadUnsafe(ref start, (nuint)j);
                q += Vector256.LoadUnsafe(ref start, (nuint)(j + w2));
                u += Vector256.LoadUnsafe(ref start, (nuint)(j + (2 * w2)));
                v += Vector256.LoadUnsafe(ref start, (nuint)(j + (3 * w2)));
            }
            T t2 = Vector256.Sum((p + q) + (u + v));
            for (; j < values.Length; j++) t2 += values[j];
            return double.CreateTruncating(t2);
        }
        int width = Vector512<T>.Count, i = 0;
        Vector512<T> a = default, b = default, c = default, e = default;
        for (; i <= values.Length - (4 * width); i += 4 * width)
        {
            a += Vector512.LoadUnsafe(ref start, (nuint)i);
            b += Vector512.LoadUnsafe(ref start, (nuint)(i + width));
            c += Vector512.LoadUnsafe(ref start, (nuint)(i + (2 * width)));
            e += Vector512.LoadUnsafe(ref start, (nuint)(i + (3 * width)));
        }
        T total = Vector512.Sum((a + b) + (c + e));
        for (; i < values.Length; i++) total += values[i];
        return double.CreateTruncating(total);
    }
}

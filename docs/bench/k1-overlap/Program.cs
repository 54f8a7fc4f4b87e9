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
int[] variants = args.Length > 2 ? args[2].Split(',').Select(int.Parse).ToArray() : new[] { 1, 0, 2 };
var shapes = new[] { (2048, 8192), (512, 4096) };
Console.WriteLine($"rounds={rounds} Vector512={Vector512.IsHardwareAccelerated} {DateTime.UtcNow:HH:mm:ss} variants={string.Join(",", variants)}");
Console.WriteLine("shape        T      thr  old_ms  floor_ms  old/floor | per variant: ms new/old(med) [q25,q75] new/floor bitwise");
foreach (var (n, d) in shapes)
{
    foreach (int threads in new[] { 1, 2 })
    {
        if (only != "" && only != "all" && only != $"{n}x{d}") continue;
        Case<double>.Run(n, d, threads, rounds, variants);
        Case<float>.Run(n, d, threads, rounds, variants);
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

    public static void Run(int n, int d, int threads, int rounds, int[] variants)
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

        LinearModel.Prefetch = -1;
        var (l0, n0) = LinearModel.Gradient(problem, w, ws, sq);
        var g0 = ws.Gradient.ToArray();
        var same = new bool[variants.Length];
        for (int v = 0; v < variants.Length; v++)
        {
            LinearModel.Prefetch = variants[v];
            var (l1, n1) = LinearModel.Gradient(problem, w, ws, sq);
            var g1 = ws.Gradient.ToArray();
            same[v] = l0 == l1 && n0 == n1 && MemoryMarshal.AsBytes(g0.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(g1.AsSpan()));
        }

        int reps = 3;
        double Time(int which)
        {
            long t0 = Stopwatch.GetTimestamp();
            double sink = 0;
            for (int r = 0; r < reps; r++)
            {
                if (which == -2) { sink += c.Floor(threads); continue; }
                LinearModel.Prefetch = which;
                sink += LinearModel.Gradient(problem, w, ws, sq).Loss;
            }
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / reps;
            if (double.IsNaN(sink)) Console.Write("");
            return ms;
        }

        var order = new List<int> { -1, -2 };
        order.AddRange(variants);
        for (int i = 0; i < 3; i++) foreach (var o in order) Time(o);
        reps = Math.Max(3, (int)Math.Ceiling(40.0 / Time(-1)));
        var ms = order.ToDictionary(o => o, o => new List<double>());
        for (int r = 0; r < rounds; r++)
        {
            var seq = (r & 1) == 0 ? order : Enumerable.Reverse(order).ToList();
            foreach (var o in seq) ms[o].Add(Time(o));
        }
        LinearModel.Prefetch = -1;
        static double Q(List<double> v, double q) { var s = v.OrderBy(t => t).ToArray(); return s[(int)Math.Round(q * (s.Length - 1))]; }
        var oldMs = ms[-1]; var floorMs = ms[-2];
        var line = $"{n}x{d}x1  {typeof(T).Name,-6} {threads}   {Q(oldMs, .5),6:F3}  {Q(floorMs, .5),7:F3}  {Q(oldMs.Zip(floorMs, (a, b) => a / b).ToList(), .5):F2} |";
        for (int v = 0; v < variants.Length; v++)
        {
            var nm = ms[variants[v]];
            var ratio = nm.Zip(oldMs, (a, b) => a / b).ToList();
            line += $" v{variants[v]}: {Q(nm, .5):F3} {Q(ratio, .5):F3} [{Q(ratio, .25):F3},{Q(ratio, .75):F3}] {Q(nm.Zip(floorMs, (a, b) => a / b).ToList(), .5):F2} {(same[v] ? "=" : "DIFF")} |";
        }
        Console.WriteLine(line);
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

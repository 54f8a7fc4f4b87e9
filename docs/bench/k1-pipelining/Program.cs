using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DslOptim;
using DslOptim.Kernels;

// Interleaved in-process comparison: floor (one read of X), the old k = 1 chunk (dots, then update, per 4-row group),
// the new pipelined chunk (LinearModel.ComputeChunk), and the full new Gradient; 1 and 2 threads.
unsafe static class Program
{
    struct Sq<T> : ILossOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Value(T r) => r * r / (T.One + T.One);
        public T Derivative(T r) => r;
    }

    sealed class Job<T> : IChunkJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int Mode; public LinearProblem<T> P; public LinearWorkspace<T> W; public T[][] Part; public T[][] S; public T[][] S8; public int Dist = 1024; public double[] Out;
        public void Run(int c)
        {
            if (Mode == 0) Out[c] = Floor(P, c);
            else if (Mode == 1) Out[c] = Old(P, W.Weights, Part[c], S[c], c);
            else if (Mode == 4) Out[c] = Variants.ChunkPf(P, W.Weights, Part[c], S8[c], c, Dist, true);
            else if (Mode == 6) Out[c] = Variants.ChunkPf(P, W.Weights, Part[c], S8[c], c, Dist, false);
            else if (Mode == 5) Out[c] = Variants.Chunk8(P, W.Weights, Part[c], S8[c], c);
            else { LinearModel.ComputeChunk(P, W, default(Sq<T>), c, c % W.Slots); }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static double Floor<T>(LinearProblem<T> p, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int first = c * 64, rows = Math.Min(p.N, first + 64) - first;
        fixed (T* x0 = p.XArray)
        {
            T* x = x0 + (nint)first * p.D; long len = (long)rows * p.D; long i = 0;
            int w = Vector256<T>.Count;
            Vector256<T> a = default, b = default, cc = default, d = default;
            for (; i <= len - 4 * w; i += 4 * w)
            {
                a += Vector256.Load(x + i); b += Vector256.Load(x + i + w); cc += Vector256.Load(x + i + 2 * w); d += Vector256.Load(x + i + 3 * w);
            }
            return double.CreateTruncating(Vector256.Sum((a + b) + (cc + d)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static double Old<T>(LinearProblem<T> problem, Span<T> weights, T[] partial, T[] sbuf, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = problem.N, d = problem.D; int first = c * 64, end = Math.Min(n, first + 64);
        Array.Clear(partial); T count = T.CreateTruncating(n); double lossSum = 0; var loss = default(Sq<T>);
        fixed (T* x = problem.XArray) fixed (T* y = problem.YArray) fixed (T* wt = weights) fixed (T* g = partial) fixed (T* s = sbuf)
        {
            int i = first;
            for (; i <= end - 4; i += 4)
            {
                T* xi = x + (nint)i * d; T* yi = y + i;
                RowKernels.Dot4x1<T, Vector256<T>, Simd256<T>>(xi, d, wt, d, s, 1);
                for (int e = 0; e < 4; e++) { T r = s[e] - yi[e]; lossSum += double.CreateTruncating(loss.Value(r)); s[e] = loss.Derivative(r) / count; }
                RowKernels.Update4x1<T, Vector256<T>, Simd256<T>>(xi, d, s, 1, g, d);
            }
        }
        return lossSum;
    }

    static void Main(string[] args)
    {
        Console.WriteLine($"Vector512 {Vector512.IsHardwareAccelerated} Vector256 {Vector256.IsHardwareAccelerated}");
        int rounds = args.Length > 0 ? int.Parse(args[0]) : 15;
        foreach (var (n, d) in new[] { (512, 4096), (2048, 8192) })
        {
            Bench<double>(n, d, rounds);
            Bench<float>(n, d, rounds);
        }
    }

    static void Bench<T>(int n, int d, int rounds) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rnd = new Random(1);
        var x = new T[(long)n * d]; for (long i = 0; i < x.Length; i++) x[i] = T.CreateTruncating(rnd.NextDouble() - 0.5);
        var y = new T[n]; for (int i = 0; i < n; i++) y[i] = T.CreateTruncating(rnd.NextDouble() - 0.5);
        var w = new T[d]; for (int i = 0; i < d; i++) w[i] = T.CreateTruncating(0.01 * (rnd.NextDouble() - 0.5));
        var p = new LinearProblem<T>(x, n, d, y, 1);
        int chunks = LinearModel.ChunkCount(n);
        var names = new[] { "floor", "old", "library", "gradient", "pipelined+prefetch", "rows8", "pipelined" };
        foreach (int threads in new[] { 1, 2 })
        {
            var ws = new LinearWorkspace<T>(p, threads);
            LinearModel.Gradient(p, w, ws, default(Sq<T>));
            var job = new Job<T> { P = p, W = ws, Out = new double[chunks], Part = Enumerable.Range(0, chunks).Select(_ => new T[d]).ToArray(), S = Enumerable.Range(0, chunks).Select(_ => new T[4]).ToArray(), S8 = Enumerable.Range(0, chunks).Select(_ => new T[8]).ToArray() };
            var samples = names.Select(_ => new List<double>()).ToArray();
            var pair = new List<double>(); var pf = new List<double>(); var r8 = new List<double>(); var pipe = new List<double>();
            var pairFloor = new List<double>();
            int total = Math.Max(40, (int)(rounds * 30_000_000L / ((long)n * d)));
            var t = new double[7];
            for (int round = -5; round < total; round++)
            {
                for (int q = 0; q < 7; q++)
                {
                    int m = (q + round + 14) % 7;
                    long t0 = Stopwatch.GetTimestamp();
                    if (m == 3) LinearModel.Gradient(p, w, ws, default(Sq<T>));
                    else { job.Mode = m; ChunkWorkers.Run(job, chunks, threads); }
                    long t1 = Stopwatch.GetTimestamp();
                    t[m] = (t1 - t0) * 1e6 / Stopwatch.Frequency;
                }
                if (round >= 0)
                {
                    for (int m = 0; m < 7; m++) samples[m].Add(t[m]);
                    pipe.Add(t[6] / t[1]);
                    pf.Add(t[4] / t[1]); r8.Add(t[5] / t[1]);
                    pair.Add(t[2] / t[1]);
                    pairFloor.Add(t[3] / t[0]);
                }
            }
            pair.Sort(); pairFloor.Sort(); pf.Sort(); r8.Sort(); pipe.Sort();
            Console.WriteLine($"   paired per round, medians: pipelined/old {pipe[pipe.Count / 2]:F3}  pipelined+prefetch/old {pf[pf.Count / 2]:F3}  rows8/old {r8[r8.Count / 2]:F3}  library/old {pair[pair.Count / 2]:F3} (quartiles {pair[pair.Count / 4]:F3}–{pair[3 * pair.Count / 4]:F3})  gradient/floor {pairFloor[pairFloor.Count / 2]:F3}  rounds {pair.Count}");
            var mins = samples.Select(s => s.Min()).ToArray();
            var meds = samples.Select(s => { var o = s.OrderBy(v => v).ToList(); return o[o.Count / 2]; }).ToArray();
            Console.WriteLine($"{n}x{d} {typeof(T).Name,-6} threads={threads}: " + string.Join("  ", names.Select((nm, i) => $"{nm} min {mins[i]:F0} med {meds[i]:F0} µs")));
            Console.WriteLine("   to floor (min / median): " + string.Join("  ", names.Skip(1).Select((nm, i) => $"{nm} {mins[i + 1] / mins[0]:F2} / {meds[i + 1] / meds[0]:F2}")));
        }
    }
}

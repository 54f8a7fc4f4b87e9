using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DslOptim;
using DslOptim.Kernels;

int rounds = args.Length > 0 ? int.Parse(args[0]) : 11;
Console.WriteLine($"rounds={rounds} {DateTime.UtcNow:HH:mm:ss}  variants: A = present, B = products for k = one vector, with Tile8x1, C = the same with Tile4x1 only");
foreach (var (n, d, k) in new[] { (512, 4096, 16), (2048, 8192, 16), (512, 4096, 8), (512, 4096, 4), (2048, 8192, 10) })
{
    foreach (int threads in new[] { 1, 2 })
    {
        Case<float>.Run(n, d, k, threads, rounds);
        Case<double>.Run(n, d, k, threads, rounds);
    }
}

struct Sq<T> : ILossOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Value(T r) => T.CreateTruncating(0.5) * r * r;
    public T Derivative(T r) => r;
}

static class Case<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Run(int n, int d, int k, int threads, int rounds)
    {
        var random = new Random(42);
        var x = new T[(long)n * d];
        for (long i = 0; i < x.Length; i++) x[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        var y = new T[n * k];
        for (int i = 0; i < y.Length; i++) y[i] = T.CreateTruncating(random.NextDouble() - 0.5);
        var w = new T[d * k];
        for (int i = 0; i < w.Length; i++) w[i] = T.CreateTruncating(0.01 * (random.NextDouble() - 0.5));
        var problem = new LinearProblem<T>(x, n, d, y, k);
        Parallelism.MaxThreads = threads;
        LinearModel.OneVector = false;
        var wsOld = new LinearWorkspace<T>(problem, threads);
        LinearModel.OneVector = true;
        var wsNew = new LinearWorkspace<T>(problem, threads);
        LinearModel.OneVector = false;
        var sq = default(Sq<T>);
        var r = new T[n * k];
        var g = new T[d * k];

        int reps = 3;
        (double, double) Time(int which)
        {
            var ws = which == 0 ? wsOld : wsNew;
            Gemm.UseTile8 = which != 2;
            LinearModel.OneVector = which != 0;
            long t0 = Stopwatch.GetTimestamp();
            double sink = 0;
            for (int i = 0; i < reps; i++) sink += LinearModel.Gradient(problem, w, ws, sq).Loss;
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / reps;
            long t1 = Stopwatch.GetTimestamp();
            for (int i = 0; i < reps; i++)
            {
                LinearModel.Multiply<T>(x, n, d, w, k, r, threads);
                LinearModel.MultiplyTransposed<T>(x, n, d, r, k, g, threads);
            }
            double ms2 = Stopwatch.GetElapsedTime(t1).TotalMilliseconds / reps;
            Gemm.UseTile8 = true;
            LinearModel.OneVector = false;
            if (double.IsNaN(sink)) Console.Write("");
            return (ms, ms2);
        }
        for (int i = 0; i < 2; i++) { Time(0); Time(1); Time(2); }
        reps = Math.Max(2, (int)Math.Ceiling(30.0 / Time(0).Item1));
        var f = new List<double>[3] { new(), new(), new() };
        var p = new List<double>[3] { new(), new(), new() };
        for (int round = 0; round < rounds; round++)
        {
            var order = (round & 1) == 0 ? new[] { 0, 1, 2 } : new[] { 2, 1, 0 };
            foreach (var v in order)
            {
                var (fm, pm) = Time(v);
                f[v].Add(fm);
                p[v].Add(pm);
            }
        }
        static double Med(IEnumerable<double> v) { var s = v.OrderBy(t => t).ToArray(); return s[s.Length / 2]; }
        string R(List<double> a, List<double> b) => Med(a.Zip(b, (u, v) => u / v)).ToString("F3");
        Console.WriteLine($"({n},{d},{k}) {typeof(T).Name,-6} t={threads} fused ms A {Med(f[0]):F3} B {Med(f[1]):F3} C {Med(f[2]):F3}  B/A {R(f[1], f[0])} C/A {R(f[2], f[0])} | products ms A {Med(p[0]):F3} B {Med(p[1]):F3} C {Med(p[2]):F3} B/A {R(p[1], p[0])} C/A {R(p[2], p[0])}");
    }
}

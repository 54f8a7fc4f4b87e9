using System;
using System.Linq;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

unsafe
{
    int n = 2048, d = args.Length > 1 ? int.Parse(args[1]) : 8192;
    int rounds = args.Length > 0 ? int.Parse(args[0]) : 11;
    long len = (long)n * d;
    float* x = (float*)NativeMemory.AlignedAlloc((nuint)(len * 4), 4096);
    float* w = (float*)NativeMemory.AlignedAlloc((nuint)(d * 4 + 4096), 4096) + 16 * 7;
    float* g = (float*)NativeMemory.AlignedAlloc((nuint)(d * 4 + 4096), 4096) + 16 * 13;
    var rnd = new Random(1);
    for (long i = 0; i < len; i++) x[i] = (float)(rnd.NextDouble() - 0.5);
    for (int i = 0; i < d; i++) { w[i] = 0.01f; g[i] = 0; }
    string[] names = { "S1 sum contiguous", "S4 sum 4 rows interleaved", "D4 dot 4 rows (Dot4x1)", "D1 dot row by row, 4 acc", "G2 group of 4 rows summed twice (contig)", "D4x2 Dot4x1 twice", "D4U Dot4x1 + Update4x1", "R1x2 each row summed twice (contig)", "D1U row dot(4acc) + axpy per row", "G2P0 twice, 2nd prefetches next group T0", "G2P2 twice, 2nd prefetches next group T2", "G2H0 twice, 2nd prefetches half next T0", "G2Q0 twice, 2nd prefetches quarter next T0", "S8 sum 8 rows interleaved", "S16 sum 16 rows interleaved", "L2 sum of one 256 KiB block, as often as X has bytes", "L1 sum of one 16 KiB block, as often as X has bytes" };
    var ms = names.Select(_ => new List<double>()).ToArray();
    double sink = 0;
    for (int r = -2; r < rounds; r++)
    {
        for (int m = 0; m < names.Length; m++)
        {
            int mode = (r & 1) == 0 ? m : names.Length - 1 - m;
            long t0 = Stopwatch.GetTimestamp();
            for (int rep = 0; rep < 5; rep++) sink += Run(mode, x, w, g, n, d);
            double t = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / 5;
            if (r >= 0) ms[mode].Add(t);
        }
    }
    var floor = ms[0];
    for (int m = 0; m < names.Length; m++)
    {
        var ratio = ms[m].Zip(floor, (a, b) => a / b).OrderBy(v => v).ToArray();
        var sorted = ms[m].OrderBy(v => v).ToArray();
        Console.WriteLine($"{names[m],-45} {sorted[sorted.Length / 2],7:F3} ms  /floor {ratio[ratio.Length / 2]:F3} [{ratio[ratio.Length / 4]:F3},{ratio[3 * ratio.Length / 4]:F3}]");
    }
    if (sink == 12345) Console.WriteLine();
}

static unsafe double Run(int mode, float* x, float* w, float* g, int n, int d)
{
    float total = 0;
    switch (mode)
    {
        case 0: return K.Sum(x, (long)n * d);
        case 1: for (int i = 0; i < n; i += 4) total += K.Sum4(x + (long)i * d, d); return total;
        case 2: for (int i = 0; i < n; i += 4) total += K.Dot4(x + (long)i * d, w, d); return total;
        case 3: for (int i = 0; i < n; i++) total += K.Dot1(x + (long)i * d, w, d); return total;
        case 4: for (int i = 0; i < n; i += 4) { total += K.Sum(x + (long)i * d, 4L * d); total += K.Sum(x + (long)i * d, 4L * d); } return total;
        case 5: for (int i = 0; i < n; i += 4) { total += K.Dot4(x + (long)i * d, w, d); total += K.Dot4(x + (long)i * d, w, d); } return total;
        case 6: for (int i = 0; i < n; i += 4) { float s = K.Dot4(x + (long)i * d, w, d); K.Update4(x + (long)i * d, s * 1e-6f, g, d); total += s; } return total;
        case 7: for (int i = 0; i < n; i++) { total += K.Sum(x + (long)i * d, d); total += K.Sum(x + (long)i * d, d); } return total;
        case 8: for (int i = 0; i < n; i++) { float s = K.Dot1(x + (long)i * d, w, d); K.Axpy(x + (long)i * d, s * 1e-6f, g, d); total += s; } return total;
        case 15: { long block = 65536; for (long i = 0; i < (long)n * d; i += block) total += K.Sum(x, block); return total; }
        case 16: { long block = 4096; for (long i = 0; i < (long)n * d; i += block) total += K.Sum(x, block); return total; }
        case 13: for (int i = 0; i < n; i += 8) { total += K.SumRows(x + (long)i * d, d, 8); } return total;
        case 14: for (int i = 0; i < n; i += 16) { total += K.SumRows(x + (long)i * d, d, 16); } return total;
        case 9: case 10: case 11: case 12:
            for (int i = 0; i < n; i += 4)
            {
                total += K.Sum(x + (long)i * d, 4L * d);
                float* nx = x + (long)Math.Min(i + 4, n - 4) * d;
                total += K.SumPrefetch(x + (long)i * d, 4L * d, nx, mode == 10, mode == 11 ? 2 : mode == 12 ? 4 : 1);
            }
            return total;
    }
    return 0;
}

static unsafe class K
{
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Sum(float* p, long len)
    {
        Vector512<float> a = default, b = default, c = default, e = default;
        for (long i = 0; i < len; i += 64)
        {
            a += Vector512.Load(p + i); b += Vector512.Load(p + i + 16); c += Vector512.Load(p + i + 32); e += Vector512.Load(p + i + 48);
        }
        return Vector512.Sum((a + b) + (c + e));
    }
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float SumPrefetch(float* p, long len, float* next, bool t2, int every)
    {
        Vector512<float> a = default, b = default, c = default, e = default;
        long j = 0;
        for (long i = 0; i < len; i += 64, j++)
        {
            if (j % every == 0)
            {
                float* q = next + (i / every);
                if (t2) { System.Runtime.Intrinsics.X86.Sse.Prefetch2(q); System.Runtime.Intrinsics.X86.Sse.Prefetch2(q + 16); System.Runtime.Intrinsics.X86.Sse.Prefetch2(q + 32); System.Runtime.Intrinsics.X86.Sse.Prefetch2(q + 48); }
                else { System.Runtime.Intrinsics.X86.Sse.Prefetch0(q); System.Runtime.Intrinsics.X86.Sse.Prefetch0(q + 16); System.Runtime.Intrinsics.X86.Sse.Prefetch0(q + 32); System.Runtime.Intrinsics.X86.Sse.Prefetch0(q + 48); }
            }
            a += Vector512.Load(p + i); b += Vector512.Load(p + i + 16); c += Vector512.Load(p + i + 32); e += Vector512.Load(p + i + 48);
        }
        return Vector512.Sum((a + b) + (c + e));
    }
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float SumRows(float* x, int d, int rows)
    {
        Vector512<float> a = default, b = default;
        for (int i = 0; i < d; i += 16)
        {
            for (int r = 0; r < rows; r += 2)
            {
                a += Vector512.Load(x + (long)r * d + i);
                b += Vector512.Load(x + (long)(r + 1) * d + i);
            }
        }
        return Vector512.Sum(a + b);
    }
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Sum4(float* x, int d)
    {
        float* x1 = x + d, x2 = x + 2 * d, x3 = x + 3 * d;
        Vector512<float> a = default, b = default, c = default, e = default;
        for (int i = 0; i < d; i += 32)
        {
            a += Vector512.Load(x + i) + Vector512.Load(x + i + 16); b += Vector512.Load(x1 + i) + Vector512.Load(x1 + i + 16);
            c += Vector512.Load(x2 + i) + Vector512.Load(x2 + i + 16); e += Vector512.Load(x3 + i) + Vector512.Load(x3 + i + 16);
        }
        return Vector512.Sum((a + b) + (c + e));
    }
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Dot4(float* x, float* w, int d)
    {
        float* x1 = x + d, x2 = x + 2 * d, x3 = x + 3 * d;
        Vector512<float> e0 = default, e1 = default, e2 = default, e3 = default, o0 = default, o1 = default, o2 = default, o3 = default;
        for (int i = 0; i < d; i += 32)
        {
            var va = Vector512.Load(w + i); var vb = Vector512.Load(w + i + 16);
            e0 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), va, e0); o0 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i + 16), vb, o0);
            e1 = Vector512.FusedMultiplyAdd(Vector512.Load(x1 + i), va, e1); o1 = Vector512.FusedMultiplyAdd(Vector512.Load(x1 + i + 16), vb, o1);
            e2 = Vector512.FusedMultiplyAdd(Vector512.Load(x2 + i), va, e2); o2 = Vector512.FusedMultiplyAdd(Vector512.Load(x2 + i + 16), vb, o2);
            e3 = Vector512.FusedMultiplyAdd(Vector512.Load(x3 + i), va, e3); o3 = Vector512.FusedMultiplyAdd(Vector512.Load(x3 + i + 16), vb, o3);
        }
        return Vector512.Sum(e0 + o0) + Vector512.Sum(e1 + o1) + Vector512.Sum(e2 + o2) + Vector512.Sum(e3 + o3);
    }
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Dot1(float* x, float* w, int d)
    {
        Vector512<float> a = default, b = default, c = default, e = default;
        for (int i = 0; i < d; i += 64)
        {
            a = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), Vector512.Load(w + i), a);
            b = Vector512.FusedMultiplyAdd(Vector512.Load(x + i + 16), Vector512.Load(w + i + 16), b);
            c = Vector512.FusedMultiplyAdd(Vector512.Load(x + i + 32), Vector512.Load(w + i + 32), c);
            e = Vector512.FusedMultiplyAdd(Vector512.Load(x + i + 48), Vector512.Load(w + i + 48), e);
        }
        return Vector512.Sum((a + b) + (c + e));
    }
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Update4(float* x, float s, float* g, int d)
    {
        float* x1 = x + d, x2 = x + 2 * d, x3 = x + 3 * d;
        var c0 = Vector512.Create(s); var c1 = Vector512.Create(-s); var c2 = Vector512.Create(s * 0.5f); var c3 = Vector512.Create(s * 0.25f);
        for (int i = 0; i < d; i += 32)
        {
            var a = Vector512.Load(g + i); var b = Vector512.Load(g + i + 16);
            a = Vector512.FusedMultiplyAdd(c0, Vector512.Load(x + i), a); b = Vector512.FusedMultiplyAdd(c0, Vector512.Load(x + i + 16), b);
            a = Vector512.FusedMultiplyAdd(c1, Vector512.Load(x1 + i), a); b = Vector512.FusedMultiplyAdd(c1, Vector512.Load(x1 + i + 16), b);
            a = Vector512.FusedMultiplyAdd(c2, Vector512.Load(x2 + i), a); b = Vector512.FusedMultiplyAdd(c2, Vector512.Load(x2 + i + 16), b);
            a = Vector512.FusedMultiplyAdd(c3, Vector512.Load(x3 + i), a); b = Vector512.FusedMultiplyAdd(c3, Vector512.Load(x3 + i + 16), b);
            a.Store(g + i); b.Store(g + i + 16);
        }
    }
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(float* x, float s, float* g, int d)
    {
        var c = Vector512.Create(s);
        for (int i = 0; i < d; i += 32)
        {
            Vector512.FusedMultiplyAdd(c, Vector512.Load(x + i), Vector512.Load(g + i)).Store(g + i);
            Vector512.FusedMultiplyAdd(c, Vector512.Load(x + i + 16), Vector512.Load(g + i + 16)).Store(g + i + 16);
        }
    }
}

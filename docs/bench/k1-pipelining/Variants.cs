using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DslOptim;
using DslOptim.Kernels;

unsafe static class Variants
{
    // Pipelined with software prefetch of the next rows, Dist bytes ahead.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void DotUpdatePf<T>(T* next, T* prev, nint ldx, T* a, T* s, T* g, int d, T* r, int dist, bool prefetch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* n0 = next, n1 = next + ldx, n2 = next + (2 * ldx), n3 = next + (3 * ldx);
        T* p0 = prev, p1 = prev + ldx, p2 = prev + (2 * ldx), p3 = prev + (3 * ldx);
        Vector256<T> c0 = Vector256.Create(s[0]), c1 = Vector256.Create(s[1]), c2 = Vector256.Create(s[2]), c3 = Vector256.Create(s[3]);
        Vector256<T> e0 = default, e1 = default, e2 = default, e3 = default, o0 = default, o1 = default, o2 = default, o3 = default;
        int count = Vector256<T>.Count;
        int p = 0;
        for (; p <= d - (2 * count); p += 2 * count)
        {
            if (prefetch)
            {
                Sse.Prefetch0((byte*)(n0 + p) + dist);
                Sse.Prefetch0((byte*)(n1 + p) + dist);
                Sse.Prefetch0((byte*)(n2 + p) + dist);
                Sse.Prefetch0((byte*)(n3 + p) + dist);
            }
            var va = Vector256.Load(a + p); var vb = Vector256.Load(a + p + count);
            e0 = Simd256<T>.MultiplyAdd(Vector256.Load(n0 + p), va, e0); o0 = Simd256<T>.MultiplyAdd(Vector256.Load(n0 + p + count), vb, o0);
            e1 = Simd256<T>.MultiplyAdd(Vector256.Load(n1 + p), va, e1); o1 = Simd256<T>.MultiplyAdd(Vector256.Load(n1 + p + count), vb, o1);
            e2 = Simd256<T>.MultiplyAdd(Vector256.Load(n2 + p), va, e2); o2 = Simd256<T>.MultiplyAdd(Vector256.Load(n2 + p + count), vb, o2);
            e3 = Simd256<T>.MultiplyAdd(Vector256.Load(n3 + p), va, e3); o3 = Simd256<T>.MultiplyAdd(Vector256.Load(n3 + p + count), vb, o3);
            var ga = Vector256.Load(g + p); var gb = Vector256.Load(g + p + count);
            ga = Simd256<T>.MultiplyAdd(c0, Vector256.Load(p0 + p), ga); gb = Simd256<T>.MultiplyAdd(c0, Vector256.Load(p0 + p + count), gb);
            ga = Simd256<T>.MultiplyAdd(c1, Vector256.Load(p1 + p), ga); gb = Simd256<T>.MultiplyAdd(c1, Vector256.Load(p1 + p + count), gb);
            ga = Simd256<T>.MultiplyAdd(c2, Vector256.Load(p2 + p), ga); gb = Simd256<T>.MultiplyAdd(c2, Vector256.Load(p2 + p + count), gb);
            ga = Simd256<T>.MultiplyAdd(c3, Vector256.Load(p3 + p), ga); gb = Simd256<T>.MultiplyAdd(c3, Vector256.Load(p3 + p + count), gb);
            Vector256.Store(ga, g + p); Vector256.Store(gb, g + p + count);
        }
        r[0] = Simd256<T>.Sum(e0 + o0); r[1] = Simd256<T>.Sum(e1 + o1); r[2] = Simd256<T>.Sum(e2 + o2); r[3] = Simd256<T>.Sum(e3 + o3);
    }

    // 8-row dots, one accumulator per row.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Dot8<T>(T* x, nint ldx, T* a, int d, T* r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        int count = Vector256<T>.Count;
        for (int p = 0; p <= d - count; p += count)
        {
            var w = Vector256.Load(a + p);
            a0 = Simd256<T>.MultiplyAdd(Vector256.Load(x + p), w, a0);
            a1 = Simd256<T>.MultiplyAdd(Vector256.Load(x + ldx + p), w, a1);
            a2 = Simd256<T>.MultiplyAdd(Vector256.Load(x + 2 * ldx + p), w, a2);
            a3 = Simd256<T>.MultiplyAdd(Vector256.Load(x + 3 * ldx + p), w, a3);
            a4 = Simd256<T>.MultiplyAdd(Vector256.Load(x + 4 * ldx + p), w, a4);
            a5 = Simd256<T>.MultiplyAdd(Vector256.Load(x + 5 * ldx + p), w, a5);
            a6 = Simd256<T>.MultiplyAdd(Vector256.Load(x + 6 * ldx + p), w, a6);
            a7 = Simd256<T>.MultiplyAdd(Vector256.Load(x + 7 * ldx + p), w, a7);
        }
        r[0] = Simd256<T>.Sum(a0); r[1] = Simd256<T>.Sum(a1); r[2] = Simd256<T>.Sum(a2); r[3] = Simd256<T>.Sum(a3);
        r[4] = Simd256<T>.Sum(a4); r[5] = Simd256<T>.Sum(a5); r[6] = Simd256<T>.Sum(a6); r[7] = Simd256<T>.Sum(a7);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Update8<T>(T* x, nint ldx, T* s, T* g, int d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c0 = Vector256.Create(s[0]); var c1 = Vector256.Create(s[1]); var c2 = Vector256.Create(s[2]); var c3 = Vector256.Create(s[3]);
        var c4 = Vector256.Create(s[4]); var c5 = Vector256.Create(s[5]); var c6 = Vector256.Create(s[6]); var c7 = Vector256.Create(s[7]);
        int count = Vector256<T>.Count;
        for (int p = 0; p <= d - count; p += count)
        {
            var v = Vector256.Load(g + p);
            v = Simd256<T>.MultiplyAdd(c0, Vector256.Load(x + p), v);
            v = Simd256<T>.MultiplyAdd(c1, Vector256.Load(x + ldx + p), v);
            v = Simd256<T>.MultiplyAdd(c2, Vector256.Load(x + 2 * ldx + p), v);
            v = Simd256<T>.MultiplyAdd(c3, Vector256.Load(x + 3 * ldx + p), v);
            v = Simd256<T>.MultiplyAdd(c4, Vector256.Load(x + 4 * ldx + p), v);
            v = Simd256<T>.MultiplyAdd(c5, Vector256.Load(x + 5 * ldx + p), v);
            v = Simd256<T>.MultiplyAdd(c6, Vector256.Load(x + 6 * ldx + p), v);
            v = Simd256<T>.MultiplyAdd(c7, Vector256.Load(x + 7 * ldx + p), v);
            Vector256.Store(v, g + p);
        }
    }

    // Chunk: pipelined with prefetch (dist bytes), rows multiple of 4 assumed (64-row chunks).
    public static double ChunkPf<T>(LinearProblem<T> problem, Span<T> weights, T[] partial, T[] sbuf, int c, int dist, bool prefetch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = problem.N, d = problem.D; int first = c * 64, end = Math.Min(n, first + 64);
        Array.Clear(partial); T count = T.CreateTruncating(n); double loss = 0;
        fixed (T* x = problem.XArray) fixed (T* y = problem.YArray) fixed (T* w = weights) fixed (T* g = partial) fixed (T* s = sbuf)
        {
            int i = first;
            RowKernels.Dot4x1<T, Vector256<T>, Simd256<T>>(x + (nint)i * d, d, w, d, s, 1);
            loss = Derive(s, y + i, count, 4, loss);
            for (; i + 8 <= end; i += 4)
            {
                T* cur = x + (nint)i * d;
                DotUpdatePf(cur + 4 * (nint)d, cur, d, w, s, g, d, s, dist, prefetch);
                loss = Derive(s, y + i + 4, count, 4, loss);
            }
            RowKernels.Update4x1<T, Vector256<T>, Simd256<T>>(x + (nint)i * d, d, s, 1, g, d);
        }
        return loss;
    }

    public static double Chunk8<T>(LinearProblem<T> problem, Span<T> weights, T[] partial, T[] sbuf, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = problem.N, d = problem.D; int first = c * 64, end = Math.Min(n, first + 64);
        Array.Clear(partial); T count = T.CreateTruncating(n); double loss = 0;
        fixed (T* x = problem.XArray) fixed (T* y = problem.YArray) fixed (T* w = weights) fixed (T* g = partial) fixed (T* s = sbuf)
        {
            for (int i = first; i + 8 <= end; i += 8)
            {
                T* xi = x + (nint)i * d;
                Dot8(xi, d, w, d, s);
                loss = Derive(s, y + i, count, 8, loss);
                Update8(xi, d, s, g, d);
            }
        }
        return loss;
    }

    static double Derive<T>(T* r, T* y, T count, int m, double sum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int e = 0; e < m; e++) { T res = r[e] - y[e]; sum += double.CreateTruncating(res * res); r[e] = res / count; }
        return sum;
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;

namespace DslOptim.Kernels;

/// <summary>
/// Register-tiled kernels over rows of length <c>d</c>: dot products of up to four rows with up to two vectors
/// (the forward pass r = x_iᵀW and GEMV), and rank-1 to rank-4 updates g += Σ_r s_r·x_r (the backward pass
/// G += x_i s_iᵀ and the transposed GEMV). Vector part at the width of the kernel's vector type, then a scalar tail.
/// </summary>
/// <remarks>
/// <para>Dots: the 4×2 tile keeps one accumulator per (row, vector) pair — eight independent multiply-add chains, enough
/// to cover the latency on two FMA ports; the 4×1 and 1×1 tiles keep two accumulators per row (even and odd vectors)
/// for the same reason. A row's result is the fixed-order lane sum of its accumulators followed by the tail elements
/// in index order. The 4×1 and 1×1 tiles compute a row identically, so a row's dot product does not depend on the
/// group it is computed in.</para>
/// <para>Each kernel is its own method (not inlined: a caller holding several would exceed the register allocator's
/// budget and spill the accumulators, measured 2.3× slower) and is compiled fully optimized on first call
/// (AggressiveOptimization), so that the first calls of an optimization run are as fast as the later ones.</para>
/// <para>Updates: element p of g receives its terms in row order, g ← fma(s_0, x_0p, g), then s_1, s_2, s_3, in vector
/// lanes and in the tail alike, so a rank-4 update equals four rank-1 updates bit for bit.</para>
/// </remarks>
internal static unsafe class RowKernels
{
    /// <summary>
    /// r[q·ldr + 0] = x_q · a and r[q·ldr + 1] = x_q · b for the four rows x_q = x + q·ldx, q = 0..3.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Dot4x2<T, TV, TS>(T* x, nint ldx, T* a, T* b, int d, T* r, nint ldr)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        T* x0 = x, x1 = x + ldx, x2 = x + (2 * ldx), x3 = x + (3 * ldx);
        TV a0 = TS.Zero, a1 = TS.Zero, a2 = TS.Zero, a3 = TS.Zero;
        TV b0 = TS.Zero, b1 = TS.Zero, b2 = TS.Zero, b3 = TS.Zero;
        int count = TS.Count;
        int p = 0;
        for (; p <= d - count; p += count)
        {
            TV va = TS.Load(a + p);
            TV vb = TS.Load(b + p);
            TV v0 = TS.Load(x0 + p);
            TV v1 = TS.Load(x1 + p);
            TV v2 = TS.Load(x2 + p);
            TV v3 = TS.Load(x3 + p);
            a0 = TS.MultiplyAdd(v0, va, a0);
            b0 = TS.MultiplyAdd(v0, vb, b0);
            a1 = TS.MultiplyAdd(v1, va, a1);
            b1 = TS.MultiplyAdd(v1, vb, b1);
            a2 = TS.MultiplyAdd(v2, va, a2);
            b2 = TS.MultiplyAdd(v2, vb, b2);
            a3 = TS.MultiplyAdd(v3, va, a3);
            b3 = TS.MultiplyAdd(v3, vb, b3);
        }

        T sa0 = TS.Sum(a0), sa1 = TS.Sum(a1), sa2 = TS.Sum(a2), sa3 = TS.Sum(a3);
        T sb0 = TS.Sum(b0), sb1 = TS.Sum(b1), sb2 = TS.Sum(b2), sb3 = TS.Sum(b3);
        for (; p < d; p++)
        {
            T ap = a[p], bp = b[p];
            sa0 = Simd.MultiplyAdd(x0[p], ap, sa0);
            sb0 = Simd.MultiplyAdd(x0[p], bp, sb0);
            sa1 = Simd.MultiplyAdd(x1[p], ap, sa1);
            sb1 = Simd.MultiplyAdd(x1[p], bp, sb1);
            sa2 = Simd.MultiplyAdd(x2[p], ap, sa2);
            sb2 = Simd.MultiplyAdd(x2[p], bp, sb2);
            sa3 = Simd.MultiplyAdd(x3[p], ap, sa3);
            sb3 = Simd.MultiplyAdd(x3[p], bp, sb3);
        }

        r[0] = sa0;
        r[1] = sb0;
        r[ldr] = sa1;
        r[ldr + 1] = sb1;
        r[2 * ldr] = sa2;
        r[(2 * ldr) + 1] = sb2;
        r[3 * ldr] = sa3;
        r[(3 * ldr) + 1] = sb3;
    }

    /// <summary>r[q·ldr] = x_q · a for the four rows x_q = x + q·ldx, q = 0..3.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Dot4x1<T, TV, TS>(T* x, nint ldx, T* a, int d, T* r, nint ldr)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        T* x0 = x, x1 = x + ldx, x2 = x + (2 * ldx), x3 = x + (3 * ldx);
        TV e0 = TS.Zero, e1 = TS.Zero, e2 = TS.Zero, e3 = TS.Zero;
        TV o0 = TS.Zero, o1 = TS.Zero, o2 = TS.Zero, o3 = TS.Zero;
        int count = TS.Count;
        int p = 0;
        for (; p <= d - (2 * count); p += 2 * count)
        {
            TV va = TS.Load(a + p);
            TV vb = TS.Load(a + p + count);
            e0 = TS.MultiplyAdd(TS.Load(x0 + p), va, e0);
            o0 = TS.MultiplyAdd(TS.Load(x0 + p + count), vb, o0);
            e1 = TS.MultiplyAdd(TS.Load(x1 + p), va, e1);
            o1 = TS.MultiplyAdd(TS.Load(x1 + p + count), vb, o1);
            e2 = TS.MultiplyAdd(TS.Load(x2 + p), va, e2);
            o2 = TS.MultiplyAdd(TS.Load(x2 + p + count), vb, o2);
            e3 = TS.MultiplyAdd(TS.Load(x3 + p), va, e3);
            o3 = TS.MultiplyAdd(TS.Load(x3 + p + count), vb, o3);
        }

        if (p <= d - count)
        {
            TV va = TS.Load(a + p);
            e0 = TS.MultiplyAdd(TS.Load(x0 + p), va, e0);
            e1 = TS.MultiplyAdd(TS.Load(x1 + p), va, e1);
            e2 = TS.MultiplyAdd(TS.Load(x2 + p), va, e2);
            e3 = TS.MultiplyAdd(TS.Load(x3 + p), va, e3);
            p += count;
        }

        T s0 = TS.Sum(TS.Add(e0, o0)), s1 = TS.Sum(TS.Add(e1, o1)), s2 = TS.Sum(TS.Add(e2, o2)), s3 = TS.Sum(TS.Add(e3, o3));
        for (; p < d; p++)
        {
            T ap = a[p];
            s0 = Simd.MultiplyAdd(x0[p], ap, s0);
            s1 = Simd.MultiplyAdd(x1[p], ap, s1);
            s2 = Simd.MultiplyAdd(x2[p], ap, s2);
            s3 = Simd.MultiplyAdd(x3[p], ap, s3);
        }

        r[0] = s0;
        r[ldr] = s1;
        r[2 * ldr] = s2;
        r[3 * ldr] = s3;
    }

    /// <summary>x · a for one row; the same arithmetic as one row of <see cref="Dot4x1"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static T Dot1x1<T, TV, TS>(T* x, T* a, int d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        TV e = TS.Zero, o = TS.Zero;
        int count = TS.Count;
        int p = 0;
        for (; p <= d - (2 * count); p += 2 * count)
        {
            e = TS.MultiplyAdd(TS.Load(x + p), TS.Load(a + p), e);
            o = TS.MultiplyAdd(TS.Load(x + p + count), TS.Load(a + p + count), o);
        }

        if (p <= d - count)
        {
            e = TS.MultiplyAdd(TS.Load(x + p), TS.Load(a + p), e);
            p += count;
        }

        T s = TS.Sum(TS.Add(e, o));
        for (; p < d; p++)
        {
            s = Simd.MultiplyAdd(x[p], a[p], s);
        }

        return s;
    }

    /// <summary>
    /// ga += Σ_q s[q·lds]·x_q and gb += Σ_q s[q·lds + 1]·x_q over the four rows x_q = x + q·ldx, terms in row order.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Update4x2<T, TV, TS>(T* x, nint ldx, T* s, nint lds, T* ga, T* gb, int d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        T* x0 = x, x1 = x + ldx, x2 = x + (2 * ldx), x3 = x + (3 * ldx);
        T sa0 = s[0], sb0 = s[1], sa1 = s[lds], sb1 = s[lds + 1];
        T sa2 = s[2 * lds], sb2 = s[(2 * lds) + 1], sa3 = s[3 * lds], sb3 = s[(3 * lds) + 1];
        TV va0 = TS.Broadcast(sa0), vb0 = TS.Broadcast(sb0), va1 = TS.Broadcast(sa1), vb1 = TS.Broadcast(sb1);
        TV va2 = TS.Broadcast(sa2), vb2 = TS.Broadcast(sb2), va3 = TS.Broadcast(sa3), vb3 = TS.Broadcast(sb3);
        int count = TS.Count;
        int p = 0;
        for (; p <= d - count; p += count)
        {
            TV v0 = TS.Load(x0 + p);
            TV v1 = TS.Load(x1 + p);
            TV v2 = TS.Load(x2 + p);
            TV v3 = TS.Load(x3 + p);
            TV a = TS.Load(ga + p);
            TV b = TS.Load(gb + p);
            a = TS.MultiplyAdd(va0, v0, a);
            b = TS.MultiplyAdd(vb0, v0, b);
            a = TS.MultiplyAdd(va1, v1, a);
            b = TS.MultiplyAdd(vb1, v1, b);
            a = TS.MultiplyAdd(va2, v2, a);
            b = TS.MultiplyAdd(vb2, v2, b);
            a = TS.MultiplyAdd(va3, v3, a);
            b = TS.MultiplyAdd(vb3, v3, b);
            TS.Store(a, ga + p);
            TS.Store(b, gb + p);
        }

        for (; p < d; p++)
        {
            T a = ga[p], b = gb[p];
            a = Simd.MultiplyAdd(sa0, x0[p], a);
            b = Simd.MultiplyAdd(sb0, x0[p], b);
            a = Simd.MultiplyAdd(sa1, x1[p], a);
            b = Simd.MultiplyAdd(sb1, x1[p], b);
            a = Simd.MultiplyAdd(sa2, x2[p], a);
            b = Simd.MultiplyAdd(sb2, x2[p], b);
            a = Simd.MultiplyAdd(sa3, x3[p], a);
            b = Simd.MultiplyAdd(sb3, x3[p], b);
            ga[p] = a;
            gb[p] = b;
        }
    }

    /// <summary>g += Σ_q s[q·lds]·x_q over the four rows x_q = x + q·ldx, terms in row order.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Update4x1<T, TV, TS>(T* x, nint ldx, T* s, nint lds, T* g, int d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        T* x0 = x, x1 = x + ldx, x2 = x + (2 * ldx), x3 = x + (3 * ldx);
        T s0 = s[0], s1 = s[lds], s2 = s[2 * lds], s3 = s[3 * lds];
        TV c0 = TS.Broadcast(s0), c1 = TS.Broadcast(s1), c2 = TS.Broadcast(s2), c3 = TS.Broadcast(s3);
        int count = TS.Count;
        int p = 0;
        for (; p <= d - (2 * count); p += 2 * count)
        {
            TV a = TS.Load(g + p);
            TV b = TS.Load(g + p + count);
            a = TS.MultiplyAdd(c0, TS.Load(x0 + p), a);
            b = TS.MultiplyAdd(c0, TS.Load(x0 + p + count), b);
            a = TS.MultiplyAdd(c1, TS.Load(x1 + p), a);
            b = TS.MultiplyAdd(c1, TS.Load(x1 + p + count), b);
            a = TS.MultiplyAdd(c2, TS.Load(x2 + p), a);
            b = TS.MultiplyAdd(c2, TS.Load(x2 + p + count), b);
            a = TS.MultiplyAdd(c3, TS.Load(x3 + p), a);
            b = TS.MultiplyAdd(c3, TS.Load(x3 + p + count), b);
            TS.Store(a, g + p);
            TS.Store(b, g + p + count);
        }

        for (; p <= d - count; p += count)
        {
            TV a = TS.Load(g + p);
            a = TS.MultiplyAdd(c0, TS.Load(x0 + p), a);
            a = TS.MultiplyAdd(c1, TS.Load(x1 + p), a);
            a = TS.MultiplyAdd(c2, TS.Load(x2 + p), a);
            a = TS.MultiplyAdd(c3, TS.Load(x3 + p), a);
            TS.Store(a, g + p);
        }

        for (; p < d; p++)
        {
            T a = g[p];
            a = Simd.MultiplyAdd(s0, x0[p], a);
            a = Simd.MultiplyAdd(s1, x1[p], a);
            a = Simd.MultiplyAdd(s2, x2[p], a);
            a = Simd.MultiplyAdd(s3, x3[p], a);
            g[p] = a;
        }
    }

    /// <summary>g += s·x (an axpy), elementwise the same operation as one row term of <see cref="Update4x1"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Update1x1<T, TV, TS>(T* x, T s, T* g, int d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        TV c = TS.Broadcast(s);
        int count = TS.Count;
        int p = 0;
        for (; p <= d - (2 * count); p += 2 * count)
        {
            TS.Store(TS.MultiplyAdd(c, TS.Load(x + p), TS.Load(g + p)), g + p);
            TS.Store(TS.MultiplyAdd(c, TS.Load(x + p + count), TS.Load(g + p + count)), g + p + count);
        }

        for (; p <= d - count; p += count)
        {
            TS.Store(TS.MultiplyAdd(c, TS.Load(x + p), TS.Load(g + p)), g + p);
        }

        for (; p < d; p++)
        {
            g[p] = Simd.MultiplyAdd(s, x[p], g[p]);
        }
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

/// <summary>
/// Cache-blocked, register-tiled matrix product C = Σ_p A(i, p)·B(p, j) with a strided A (so that one kernel serves
/// A·B and Aᵀ·B) and row-major B and C.
/// </summary>
/// <remarks>
/// <para>Blocking: the reduction dimension in blocks of <see cref="ReduceBlock"/>; within one, column panels of two
/// vectors (then one vector, then narrower widths, then single columns), and within a panel, row tiles of four (then
/// single rows). The panel of B (256 × 2 vectors = 32 KiB) stays in L1 across the row tiles; the 4×(2 vectors) tile of
/// C stays in eight registers across the block.</para>
/// <para>Every element of C is one multiply-add chain over p = 0, 1, …, reduce − 1, starting from +0: the first block
/// starts from zero, later blocks continue from the stored partial value, and vector lanes and scalar columns perform
/// the same operation. So an element's value does not depend on the tile, the panel width or the work partition it
/// was computed in.</para>
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>Length of a block of the reduction dimension.</summary>
    public const int ReduceBlock = 256;

    /// <summary>
    /// C[i, j] = Σ_{p &lt; reduce} a[i·aRow + p·aRed]·b[p·ldb + j] for rows [i0, i1) and columns [j0, j1) of C
    /// (c[i·ldc + j]).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Block<T>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* c, nint ldc, int i0, int i1, int j0, int j1, int reduce)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int p0 = 0; p0 < reduce; p0 += ReduceBlock)
        {
            int kc = System.Math.Min(ReduceBlock, reduce - p0);
            bool first = p0 == 0;
            T* ak = a + (p0 * aRed);
            T* bk = b + (p0 * ldb);
            int j = j0;
            if (Vector512.IsHardwareAccelerated)
            {
                j = Panels<T, Vector512<T>, Simd512<T>>(ak, aRow, aRed, bk, ldb, c, ldc, i0, i1, j, j1, kc, first);
            }

            if (Vector256.IsHardwareAccelerated)
            {
                j = Panels<T, Vector256<T>, Simd256<T>>(ak, aRow, aRed, bk, ldb, c, ldc, i0, i1, j, j1, kc, first);
            }

            if (Vector128.IsHardwareAccelerated)
            {
                j = Panels<T, Vector128<T>, Simd128<T>>(ak, aRow, aRed, bk, ldb, c, ldc, i0, i1, j, j1, kc, first);
            }

            for (; j < j1; j++)
            {
                ScalarColumn(ak, aRow, aRed, bk + j, ldb, c + j, ldc, i0, i1, kc, first);
            }
        }
    }

    /// <summary>
    /// One column of C in scalar code, four rows at a time (four independent chains); each element is the same chain
    /// as in a vector lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScalarColumn<T>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* c, nint ldc, int i0, int i1, int kc, bool first)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = i0;
        for (; i <= i1 - 4; i += 4)
        {
            T* a0 = a + (i * aRow);
            T* c0 = c + (i * ldc);
            T r0 = first ? T.Zero : c0[0];
            T r1 = first ? T.Zero : c0[ldc];
            T r2 = first ? T.Zero : c0[2 * ldc];
            T r3 = first ? T.Zero : c0[3 * ldc];
            for (int p = 0; p < kc; p++)
            {
                T bp = b[p * ldb];
                T* ap = a0 + (p * aRed);
                r0 = Simd.MultiplyAdd(ap[0], bp, r0);
                r1 = Simd.MultiplyAdd(ap[aRow], bp, r1);
                r2 = Simd.MultiplyAdd(ap[2 * aRow], bp, r2);
                r3 = Simd.MultiplyAdd(ap[3 * aRow], bp, r3);
            }

            c0[0] = r0;
            c0[ldc] = r1;
            c0[2 * ldc] = r2;
            c0[3 * ldc] = r3;
        }

        for (; i < i1; i++)
        {
            T* ai = a + (i * aRow);
            T* ci = c + (i * ldc);
            T r = first ? T.Zero : *ci;
            for (int p = 0; p < kc; p++)
            {
                r = Simd.MultiplyAdd(ai[p * aRed], b[p * ldb], r);
            }

            *ci = r;
        }
    }

    /// <summary>Processes the panels of two, then one, vectors of this width that fit in [j, j1); returns the next column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Panels<T, TV, TS>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* c, nint ldc, int i0, int i1, int j, int j1, int kc, bool first)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        int count = TS.Count;
        for (; j <= j1 - (2 * count); j += 2 * count)
        {
            int i = i0;
            for (; i <= i1 - 4; i += 4)
            {
                Tile4x2<T, TV, TS>(a + (i * aRow), aRow, aRed, b + j, ldb, c + (i * ldc) + j, ldc, kc, first);
            }

            for (; i < i1; i++)
            {
                Tile1x2<T, TV, TS>(a + (i * aRow), aRed, b + j, ldb, c + (i * ldc) + j, kc, first);
            }
        }

        for (; j <= j1 - count; j += count)
        {
            int i = i0;
            for (; i <= i1 - 4; i += 4)
            {
                Tile4x1<T, TV, TS>(a + (i * aRow), aRow, aRed, b + j, ldb, c + (i * ldc) + j, ldc, kc, first);
            }

            for (; i < i1; i++)
            {
                Tile1x1<T, TV, TS>(a + (i * aRow), aRed, b + j, ldb, c + (i * ldc) + j, kc, first);
            }
        }

        return j;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Start<T, TV, TS>(T* c, bool first)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV> => first ? TS.Zero : TS.Load(c);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2<T, TV, TS>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* c, nint ldc, int kc, bool first)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        int n = TS.Count;
        T* c0 = c, c1 = c + ldc, c2 = c + (2 * ldc), c3 = c + (3 * ldc);
        TV r00 = Start<T, TV, TS>(c0, first), r01 = Start<T, TV, TS>(c0 + n, first);
        TV r10 = Start<T, TV, TS>(c1, first), r11 = Start<T, TV, TS>(c1 + n, first);
        TV r20 = Start<T, TV, TS>(c2, first), r21 = Start<T, TV, TS>(c2 + n, first);
        TV r30 = Start<T, TV, TS>(c3, first), r31 = Start<T, TV, TS>(c3 + n, first);
        for (int p = 0; p < kc; p++)
        {
            T* bp = b + (p * ldb);
            T* ap = a + (p * aRed);
            TV b0 = TS.Load(bp);
            TV b1 = TS.Load(bp + n);
            TV a0 = TS.Broadcast(ap[0]);
            TV a1 = TS.Broadcast(ap[aRow]);
            r00 = TS.MultiplyAdd(a0, b0, r00);
            r01 = TS.MultiplyAdd(a0, b1, r01);
            r10 = TS.MultiplyAdd(a1, b0, r10);
            r11 = TS.MultiplyAdd(a1, b1, r11);
            TV a2 = TS.Broadcast(ap[2 * aRow]);
            TV a3 = TS.Broadcast(ap[3 * aRow]);
            r20 = TS.MultiplyAdd(a2, b0, r20);
            r21 = TS.MultiplyAdd(a2, b1, r21);
            r30 = TS.MultiplyAdd(a3, b0, r30);
            r31 = TS.MultiplyAdd(a3, b1, r31);
        }

        TS.Store(r00, c0);
        TS.Store(r01, c0 + n);
        TS.Store(r10, c1);
        TS.Store(r11, c1 + n);
        TS.Store(r20, c2);
        TS.Store(r21, c2 + n);
        TS.Store(r30, c3);
        TS.Store(r31, c3 + n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x1<T, TV, TS>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* c, nint ldc, int kc, bool first)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        T* c0 = c, c1 = c + ldc, c2 = c + (2 * ldc), c3 = c + (3 * ldc);
        TV r0 = Start<T, TV, TS>(c0, first), r1 = Start<T, TV, TS>(c1, first);
        TV r2 = Start<T, TV, TS>(c2, first), r3 = Start<T, TV, TS>(c3, first);
        for (int p = 0; p < kc; p++)
        {
            TV bp = TS.Load(b + (p * ldb));
            T* ap = a + (p * aRed);
            r0 = TS.MultiplyAdd(TS.Broadcast(ap[0]), bp, r0);
            r1 = TS.MultiplyAdd(TS.Broadcast(ap[aRow]), bp, r1);
            r2 = TS.MultiplyAdd(TS.Broadcast(ap[2 * aRow]), bp, r2);
            r3 = TS.MultiplyAdd(TS.Broadcast(ap[3 * aRow]), bp, r3);
        }

        TS.Store(r0, c0);
        TS.Store(r1, c1);
        TS.Store(r2, c2);
        TS.Store(r3, c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x2<T, TV, TS>(T* a, nint aRed, T* b, nint ldb, T* c, int kc, bool first)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        int n = TS.Count;
        TV r0 = Start<T, TV, TS>(c, first), r1 = Start<T, TV, TS>(c + n, first);
        for (int p = 0; p < kc; p++)
        {
            T* bp = b + (p * ldb);
            TV ap = TS.Broadcast(a[p * aRed]);
            r0 = TS.MultiplyAdd(ap, TS.Load(bp), r0);
            r1 = TS.MultiplyAdd(ap, TS.Load(bp + n), r1);
        }

        TS.Store(r0, c);
        TS.Store(r1, c + n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x1<T, TV, TS>(T* a, nint aRed, T* b, nint ldb, T* c, int kc, bool first)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        TV r = Start<T, TV, TS>(c, first);
        for (int p = 0; p < kc; p++)
        {
            r = TS.MultiplyAdd(TS.Broadcast(a[p * aRed]), TS.Load(b + (p * ldb)), r);
        }

        TS.Store(r, c);
    }
}

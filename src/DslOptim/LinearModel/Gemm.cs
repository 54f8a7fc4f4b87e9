using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

/// <summary>
/// Cache-blocked, register-tiled matrix product O = S + Σ_p A(i, p)·B(p, j) with a strided A (so that one kernel serves
/// A·B and Aᵀ·B), row-major B, a start S that is zero, another matrix, or O itself (in place), and row-major O. The one
/// family of micro-kernels of the runtime: the linear model's products (<see cref="Block{T}"/>: S = 0) and the
/// two-layer pass's update (<see cref="Product{T}"/>: W ← W_old + E·W_other, the old values read from a packed copy).
/// </summary>
/// <remarks>
/// <para>Blocking: the reduction dimension in blocks of <see cref="ReduceBlock"/>; within one, column panels of two
/// vectors (then one vector, then narrower widths, then single columns), and within a panel, row tiles of six, four,
/// two and one rows (one-vector panels: eight, four and one). The panel of B (256 × 2 vectors = 32 KiB) stays in L1
/// across the row tiles; the tile of O stays in registers (at most twelve) across the block.</para>
/// <para>Every element of O is one multiply-add chain over p = 0, 1, …, reduce − 1, starting from S's element (or +0):
/// the first block starts from S, later blocks continue from the partial value stored in O, and vector lanes and scalar
/// columns perform the same operation. So an element's value does not depend on the tile, the panel width or the work
/// partition it was computed in.</para>
/// <para>Code shape (measured in thread CPU time on the two-layer update, where reduce is only n or m): the tiles step
/// their A and B pointers instead of indexing by p, and whether a chain starts from zero is a type parameter
/// (<see cref="FromZero"/>, <see cref="FromStart"/>), a JIT-time constant, not a flag tested per accumulator; with
/// indexing and a flag the update's arithmetic ran 6–12% slower than the two-layer pass's former copy of the tiles.</para>
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>Length of a block of the reduction dimension.</summary>
    public const int ReduceBlock = 256;

    /// <summary>
    /// C[i, j] = Σ_{p &lt; reduce} a[i·aRow + p·aRed]·b[p·ldb + j] for rows [i0, i1) and columns [j0, j1) of C
    /// (c[i·ldc + j]); C must not overlap A or B.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block<T>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* c, nint ldc, int i0, int i1, int j0, int j1, int reduce)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Run(a, aRow, aRed, b, ldb, c, ldc, c, ldc, i0, i1, j0, j1, reduce, zero: true);

    /// <summary>
    /// o[i·ldo + j] = s[i·lds + j] + Σ_{p &lt; reduce} a[i·aRow + p·aRed]·b[p·ldb + j] for i &lt; rows, j &lt; cols.
    /// <paramref name="s"/> may be <paramref name="o"/> (with lds = ldo: in place); O must not overlap A or B, nor S
    /// other than exactly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Product<T>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* s, nint lds, T* o, nint ldo, int rows, int cols, int reduce)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Run(a, aRow, aRed, b, ldb, s, lds, o, ldo, 0, rows, 0, cols, reduce, zero: false);

    /// <summary>O = (zero ? 0 : S) + A·B over rows [i0, i1) and columns [j0, j1), S and O indexed like C in <see cref="Block{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* s, nint lds, T* o, nint ldo, int i0, int i1, int j0, int j1, int reduce, bool zero)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int p0 = 0; p0 < reduce; p0 += ReduceBlock)
        {
            int kc = System.Math.Min(ReduceBlock, reduce - p0);
            T* ak = a + (p0 * aRed);
            T* bk = b + (p0 * ldb);
            if (zero)
            {
                ReduceBlockOf<T, FromZero>(ak, aRow, aRed, bk, ldb, s, lds, o, ldo, i0, i1, j0, j1, kc);
            }
            else
            {
                ReduceBlockOf<T, FromStart>(ak, aRow, aRed, bk, ldb, s, lds, o, ldo, i0, i1, j0, j1, kc);
            }

            // Later blocks continue each chain from the partial value just stored in O.
            s = o;
            lds = ldo;
            zero = false;
        }
    }

    /// <summary>One block of the reduction: the vector panels of each width, then the scalar columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReduceBlockOf<T, TZ>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* s, nint lds, T* o, nint ldo, int i0, int i1, int j, int j1, int kc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TZ : struct, IStart
    {
        if (Vector512.IsHardwareAccelerated)
        {
            j = Panels<T, Vector512<T>, Simd512<T>, TZ>(a, aRow, aRed, b, ldb, s, lds, o, ldo, i0, i1, j, j1, kc);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            j = Panels<T, Vector256<T>, Simd256<T>, TZ>(a, aRow, aRed, b, ldb, s, lds, o, ldo, i0, i1, j, j1, kc);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            j = Panels<T, Vector128<T>, Simd128<T>, TZ>(a, aRow, aRed, b, ldb, s, lds, o, ldo, i0, i1, j, j1, kc);
        }

        for (; j < j1; j++)
        {
            ScalarColumn(a, aRow, aRed, b + j, ldb, s + j, lds, o + j, ldo, i0, i1, kc, TZ.Zero);
        }
    }

    /// <summary>
    /// One column of O in scalar code, four rows at a time (four independent chains); each element is the same chain
    /// as in a vector lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScalarColumn<T>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* s, nint lds, T* o, nint ldo, int i0, int i1, int kc, bool zero)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = i0;
        for (; i <= i1 - 4; i += 4)
        {
            T* a0 = a + (i * aRow);
            T* s0 = s + (i * lds);
            T* o0 = o + (i * ldo);
            T r0 = zero ? T.Zero : s0[0];
            T r1 = zero ? T.Zero : s0[lds];
            T r2 = zero ? T.Zero : s0[2 * lds];
            T r3 = zero ? T.Zero : s0[3 * lds];
            for (int p = 0; p < kc; p++)
            {
                T bp = b[p * ldb];
                T* ap = a0 + (p * aRed);
                r0 = Simd.MultiplyAdd(ap[0], bp, r0);
                r1 = Simd.MultiplyAdd(ap[aRow], bp, r1);
                r2 = Simd.MultiplyAdd(ap[2 * aRow], bp, r2);
                r3 = Simd.MultiplyAdd(ap[3 * aRow], bp, r3);
            }

            o0[0] = r0;
            o0[ldo] = r1;
            o0[2 * ldo] = r2;
            o0[3 * ldo] = r3;
        }

        for (; i < i1; i++)
        {
            T* ai = a + (i * aRow);
            T r = zero ? T.Zero : s[i * lds];
            for (int p = 0; p < kc; p++)
            {
                r = Simd.MultiplyAdd(ai[p * aRed], b[p * ldb], r);
            }

            o[i * ldo] = r;
        }
    }

    /// <summary>Processes the panels of two, then one, vectors of this width that fit in [j, j1); returns the next column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Panels<T, TV, TS, TZ>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* s, nint lds, T* o, nint ldo, int i0, int i1, int j, int j1, int kc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
        where TZ : struct, IStart
    {
        int count = TS.Count;
        for (; j <= j1 - (2 * count); j += 2 * count)
        {
            int i = i0;
            for (; i <= i1 - 6; i += 6)
            {
                Tile6x2<T, TV, TS, TZ>(a + (i * aRow), aRow, aRed, b + j, ldb, s + (i * lds) + j, lds, o + (i * ldo) + j, ldo, kc);
            }

            for (; i <= i1 - 4; i += 4)
            {
                Tile4x2<T, TV, TS, TZ>(a + (i * aRow), aRow, aRed, b + j, ldb, s + (i * lds) + j, lds, o + (i * ldo) + j, ldo, kc);
            }

            for (; i <= i1 - 2; i += 2)
            {
                Tile2x2<T, TV, TS, TZ>(a + (i * aRow), aRow, aRed, b + j, ldb, s + (i * lds) + j, lds, o + (i * ldo) + j, ldo, kc);
            }

            for (; i < i1; i++)
            {
                Tile1x2<T, TV, TS, TZ>(a + (i * aRow), aRed, b + j, ldb, s + (i * lds) + j, o + (i * ldo) + j, kc);
            }
        }

        for (; j <= j1 - count; j += count)
        {
            int i = i0;
            for (; i <= i1 - 8; i += 8)
            {
                Tile8x1<T, TV, TS, TZ>(a + (i * aRow), aRow, aRed, b + j, ldb, s + (i * lds) + j, lds, o + (i * ldo) + j, ldo, kc);
            }

            for (; i <= i1 - 4; i += 4)
            {
                Tile4x1<T, TV, TS, TZ>(a + (i * aRow), aRow, aRed, b + j, ldb, s + (i * lds) + j, lds, o + (i * ldo) + j, ldo, kc);
            }

            for (; i < i1; i++)
            {
                Tile1x1<T, TV, TS, TZ>(a + (i * aRow), aRed, b + j, ldb, s + (i * lds) + j, o + (i * ldo) + j, kc);
            }
        }

        return j;
    }

    /// <summary>A vector of S, or zero (a JIT-time constant per instantiation: no branch in the tiles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Start<T, TV, TS, TZ>(T* s)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
        where TZ : struct, IStart => TZ.Zero ? TS.Zero : TS.Load(s);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x2<T, TV, TS, TZ>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* s, nint lds, T* o, nint ldo, int kc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
        where TZ : struct, IStart
    {
        int n = TS.Count;
        TV r00 = Start<T, TV, TS, TZ>(s), r01 = Start<T, TV, TS, TZ>(s + n);
        TV r10 = Start<T, TV, TS, TZ>(s + lds), r11 = Start<T, TV, TS, TZ>(s + lds + n);
        TV r20 = Start<T, TV, TS, TZ>(s + (2 * lds)), r21 = Start<T, TV, TS, TZ>(s + (2 * lds) + n);
        TV r30 = Start<T, TV, TS, TZ>(s + (3 * lds)), r31 = Start<T, TV, TS, TZ>(s + (3 * lds) + n);
        TV r40 = Start<T, TV, TS, TZ>(s + (4 * lds)), r41 = Start<T, TV, TS, TZ>(s + (4 * lds) + n);
        TV r50 = Start<T, TV, TS, TZ>(s + (5 * lds)), r51 = Start<T, TV, TS, TZ>(s + (5 * lds) + n);
        nint row2 = 2 * aRow, row3 = 3 * aRow, row4 = 4 * aRow, row5 = 5 * aRow;
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < kc; p++, ap += aRed, bp += ldb)
        {
            TV b0 = TS.Load(bp);
            TV b1 = TS.Load(bp + n);
            TV a0 = TS.Broadcast(ap[0]);
            r00 = TS.MultiplyAdd(a0, b0, r00);
            r01 = TS.MultiplyAdd(a0, b1, r01);
            TV a1 = TS.Broadcast(ap[aRow]);
            r10 = TS.MultiplyAdd(a1, b0, r10);
            r11 = TS.MultiplyAdd(a1, b1, r11);
            TV a2 = TS.Broadcast(ap[row2]);
            r20 = TS.MultiplyAdd(a2, b0, r20);
            r21 = TS.MultiplyAdd(a2, b1, r21);
            TV a3 = TS.Broadcast(ap[row3]);
            r30 = TS.MultiplyAdd(a3, b0, r30);
            r31 = TS.MultiplyAdd(a3, b1, r31);
            TV a4 = TS.Broadcast(ap[row4]);
            r40 = TS.MultiplyAdd(a4, b0, r40);
            r41 = TS.MultiplyAdd(a4, b1, r41);
            TV a5 = TS.Broadcast(ap[row5]);
            r50 = TS.MultiplyAdd(a5, b0, r50);
            r51 = TS.MultiplyAdd(a5, b1, r51);
        }

        TS.Store(r00, o);
        TS.Store(r01, o + n);
        TS.Store(r10, o + ldo);
        TS.Store(r11, o + ldo + n);
        TS.Store(r20, o + (2 * ldo));
        TS.Store(r21, o + (2 * ldo) + n);
        TS.Store(r30, o + (3 * ldo));
        TS.Store(r31, o + (3 * ldo) + n);
        TS.Store(r40, o + (4 * ldo));
        TS.Store(r41, o + (4 * ldo) + n);
        TS.Store(r50, o + (5 * ldo));
        TS.Store(r51, o + (5 * ldo) + n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2<T, TV, TS, TZ>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* s, nint lds, T* o, nint ldo, int kc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
        where TZ : struct, IStart
    {
        int n = TS.Count;
        TV r00 = Start<T, TV, TS, TZ>(s), r01 = Start<T, TV, TS, TZ>(s + n);
        TV r10 = Start<T, TV, TS, TZ>(s + lds), r11 = Start<T, TV, TS, TZ>(s + lds + n);
        TV r20 = Start<T, TV, TS, TZ>(s + (2 * lds)), r21 = Start<T, TV, TS, TZ>(s + (2 * lds) + n);
        TV r30 = Start<T, TV, TS, TZ>(s + (3 * lds)), r31 = Start<T, TV, TS, TZ>(s + (3 * lds) + n);
        nint row2 = 2 * aRow, row3 = 3 * aRow;
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < kc; p++, ap += aRed, bp += ldb)
        {
            TV b0 = TS.Load(bp);
            TV b1 = TS.Load(bp + n);
            TV a0 = TS.Broadcast(ap[0]);
            r00 = TS.MultiplyAdd(a0, b0, r00);
            r01 = TS.MultiplyAdd(a0, b1, r01);
            TV a1 = TS.Broadcast(ap[aRow]);
            r10 = TS.MultiplyAdd(a1, b0, r10);
            r11 = TS.MultiplyAdd(a1, b1, r11);
            TV a2 = TS.Broadcast(ap[row2]);
            r20 = TS.MultiplyAdd(a2, b0, r20);
            r21 = TS.MultiplyAdd(a2, b1, r21);
            TV a3 = TS.Broadcast(ap[row3]);
            r30 = TS.MultiplyAdd(a3, b0, r30);
            r31 = TS.MultiplyAdd(a3, b1, r31);
        }

        TS.Store(r00, o);
        TS.Store(r01, o + n);
        TS.Store(r10, o + ldo);
        TS.Store(r11, o + ldo + n);
        TS.Store(r20, o + (2 * ldo));
        TS.Store(r21, o + (2 * ldo) + n);
        TS.Store(r30, o + (3 * ldo));
        TS.Store(r31, o + (3 * ldo) + n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x2<T, TV, TS, TZ>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* s, nint lds, T* o, nint ldo, int kc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
        where TZ : struct, IStart
    {
        int n = TS.Count;
        TV r00 = Start<T, TV, TS, TZ>(s), r01 = Start<T, TV, TS, TZ>(s + n);
        TV r10 = Start<T, TV, TS, TZ>(s + lds), r11 = Start<T, TV, TS, TZ>(s + lds + n);
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < kc; p++, ap += aRed, bp += ldb)
        {
            TV b0 = TS.Load(bp);
            TV b1 = TS.Load(bp + n);
            TV a0 = TS.Broadcast(ap[0]);
            r00 = TS.MultiplyAdd(a0, b0, r00);
            r01 = TS.MultiplyAdd(a0, b1, r01);
            TV a1 = TS.Broadcast(ap[aRow]);
            r10 = TS.MultiplyAdd(a1, b0, r10);
            r11 = TS.MultiplyAdd(a1, b1, r11);
        }

        TS.Store(r00, o);
        TS.Store(r01, o + n);
        TS.Store(r10, o + ldo);
        TS.Store(r11, o + ldo + n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x2<T, TV, TS, TZ>(T* a, nint aRed, T* b, nint ldb, T* s, T* o, int kc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
        where TZ : struct, IStart
    {
        int n = TS.Count;
        TV r0 = Start<T, TV, TS, TZ>(s), r1 = Start<T, TV, TS, TZ>(s + n);
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < kc; p++, ap += aRed, bp += ldb)
        {
            TV av = TS.Broadcast(*ap);
            r0 = TS.MultiplyAdd(av, TS.Load(bp), r0);
            r1 = TS.MultiplyAdd(av, TS.Load(bp + n), r1);
        }

        TS.Store(r0, o);
        TS.Store(r1, o + n);
    }

    // Eight independent chains: one FMA per row and step of p, enough to keep two FMA units busy through their latency
    // (the four chains of Tile4x1 keep about one), which is what lets a one-vector product run as a GEMM at all.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x1<T, TV, TS, TZ>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* s, nint lds, T* o, nint ldo, int kc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
        where TZ : struct, IStart
    {
        TV r0 = Start<T, TV, TS, TZ>(s), r1 = Start<T, TV, TS, TZ>(s + lds);
        TV r2 = Start<T, TV, TS, TZ>(s + (2 * lds)), r3 = Start<T, TV, TS, TZ>(s + (3 * lds));
        TV r4 = Start<T, TV, TS, TZ>(s + (4 * lds)), r5 = Start<T, TV, TS, TZ>(s + (5 * lds));
        TV r6 = Start<T, TV, TS, TZ>(s + (6 * lds)), r7 = Start<T, TV, TS, TZ>(s + (7 * lds));
        nint row2 = 2 * aRow, row3 = 3 * aRow, row4 = 4 * aRow, row5 = 5 * aRow, row6 = 6 * aRow, row7 = 7 * aRow;
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < kc; p++, ap += aRed, bp += ldb)
        {
            TV bv = TS.Load(bp);
            r0 = TS.MultiplyAdd(TS.Broadcast(ap[0]), bv, r0);
            r1 = TS.MultiplyAdd(TS.Broadcast(ap[aRow]), bv, r1);
            r2 = TS.MultiplyAdd(TS.Broadcast(ap[row2]), bv, r2);
            r3 = TS.MultiplyAdd(TS.Broadcast(ap[row3]), bv, r3);
            r4 = TS.MultiplyAdd(TS.Broadcast(ap[row4]), bv, r4);
            r5 = TS.MultiplyAdd(TS.Broadcast(ap[row5]), bv, r5);
            r6 = TS.MultiplyAdd(TS.Broadcast(ap[row6]), bv, r6);
            r7 = TS.MultiplyAdd(TS.Broadcast(ap[row7]), bv, r7);
        }

        TS.Store(r0, o);
        TS.Store(r1, o + ldo);
        TS.Store(r2, o + (2 * ldo));
        TS.Store(r3, o + (3 * ldo));
        TS.Store(r4, o + (4 * ldo));
        TS.Store(r5, o + (5 * ldo));
        TS.Store(r6, o + (6 * ldo));
        TS.Store(r7, o + (7 * ldo));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x1<T, TV, TS, TZ>(T* a, nint aRow, nint aRed, T* b, nint ldb, T* s, nint lds, T* o, nint ldo, int kc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
        where TZ : struct, IStart
    {
        TV r0 = Start<T, TV, TS, TZ>(s), r1 = Start<T, TV, TS, TZ>(s + lds);
        TV r2 = Start<T, TV, TS, TZ>(s + (2 * lds)), r3 = Start<T, TV, TS, TZ>(s + (3 * lds));
        nint row2 = 2 * aRow, row3 = 3 * aRow;
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < kc; p++, ap += aRed, bp += ldb)
        {
            TV bv = TS.Load(bp);
            r0 = TS.MultiplyAdd(TS.Broadcast(ap[0]), bv, r0);
            r1 = TS.MultiplyAdd(TS.Broadcast(ap[aRow]), bv, r1);
            r2 = TS.MultiplyAdd(TS.Broadcast(ap[row2]), bv, r2);
            r3 = TS.MultiplyAdd(TS.Broadcast(ap[row3]), bv, r3);
        }

        TS.Store(r0, o);
        TS.Store(r1, o + ldo);
        TS.Store(r2, o + (2 * ldo));
        TS.Store(r3, o + (3 * ldo));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x1<T, TV, TS, TZ>(T* a, nint aRed, T* b, nint ldb, T* s, T* o, int kc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
        where TZ : struct, IStart
    {
        TV r = Start<T, TV, TS, TZ>(s);
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < kc; p++, ap += aRed, bp += ldb)
        {
            r = TS.MultiplyAdd(TS.Broadcast(*ap), TS.Load(bp), r);
        }

        TS.Store(r, o);
    }

    /// <summary>Where the tiles' chains start, as a type so that each instantiation has it as a JIT-time constant.</summary>
    private interface IStart
    {
        /// <summary>True: from +0; false: from S's element.</summary>
        static abstract bool Zero { get; }
    }

    private readonly struct FromZero : IStart
    {
        public static bool Zero => true;
    }

    private readonly struct FromStart : IStart
    {
        public static bool Zero => false;
    }
}

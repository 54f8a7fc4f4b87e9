using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DslOptim.Kernels;

namespace DslOptim;

/// <summary>
/// The one pass over W1 and W2 of a two-layer step, as parallel items of contiguous column ranges. Item b, columns
/// [b·w, (b+1)·w), in sub-blocks: the sub-block's rows of W1 and W2 are copied to a stack buffer whose row stride is
/// not a multiple of 4 KiB (so they do not evict each other in L1 and L2: the weights' rows, h elements apart, do for h
/// a power of two), then W1 ← W1 + E W2 and W2 ← W2 + Eᵀ W1 with E = −η∇ℓ
/// (n×m), i.e. W − η∇W with ∇W1 = ∇ℓ W2, ∇W2 = ∇ℓᵀ W1 (eqs. 7 and 8), each element one multiply-add chain from its
/// old value, written straight to the weights — each column read and written once. On a refresh step (and on the
/// products-only pass), while the item's columns are still in L2, its share of W1W2ᵀ, W1W1ᵀ (upper triangle) and
/// W2W2ᵀ (upper) of the updated weights, as dot products over the columns (vector lanes summed in a fixed order), into
/// the item's own partial; the partials are added in item order afterwards. Either way each element is computed by one
/// thread in one fixed order, so the thread count cannot change a bit.
/// </summary>
internal sealed unsafe class TwoLayerPassJob<T> : IChunkJob
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TwoLayerWorkspace<T> _ws;
    private T* _w1;
    private T* _w2;
    private T* _e;
    private bool _update;
    private bool _products;

    public TwoLayerPassJob(TwoLayerWorkspace<T> workspace) => _ws = workspace;

    /// <summary>Sets the call: the pinned weights, the step matrix E (n×m, pinned) when updating, whether to form the products.</summary>
    public void Prepare(T* w1, T* w2, T* e, bool update, bool products)
    {
        _w1 = w1;
        _w2 = w2;
        _e = e;
        _update = update;
        _products = products;
    }

    /// <summary>
    /// rows × cols elements from <paramref name="source"/> (row stride lds) to <paramref name="destination"/> (ldd), two
    /// vectors at a time: a sub-block row is a few hundred bytes, for which a call of Buffer.MemoryCopy per row cost
    /// about as much as the copy itself (with this loop the step took 5–9% less thread CPU time at n = m = 10).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRows(T* source, nint lds, T* destination, nint ldd, int rows, int cols)
    {
        int count = Vector<T>.Count;
        for (int i = 0; i < rows; i++)
        {
            T* s = source + (i * lds);
            T* d = destination + (i * ldd);
            int c = 0;
            if (Vector.IsHardwareAccelerated)
            {
                for (; c <= cols - (2 * count); c += 2 * count)
                {
                    Vector<T> x = Unsafe.ReadUnaligned<Vector<T>>(s + c);
                    Vector<T> y = Unsafe.ReadUnaligned<Vector<T>>(s + c + count);
                    Unsafe.WriteUnaligned(d + c, x);
                    Unsafe.WriteUnaligned(d + c + count, y);
                }
            }

            for (; c < cols; c++)
            {
                d[c] = s[c];
            }
        }
    }

    /// <summary>Forgets the pointers (they are valid only while the caller keeps the arrays pinned).</summary>
    public void Release()
    {
        _w1 = null;
        _w2 = null;
        _e = null;
    }

    public void Run(int index)
    {
        TwoLayerWorkspace<T> ws = _ws;
        int n = ws.Inputs, m = ws.Outputs, h = ws.Hidden;
        int c0 = index * ws.ItemWidth;
        int width = Math.Min(h, c0 + ws.ItemWidth) - c0;
        T* w1 = _w1 + c0;
        T* w2 = _w2 + c0;
        if (_update)
        {
            // The sub-block's rows are copied to a contiguous buffer whose row stride is not a multiple of 4 KiB: W1's
            // and W2's rows are h elements apart, and for h a power of two all n + m of them fall in the same L1 sets.
            int sub = ws.SubWidth;
            int ldp = ws.PackedStride;
            T* packed1 = stackalloc T[(n + m) * ldp];
            T* packed2 = packed1 + (n * ldp);
            for (int j = 0; j < width; j += sub)
            {
                int cols = Math.Min(sub, width - j);
                CopyRows(w1 + j, h, packed1, ldp, n, cols);
                CopyRows(w2 + j, h, packed2, ldp, m, cols);

                // W1[:, j..] = W1 + E · W2 (n×m · m×cols) = W1 − η∇W1 and W2[:, j..] = W2 + Eᵀ · W1 (m×n · n×cols) =
                // W2 − η∇W2 (eqs. 7 and 8), both from the old values in the buffer.
                Gemm.Product(_e, m, 1, packed2, ldp, packed1, ldp, w1 + j, h, n, cols, m);
                Gemm.Product(_e, 1, m, packed1, ldp, packed2, ldp, w2 + j, h, m, cols, n);
            }
        }

        if (!_products)
        {
            return;
        }

        // The item's share of W1W2ᵀ, W1W1ᵀ and W2W2ᵀ of the (updated) weights.
        fixed (double* partial = ws.Partials[index])
        {
            double* p = partial;
            double* a = partial + (n * m);
            double* b = a + (n * n);
            TwoLayerDots.Cross(w1, n, h, w2, m, h, width, p, m, upperOnly: false);
            TwoLayerDots.Cross(w1, n, h, w1, n, h, width, a, n, upperOnly: true);
            TwoLayerDots.Cross(w2, m, h, w2, m, h, width, b, m, upperOnly: true);
        }
    }
}

/// <summary>
/// Dot products of rows: out[i·ldo + k] = Σ_c a_i[c]·b_k[c] over c &lt; length, in register tiles of 4×2 rows, each
/// sum a vector of lane partials (one fused multiply-add chain per lane) summed in a fixed order, plus a scalar tail.
/// </summary>
internal static unsafe class TwoLayerDots
{
    /// <summary>All (i, k) with i &lt; ra and k &lt; rb; with <paramref name="upperOnly"/>, only the tiles that hold some k ≥ i (entries below the diagonal inside them are computed too but are not meant to be read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Cross<T>(T* a, int ra, nint lda, T* b, int rb, nint ldb, int length, double* output, nint ldo, bool upperOnly)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Cross<T, Vector512<T>, Simd512<T>>(a, ra, lda, b, rb, ldb, length, output, ldo, upperOnly);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Cross<T, Vector256<T>, Simd256<T>>(a, ra, lda, b, rb, ldb, length, output, ldo, upperOnly);
        }
        else
        {
            Cross<T, Vector128<T>, Simd128<T>>(a, ra, lda, b, rb, ldb, length, output, ldo, upperOnly);
        }
    }

    private static void Cross<T, TV, TS>(T* a, int ra, nint lda, T* b, int rb, nint ldb, int length, double* output, nint ldo, bool upperOnly)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        int i = 0;
        for (; i <= ra - 4; i += 4)
        {
            int k = upperOnly ? i : 0;
            for (; k <= rb - 2; k += 2)
            {
                Dots4x2<T, TV, TS>(a + (i * lda), lda, b + (k * ldb), ldb, length, output + (i * ldo) + k, ldo);
            }

            if (k < rb)
            {
                for (int r = 0; r < 4; r++)
                {
                    output[((i + r) * ldo) + k] = Dot<T, TV, TS>(a + ((i + r) * lda), b + (k * ldb), length);
                }
            }
        }

        for (; i < ra; i++)
        {
            for (int k = upperOnly ? i : 0; k < rb; k++)
            {
                output[(i * ldo) + k] = Dot<T, TV, TS>(a + (i * lda), b + (k * ldb), length);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots4x2<T, TV, TS>(T* a, nint lda, T* b, nint ldb, int length, double* output, nint ldo)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        T* a0 = a, a1 = a + lda, a2 = a + (2 * lda), a3 = a + (3 * lda);
        T* b0 = b, b1 = b + ldb;
        TV r00 = TS.Zero, r01 = TS.Zero, r10 = TS.Zero, r11 = TS.Zero;
        TV r20 = TS.Zero, r21 = TS.Zero, r30 = TS.Zero, r31 = TS.Zero;
        int c = 0;
        for (; c <= length - TS.Count; c += TS.Count)
        {
            TV vb0 = TS.Load(b0 + c);
            TV vb1 = TS.Load(b1 + c);
            TV va = TS.Load(a0 + c);
            r00 = TS.MultiplyAdd(va, vb0, r00);
            r01 = TS.MultiplyAdd(va, vb1, r01);
            va = TS.Load(a1 + c);
            r10 = TS.MultiplyAdd(va, vb0, r10);
            r11 = TS.MultiplyAdd(va, vb1, r11);
            va = TS.Load(a2 + c);
            r20 = TS.MultiplyAdd(va, vb0, r20);
            r21 = TS.MultiplyAdd(va, vb1, r21);
            va = TS.Load(a3 + c);
            r30 = TS.MultiplyAdd(va, vb0, r30);
            r31 = TS.MultiplyAdd(va, vb1, r31);
        }

        output[0] = Finish(TS.Sum(r00), a0, b0, c, length);
        output[1] = Finish(TS.Sum(r01), a0, b1, c, length);
        output[ldo] = Finish(TS.Sum(r10), a1, b0, c, length);
        output[ldo + 1] = Finish(TS.Sum(r11), a1, b1, c, length);
        output[2 * ldo] = Finish(TS.Sum(r20), a2, b0, c, length);
        output[(2 * ldo) + 1] = Finish(TS.Sum(r21), a2, b1, c, length);
        output[3 * ldo] = Finish(TS.Sum(r30), a3, b0, c, length);
        output[(3 * ldo) + 1] = Finish(TS.Sum(r31), a3, b1, c, length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Dot<T, TV, TS>(T* a, T* b, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        // Four independent chains (a single one waits on the multiply-add latency), added in a fixed order.
        TV r0 = TS.Zero, r1 = TS.Zero, r2 = TS.Zero, r3 = TS.Zero;
        int n = TS.Count;
        int c = 0;
        for (; c <= length - (4 * n); c += 4 * n)
        {
            r0 = TS.MultiplyAdd(TS.Load(a + c), TS.Load(b + c), r0);
            r1 = TS.MultiplyAdd(TS.Load(a + c + n), TS.Load(b + c + n), r1);
            r2 = TS.MultiplyAdd(TS.Load(a + c + (2 * n)), TS.Load(b + c + (2 * n)), r2);
            r3 = TS.MultiplyAdd(TS.Load(a + c + (3 * n)), TS.Load(b + c + (3 * n)), r3);
        }

        for (; c <= length - n; c += n)
        {
            r0 = TS.MultiplyAdd(TS.Load(a + c), TS.Load(b + c), r0);
        }

        return Finish(TS.Sum(TS.Add(TS.Add(r0, r1), TS.Add(r2, r3))), a, b, c, length);
    }

    /// <summary>The vector part's sum continued over the scalar tail [c, length), in T, then widened.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Finish<T>(T sum, T* a, T* b, int c, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (; c < length; c++)
        {
            sum = Simd.MultiplyAdd(a[c], b[c], sum);
        }

        return double.CreateTruncating(sum);
    }
}

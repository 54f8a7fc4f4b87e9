using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DslOptim.Kernels;

namespace DslOptim;

/// <summary>
/// The one pass over W1 and W2 of a two-layer step, as parallel items of contiguous column ranges. Item b, columns
/// [b·w, (b+1)·w): (1) in sub-blocks that stay on the stack, ∇W1 = G W2 and ∇W2 = Gᵀ W1 (eq. 8, register-tiled
/// products from the shared GEMM kernel), then W1 −= η∇W1 and W2 −= η∇W2 — each column read and written once;
/// (2) while the item's columns are still in L2, its share of W1W2ᵀ, W1W1ᵀ (upper triangle) and W2W2ᵀ (upper) of
/// the updated weights, as dot products over the columns (vector lanes summed in a fixed order), into the item's own
/// partial. The partials are added in item order afterwards, so the thread count cannot change a bit.
/// </summary>
internal sealed unsafe class TwoLayerPassJob<T> : IChunkJob
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TwoLayerWorkspace<T> _ws;
    private T* _w1;
    private T* _w2;
    private T* _g;
    private T _eta;
    private bool _update;

    public TwoLayerPassJob(TwoLayerWorkspace<T> workspace) => _ws = workspace;

    /// <summary>Sets the call: the pinned weights, and the gradient G (n×m, pinned) and step size when updating.</summary>
    public void Prepare(T* w1, T* w2, T* g, T eta, bool update)
    {
        _w1 = w1;
        _w2 = w2;
        _g = g;
        _eta = eta;
        _update = update;
    }

    /// <summary>Forgets the pointers (they are valid only while the caller keeps the arrays pinned).</summary>
    public void Release()
    {
        _w1 = null;
        _w2 = null;
        _g = null;
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
            int sub = ws.SubWidth;
            T* d1 = stackalloc T[n * sub];
            T* d2 = stackalloc T[m * sub];
            for (int j = 0; j < width; j += sub)
            {
                int cols = Math.Min(sub, width - j);

                // ∇W1[:, j..] = G · W2[:, j..] (n×m · m×cols) and ∇W2[:, j..] = Gᵀ · W1[:, j..] (m×n · n×cols), eq. (8).
                Gemm.Block(_g, m, 1, w2 + j, h, d1, cols, 0, n, 0, cols, m);
                Gemm.Block(_g, 1, m, w1 + j, h, d2, cols, 0, m, 0, cols, n);

                // W1 ← W1 − η∇W1, W2 ← W2 − η∇W2 (eq. 7).
                for (int i = 0; i < n; i++)
                {
                    Axpy(d1 + (i * cols), w1 + ((nint)i * h) + j, cols, -_eta);
                }

                for (int i = 0; i < m; i++)
                {
                    Axpy(d2 + (i * cols), w2 + ((nint)i * h) + j, cols, -_eta);
                }
            }
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

    /// <summary>y ← a·x + y over <paramref name="length"/> elements (fused exactly when <see cref="Simd.UseFma"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy(T* x, T* y, int length, T a)
    {
        int e = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            e = Axpy<Vector512<T>, Simd512<T>>(x, y, length, a);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            e = Axpy<Vector256<T>, Simd256<T>>(x, y, length, a);
        }
        else
        {
            e = Axpy<Vector128<T>, Simd128<T>>(x, y, length, a);
        }

        for (; e < length; e++)
        {
            y[e] = Simd.MultiplyAdd(a, x[e], y[e]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Axpy<TV, TS>(T* x, T* y, int length, T a)
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        TV va = TS.Broadcast(a);
        int e = 0;
        for (; e <= length - TS.Count; e += TS.Count)
        {
            TS.Store(TS.MultiplyAdd(va, TS.Load(x + e), TS.Load(y + e)), y + e);
        }

        return e;
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

using System;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

public static partial class LinearModel
{
    /// <summary>Columns of C per work item of a GEMM.</summary>
    internal const int GemmColumnBlock = 512;

    /// <summary>Elements of c per work item of the transposed GEMV (c = Aᵀb).</summary>
    internal const int TransposedBlock = 256;

    /// <summary>C = A·B, all row-major: A is rows×inner, B inner×cols, C rows×cols.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="a">A, rows·inner values.</param>
    /// <param name="rows">Rows of A and C, at least 1.</param>
    /// <param name="inner">Columns of A and rows of B, at least 1.</param>
    /// <param name="b">B, inner·cols values.</param>
    /// <param name="cols">Columns of B and C, at least 1.</param>
    /// <param name="c">Receives C, rows·cols values; must not overlap <paramref name="a"/> or <paramref name="b"/>.</param>
    /// <param name="threads">Threads to use, the calling thread included; 0 (the default) means
    /// <see cref="Environment.ProcessorCount"/>. The result does not depend on it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is less than 1, or <paramref name="threads"/> is negative.</exception>
    /// <exception cref="ArgumentException">A span's length does not match the shape, or <paramref name="c"/> overlaps an
    /// input. Thrown before anything is written.</exception>
    /// <remarks>
    /// <para>cols = 1 is a GEMV: four rows at a time against the vector, two accumulators per row, fixed-order lane sum,
    /// scalar tail. cols &gt; 1 is a cache-blocked GEMM with a 4-row × 2-vector register tile; every element of C is one
    /// multiply-add chain over the inner index in order. Work items are fixed blocks of <see cref="RowChunk"/> rows (and
    /// 512 columns); each element is computed by one item, with arithmetic that depends on the shapes only, so the
    /// result is bitwise the same for every thread count. No allocation per call after the first on a thread.</para>
    /// </remarks>
    public static unsafe void Multiply<T>(ReadOnlySpan<T> a, int rows, int inner, ReadOnlySpan<T> b, int cols, Span<T> c, int threads = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        ValidateProduct(a, rows, inner, nameof(rows), nameof(inner), b, inner, cols, nameof(inner), nameof(cols), c, rows, cols, threads);
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            MultiplyJob<T> job = MultiplyJob<T>.ForThisThread;
            if (cols == 1)
            {
                job.PrepareGemv(pa, rows, inner, pb, pc);
            }
            else
            {
                job.PrepareGemm(pa, inner, 1, pb, pc, rows, cols, inner);
            }

            RunProduct(job, (long)rows * inner * cols, threads);
        }
    }

    /// <summary>C = Aᵀ·B, all row-major: A is rows×inner, B rows×cols, C inner×cols.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="a">A, rows·inner values.</param>
    /// <param name="rows">Rows of A and B (the summed dimension), at least 1.</param>
    /// <param name="inner">Columns of A and rows of C, at least 1.</param>
    /// <param name="b">B, rows·cols values.</param>
    /// <param name="cols">Columns of B and C, at least 1.</param>
    /// <param name="c">Receives C, inner·cols values; must not overlap <paramref name="a"/> or <paramref name="b"/>.</param>
    /// <param name="threads">Threads to use, the calling thread included; 0 (the default) means
    /// <see cref="Environment.ProcessorCount"/>. The result does not depend on it.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is less than 1, or <paramref name="threads"/> is negative.</exception>
    /// <exception cref="ArgumentException">A span's length does not match the shape, or <paramref name="c"/> overlaps an
    /// input. Thrown before anything is written.</exception>
    /// <remarks>
    /// <para>cols = 1: c = Aᵀb as rank-4 updates of blocks of 256 elements of c (each element a multiply-add chain over
    /// the rows in order). cols &gt; 1: the GEMM of <see cref="Multiply{T}"/> reading A transposed (the four rows of a
    /// register tile are four adjacent elements of a row of A). Work items are fixed blocks of c; bitwise the same
    /// result for every thread count. No allocation per call after the first on a thread.</para>
    /// </remarks>
    public static unsafe void MultiplyTransposed<T>(ReadOnlySpan<T> a, int rows, int inner, ReadOnlySpan<T> b, int cols, Span<T> c, int threads = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        ValidateProduct(a, rows, inner, nameof(rows), nameof(inner), b, rows, cols, nameof(rows), nameof(cols), c, inner, cols, threads);
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            MultiplyJob<T> job = MultiplyJob<T>.ForThisThread;
            if (cols == 1)
            {
                job.PrepareTransposedGemv(pa, rows, inner, pb, pc);
            }
            else
            {
                job.PrepareGemm(pa, 1, inner, pb, pc, inner, cols, rows);
            }

            RunProduct(job, (long)rows * inner * cols, threads);
        }
    }

    private static void RunProduct<T>(MultiplyJob<T> job, long work, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int resolved = threads == 0 ? Environment.ProcessorCount : threads;
        try
        {
            if (resolved > 1 && work >= ParallelWork && job.Items > 1)
            {
                ChunkWorkers.Run(job, job.Items, resolved);
            }
            else
            {
                for (int i = 0; i < job.Items; i++)
                {
                    job.Run(i);
                }
            }
        }
        finally
        {
            job.Clear();
        }
    }

    private static void ValidateProduct<T>(
        ReadOnlySpan<T> a, int aRows, int aCols, string aRowsName, string aColsName,
        ReadOnlySpan<T> b, int bRows, int bCols, string bRowsName, string bColsName,
        Span<T> c, int cRows, int cCols, int threads)
    {
        ThrowIfLessThanOne(aRows, aRowsName);
        ThrowIfLessThanOne(aCols, aColsName);
        ThrowIfLessThanOne(bCols, bColsName);
        if (threads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, $"threads must be 0 (all processors) or positive but is {threads}.");
        }

        CheckLength(a.Length, aRows, aCols, aRowsName, aColsName, nameof(a));
        CheckLength(b.Length, bRows, bCols, bRowsName, bColsName, nameof(b));
        CheckLength(c.Length, cRows, cCols, cRows == aRows ? aRowsName : aColsName, bColsName, nameof(c));
        if (((ReadOnlySpan<T>)c).Overlaps(a))
        {
            throw new ArgumentException("c overlaps a: the result would overwrite the input while it is read.", nameof(c));
        }

        if (((ReadOnlySpan<T>)c).Overlaps(b))
        {
            throw new ArgumentException("c overlaps b: the result would overwrite the input while it is read.", nameof(c));
        }

        static void CheckLength(int length, int r, int q, string rName, string qName, string name)
        {
            if (length != (long)r * q)
            {
                throw new ArgumentException(
                    $"{name} must hold {rName}·{qName} = {r}·{q} = {(long)r * q} values but holds {length}.", name);
            }
        }
    }

    private static void ThrowIfLessThanOne(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1 but is {value}.");
        }
    }
}

/// <summary>
/// The work items of one <see cref="LinearModel.Multiply{T}"/> or <see cref="LinearModel.MultiplyTransposed{T}"/> call,
/// on memory the caller keeps pinned for the call. One instance per thread and element type, reused.
/// </summary>
internal sealed unsafe class MultiplyJob<T> : IChunkJob
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static MultiplyJob<T>? t_job;

    private Kind _kind;
    private T* _a;
    private T* _b;
    private T* _c;
    private nint _aRow;
    private nint _aRed;
    private int _rows;
    private int _cols;
    private int _reduce;
    private int _columnBlocks;

    private enum Kind
    {
        Gemv,
        TransposedGemv,
        Gemm,
    }

    /// <summary>This thread's instance.</summary>
    public static MultiplyJob<T> ForThisThread => t_job ??= new MultiplyJob<T>();

    /// <summary>Work items of the prepared call.</summary>
    public int Items { get; private set; }

    /// <summary>c = A·b, A rows×inner; items are blocks of <see cref="LinearModel.RowChunk"/> rows.</summary>
    public void PrepareGemv(T* a, int rows, int inner, T* b, T* c)
    {
        Set(Kind.Gemv, a, b, c);
        _rows = rows;
        _reduce = inner;
        Items = (rows + LinearModel.RowChunk - 1) / LinearModel.RowChunk;
    }

    /// <summary>c = Aᵀ·b, A rows×inner; items are blocks of <see cref="LinearModel.TransposedBlock"/> elements of c.</summary>
    public void PrepareTransposedGemv(T* a, int rows, int inner, T* b, T* c)
    {
        Set(Kind.TransposedGemv, a, b, c);
        _rows = rows;
        _cols = inner;
        Items = (inner + LinearModel.TransposedBlock - 1) / LinearModel.TransposedBlock;
    }

    /// <summary>C (rows×cols) = Σ_p A(i, p)·B(p, j), A(i, p) = a[i·aRow + p·aRed]; items are row × column blocks.</summary>
    public void PrepareGemm(T* a, nint aRow, nint aRed, T* b, T* c, int rows, int cols, int reduce)
    {
        Set(Kind.Gemm, a, b, c);
        _aRow = aRow;
        _aRed = aRed;
        _rows = rows;
        _cols = cols;
        _reduce = reduce;
        _columnBlocks = (cols + LinearModel.GemmColumnBlock - 1) / LinearModel.GemmColumnBlock;
        Items = ((rows + LinearModel.RowChunk - 1) / LinearModel.RowChunk) * _columnBlocks;
    }

    /// <summary>Forgets the pointers once the call is over.</summary>
    public void Clear()
    {
        _a = null;
        _b = null;
        _c = null;
        Items = 0;
    }

    /// <summary>Computes item <paramref name="index"/>.</summary>
    public void Run(int index)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Run<Vector512<T>, Simd512<T>>(index);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Run<Vector256<T>, Simd256<T>>(index);
        }
        else
        {
            Run<Vector128<T>, Simd128<T>>(index);
        }
    }

    private void Set(Kind kind, T* a, T* b, T* c)
    {
        _kind = kind;
        _a = a;
        _b = b;
        _c = c;
    }

    private void Run<TV, TS>(int index)
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
    {
        switch (_kind)
        {
            case Kind.Gemv:
            {
                int inner = _reduce;
                int i = index * LinearModel.RowChunk;
                int end = Math.Min(_rows, i + LinearModel.RowChunk);
                for (; i <= end - 4; i += 4)
                {
                    RowKernels.Dot4x1<T, TV, TS>(_a + ((nint)i * inner), inner, _b, inner, _c + i, 1);
                }

                for (; i < end; i++)
                {
                    _c[i] = RowKernels.Dot1x1<T, TV, TS>(_a + ((nint)i * inner), _b, inner);
                }

                break;
            }

            case Kind.TransposedGemv:
            {
                int inner = _cols;
                int start = index * LinearModel.TransposedBlock;
                int length = Math.Min(LinearModel.TransposedBlock, inner - start);
                T* c = _c + start;
                new Span<T>(c, length).Clear();
                int i = 0;
                for (; i <= _rows - 4; i += 4)
                {
                    RowKernels.Update4x1<T, TV, TS>(_a + ((nint)i * inner) + start, inner, _b + i, 1, c, length);
                }

                for (; i < _rows; i++)
                {
                    RowKernels.Update1x1<T, TV, TS>(_a + ((nint)i * inner) + start, _b[i], c, length);
                }

                break;
            }

            default:
            {
                int rowBlock = index / _columnBlocks;
                int columnBlock = index - (rowBlock * _columnBlocks);
                int i0 = rowBlock * LinearModel.RowChunk;
                int j0 = columnBlock * LinearModel.GemmColumnBlock;
                Gemm.Block(
                    _a, _aRow, _aRed, _b, _cols, _c, _cols,
                    i0, Math.Min(_rows, i0 + LinearModel.RowChunk),
                    j0, Math.Min(_cols, j0 + LinearModel.GemmColumnBlock),
                    _reduce);
                break;
            }
        }
    }
}

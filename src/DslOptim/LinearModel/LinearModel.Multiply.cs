using System;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

public static partial class LinearModel
{
    /// <summary>Columns of C per work item of a GEMM.</summary>
    internal const int GemmColumnBlock = 512;

    /// <summary>Rows of C per work item of Aᵀ·B with narrow B (rank-4 updates).</summary>
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
    /// <para>Narrow B (fewer columns than two vectors of the widest width, e.g. cols &lt; 16 in double with AVX-512, other
    /// than exactly one vector of eight or more lanes; cols = 1 is a GEMV): dot products of four rows of A at a time
    /// with two columns of B (copied contiguous first, into a buffer the calling thread keeps), fixed-order lane sums,
    /// scalar tail. Wider B (and one vector of eight or more lanes, e.g. cols = 8 there): a cache-blocked GEMM with
    /// register tiles of up to 6 rows × 2 vectors (8 rows × 1 vector), every element of C one multiply-add chain over
    /// the inner index in order. Work items are
    /// fixed blocks of <see cref="RowChunk"/> rows (and 512 columns); each element is computed by one item, with
    /// arithmetic that depends on the shapes only, so the result is bitwise the same for every thread count. No
    /// allocation per call, except when a call on a thread needs a larger buffer than any before it.</para>
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
            if (UsesChunkProducts<T>(cols))
            {
                job.PrepareGemm(pa, inner, 1, pb, pc, rows, cols, inner);
                RunProduct(job, (long)rows * inner * cols, threads);
            }
            else
            {
                // Narrow B: dot products of rows of A with the columns of B, copied contiguous (Bᵀ) unless cols = 1.
                fixed (T* pbt = job.Scratch(cols == 1 ? 0 : inner * cols))
                {
                    T* columns = pb;
                    if (cols > 1)
                    {
                        Transpose(pb, inner, cols, pbt);
                        columns = pbt;
                    }

                    job.PrepareDots(pa, rows, inner, columns, cols, pc);
                    RunProduct(job, (long)rows * inner * cols, threads);
                }
            }
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
    /// <para>Narrow B (as in <see cref="Multiply{T}"/>; cols = 1 is c = Aᵀb): rank-4 updates, four rows of A at a time,
    /// of blocks of 256 rows of C, accumulated as Cᵀ (in a buffer the calling thread keeps; c itself when cols = 1), each
    /// element a multiply-add chain over the rows of A in order. Wider B: the GEMM of <see cref="Multiply{T}"/> reading A
    /// transposed (the four rows of a register tile are four adjacent elements of a row of A). Work items are fixed
    /// blocks of C; bitwise the same result for every thread count. No allocation per call, except when a call on a
    /// thread needs a larger buffer than any before it.</para>
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
            if (UsesChunkProducts<T>(cols))
            {
                job.PrepareGemm(pa, 1, inner, pb, pc, inner, cols, rows);
                RunProduct(job, (long)rows * inner * cols, threads);
            }
            else
            {
                // Narrow B: rank-4 updates of the columns of C, accumulated as Cᵀ (contiguous) unless cols = 1.
                fixed (T* pct = job.Scratch(cols == 1 ? 0 : inner * cols))
                {
                    job.PrepareUpdates(pa, rows, inner, pb, cols, pc, cols == 1 ? pc : pct);
                    RunProduct(job, (long)rows * inner * cols, threads);
                }
            }
        }
    }

    private static unsafe void Transpose<T>(T* source, int rows, int cols, T* destination)
        where T : unmanaged
    {
        for (int p = 0; p < rows; p++)
        {
            for (int j = 0; j < cols; j++)
            {
                destination[((nint)j * rows) + p] = source[((nint)p * cols) + j];
            }
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

    private T[] _scratch = [];
    private T* _ct;

    private enum Kind
    {
        Dots,
        Updates,
        Gemm,
    }

    /// <summary>This thread's instance.</summary>
    public static MultiplyJob<T> ForThisThread => t_job ??= new MultiplyJob<T>();

    /// <summary>Work items of the prepared call.</summary>
    public int Items { get; private set; }

    /// <summary>
    /// A scratch array of at least <paramref name="length"/> elements, kept by this thread's job between calls (grown,
    /// never shrunk), so that calls allocate only when they need more than any earlier call on the thread.
    /// </summary>
    public T[] Scratch(int length)
    {
        if (_scratch.Length < length)
        {
            _scratch = new T[length];
        }

        return _scratch;
    }

    /// <summary>
    /// C = A·B as dot products: A rows×inner, <paramref name="columns"/> the columns of B contiguous (cols×inner, which
    /// for cols = 1 is b itself); items are blocks of <see cref="LinearModel.RowChunk"/> rows.
    /// </summary>
    public void PrepareDots(T* a, int rows, int inner, T* columns, int cols, T* c)
    {
        Set(Kind.Dots, a, columns, c);
        _rows = rows;
        _reduce = inner;
        _cols = cols;
        Items = (rows + LinearModel.RowChunk - 1) / LinearModel.RowChunk;
    }

    /// <summary>
    /// C = Aᵀ·B as rank-4 updates: A rows×inner, B rows×cols; accumulated as Cᵀ in <paramref name="ct"/> (cols×inner;
    /// c itself when cols = 1); items are blocks of <see cref="LinearModel.TransposedBlock"/> rows of C.
    /// </summary>
    public void PrepareUpdates(T* a, int rows, int inner, T* b, int cols, T* c, T* ct)
    {
        Set(Kind.Updates, a, b, c);
        _ct = ct;
        _rows = rows;
        _reduce = inner;
        _cols = cols;
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
        _ct = null;
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
            case Kind.Dots:
            {
                int inner = _reduce, cols = _cols;
                int i = index * LinearModel.RowChunk;
                int end = Math.Min(_rows, i + LinearModel.RowChunk);
                for (; i <= end - 4; i += 4)
                {
                    T* ai = _a + ((nint)i * inner);
                    T* ci = _c + ((nint)i * cols);
                    int j = 0;
                    for (; j <= cols - 2; j += 2)
                    {
                        RowKernels.Dot4x2<T, TV, TS>(ai, inner, _b + ((nint)j * inner), _b + ((nint)(j + 1) * inner), inner, ci + j, cols);
                    }

                    if (j < cols)
                    {
                        RowKernels.Dot4x1<T, TV, TS>(ai, inner, _b + ((nint)j * inner), inner, ci + j, cols);
                    }
                }

                for (; i < end; i++)
                {
                    for (int j = 0; j < cols; j++)
                    {
                        _c[((nint)i * cols) + j] = RowKernels.Dot1x1<T, TV, TS>(_a + ((nint)i * inner), _b + ((nint)j * inner), inner);
                    }
                }

                break;
            }

            case Kind.Updates:
            {
                int inner = _reduce, cols = _cols;
                int start = index * LinearModel.TransposedBlock;
                int length = Math.Min(LinearModel.TransposedBlock, inner - start);
                for (int j = 0; j < cols; j++)
                {
                    new Span<T>(_ct + ((nint)j * inner) + start, length).Clear();
                }

                int i = 0;
                for (; i <= _rows - 4; i += 4)
                {
                    T* ai = _a + ((nint)i * inner) + start;
                    T* bi = _b + ((nint)i * cols);
                    int j = 0;
                    for (; j <= cols - 2; j += 2)
                    {
                        RowKernels.Update4x2<T, TV, TS>(
                            ai, inner, bi + j, cols, _ct + ((nint)j * inner) + start, _ct + ((nint)(j + 1) * inner) + start, length);
                    }

                    if (j < cols)
                    {
                        RowKernels.Update4x1<T, TV, TS>(ai, inner, bi + j, cols, _ct + ((nint)j * inner) + start, length);
                    }
                }

                for (; i < _rows; i++)
                {
                    for (int j = 0; j < cols; j++)
                    {
                        RowKernels.Update1x1<T, TV, TS>(_a + ((nint)i * inner) + start, _b[((nint)i * cols) + j], _ct + ((nint)j * inner) + start, length);
                    }
                }

                if (_ct != _c)
                {
                    // This item's rows of C from its block of Cᵀ.
                    for (int p = start; p < start + length; p++)
                    {
                        for (int j = 0; j < cols; j++)
                        {
                            _c[((nint)p * cols) + j] = _ct[((nint)j * inner) + p];
                        }
                    }
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

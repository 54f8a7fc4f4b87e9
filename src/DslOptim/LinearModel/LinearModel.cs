using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

/// <summary>
/// The linear-model layer of the runtime: the fused gradient of L(W) = (1/n) Σ_ij ℓ(x_iᵀ W_j − Y_ij) that generated
/// <c>Step(LinearProblem&lt;T&gt;, …)</c> methods call, and the matrix products a composed reference and the benchmarks
/// use. Multi-threaded in fixed chunks, SIMD at the machine's widest vector, and deterministic: results are bitwise the
/// same for every thread count.
/// </summary>
/// <remarks>
/// <para>Determinism. Work is cut into items whose boundaries depend only on the shapes (chunks of <see cref="RowChunk"/>
/// rows, fixed column blocks), never on the thread count; each item is computed by one thread with fixed arithmetic;
/// whatever several items contribute to is added in item order afterwards. Which thread runs an item therefore cannot
/// change a bit of the result. (Results may differ between machines: the vector width and the use of fused
/// multiply-adds are chosen per machine.)</para>
/// <para>Threads. Calls with enough work share it with a small set of persistent helper threads; see
/// <see cref="LinearWorkspace{T}.Threads"/> and the <c>threads</c> parameters. Nothing is allocated per call after the
/// first (the helpers start on first need), whatever the thread count.</para>
/// </remarks>
public static partial class LinearModel
{
    /// <summary>
    /// Rows per chunk: the unit of parallel work of <see cref="Gradient{T, TLoss}"/> and of its fixed summation order
    /// (one partial gradient per chunk, added in chunk order), independent of the thread count. A multiple of 4, the
    /// row tile of the kernels.
    /// </summary>
    public const int RowChunk = 64;

    /// <summary>Elements of the gradient per block of the combine pass (and of its norm's partial sums).</summary>
    internal const int CombineBlock = 4096;

    /// <summary>
    /// Chunks are computed as products once k fills this many vectors of the widest width (see
    /// <see cref="UsesChunkProducts{T}"/>): two, the GEMM's register tile. Measured single-threaded (AVX-512 machine,
    /// n·d from 1000·300 to 500·3000): with k = 16 (double) the products take 0.5–0.65× the time of the row tiles,
    /// with k = 32 0.6–0.8× (double) and 0.4–0.6× (float), and they are slower with ragged k such as 9 or 12. k of
    /// exactly one vector is the exception made by <see cref="OneVectorMinLanes"/>.
    /// </summary>
    internal const int ChunkProductsMinVectors = 2;

    /// <summary>
    /// k of exactly one vector is computed as products too when the vector holds at least this many elements: the
    /// GEMM's 8-row × 1-vector tile (eight independent chains) then beats the row tiles, whose dot products with k = 8
    /// or 16 columns reread each 4-row group from L2 once per column pair. Measured in session 6 (Zen 5, 3.55 GHz;
    /// interleaved rounds, time of the new form / the row tiles, 1 and 2 threads): float k = 16 with AVX-512, the
    /// gradient 0.53–0.67 and the two products 0.42–0.91; double k = 8 with AVX-512, 0.73–1.03 and 0.65–0.83; float
    /// k = 8 with AVX2, 0.87–0.88 and 0.65–0.87; but double k = 4 with AVX2 (four lanes) 1.05 and 1.07, so not there.
    /// Before the 8-row tile (with the 4-row tile only) the one-vector products were not faster.
    /// </summary>
    internal const int OneVectorMinLanes = 8;

    /// <summary>Below this many multiply-adds (n·d·k for the gradient), a call runs on the calling thread only.</summary>
    internal const long ParallelWork = 1L << 15;

    /// <summary>
    /// G = ∇L(W) into <paramref name="workspace"/>.<see cref="LinearWorkspace{T}.Gradient"/>, with L(W) and ‖G‖_F², in
    /// one pass over the rows of X.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <typeparam name="TLoss">The loss ℓ and its derivative; a struct, compiled into the kernel.</typeparam>
    /// <param name="problem">X (n×d) and Y (n×k).</param>
    /// <param name="w">W, row-major d×k. May be <paramref name="workspace"/>.Gradient itself: W is copied before anything is written.</param>
    /// <param name="workspace">The buffers and thread count; must <see cref="LinearWorkspace{T}.Fits"/> the problem.</param>
    /// <param name="loss">The loss operator, copied (once per chunk).</param>
    /// <returns>
    /// Loss = L(W) = (1/n) Σ_ij ℓ(r_ij) and GradientSquaredNorm = ‖G‖_F², both accumulated in double (the loss of
    /// float problems from float values of ℓ, the norm from the float gradient).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="problem"/> or <paramref name="workspace"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="w"/> does not hold d·k values, or the workspace does not fit the
    /// problem. Thrown before anything is written.</exception>
    /// <remarks>
    /// <para>For each row i, while it is in cache: r_i = x_iᵀW − y_i (k values), loss += ℓ(r_ij), s_ij = ℓ′(r_ij)/n,
    /// then G += x_i s_iᵀ. Each chunk of <see cref="RowChunk"/> rows accumulates its own partial gradient, in T, and its
    /// own loss sum, in double (terms in row-major order); chunks run in parallel. The partials are then added in chunk
    /// order in a combine pass, which also computes ‖G‖_F² (in double, over fixed blocks added in order) and writes G
    /// to the workspace. The loss sums are added in chunk order too.</para>
    /// <para>Two forms of the chunk, chosen by k (and the machine's vector width), never by the thread count. Small k
    /// (fewer than two vectors, e.g. k &lt; 16 in double with AVX-512, but not exactly one vector of eight or more
    /// lanes, such as k = 8 there; or a ragged k below four vectors, e.g. k = 10 in double with AVX2: see
    /// <see cref="GradientUsesChunkProducts{T}"/>): rows four at a time, r from a 4-row × 2-column
    /// register tile of dot products over d against Wᵀ (copied to the workspace so that each column of W is
    /// contiguous), G from a rank-4 update of each column of Gᵀ (an axpy per column when k = 1), the four rows staying
    /// in cache between the two (in L1 for short rows; for d = 4096 they are 64–128 KiB and come back from L2). Larger k:
    /// the chunk as two register-tiled products, R = X_c·W and G_c = X_cᵀ·S, the chunk (64×d) read again from L2 or L3.</para>
    /// <para>Speed (k = 1). ℓ′ of a row is known only after its whole dot product, so every row is read twice; with d in
    /// the thousands the second read comes from L2 (a 4-row group of d = 8192 is 128–256 KiB). Per group the pass moves
    /// X twice plus w and the partial G (read and written) through L1: about 2.75× the bytes of one read of X. On one core
    /// that in-cache work does not overlap the memory stream: measured on a Zen 5 VM (docs/performance.md, "Linear model,
    /// paired"), the pass costs about one read of X plus the same pass over cache-resident rows (1.37–1.73× one read
    /// against 1 + 0.44–0.59 at (2048, 8192), one thread). Software prefetch of the next group, a software-pipelined
    /// loop, groups of eight rows and row × column blocks were each measured (all bitwise the same) and not kept:
    /// docs/bench/k1-overlap, k1-rows8 and k1-pipelining have the harnesses and results.</para>
    /// <para>No allocation per call, except the first call with a given loss type on a workspace (one small object,
    /// kept; the workspace keeps the last four types).</para>
    /// </remarks>
    public static (double Loss, double GradientSquaredNorm) Gradient<T, TLoss>(
        LinearProblem<T> problem, ReadOnlySpan<T> w, LinearWorkspace<T> workspace, in TLoss loss)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, ILossOperator<T>
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(workspace);
        int n = problem.N, d = problem.D, k = problem.K;
        if (w.Length != problem.WeightLength)
        {
            throw new ArgumentException(
                $"w must hold d·k = {d}·{k} = {problem.WeightLength} values (W row-major, {d}×{k}) but holds {w.Length}.", nameof(w));
        }

        if (!workspace.Fits(problem))
        {
            throw new ArgumentException(
                $"The workspace was made for d = {workspace.Features}, k = {workspace.Outputs} but the problem has d = {d}, k = {k}.",
                nameof(workspace));
        }

        // The kernels' copy of W first: after this w is not read again, so it may alias the gradient.
        Span<T> weights = workspace.Weights;
        if (k == 1 || workspace.ChunkProducts)
        {
            w.CopyTo(weights);
        }
        else
        {
            for (int p = 0; p < d; p++)
            {
                ReadOnlySpan<T> row = w.Slice(p * k, k);
                for (int j = 0; j < k; j++)
                {
                    weights[(j * d) + p] = row[j];
                }
            }
        }

        int chunks = ChunkCount(n);
        int slots = workspace.Slots;
        int threads = (long)n * d * k >= ParallelWork ? workspace.Threads : 1;
        GradientJob<T, TLoss>? job = threads > 1 && chunks > 1 ? workspace.GradientJob<TLoss>() : null;
        CombineJob<T> combine = workspace.Combine;
        int blocks = CombineBlockCount(d * k);
        double lossSum = 0.0;
        for (int start = 0; start < chunks; start += slots)
        {
            int count = Math.Min(slots, chunks - start);
            if (job is not null && count > 1)
            {
                job.Prepare(problem, loss, start);
                try
                {
                    ChunkWorkers.Run(job, count, threads);
                }
                finally
                {
                    job.Release();
                }
            }
            else
            {
                for (int i = 0; i < count; i++)
                {
                    ComputeChunk(problem, workspace, loss, start + i, i);
                }
            }

            for (int i = 0; i < count; i++)
            {
                lossSum += workspace.SlotLoss[i];
            }

            combine.Prepare(count, first: start == 0, final: start + count == chunks);
            if (threads > 1 && blocks > 1)
            {
                ChunkWorkers.Run(combine, blocks, threads);
            }
            else
            {
                for (int b = 0; b < blocks; b++)
                {
                    combine.Run(b);
                }
            }
        }

        double norm = 0.0;
        for (int b = 0; b < blocks; b++)
        {
            norm += workspace.NormPartials[b];
        }

        return (lossSum / n, norm);
    }

    /// <summary>
    /// Whether the gradient of a problem with <paramref name="k"/> outputs is computed per chunk as two small GEMMs
    /// (k at least two vectors of the widest width: the GEMM's 4×(2 vectors) register tile is then full; or exactly one
    /// vector of at least <see cref="OneVectorMinLanes"/> elements, for the 8×(1 vector) tile) rather than in 4-row
    /// tiles of dot products over d (better for small k, where a GEMM tile would be mostly empty).
    /// </summary>
    internal static bool UsesChunkProducts<T>(int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512.IsHardwareAccelerated ? Vector512<T>.Count
            : Vector256.IsHardwareAccelerated ? Vector256<T>.Count
            : Vector128<T>.Count;
        return k >= lanes * ChunkProductsMinVectors || (k == lanes && lanes >= OneVectorMinLanes);
    }

    /// <summary>
    /// Whether <see cref="Gradient{T, TLoss}"/> computes its chunks as two products (see <see cref="UsesChunkProducts{T}"/>)
    /// for <paramref name="k"/> outputs: k as <see cref="UsesChunkProducts{T}"/> allows (at least two vectors, or one of
    /// at least <see cref="OneVectorMinLanes"/> lanes), and either a whole number of vectors or at least four
    /// (so that the ragged last panel — a narrower vector tile or single scalar columns — is a small part of the work).
    /// Measured single-threaded on an AVX2 machine (Zen 3, 4 doubles per vector; minima of 16 interleaved in-process runs on
    /// a loaded machine), double: k = 9 products 9.5 ms against row tiles 5.4 ms, k = 10 12.1 against 8.4 (n·d = 512·4096)
    /// and 113 against 99 (2048·8192), k = 12 9.8 against 9.4, while k = 16 (two whole vectors) stays faster as products
    /// (6.3 against 8.0). Depends on k and the machine only, never on the thread count.
    /// </summary>
    internal static bool GradientUsesChunkProducts<T>(int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512.IsHardwareAccelerated ? Vector512<T>.Count
            : Vector256.IsHardwareAccelerated ? Vector256<T>.Count
            : Vector128<T>.Count;
        return UsesChunkProducts<T>(k) && (k % lanes == 0 || k >= 2 * lanes * ChunkProductsMinVectors);
    }

    /// <summary>Chunks of <see cref="RowChunk"/> rows covering <paramref name="n"/> rows.</summary>
    internal static int ChunkCount(int n) => (int)(((long)n + RowChunk - 1) / RowChunk);

    /// <summary>Blocks of <see cref="CombineBlock"/> elements covering <paramref name="length"/> elements.</summary>
    internal static int CombineBlockCount(int length) => (int)(((long)length + CombineBlock - 1) / CombineBlock);

    /// <summary>Computes chunk <paramref name="chunk"/> into slot <paramref name="slot"/>: its partial Gᵀ and its loss sum.</summary>
    internal static void ComputeChunk<T, TLoss>(LinearProblem<T> problem, LinearWorkspace<T> workspace, TLoss loss, int chunk, int slot)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, ILossOperator<T>
    {
        if (workspace.ChunkProducts)
        {
            ComputeChunkByProducts(problem, workspace, ref loss, chunk, slot);
        }
        else if (Vector512.IsHardwareAccelerated)
        {
            ComputeChunk<T, Vector512<T>, Simd512<T>, TLoss>(problem, workspace, ref loss, chunk, slot);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            ComputeChunk<T, Vector256<T>, Simd256<T>, TLoss>(problem, workspace, ref loss, chunk, slot);
        }
        else
        {
            ComputeChunk<T, Vector128<T>, Simd128<T>, TLoss>(problem, workspace, ref loss, chunk, slot);
        }
    }

    /// <summary>
    /// The chunk as two products: R = X_c·W (rows×k), then s = ℓ′(R − Y_c)/n in place, then G_c = X_cᵀ·S (d×k) — the
    /// sum of the rank-1 updates x_i s_iᵀ of the chunk's rows, accumulated in registers. X_c (64×d) is read twice, the
    /// second time from cache.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ComputeChunkByProducts<T, TLoss>(
        LinearProblem<T> problem, LinearWorkspace<T> workspace, ref TLoss loss, int chunk, int slot)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, ILossOperator<T>
    {
        int n = problem.N, d = problem.D, k = problem.K;
        int first = chunk * RowChunk;
        int rows = Math.Min(n, first + RowChunk) - first;
        T count = T.CreateTruncating(n);
        double lossSum = 0.0;
        fixed (T* x = problem.XArray)
        fixed (T* y = problem.YArray)
        fixed (T* w = workspace.Weights)
        fixed (T* g = workspace.Partials[slot])
        fixed (T* s = workspace.Residuals[slot])
        {
            T* xc = x + ((nint)first * d);
            T* yc = y + ((nint)first * k);
            Gemm.Block(xc, d, 1, w, k, s, k, 0, rows, 0, k, d);
            for (int e = 0; e < rows * k; e++)
            {
                T r = s[e] - yc[e];
                lossSum += double.CreateTruncating(loss.Value(r));
                s[e] = loss.Derivative(r) / count;
            }

            // rows ≤ RowChunk < Gemm.ReduceBlock: one block, which overwrites every element of g.
            Gemm.Block(xc, 1, d, s, k, g, k, 0, d, 0, k, rows);
        }

        workspace.SlotLoss[slot] = lossSum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ComputeChunk<T, TV, TS, TLoss>(
        LinearProblem<T> problem, LinearWorkspace<T> workspace, ref TLoss loss, int chunk, int slot)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged
        where TS : struct, ISimd<T, TV>
        where TLoss : struct, ILossOperator<T>
    {
        int n = problem.N, d = problem.D, k = problem.K;
        int first = chunk * RowChunk;
        int end = Math.Min(n, first + RowChunk);
        T[] partial = workspace.Partials[slot];
        Array.Clear(partial);
        T count = T.CreateTruncating(n);
        double lossSum = 0.0;
        fixed (T* x = problem.XArray)
        fixed (T* y = problem.YArray)
        fixed (T* wt = workspace.Weights)
        fixed (T* g = partial)
        fixed (T* s = workspace.Residuals[slot])
        {
            int i = first;
            for (; i <= end - 4; i += 4)
            {
                T* xi = x + ((nint)i * d);
                T* yi = y + ((nint)i * k);

                // r = x_iᵀW for rows i..i+3 into s (row-major 4×k).
                int j = 0;
                for (; j <= k - 2; j += 2)
                {
                    RowKernels.Dot4x2<T, TV, TS>(xi, d, wt + ((nint)j * d), wt + ((nint)(j + 1) * d), d, s + j, k);
                }

                if (j < k)
                {
                    RowKernels.Dot4x1<T, TV, TS>(xi, d, wt + ((nint)j * d), d, s + j, k);
                }

                // Residuals, loss, and s = ℓ′(r)/n in place.
                for (int e = 0; e < 4 * k; e++)
                {
                    T r = s[e] - yi[e];
                    lossSum += double.CreateTruncating(loss.Value(r));
                    s[e] = loss.Derivative(r) / count;
                }

                // Gᵀ_j += Σ_q s_qj x_q: a rank-4 update of each column's gradient.
                j = 0;
                for (; j <= k - 2; j += 2)
                {
                    RowKernels.Update4x2<T, TV, TS>(xi, d, s + j, k, g + ((nint)j * d), g + ((nint)(j + 1) * d), d);
                }

                if (j < k)
                {
                    RowKernels.Update4x1<T, TV, TS>(xi, d, s + j, k, g + ((nint)j * d), d);
                }
            }

            for (; i < end; i++)
            {
                T* xi = x + ((nint)i * d);
                T* yi = y + ((nint)i * k);
                for (int j = 0; j < k; j++)
                {
                    T r = RowKernels.Dot1x1<T, TV, TS>(xi, wt + ((nint)j * d), d) - yi[j];
                    lossSum += double.CreateTruncating(loss.Value(r));
                    s[j] = loss.Derivative(r) / count;
                }

                for (int j = 0; j < k; j++)
                {
                    RowKernels.Update1x1<T, TV, TS>(xi, s[j], g + ((nint)j * d), d);
                }
            }
        }

        workspace.SlotLoss[slot] = lossSum;
    }
}

/// <summary>Runs the chunks of one wave of <see cref="LinearModel.Gradient{T, TLoss}"/> as parallel items.</summary>
internal sealed class GradientJob<T, TLoss> : IChunkJob
    where T : unmanaged, IFloatingPointIeee754<T>
    where TLoss : struct, ILossOperator<T>
{
    private readonly LinearWorkspace<T> _workspace;
    private LinearProblem<T>? _problem;
    private TLoss _loss;
    private int _firstChunk;

    public GradientJob(LinearWorkspace<T> workspace) => _workspace = workspace;

    /// <summary>Sets the call's problem, loss and first chunk of the wave.</summary>
    public void Prepare(LinearProblem<T> problem, in TLoss loss, int firstChunk)
    {
        _problem = problem;
        _loss = loss;
        _firstChunk = firstChunk;
    }

    /// <summary>Drops the reference to the problem, so that the workspace does not keep it alive.</summary>
    public void Release()
    {
        _problem = null;
        _loss = default;
    }

    /// <summary>Item i of the wave: chunk firstChunk + i into slot i, with a private copy of the loss operator.</summary>
    public void Run(int index) => LinearModel.ComputeChunk(_problem!, _workspace, _loss, _firstChunk + index, index);
}

/// <summary>
/// The combine pass of one wave: adds the wave's partial gradients, in chunk order, to the running sum; on the last
/// wave writes G (transposing back to d×k) and the sum of squares of each block. Item b covers the elements
/// [b·CombineBlock, (b+1)·CombineBlock) of the k×d partials.
/// </summary>
internal sealed class CombineJob<T> : IChunkJob
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly LinearWorkspace<T> _workspace;
    private int _count;
    private bool _first;
    private bool _final;

    public CombineJob(LinearWorkspace<T> workspace) => _workspace = workspace;

    /// <summary>Sets the wave: its number of chunks, and whether it is the first and/or the last.</summary>
    public void Prepare(int count, bool first, bool final)
    {
        _count = count;
        _first = first;
        _final = final;
    }

    /// <summary>Combines block <paramref name="index"/>.</summary>
    public void Run(int index)
    {
        LinearWorkspace<T> ws = _workspace;
        int d = ws.Features, k = ws.Outputs;
        int start = index * LinearModel.CombineBlock;
        int length = Math.Min(LinearModel.CombineBlock, (d * k) - start);

        // With k = 1 or untransposed partials, the partials have G's layout: the last wave writes G directly.
        bool direct = _final && (k == 1 || ws.ChunkProducts);
        Span<T> target = direct ? ws.Gradient.Slice(start, length) : ws.RunningSum.AsSpan(start, length);
        int next = 0;
        if (_first)
        {
            ws.Partials[0].AsSpan(start, length).CopyTo(target);
            next = 1;
        }
        else if (direct)
        {
            ws.RunningSum.AsSpan(start, length).CopyTo(target);
        }

        // Each element: ((sum + P_0) + P_1) + … in chunk order — one IEEE addition per term, whatever the vector width.
        for (int c = next; c < _count; c++)
        {
            TensorPrimitives.Add(target, ws.Partials[c].AsSpan(start, length), target);
        }

        if (!_final)
        {
            return;
        }

        ws.NormPartials[index] = Reduction.SumOfSquaresBlock<T>(target);
        if (!direct)
        {
            Span<T> gradient = ws.Gradient;
            int j = start / d, p = start - (j * d);
            for (int e = 0; e < length; e++)
            {
                gradient[(p * k) + j] = target[e];
                if (++p == d)
                {
                    p = 0;
                    j++;
                }
            }
        }
    }
}
